"""A VNTC article (a row of the shippable sample or of the shipped corpus nlp/data/corpus/vntc_train.jsonl.gz: id,
title, text, label, source) cut into what a press feed carries: title, lead and body. bench/real_stream.py serves
articles so cut as RSS; devtools/vntc_sentiment_sample.py hands out their title + lead for labelling. One cut, so
that the labelled rows are the text the stream reads."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any


def clean(s: str | None) -> str:
    """NFC, HTML entities decoded, trimmed (VNTC's text has both kinds of noise)."""
    return unicodedata.normalize("NFC", html.unescape(s or "")).strip()


def split_title(title: str) -> tuple[str, str]:
    """VNTC's first line often runs the title and the lead together; cut at the first sentence end."""
    m = re.match(r"(.{15,160}?[^A-ZĐ.][.?!])\s+(.+)", title)
    return (m.group(1).rstrip("."), m.group(2)) if m else (title, "")


def title_lead_body(row: dict[str, Any]) -> tuple[str, str, list[str]]:
    """(title, lead, body lines) of a VNTC row: the lead is what followed the title on its first line, else the
    body's first line; the body leaves out a first line that repeats the title."""
    lines = [clean(x) for x in row["text"].split("\n") if clean(x)]
    title, lead = split_title(clean(row["title"]))
    body = lines[1:] if lines and lines[0] == clean(row["title"]) else lines
    return title, lead or (body[0] if body else ""), body

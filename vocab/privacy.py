"""Masking the handles of private persons, for the dashboard and for exports.

    item (source_type, collector, author) ──mask_author──▶ "h***g" / "@h***g@mastodon.social" / None
    text with @mentions                   ──mask_mentions──▶ "@h***g"

We measure issues, not people: the UI and exports show a masked handle by default
(retention.mask_author_handles = true). Who is "public" and shown in full:
  * press items (bylines of journalists and outlets);
  * authors listed in privacy.public_authors (official pages, channels, outlets: "QTV - Quảng Ninh TV");
  * the collector kinds whose author is the publisher, not a person (rss, google_news, bing_news,
    youtube channel feeds) — except an RSS feed configured as social (a group's or a forum's feed
    through a bridge), whose authors are its posters.
Staff who need to verify a post open it at its link (the original platform), or reveal one handle.

Pure functions; no streamlit here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from vocab.config import Config

PUBLISHER_KINDS = frozenset({"rss", "google_news", "bing_news", "youtube"})
# source types whose authors are private persons whatever brought the item: an RSS bridge of a Facebook group
# carries its posters' names in <author> (round 16: a walk of the pages found one shown in full). Names from
# vocab.labels.CONFIGURED_SOURCE_TYPES only (a forum's feed is configured as "social"; "forum" was never accepted there).
PERSONAL_SOURCE_TYPES = frozenset({"social"})
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{2,})(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?")


def _mask_word(s: str) -> str:
    chars = list(unicodedata.normalize("NFC", s))
    if len(chars) <= 2:
        return chars[0] + "***" if chars else ""
    return chars[0] + "***" + chars[-1]


def mask_handle(handle: str) -> str:
    """'@hoanganh.bsky.social' → '@h***h'; 'u/saigon_hiker' → 'u/s***r'; 'Nguyễn Văn An' → 'N***n'.

    The instance of a fediverse handle is kept (@m***h@social.example.vn): it says where, not who.
    """
    h = (handle or "").strip()
    if not h:
        return h
    prefix = ""
    for p in ("u/", "@"):
        if h.startswith(p):
            prefix, h = p, h[len(p):]
            break
    instance = ""
    if prefix == "@" and "@" in h:
        h, instance = h.split("@", 1)
        instance = "@" + instance
    return prefix + _mask_word(h.split(".")[0] if "." in h and prefix == "@" else h) + instance


def is_public_author(
    author: str | None,
    *,
    source_type: str,
    collector: str | None = None,
    public_authors: Iterable[str] = (),
) -> bool:
    if not author:
        return True
    if source_type == "press":
        return True
    if (collector or "") in PUBLISHER_KINDS and not (collector == "rss" and source_type in PERSONAL_SOURCE_TYPES):
        return True
    norm = unicodedata.normalize("NFC", author).strip().casefold()
    return any(norm == unicodedata.normalize("NFC", p).strip().casefold() for p in public_authors)


def mask_author(
    author: str | None,
    *,
    source_type: str,
    collector: str | None = None,
    enabled: bool = True,
    public_authors: Iterable[str] = (),
    reveal: bool = False,
) -> str | None:
    """The author as staff see it: masked for private persons unless masking is off or revealed."""
    if author is None or not enabled or reveal:
        return author
    if is_public_author(author, source_type=source_type, collector=collector, public_authors=public_authors):
        return author
    return mask_handle(author)


def mask_mentions(text: str, *, enabled: bool = True) -> str:
    """@mentions of people inside a post's text, masked the same way."""
    if not enabled or "@" not in (text or ""):
        return text
    return _MENTION.sub(lambda m: "@" + _mask_word(m.group(1)) + (m.group(2) or ""), text)


def mask_frame(df, *, enabled: bool = True, public_authors: Iterable[str] = ()):  # type: ignore[no-untyped-def]
    """A copy of a pandas DataFrame with `author` masked (needs columns author, source_type[, collector])."""
    if df is None or "author" not in getattr(df, "columns", ()):
        return df
    out = df.copy()
    pubs = list(public_authors)
    coll = out["collector"] if "collector" in out.columns else [None] * len(out)
    stypes = out["source_type"] if "source_type" in out.columns else ["social"] * len(out)
    out["author"] = [
        mask_author(a, source_type=s, collector=c, enabled=enabled, public_authors=pubs)
        for a, s, c in zip(out["author"], stypes, coll)
    ]
    return out


# personal data written into a free-text answer ("Tôi là Nguyễn Văn Hùng, sđt 0912 345 678 …")
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONEY_AFTER = r"(?!\s*(?:đồng|đ|vnđ|vnd|triệu|tỷ|nghìn|ngàn)(?!\w))"   # «350000000 đồng» is an amount
_PHONE_IN_TEXT = re.compile(r"(?i)(?<![\w+])(?:\+84|84|0)(?:[ .-]?\d){8,10}(?!\d)" + _MONEY_AFTER)
_IDNO_IN_TEXT = re.compile(r"(?i)(?<!\d)(?:\d{12}|\d{9})(?!\d)" + _MONEY_AFTER)
_NAME_CUE = re.compile(r"(?i)\b(tôi là|tên tôi là|tên là|tên|họ tên|họ và tên|tôi tên)(\s*:?\s+)")
_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _mask_name_after(text: str, m: re.Match[str]) -> tuple[str, int]:
    """The capitalised words (2–5, a Vietnamese full name) right after a cue, replaced; else as it was."""
    pos, words = m.end(), 0
    end = pos
    while words < 5:
        w = _NAME_WORD.match(text, end)
        if not w or not w.group()[0].isupper():
            break
        words += 1
        end = w.end()
        nxt = end + (1 if text[end:end + 1] == " " else 0)
        if nxt == end:
            break
        end = nxt
    end = end - 1 if text[end - 1:end] == " " else end
    if words < 2:
        return text[m.start():m.end()], m.end()
    return text[m.start():m.end()] + "[họ tên]", end


def mask_personal_text(text: str) -> str:
    """A free-text answer with the writer's phone numbers, e-mail addresses, ID numbers and a name given
    after «tôi là / tên / họ tên» replaced by a placeholder: a respondent stays anonymous even when they
    sign their opinion (surveys store answers only this way)."""
    if not text:
        return text
    if "@" in text:
        text = _EMAIL_IN_TEXT.sub("[email]", text)
    if _DIGIT.search(text):
        text = _PHONE_IN_TEXT.sub("[số điện thoại]", text)
        text = _IDNO_IN_TEXT.sub("[số giấy tờ]", text)
    out, pos = [], 0
    for m in _NAME_CUE.finditer(text):
        if m.start() < pos:
            continue
        piece, pos2 = _mask_name_after(text, m)
        out.append(text[pos:m.start()] + piece)
        pos = pos2
    return "".join(out) + text[pos:]


# feed text a post's author wrote (titles, summaries, quotes, the story or alert named after a post);
# outlets, places and staff's own notes are not
# an alert's `reason` too: detection may quote a watch term or a post's words in it, and it is shown on the alert
# pages, in the rapid report's «Căn cứ:» line and in pushes (which also mask personal data in it: mask_reason)
FEED_TEXT_COLUMNS = ("title", "title_raw", "title_restored", "summary", "text", "quote", "story_title", "reason")


def mask_reason(text: str) -> str:
    """An alert's reason as a push sends it: detection writes it (counts, keywords, a watchlist's name) and quotes
    no post today, but an @handle, phone number, e-mail or ID number in it would leave the machine with the
    message, so it gets both rules: the survey answers' personal data first (an e-mail before the @mention rule
    sees its "@"), then @mentions."""
    return mask_mentions(mask_personal_text(text)) if text else text


def mentions_masked(saved: Mapping[str, Any], *, config_switch: bool, rule: bool = True) -> bool:
    """Whether @mentions are masked now: the admin's saved switch (ui setting
    "retention.mask_author_handles", Quản trị) over the config's, and [privacy] mask_mentions; the dashboard,
    the reports and the notifications all ask this one question."""
    return bool(rule) and bool(saved.get("retention.mask_author_handles", config_switch))


def mentions_masked_by(cfg: "Config", saved: Mapping[str, Any]) -> bool:
    """`mentions_masked` with the config's two settings read: what the pages, reports, pushes and
    `langnghe search` each ask, given the saved ui settings (store.users.get_settings)."""
    from vocab.config import section

    return mentions_masked(saved, config_switch=cfg.retention.mask_author_handles,
                           rule=bool(section(cfg, "privacy").get("mask_mentions", True)))


def mask_mentions_in(value: Any, columns: Iterable[str] = FEED_TEXT_COLUMNS) -> Any:
    """A copy of a query result (a DataFrame, a dict, a frozen dataclass row such as store.search.Found, or a
    tuple/list of them, nested) with @mentions masked in its feed-text columns/keys/fields; everything else as it
    was. The caller's objects are not changed."""
    cols = tuple(columns)
    if type(value) in (tuple, list):
        return type(value)(mask_mentions_in(v, cols) for v in value)
    if is_dataclass(value) and not isinstance(value, type):  # `langnghe search`'s typed rows (round 26)
        return replace(value, **{f.name: mask_mentions(getattr(value, f.name)) for f in fields(value)
                                 if f.name in cols and isinstance(getattr(value, f.name), str)})
    if isinstance(value, dict):
        return {k: (mask_mentions(v) if k in cols and isinstance(v, str) else mask_mentions_in(v, cols))
                for k, v in value.items()}
    present = [c for c in cols if c in getattr(value, "columns", ())]
    if not present or not hasattr(value, "copy"):
        return value
    out = value.copy()
    for c in present:
        out[c] = out[c].map(lambda x: mask_mentions(x) if isinstance(x, str) else x)  # keeps the dtype
    return out

"""Search-feed URLs built from the gazetteer's names: old and 2025 names, with and without diacritics.

    place names ("Uông Bí", "Trưng Vương", "Yên Tử"…)
        │ spellings(): the name as written, and without diacritics ("Uong Bi"); đ → d
        ▼
    google_news_url(names)  →  news.google.com/rss/search?q="Uông Bí" OR "Uong Bi" when:7d&hl=vi…
    bing_news_url(names)    →  www.bing.com/news/search?q="Uông Bí" OR "Uong Bi"&format=rss…
    search_sources(groups)  →  [[sources]] dicts (kind google_news / bing_news) ready for the config

Names come from the NLP gazetteer of the configured [area] (`orchestration/search_feeds.py`: the focus
unit's old wards and the 2025 wards it became, or the province's old districts). Old names stay in the press
for years, so both generations are queried.

Not a collector kind: a helper for the `google_news` and `bing_news` kinds and for `langnghe`
configuration. Google limits a query to about 32 words, so long name lists are split into groups.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable
from urllib.parse import quote_plus


def strip_diacritics(s: str) -> str:
    """'Uông Bí' → 'Uong Bi'; 'Đông' → 'Dong' (đ is a letter, not a mark, so it is mapped by hand)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def spellings(name: str) -> list[str]:
    """The name as written (NFC) and, if different, without diacritics."""
    name = unicodedata.normalize("NFC", re.sub(r"\s+", " ", name).strip())
    plain = strip_diacritics(name)
    return [name] if plain == name else [name, plain]


def query_for(names: Iterable[str]) -> str:
    """`"A" OR "A plain" OR "B" …` — every spelling quoted, duplicates dropped, order kept."""
    seen: list[str] = []
    for n in names:
        for s in spellings(n):
            if s and s not in seen:
                seen.append(s)
    return " OR ".join(f'"{s}"' for s in seen)


def google_news_url(names: Iterable[str], *, window: str = "7d", lang: str = "vi", country: str = "VN") -> str:
    q = query_for(names) + (f" when:{window}" if window else "")
    return (
        "https://news.google.com/rss/search?q=" + quote_plus(q)
        + f"&hl={lang}&gl={country}&ceid={country}:{lang}"
    )


def bing_news_url(names: Iterable[str], *, lang: str = "vi", country: str = "VN") -> str:
    q = query_for(names)
    return (
        "https://www.bing.com/news/search?q=" + quote_plus(q)
        + f"&format=rss&setlang={lang}&cc={country}&qft=sortbydate%3d%221%22"
    )


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(s).lower()).strip("-")


def search_sources(
    groups: list[tuple[str, list[str]]],
    *,
    engines: tuple[str, ...] = ("google_news", "bing_news"),
    interval_minutes: float = 60.0,
    enabled: bool = True,
) -> list[dict]:
    """[[sources]] entries (as dicts) for every group and engine."""
    out = []
    for label, names in groups:
        shown = ", ".join(names[:3]) + ("…" if len(names) > 3 else "")
        for engine in engines:
            if engine == "google_news":
                url, outlet = google_news_url(names), f"Google News: {shown}"
            elif engine == "bing_news":
                url, outlet = bing_news_url(names), f"Bing News: {shown}"
            else:
                raise ValueError(f"unknown search engine {engine!r}")
            out.append({
                "name": f"{'gnews' if engine == 'google_news' else 'bing'}-{label}",
                "kind": engine,
                "url": url,
                "outlet": outlet,
                "source_type": "press",
                "interval_minutes": interval_minutes,
                "enabled": enabled,
            })
    return out


def to_toml(sources: list[dict]) -> str:
    """Render source dicts as `[[sources]]` TOML (for pasting into a deployment's config)."""
    lines: list[str] = []
    for s in sources:
        lines.append("[[sources]]")
        for k, v in s.items():
            if isinstance(v, bool):
                val = "true" if v else "false"
            elif isinstance(v, (int, float)):
                val = f"{v:g}"
            else:
                val = '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"{k} = {val}")
        lines.append("")
    return "\n".join(lines)

"""Search-engine feeds for the area: the gazetteer (nlp) names the units, collectors build the feed URLs.

`langnghe search-feeds` prints the [[sources]] entries; the two layers meet here, not in each other.
"""

from __future__ import annotations

from collectors.search_feeds import slug
from nlp.gazetteer import Entry, Gazetteer, fold

_WARD_WORDS = ("Phường ", "Xã ", "Thị trấn ", "Đặc khu ")
_DISTRICT_WORDS = ("Thành phố ", "Thị xã ", "Huyện ", "Quận ")


def gazetteer_groups(province: str = "Quảng Ninh", focus: str = "Uông Bí") -> tuple[list[tuple[str, list[str]]], str]:
    """(groups, where they came from): the names of the configured area, from nlp.gazetteer.

    A focus that was a district before 2025: its name, the 2025 wards it became and its old wards; strong
    names (unique in the country) are queried alone, weak ones (Quang Trung, Bắc Sơn…, also units elsewhere
    or common words) paired with the focus name ("Quang Trung Uông Bí"). Any other focus (a 2025 ward,
    "phường Kinh Bắc") is queried as written. No focus, or the province itself: the province's old districts,
    those of a province merged into it in 2025 included. Never another area's names.
    """
    g = Gazetteer(province)
    entries = {(e.name, e.level): e for es in g.index.values() for e in es if e.in_area}
    groups: list[tuple[str, list[str]]] = [(slug(province), [province])]
    focus = focus.strip()
    if not focus or fold(focus) == fold(g.province):
        dists = sorted({_bare(e.name, _DISTRICT_WORDS) for e in entries.values() if e.level == "district_old"}
                       - {province})  # TP Bắc Ninh: the province's query finds it already
        groups += _chunks(f"{slug(province)}-cu", dists)
        return groups, "nlp.gazetteer"
    dist = next((e for (n, lvl), e in entries.items() if lvl == "district_old" and fold(n).endswith(fold(focus))),
                None)
    if dist is None:  # not a former district: the focus as the office wrote it
        return groups + [(slug(focus), [focus])], "nlp.gazetteer"
    return groups + _district_groups(entries, dist, focus), "nlp.gazetteer"


def _district_groups(entries: dict[tuple[str, str], Entry], dist: Entry, focus: str) -> list[tuple[str, list[str]]]:
    """The former district's own name, its 2025 wards (when the old→2025 mapping is shipped) and old wards."""
    new = sorted({e.name for e in entries.values() if e.level == "ward_2025" and e.district == dist.name})
    old = sorted({e.name for e in entries.values() if e.level == "ward_old" and e.district == dist.name})
    old += sorted({(e.old_name or "").split(" (")[0] for e in entries.values()
                   if e.level == "ward_2025" and e.district == dist.name and e.old_name})

    def q(name: str, level: str) -> str:
        e = entries.get((name, level))
        short = _bare(name, _WARD_WORDS)
        return short if e is None or e.strong else f"{short} {focus}"

    groups: list[tuple[str, list[str]]] = [(slug(focus), [focus])]
    if new:
        groups.append((slug(focus) + "-2025", [name.replace("Phường", "phường").replace("Xã", "xã") for name in new]))
    olds = [q(n, "ward_old") for n in dict.fromkeys(o for o in old if o)]
    return groups + _chunks(f"{slug(focus)}-cu", olds)


def _chunks(label: str, names: list[str], size: int = 5) -> list[tuple[str, list[str]]]:
    """Names in groups of `size` (a search engine caps a query's length): label-1, label-2…"""
    return [(f"{label}-{i // size + 1}", names[i:i + size]) for i in range(0, len(names), size)]


def _bare(name: str, types: tuple[str, ...]) -> str:
    """'Huyện Việt Yên' → 'Việt Yên': the press often leaves the unit type out, so the query does too."""
    for t in types:
        name = name.removeprefix(t)
    return name

"""Search-engine feeds for the area: the gazetteer (nlp) names the units, collectors build the feed URLs.

`langnghe search-feeds` prints the [[sources]] entries; the two layers meet here, not in each other.
"""

from __future__ import annotations

from collectors.search_feeds import BUILTIN_GROUPS, slug
from nlp.gazetteer import Gazetteer, fold


def gazetteer_groups(province: str = "Quảng Ninh", focus: str = "Uông Bí") -> tuple[list[tuple[str, list[str]]], str]:
    """(groups, where they came from): the area's units from nlp.gazetteer, else the built-in list.

    Strong names (unique in the country) are queried alone; weak ones (Quang Trung, Bắc Sơn…, also
    units elsewhere or common words) are paired with the focus name ("Quang Trung Uông Bí").
    """
    try:
        g = Gazetteer(province)
        entries = {(e.name, e.level): e for es in g.index.values() for e in es}
        dist = next((e for (n, lvl), e in entries.items() if lvl == "district_old" and fold(n).endswith(fold(focus))),
                    None)
        if dist is None:
            raise LookupError(focus)
        new = sorted({e.name for e in entries.values() if e.level == "ward_2025" and e.district == dist.name})
        old = sorted({e.name for e in entries.values() if e.level == "ward_old" and e.district == dist.name})
        old += sorted({(e.old_name or "").split(" (")[0] for e in entries.values()
                       if e.level == "ward_2025" and e.district == dist.name and e.old_name})

        def q(name: str, level: str) -> str:
            e = entries.get((name, level))
            short = name
            for t in ("Phường ", "Xã ", "Thị trấn ", "Đặc khu "):
                short = short.removeprefix(t)
            return short if e is None or e.strong else f"{short} {focus}"

        groups: list[tuple[str, list[str]]] = [
            (slug(province), [province]),
            (slug(focus), [focus]),
            (slug(focus) + "-2025", [name.replace("Phường", "phường").replace("Xã", "xã") for name in new]),
        ]
        olds = [q(n, "ward_old") for n in dict.fromkeys(o for o in old if o)]
        for i in range(0, len(olds), 5):
            groups.append((f"{slug(focus)}-cu-{i // 5 + 1}", olds[i:i + 5]))
        return groups, "nlp.gazetteer"
    except LookupError:  # the focus is not a former district of the province: the built-in list
        return BUILTIN_GROUPS, "built-in list"

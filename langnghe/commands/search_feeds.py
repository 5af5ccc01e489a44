"""`langnghe search-feeds`: print [[sources]] entries for Google News / Bing News searches of the area's
names (old and 2025, with and without diacritics), built from the gazetteer, to paste into a config."""

from __future__ import annotations

import argparse
import sys

from vocab.config import Config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search-feeds", help="in các mục [[sources]] tìm kiếm tin theo địa danh của địa bàn")
    p.add_argument("--engine", action="append", choices=("google_news", "bing_news"),
                   help="chỉ công cụ tìm kiếm này (dùng nhiều lần được; mặc định cả hai)")
    p.add_argument("--interval", metavar="PHÚT", type=float, default=60.0, help="chu kỳ thu thập (interval_minutes, phút) của mỗi mục (mặc định 60)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, cfg: Config) -> int:
    from collectors import search_feeds
    from orchestration.search_feeds import gazetteer_groups
    from vocab.config import source_interval_refusal

    # -5 was printed as `interval_minutes = -5.0` for staff to paste (round 28), 2000 as a line the loader refuses
    # since fix30 (review30): the sources' own rule, 1 to 1.440 minutes
    rule = source_interval_refusal(args.interval)
    if not args.interval > 0 or rule:
        said = f": {rule}" if args.interval > 0 else " phải lớn hơn 0 (phút), ví dụ 60"
        print(f"langnghe search-feeds: --interval{said}", file=sys.stderr)
        return 2
    groups, origin = gazetteer_groups(cfg.area.province, cfg.area.focus or cfg.area.province)
    engines = tuple(args.engine or ("google_news", "bing_news"))
    print(f"# {len(groups)} nhóm tên địa danh (nguồn: {origin})", file=sys.stderr)
    print(search_feeds.to_toml(search_feeds.search_sources(groups, engines=engines, interval_minutes=args.interval)))
    return 0

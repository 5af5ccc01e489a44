"""`langnghe demo`: start the local demo feed server, then `serve` with the demo config."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from devtools import DEMO_CONFIG_PATH, demo_channels
from vocab.config import Config, load


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="chạy sản phẩm trên dữ liệu mẫu (máy chủ tin mẫu tại chỗ + serve)")
    p.add_argument("--feed-port", metavar="CỔNG", type=int, default=8765, help="cổng của máy chủ tin mẫu (mặc định 8765)")
    p.add_argument("--port", metavar="CỔNG", type=int, help="cổng bảng điều khiển (mặc định: dashboard.port)")
    p.add_argument("--keep-db", action="store_true", help="giữ var/demo.duckdb của lần chạy trước")
    p.add_argument("--no-serve", action="store_true", help="chỉ chạy máy chủ tin mẫu (cho kiểm thử, đo đạc)")
    p.set_defaults(func=run)


def demo_config(feed_port: int) -> Config:
    cfg = load(DEMO_CONFIG_PATH)
    if feed_port != 8765:
        cfg = replace(
            cfg,
            sources=tuple(
                replace(s, url=s.url.replace("127.0.0.1:8765", f"127.0.0.1:{feed_port}")) for s in cfg.sources
            ),
            http=replace(cfg.http, allow_private_hosts=tuple(
                h.replace("127.0.0.1:8765", f"127.0.0.1:{feed_port}") for h in cfg.http.allow_private_hosts)),
        )
    return cfg


def run(args: argparse.Namespace, _cfg: Config) -> int:
    from devtools.demo_server import DemoFeedServer
    from langnghe.service import CannotListen, listen_refusal, serve

    os.environ.setdefault(demo_channels.TOKEN_ENV, "demo-token")  # the demo fanpage/Zalo OA stand-ins' token
    bad = [str(p) for p in (args.feed_port, args.port) if p is not None and not 1 <= p <= 65535]
    if bad:  # as serve: refused before anything starts (round 28)
        print(f"langnghe demo: cổng {', '.join(bad)} không hợp lệ (từ 1 đến 65535).", file=sys.stderr)
        return 2
    cfg = demo_config(args.feed_port)
    if args.port:
        cfg = replace(cfg, dashboard=replace(cfg.dashboard, port=args.port))
    refused = None if args.no_serve else listen_refusal(cfg.dashboard.host, cfg.dashboard.port)
    if refused:  # before the demo's database is removed and its feeds start (round 29)
        print(f"langnghe demo: {refused}.", file=sys.stderr)
        return 2
    if not args.keep_db:
        for p in (cfg.storage.db_path, cfg.storage.db_path + ".wal", cfg.storage.snapshot_path):
            if os.path.exists(p):
                os.remove(p)
    Path(cfg.storage.db_path).parent.mkdir(parents=True, exist_ok=True)
    server = DemoFeedServer(args.feed_port).start_background()
    n_now = sum(len(server.visible(f, server.start)) for f in server.feed_urls())
    print(
        f"Máy chủ tin mẫu: {server.base_url} ({len(server.items)} tin, {n_now} đã phát hành, "
        "số còn lại phát dần mỗi vài phút)",
        flush=True,
    )
    if args.no_serve:
        import time

        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0
    try:
        return serve(cfg, before_start=_demo_hooks(cfg), at_start=_demo_survey(cfg), config_path=str(DEMO_CONFIG_PATH))
    except CannotListen as exc:  # taken since the check above
        print(f"langnghe demo: {exc}.", file=sys.stderr)
        return 2
    finally:
        server.stop()


def _demo_hooks(cfg: Config):  # type: ignore[no-untyped-def]
    """Demo-only set-up run once the database is open, before the dashboard starts: the demo accounts, printed on the
    console, and the demo watchlist that fires during the burst."""
    from devtools import demo_accounts, demo_notify, demo_watch

    def before(db):  # type: ignore[no-untyped-def]
        demo_accounts.setup(cfg, db)
        demo_watch.setup(db)
        demo_notify.setup(db, demo_accounts.DEMO_ADMIN)  # the console channel: the burst alert is pushed to this console

    return before


def _demo_survey(cfg: Config):  # type: ignore[no-untyped-def]
    """The demo survey's two waves (page Khảo sát), imported by the scheduler thread at its start (`serve`'s
    `at_start`), once the dashboard is starting. Why not before it: the import tags 800 free-text answers and so loads
    the NLP model, 3–6 s that the URL and the first page waited for (round 27, docs/SCALE.md); the first collection
    pass needs the model next and finds it loaded. The importer's modules are imported here, in the main thread before
    any other exists, as serve does with the heavy libraries: the dashboard's Khảo sát page imports them too, and a
    module imported for the first time by two threads at once can be seen half-initialised."""
    import openpyxl  # noqa: F401  (wave 2 is an XLSX file)

    from collectors.imports import xlsx_rows  # noqa: F401
    from devtools import demo_survey
    from orchestration import surveys  # noqa: F401

    def load(db):  # type: ignore[no-untyped-def]
        if demo_survey.load(cfg, db):
            print("Khảo sát mẫu: «dạy thêm, học thêm», 2 đợt × 400 phiếu (trang Khảo sát)", flush=True)

    return load

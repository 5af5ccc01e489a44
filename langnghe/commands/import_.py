"""`langnghe import FILE --map title=col,text=col,… [--preview]`: bring exported posts in as items.

Without --map the preview proposes a mapping from the header names. --preview writes nothing.
Importing is idempotent: the same file twice adds nothing the second time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from collectors import imports as imp
from langnghe.commands._storing import tag_leftovers
from vocab.config import Config, section
from store.db import Database, DatabaseLocked, utcnow


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import posts from a CSV, JSONL or XLSX file (idempotent)")
    p.add_argument("file", help="the exported file (.csv, .tsv, .jsonl, .json, .xlsx)")
    p.add_argument("--map", dest="mapping", default="",
                   help=f"field=column pairs, comma-separated; fields: {', '.join(imp.FIELDS)}")
    p.add_argument("--preview", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--source", help="source name for these items (default import-<file name>)")
    p.add_argument("--outlet", help="outlet shown when the file has no outlet column (default: the source name)")
    p.add_argument("--source-type", choices=("press", "social"), help="default imports.default_source_type")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace, cfg: Config) -> imp.ImportSettings:
    return imp.settings_for(cfg, args.file, source=args.source, outlet=args.outlet, source_type=args.source_type)


def run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        rows, columns = imp.read_rows(args.file, sheet=args.sheet)
        mapping = imp.parse_mapping(args.mapping) if args.mapping else imp.guess_mapping(columns)
        if not args.mapping and not args.preview:
            print("langnghe import: no --map given. Proposed (check with --preview):\n  --map "
                  + ",".join(f"{k}={v}" for k, v in mapping.items()), file=sys.stderr)
            return 2
        imp.check_mapping(mapping, columns)
    except (imp.ImportFormatError, FileNotFoundError, KeyError) as exc:
        print(f"langnghe import: {exc}", file=sys.stderr)
        return 2
    settings = _settings(args, cfg)
    now = utcnow()
    n_preview = int(section(cfg, "imports").get("preview_rows", 10))
    if args.preview:
        pv = imp.preview(rows, columns, mapping, settings, now, n=n_preview)
        print(f"Tệp: {args.file} — {pv.rows} dòng; cột: {', '.join(pv.columns)}")
        print("Ánh xạ: " + ", ".join(f"{k}={v}" for k, v in pv.mapping.items()))
        print(f"Sẽ nhập được {pv.mappable} mục; bỏ qua {sum(pv.skipped.values())}.")
        for reason, n in pv.skipped.most_common():
            print(f"  bỏ qua {n}: {reason}")
        for it in pv.items:
            when = f"{it.published_at:%Y-%m-%d %H:%M} UTC" + (" (ước tính)" if it.published_estimated else "")
            print(f"- [{it.source_type}] {when} | {it.outlet} | {it.title[:90]}")
        return 0
    try:
        db = Database(cfg.storage.db_path)
    except DatabaseLocked as exc:
        print(f"langnghe import: {exc} Hoặc nhập tệp trên trang «Nhập dữ liệu» của bảng điều khiển.",
              file=sys.stderr)
        return 3
    with db:
        res = imp.import_file(db, cfg, args.file, Path(args.file).read_bytes(), rows, mapping, settings, now)
        tag_leftovers(cfg, db)  # none stays untagged: this file's items if their tagging failed, older leftovers
    print(f"Đã nhập {len(res.new_ids)} mục mới từ {res.rows} dòng ({res.items - len(res.new_ids)} đã có; "
          f"bỏ qua {sum(res.skipped.values())}).", file=sys.stderr)
    for reason, n in res.skipped.most_common():
        print(f"  bỏ qua {n}: {reason}", file=sys.stderr)
    return 0

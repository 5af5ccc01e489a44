"""Run a scenario stream through `replay` in process and score it: detection delay, coverage, false alerts.

    .venv/bin/python tests/detection/scenario_eval.py tests/detection/fixtures/burst_week.jsonl
    .venv/bin/python tests/detection/scenario_eval.py --seeds 1 2 3 4 --weeks 2     # fresh background per seed

Used by tests/detection/test_scenarios.py; the printed figures are the ones docs/ALERTS.md reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vocab import config as config_mod
from langnghe.commands.replay import fixture_tagger, parse_time, replay  # noqa: E402
from store.db import Database  # noqa: E402


def make_cfg(db_path: str, **sections: dict[str, Any]):
    data = config_mod.read_toml(config_mod.DEFAULTS_PATH)
    over: dict[str, Any] = {"storage": {"db_path": db_path, "snapshot_path": db_path + ".snap"}}
    for k, v in sections.items():
        over.setdefault(k, {}).update(v)
    return config_mod.parse(config_mod._merge(data, over))


def run_rows(rows: list[dict], db_path: str, step_minutes: float = 15, **kw: Any) -> tuple[list[dict], Any]:
    for r in rows:
        r.setdefault("published_at", parse_time(r["published"]))
    rows = sorted(rows, key=lambda r: (r["published_at"], r["id"]))
    cfg = make_cfg(db_path)
    db = Database(db_path)
    alerts, alarms = replay(cfg, db, rows, timedelta(minutes=step_minutes), tagger=fixture_tagger(rows), **kw)
    return alerts, db


def final_items(db: Any, alerts: list[dict]) -> dict[str, list[str]]:
    """alert_id → the items the alert holds at the end of the replay (open alerts follow their story)."""
    from store import alerts as store_alerts

    with db.read() as cur:
        return {a["alert_id"]: list(store_alerts.get_alert(cur, a["alert_id"])["item_ids"]) for a in alerts}


def score(rows: list[dict], alerts: list[dict], final: dict[str, list[str]] | None = None) -> dict[str, Any]:
    burst = sorted((r for r in rows if r["truth"]["kind"] == "burst"), key=lambda r: parse_time(r["published"]))
    burst_ids = {r["id"] for r in burst}
    hits, false = [], []
    for a in alerts:
        share = len(burst_ids & set(a["item_ids"])) / max(len(a["item_ids"]), 1)
        (hits if share >= 0.5 else false).append(a)
    days = (parse_time(rows[-1]["published"]) - parse_time(rows[0]["published"])).total_seconds() / 86400
    out: dict[str, Any] = {"alerts": len(alerts), "false_alerts": len(false), "days": round(days, 2),
                           "false_per_7_days": round(len(false) * 7 / max(days, 1e-9), 2),
                           "burst_alerts": len(hits), "false": false}
    if burst and hits:
        first = min(hits, key=lambda a: a["raised_at"])
        third = parse_time(burst[2]["published"])
        out["delay_minutes"] = (parse_time(first["raised_at"]) - third).total_seconds() / 60
        out["coverage_at_raise"] = len(burst_ids & set(first["item_ids"])) / len(burst_ids)
        held = (final or {}).get(first["alert_id"], first["item_ids"])
        out["coverage"] = len(burst_ids & set(held)) / len(burst_ids)
        out["foreign_items"] = sorted(set(held) - burst_ids)
        out["alert"] = first
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stream", nargs="?")
    ap.add_argument("--seeds", type=int, nargs="*")
    ap.add_argument("--weeks", type=int, default=1)
    args = ap.parse_args()
    import json

    streams = []
    if args.stream:
        streams.append((args.stream, [json.loads(x) for x in open(args.stream, encoding="utf-8") if x.strip()]))
    for seed in args.seeds or []:
        sys.path.insert(0, str(Path(__file__).parent))
        from make_scenarios import burst_week

        streams.append((f"seed {seed}, {args.weeks} week(s)", burst_week(seed, args.weeks)))
    for name, rows in streams:
        with tempfile.TemporaryDirectory() as tmp:
            alerts, db = run_rows(rows, str(Path(tmp) / "r.duckdb"))
            final = final_items(db, alerts)
            db.close()
        s = score(rows, alerts, final)
        print(f"{name}: {len(rows)} items, {s['days']} days; alerts {s['alerts']} "
              f"(burst {s['burst_alerts']}, false {s['false_alerts']} = {s['false_per_7_days']} per 7 days); "
              f"delay after 3rd burst item {s.get('delay_minutes')} min; coverage {s.get('coverage')} "
              f"(at raise {s.get('coverage_at_raise')}; other items in it: {s.get('foreign_items')})")
        if "alert" in s:
            print("   ", s["alert"]["severity"], "|", s["alert"]["title"], "|", s["alert"]["reason"])
        for a in s["false"]:
            print("   FALSE:", a["raised_at"], a["title"], "|", a["reason"], a["item_ids"])


if __name__ == "__main__":
    main()

"""Login timing for an existing and an unknown user name (issue 11: names must not be told apart by time).

    .venv/bin/python bench/login.py                 # bcrypt_rounds 12 (the default), 15 tries each
    .venv/bin/python bench/login.py --rounds 10 --tries 30

Wrong passwords only, with the lockout limits lifted (so no lockout interferes). Prints the median
and p90 in ms for both and their ratio; with equal work the ratio is close to 1 (it was ~27–35 with the
old 4-round dummy hash).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--tries", type=int, default=15)
    args = ap.parse_args()
    from orchestration.accounts import AuthService, AuthSettings
    from store.db import Database

    with tempfile.TemporaryDirectory() as tmp, Database(Path(tmp) / "login.duckdb") as db:
        auth = AuthService(db, AuthSettings(bcrypt_rounds=args.rounds, max_failed_logins=10**6,
                                             max_failed_per_client=10**6))
        auth.create_user("lan", "mat-khau-dung-12345", "analyst")
        times: dict[str, list[float]] = {"existing name": [], "unknown name": []}
        for i in range(args.tries):
            for label, name in (("existing name", "lan"), ("unknown name", f"khong-co-{i}")):
                t = time.perf_counter()
                auth.login(name, "sai-mat-khau", client=f"10.0.{i // 250}.{i % 250}")
                times[label].append((time.perf_counter() - t) * 1000)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        p90 = sorted(v)[int(0.9 * (len(v) - 1))]
        print(f"{k:14} median {med[k]:7.1f} ms   p90 {p90:7.1f} ms   ({len(v)} tries, bcrypt_rounds={args.rounds})")
    print(f"ratio existing/unknown: {med['existing name'] / med['unknown name']:.2f}")


if __name__ == "__main__":
    main()

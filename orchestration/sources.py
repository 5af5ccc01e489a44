"""Sources edited by admins in the dashboard (the config store, table `managed_sources`) merged over
the `[[sources]]` of langnghe.toml.

    langnghe.toml sources  ──┐
                             ├─ merge_sources(): a managed row replaces the configured source of the
    managed_sources rows ────┘  same name, adds a new one, or (removed = true) hides it
                                          ▼
                             effective_config(cfg, db): the Config the scheduler uses on each tick

Validation of an admin's edit (`check_source`) lives here too, without Streamlit. An enabled source
on a non-public address (loopback, private, link-local…, collectors/netguard.py) is refused unless its
host is in [http] allow_private_hosts; the fetcher would refuse it on every pass anyway.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from vocab.config import (SOURCE_INTERVAL_MAX_MINUTES, Config, SourceConfig, configured_types_text,
                          source_interval_refusal, source_login_refusal, source_url_refusal)
from vocab.numbers import fmt_num
from vocab.labels import CONFIGURED_SOURCE_TYPES
from store import users as store_users
from store.db import Database

if TYPE_CHECKING:
    from collectors import netguard

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def merge_sources(configured: Iterable[SourceConfig], managed: Iterable[dict[str, Any]]) -> tuple[SourceConfig, ...]:
    by_name: dict[str, SourceConfig] = {s.name: s for s in configured}
    order = list(by_name)
    for row in managed:
        name = row["name"]
        if row.get("removed"):
            by_name.pop(name, None)
            continue
        if name not in by_name:
            order.append(name)
        by_name[name] = SourceConfig(
            name=name, kind=row["kind"], url=row["url"], outlet=row["outlet"],
            source_type=row.get("source_type") or "press", interval_minutes=float(row.get("interval_minutes") or 0),
            enabled=bool(row.get("enabled", True)), options=dict(row.get("options") or {}),
            username=str(row.get("username") or ""), password_env=str(row.get("password_env") or ""),
        )
    return tuple(by_name[n] for n in order if n in by_name)


def managed_rows(db: Database) -> list[dict[str, Any]]:
    try:
        with db.read() as cur:
            return store_users.list_managed_sources(cur)
    except Exception:  # table missing (an old snapshot): the configured sources alone
        return []


def effective_config(cfg: Config, db: Database) -> Config:
    rows = managed_rows(db)
    if not rows:
        return cfg
    return replace(cfg, sources=merge_sources(cfg.sources, rows))


def check_source(src: dict[str, Any], kinds: Iterable[str], *, allow_private_hosts: Iterable[str] = (),
                 resolve: netguard.SyncResolver | None = None,
                 logins: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Validate an admin's source form; returns the cleaned dict or raises ValueError (Vietnamese).
    Pausing or removing a source is never refused for its address's host; only removing it for a user name or
    password in the address (round 32: a pause would store the password again)."""
    out = {
        "name": str(src.get("name", "")).strip().lower(),
        "kind": str(src.get("kind", "")).strip(),
        "url": str(src.get("url", "")).strip(),
        "outlet": str(src.get("outlet", "")).strip(),
        "source_type": str(src.get("source_type", "press")).strip(),
        "interval_minutes": float(src.get("interval_minutes") or 0),
        "enabled": bool(src.get("enabled", True)),
        "options": dict(src.get("options") or {}),
        "removed": bool(src.get("removed", False)),
        # a feed behind a login (fix36): the user name and the name of the secret holding the password, never the
        # password (the form has no box for it); both or neither, as in langnghe.toml
        "username": str(src.get("username") or "").strip(),
        "password_env": str(src.get("password_env") or "").strip(),
    }
    if not NAME_RE.match(out["name"]):
        raise ValueError("Tên nguồn chỉ gồm chữ thường không dấu, số, dấu chấm, gạch; 2–64 ký tự.")
    if out["kind"] not in set(kinds):
        raise ValueError(f"Loại nguồn không có: {out['kind']!r}.")
    if not re.match(r"^https?://[^\s/]+", out["url"]):
        raise ValueError("Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://.")
    if (refused := source_url_refusal(out["url"])) and not out["removed"]:  # round 32 (hostile35): never stored
        raise ValueError(f"Không lưu: {refused}.")
    if (refused := source_login_refusal(out["username"], out["password_env"], out["url"], logins)) \
            and not out["removed"]:
        raise ValueError(f"Không lưu: {refused}.")
    if not out["outlet"]:
        raise ValueError("Cần tên cơ quan báo chí hoặc kênh.")
    if out["source_type"] not in CONFIGURED_SOURCE_TYPES:
        raise ValueError(f"Loại nguồn phải là {configured_types_text()}.")
    if source_interval_refusal(out["interval_minutes"]):  # 0: the default (fix29); the runner's rule too (fix30)
        # the bound is the rule's own, said Vietnamese-style («1.440»; it said «1440» in a sentence before, fix33)
        raise ValueError("Chu kỳ thu thập phải là 0 (theo chu kỳ mặc định) hoặc từ 1 đến "
                         f"{fmt_num(SOURCE_INTERVAL_MAX_MINUTES)} phút.")
    if out["enabled"] and not out["removed"]:
        from collectors import netguard  # httpx behind it: `langnghe status` reads the sources and checks none

        blocked = netguard.check_sync(out["url"], netguard.parse_allow(allow_private_hosts), resolve)
        if blocked:
            raise ValueError(blocked)
    return out


def as_row(s: SourceConfig) -> dict[str, Any]:
    return {"name": s.name, "kind": s.kind, "url": s.url, "outlet": s.outlet, "source_type": s.source_type,
            "interval_minutes": s.interval_minutes, "enabled": s.enabled,
            "options": dict(s.options) if isinstance(s.options, dict) else {}, "username": s.username,
            "password_env": s.password_env}

"""Users, login attempts, sessions, briefings, the dashboard audit trail, admin-managed sources and
UI settings (migration 040). Named functions only; callers hold the cursor (`Database.read/write`).

Passwords never reach this module in clear text: callers pass bcrypt hashes (orchestration/accounts.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from store.db import dicts, one

if TYPE_CHECKING:
    import duckdb

_USER_COLS = ("username", "display_name", "role", "password_hash", "active", "created_at", "created_by",
              "updated_at", "last_login_at")


def _dicts(cur: "duckdb.DuckDBPyConnection", sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return dicts(cur.execute(sql, params or []))


# --- users -------------------------------------------------------------------------------------

def add_user(cur: "duckdb.DuckDBPyConnection", username: str, display_name: str, role: str,
             password_hash: str, created_by: str | None, now: datetime) -> None:
    cur.execute(
        "INSERT INTO users (username, display_name, role, password_hash, active, created_at, created_by, updated_at)"
        " VALUES (?, ?, ?, ?, TRUE, ?, ?, ?)",
        [username, display_name, role, password_hash, now, created_by, now],
    )


def get_user(cur: "duckdb.DuckDBPyConnection", username: str) -> dict[str, Any] | None:
    rows = _dicts(cur, f"SELECT {', '.join(_USER_COLS)} FROM users WHERE username = ?", [username])
    return rows[0] if rows else None


def list_users(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    """All users without their password hashes."""
    cols = [c for c in _USER_COLS if c != "password_hash"]
    return _dicts(cur, f"SELECT {', '.join(cols)} FROM users ORDER BY username")


def update_user(cur: "duckdb.DuckDBPyConnection", username: str, now: datetime, **changes: Any) -> None:
    allowed = {"display_name", "role", "password_hash", "active", "last_login_at"}
    bad = set(changes) - allowed
    if bad:
        raise ValueError(f"cannot change {sorted(bad)}")
    if not changes:
        return
    sets = ", ".join(f"{k} = ?" for k in changes)
    cur.execute(f"UPDATE users SET {sets}, updated_at = ? WHERE username = ?", [*changes.values(), now, username])


def count_users(cur: "duckdb.DuckDBPyConnection", role: str | None = None, active_only: bool = True) -> int:
    sql = "SELECT count(*) FROM users WHERE (? IS NULL OR role = ?)"
    if active_only:
        sql += " AND active"
    return int(one(cur.execute(sql, [role, role]))[0])


# --- login attempts and sessions --------------------------------------------------------------

def record_login_attempt(cur: "duckdb.DuckDBPyConnection", username: str, ok: bool, client: str | None,
                         at: datetime) -> None:
    cur.execute("INSERT INTO login_attempts (username, client, attempted_at, ok) VALUES (?, ?, ?, ?)",
                [username, client, at, ok])


def pair_failures(cur: "duckdb.DuckDBPyConnection", username: str | None = None, client: str | None = None, *,
                  any_client: bool = False, last_since: datetime | None = None) -> list[dict[str, Any]]:
    """Consecutive failed logins per (user name, client address): those after the pair's last success and
    after the user's last unlock (audit 'user.unlock'). One row per pair: username, client, failures,
    last_failed_at. Filters: one user name; one client (NULL is a client too: the unknown one) unless
    `any_client`; pairs whose last failure is at or after `last_since`."""
    return _dicts(
        cur,
        """
        WITH oks AS (SELECT username, client, max(attempted_at) AS at FROM login_attempts
                     WHERE ok AND (? IS NULL OR username = ?) GROUP BY ALL),
             unlocks AS (SELECT target AS username, max(logged_at) AS at FROM dashboard_audit
                         WHERE action = 'user.unlock' AND (? IS NULL OR target = ?) GROUP BY ALL)
        SELECT a.username, a.client, count(*) AS failures, max(a.attempted_at) AS last_failed_at
        FROM login_attempts a
        LEFT JOIN oks o ON o.username = a.username AND o.client IS NOT DISTINCT FROM a.client
        LEFT JOIN unlocks u ON u.username = a.username
        WHERE NOT a.ok
          AND a.attempted_at > coalesce(o.at, TIMESTAMP '1970-01-01')
          AND a.attempted_at > coalesce(u.at, TIMESTAMP '1970-01-01')
          AND (? IS NULL OR a.username = ?)
          AND (? OR a.client IS NOT DISTINCT FROM ?)
        GROUP BY ALL
        HAVING ? IS NULL OR max(a.attempted_at) >= ?
        ORDER BY last_failed_at DESC
        """,
        [username, username, username, username, username, username, any_client, client, last_since, last_since],
    )


def client_failures_since(cur: "duckdb.DuckDBPyConnection", client: str | None, since: datetime) -> int:
    """Failed attempts from one client address (any user name) after `since` and after the last unlock of
    any account; NULL counts as one client (the unknown one), so an unresolved address falls under a
    global limit instead of none."""
    return int(one(cur.execute(
        """
        SELECT count(*) FROM login_attempts
        WHERE client IS NOT DISTINCT FROM ? AND NOT ok AND attempted_at >= ?
          AND attempted_at > coalesce((SELECT max(logged_at) FROM dashboard_audit WHERE action = 'user.unlock'),
                                      TIMESTAMP '1970-01-01')
        """, [client, since]))[0])


def recent_logins(cur: "duckdb.DuckDBPyConnection", limit: int = 200) -> list[dict[str, Any]]:
    return _dicts(cur, "SELECT attempted_at AS at_time, username, client, ok FROM login_attempts ORDER BY attempted_at DESC, id DESC LIMIT ?",
                  [limit])


def create_session(cur: "duckdb.DuckDBPyConnection", token_hash: str, username: str, now: datetime,
                   expires_at: datetime) -> None:
    cur.execute("INSERT INTO user_sessions VALUES (?, ?, ?, ?, ?, NULL)", [token_hash, username, now, now, expires_at])


def get_session(cur: "duckdb.DuckDBPyConnection", token_hash: str) -> dict[str, Any] | None:
    rows = _dicts(
        cur,
        """
        SELECT s.token_hash, s.username, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
               u.role, u.display_name, u.active
        FROM user_sessions s JOIN users u USING (username)
        WHERE s.token_hash = ?
        """,
        [token_hash],
    )
    return rows[0] if rows else None


def touch_session(cur: "duckdb.DuckDBPyConnection", token_hash: str, now: datetime) -> None:
    cur.execute("UPDATE user_sessions SET last_seen_at = ? WHERE token_hash = ?", [now, token_hash])


def revoke_session(cur: "duckdb.DuckDBPyConnection", token_hash: str, now: datetime) -> None:
    cur.execute("UPDATE user_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                [now, token_hash])


def revoke_user_sessions(cur: "duckdb.DuckDBPyConnection", username: str, now: datetime) -> None:
    """Every open session of `username` ends (a password change opens a new one for the page it was made on:
    `AuthService.change_own_password`; fix38 took out ux42's `keep=`, which kept the old one)."""
    cur.execute("UPDATE user_sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", [now, username])


# --- briefings ---------------------------------------------------------------------------------

def add_briefing(cur: "duckdb.DuckDBPyConnection", held_at: datetime, since: datetime | None, username: str,
                 note: str | None = None) -> int:
    sql = "INSERT INTO briefings (held_at, since, username, note) VALUES (?, ?, ?, ?) RETURNING id"
    return int(one(cur.execute(sql, [held_at, since, username, note]))[0])


def last_briefing(cur: "duckdb.DuckDBPyConnection") -> dict[str, Any] | None:
    rows = _dicts(cur, "SELECT id, held_at, since, username, note FROM briefings ORDER BY held_at DESC, id DESC LIMIT 1")
    return rows[0] if rows else None


def list_briefings(cur: "duckdb.DuckDBPyConnection", limit: int = 20) -> list[dict[str, Any]]:
    return _dicts(cur, "SELECT id, held_at, since, username, note FROM briefings ORDER BY held_at DESC, id DESC LIMIT ?",
                  [limit])


# --- dashboard audit trail ---------------------------------------------------------------------

def audit(cur: "duckdb.DuckDBPyConnection", username: str, action: str, target: str | None,
          detail: dict[str, Any] | None, at: datetime) -> None:
    cur.execute(
        "INSERT INTO dashboard_audit (logged_at, username, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        [at, username, action, target, json.dumps(detail or {}, ensure_ascii=False, default=str)],
    )


def count_audit(cur: "duckdb.DuckDBPyConnection", since: datetime | None = None) -> int:
    """How many dashboard audit rows `list_audit` would list without its limit."""
    return int(one(cur.execute("SELECT count(*) FROM dashboard_audit WHERE (? IS NULL OR logged_at >= ?)",
                               [since, since]))[0])


def list_audit(cur: "duckdb.DuckDBPyConnection", since: datetime | None = None, limit: int = 500) -> list[dict[str, Any]]:
    return _dicts(
        cur,
        "SELECT id, logged_at AS at_time, username, action, target, detail FROM dashboard_audit"
        " WHERE (? IS NULL OR logged_at >= ?) ORDER BY logged_at DESC, id DESC LIMIT ?",
        [since, since, limit],
    )


# --- admin-managed sources (config store) ------------------------------------------------------

_SOURCE_COLS = ("name", "kind", "url", "outlet", "source_type", "interval_minutes", "enabled", "options", "removed",
                "username", "password_env", "updated_by", "updated_at")


def list_managed_sources(cur: "duckdb.DuckDBPyConnection") -> list[dict[str, Any]]:
    rows = _dicts(cur, f"SELECT {', '.join(_SOURCE_COLS)} FROM managed_sources ORDER BY name")
    for r in rows:
        r["options"] = json.loads(r["options"] or "{}")
    return rows


def upsert_managed_source(cur: "duckdb.DuckDBPyConnection", src: dict[str, Any], username: str, now: datetime) -> None:
    cur.execute(
        """
        INSERT INTO managed_sources (name, kind, url, outlet, source_type, interval_minutes, enabled, options,
                                     removed, username, password_env, updated_by, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET
            kind = excluded.kind, url = excluded.url, outlet = excluded.outlet, source_type = excluded.source_type,
            interval_minutes = excluded.interval_minutes, enabled = excluded.enabled, options = excluded.options,
            removed = excluded.removed, username = excluded.username, password_env = excluded.password_env,
            updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """,
        [src["name"], src["kind"], src["url"], src["outlet"], src.get("source_type", "press"),
         float(src.get("interval_minutes", 0) or 0), bool(src.get("enabled", True)),
         json.dumps(src.get("options") or {}, ensure_ascii=False), bool(src.get("removed", False)),
         src.get("username") or "", src.get("password_env") or "", username, now],
    )


# --- settings changed in the UI ----------------------------------------------------------------

def get_settings(cur: "duckdb.DuckDBPyConnection") -> dict[str, Any]:
    return {k: json.loads(v) for k, v in cur.execute("SELECT key, value FROM ui_settings").fetchall()}


def set_setting(cur: "duckdb.DuckDBPyConnection", key: str, value: Any, username: str, now: datetime) -> None:
    cur.execute(
        "INSERT INTO ui_settings VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
        " value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [key, json.dumps(value, ensure_ascii=False), username, now],
    )

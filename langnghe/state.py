"""Which database a running `serve` / `demo` holds, so that the other commands find it.

    langnghe serve | demo ──write──▶ var/langnghe-serve.json  (beside the default database:
        │                              pid, config file, db_path, snapshot_path, address, started)
        ▼ marked stopped (pid null) when it stops
    langnghe status | sources | report | search | … (no --config, no $LANGNGHE_CONFIG/$LANGNGHE_DB)
        ├─ a live pid in that file → the same config and database, with a note on stderr naming them
        └─ stopped, and the default database does not exist → says which --config to pass

Without this, `status` during `make demo` said "chưa có cơ sở dữ liệu" and `report weekly` found no
database: the demo's database is var/demo.duckdb from langnghe/demo config, not the default one.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vocab.config import DEFAULTS_PATH, Config, load, read_toml

STATE_NAME = "langnghe-serve.json"


def state_path() -> Path:
    """Beside the default database (storage.db_path of the shipped langnghe.toml, relative to the cwd)."""
    return Path(read_toml(DEFAULTS_PATH)["storage"]["db_path"]).resolve().parent / STATE_NAME


def record(cfg: Config, config_path: str | os.PathLike[str] | None) -> Path:
    """Write the state file for this process (serve/demo call it once the database is open)."""
    p = state_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "pid": os.getpid(),
        "config": str(Path(config_path).resolve()) if config_path else None,
        "db_path": str(Path(cfg.storage.db_path).resolve()),
        "snapshot_path": str(Path(cfg.storage.snapshot_path).resolve()),
        "url": f"http://{cfg.dashboard.host}:{cfg.dashboard.port}",
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(p)
    return p


def clear() -> None:
    """Mark the state file stopped if it is ours (a second serve that failed to start must not touch the
    first's). It stays, without a pid, so that a later command can say which --config the last run used."""
    st = _read()
    if st is not None and st.get("pid") == os.getpid():
        st["pid"] = None
        st["stopped_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        state_path().write_text(json.dumps(st, ensure_ascii=False, indent=1), encoding="utf-8")


def last() -> dict[str, Any] | None:
    """The state of the last serve/demo, running or not."""
    return _read()


def hint(cfg: Config) -> str | None:
    """When the default database does not exist but the last serve/demo used another one: which --config
    to pass (the server is not running, so nothing is chosen for the user)."""
    st = _read()
    if st is None or Path(cfg.storage.db_path).exists() or not Path(st["db_path"]).exists():
        return None
    if Path(st["db_path"]) == Path(cfg.storage.db_path).resolve():
        return None
    how = f"--config {st['config']}" if st.get("config") else f"LANGNGHE_DB={st['db_path']}"
    return (f"langnghe: chưa có cơ sở dữ liệu {cfg.storage.db_path}; lần chạy serve/demo gần nhất dùng "
            f"{st['db_path']}: thêm {how} để dùng cơ sở dữ liệu đó.")


def running() -> dict[str, Any] | None:
    """The state of a live serve/demo, or None (no file, unreadable, or its process has ended)."""
    st = _read()
    if not st or not isinstance(st.get("pid"), int) or not _alive(st["pid"]):
        return None
    if _started_after(st["pid"], st.get("started_at")):  # the pid was reused: that serve died unrecorded
        return None
    return st


def holder(pid: int) -> tuple[str, bool | None]:
    """Who process `pid` is, in words, and whether it is the running serve/demo: («`langnghe serve` (pid 12)», True),
    («`langnghe collect` (pid 34)», False) from its command line, else («tiến trình 56 (python3.11)», False). The
    holder of a database DuckDB names (store.errors.DatabaseLocked.pid; fix34). None for the second when its command
    line cannot be read (review33: it was said not to be serve)."""
    st = running()
    if st is not None and st.get("pid") == pid:
        return f"`langnghe serve` (pid {pid})", True
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:  # it has just ended, or /proc hides it (hidepid): who it is is not known
        return f"tiến trình {pid}", None
    command = _langnghe_command(argv)
    if command is not None:
        return f"`langnghe {command}` (pid {pid})", command in ("serve", "demo")
    exe = Path(argv[0]).name if argv and argv[0] else ""
    return (f"tiến trình {pid} ({exe})" if exe else f"tiến trình {pid}"), False


def _langnghe_command(argv: list[str]) -> str | None:
    """`collect` for «python -m langnghe collect --once» or «…/bin/langnghe --config x.toml collect»; None when
    `argv` is not the langnghe CLI."""
    for i, arg in enumerate(argv):
        by_name = Path(arg).name == "langnghe" and (i == 0 or Path(argv[0]).name.startswith("python"))
        if by_name or (i > 0 and argv[i - 1] == "-m" and arg in ("langnghe", "langnghe.cli")):  # `-m langnghe.cli` too
            rest = argv[i + 1:]
            j = 0
            while j < len(rest) and rest[j].startswith("-"):
                j += 2 if rest[j] == "--config" else 1
            return rest[j] if j < len(rest) and rest[j] else "…"
    return None


def config_of(st: dict[str, Any]) -> Config:
    """The configuration the running server uses, with its database and snapshot paths."""
    cfg = load(st["config"]) if st.get("config") else load()
    return replace(cfg, storage=replace(cfg.storage, db_path=st["db_path"],
                                        snapshot_path=st.get("snapshot_path") or cfg.storage.snapshot_path))


def note(st: dict[str, Any]) -> str:
    cfg_part = f"--config {st['config']}" if st.get("config") else "cấu hình mặc định"
    return (f"langnghe: dùng cơ sở dữ liệu của máy chủ đang chạy ({st.get('url', '')}): {st['db_path']} "
            f"({cfg_part}; theo {state_path()}).")


def _read() -> dict[str, Any] | None:
    try:
        st = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return st if isinstance(st, dict) and st.get("db_path") else None


def _started_after(pid: int, recorded: str | None) -> bool:
    """True when process `pid` started after the state file was written, so it is not the serve that wrote it:
    after a power cut or a SIGKILL the file keeps its pid, and after a reboot (or on the machine a backup of
    `var/` was restored to) another process may hold that number. Linux /proc only; elsewhere False."""
    try:
        when = datetime.fromisoformat(recorded).timestamp() if recorded else None
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text(encoding="ascii").splitlines()
                    if line.startswith("btime "))
    except (OSError, ValueError, StopIteration, TypeError):
        return False
    if when is None:
        return False
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime, in clock ticks after boot
    # 2 minutes of slack: a clock stepped after boot (NTP) moves btime, never by this much in practice, and a
    # reused pid belongs to a process started after a reboot, well after the dead serve wrote the file
    return boot + ticks / os.sysconf("SC_CLK_TCK") > when + 120


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

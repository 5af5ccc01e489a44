"""Secrets (tokens, passwords): from an environment variable, or a file only the service can read.

    secret("LANGNGHE_FB_TOKEN_UBND")  ──▶ $LANGNGHE_FB_TOKEN_UBND
                                      └─▶ <[secrets] dir>/LANGNGHE_FB_TOKEN_UBND  (mode 600/400, owned by us)

Never from the TOML in the repository: settings name the variable (`token_env = "…"`), not the value.
A secrets file readable by group or others is refused (SecretError), so a token copied carelessly does
not silently work. `store_secret` writes a rotated token (Zalo's refresh token changes on every use)
atomically with mode 600. `redact(text, values)` replaces known secret values before text is logged;
`RedactSecrets`, a filter on the log handlers (CLI and serve), does it for every value `secret()` returned, in any
library's log line and the traceback logged with it (httpx logs each request's URL, and the Telegram bot token is part of that URL).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Iterable, Mapping

DEFAULT_DIR = "var/secrets"
_dir = DEFAULT_DIR
_read: set[str] = set()  # every value secret() returned in this process: what RedactSecrets hides


class SecretError(RuntimeError):
    pass


def configure(directory: str) -> None:
    """Set the secrets directory ([secrets] dir); called once by the CLI/serve with the loaded config."""
    global _dir
    _dir = directory or DEFAULT_DIR


def _path(name: str, directory: str | None) -> Path:
    if not name or "/" in name or name.startswith("."):
        raise SecretError(f"tên bí mật không hợp lệ: {name!r}")
    return Path(directory or _dir) / name


def secret(name: str, *, env: Mapping[str, str] | None = None, directory: str | None = None) -> str | None:
    """The secret's value, or None when neither the variable nor the file exists."""
    env = os.environ if env is None else env
    if env.get(name):
        return _remember(env[name].strip())
    p = _path(name, directory)
    try:
        st = p.stat()
    except FileNotFoundError:
        return None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise SecretError(f"tệp bí mật {p} phải thuộc tài khoản chạy dịch vụ và chỉ tài khoản đó đọc được "
                          f"(chmod 600 {p}).")
    return _remember(p.read_text(encoding="utf-8").strip()) or None


def hide(value: str) -> None:
    """Have RedactSecrets hide `value` too: a form of a secret that is as good as it (a source's HTTP Basic
    credentials, base64 of «user:password», collectors/http.py)."""
    _remember(value)


def _remember(value: str) -> str:
    if value:
        _read.add(value)
    return value


def store_secret(name: str, value: str, *, directory: str | None = None) -> Path:
    """Write (rotate) a secret file atomically, mode 600."""
    p = _path(name, directory)
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = p.with_name(f".{p.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value)
    os.replace(tmp, p)
    _remember(value)
    return p


def redact(text: str, values: Iterable[str | None]) -> str:
    for v in values:
        if v and len(v) >= 6:
            text = text.replace(v, "***")
    return text


class RedactSecrets(logging.Filter):
    """A handler filter: every secret value read in this process becomes *** in the record's message, whoever
    logged it (`langnghe -v` lets httpx log request URLs, and a Telegram bot's URL holds its token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _read:
            message = record.getMessage()
            hidden = redact(message, _read)
            if hidden != message:
                record.msg, record.args = hidden, None
            if record.exc_info and not record.exc_text:  # log.exception: the error's text may name the URL
                record.exc_text = _FORMAT.formatException(record.exc_info)
            if record.exc_text:  # the formatters print this cached text instead of formatting exc_info again
                record.exc_text = redact(record.exc_text, _read)
            if record.stack_info:
                record.stack_info = redact(record.stack_info, _read)
        return True


_FORMAT = logging.Formatter()


def redact_logs(handler: logging.Handler) -> None:
    """Add RedactSecrets to `handler` once."""
    if not any(isinstance(f, RedactSecrets) for f in handler.filters):
        handler.addFilter(RedactSecrets())

"""Access control without Streamlit: bcrypt passwords, rate-limited logins, expiring sessions, roles.

    login(name, password, client) ──▶ locked? (too many failures for the name or the client address)
                                  ──▶ bcrypt check (a dummy check for unknown names: same timing)
                                  ──▶ record the attempt; on success a random token, stored as SHA-256
    check(token)                  ──▶ the user, unless the session expired (absolute or idle), was revoked,
                                      or the user was deactivated

Passwords are NFC-normalised, SHA-256 pre-hashed (so long Vietnamese pass-phrases are not cut at bcrypt's
72 bytes) and bcrypt-hashed. Neither the password nor the token is stored or logged in clear text.
The Streamlit login form lives in dashboard/gate.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

import bcrypt

from vocab.config import Config, section
from store import users as store_users
from store.db import Database, utcnow

ROLES = ("viewer", "analyst", "admin")
ROLE_LABELS = {"viewer": "Xem", "analyst": "Chuyên viên", "admin": "Quản trị"}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# Defaults of the [auth] table in vocab/langnghe.toml (documented there).
AUTH_DEFAULTS: dict[str, Any] = {
    "session_hours": 12.0,
    "idle_minutes": 60.0,
    "max_failed_logins": 5,
    "max_failed_per_client": 20,
    "lockout_minutes": 15.0,
    "bcrypt_rounds": 12,
    "min_password_length": 10,
    "remember_in_browser": True,
}


class AuthError(ValueError):
    """A user-management request was refused; the message is Vietnamese, for staff."""


@dataclass(frozen=True)
class AuthSettings:
    session_hours: float = 12.0
    idle_minutes: float = 60.0
    max_failed_logins: int = 5
    max_failed_per_client: int = 20
    lockout_minutes: float = 15.0
    bcrypt_rounds: int = 12
    min_password_length: int = 10
    remember_in_browser: bool = True

    @classmethod
    def from_config(cls, cfg: Config) -> "AuthSettings":
        raw = {**AUTH_DEFAULTS, **section(cfg, "auth")}
        unknown = set(raw) - set(AUTH_DEFAULTS)
        if unknown:
            raise ValueError(f"[auth] unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**{k: type(AUTH_DEFAULTS[k])(v) for k, v in raw.items()})


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str

    def can(self, min_role: str) -> bool:
        return role_allows(self.role, min_role)


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # 'ok' | 'bad_credentials' | 'locked' | 'inactive'
    token: str | None = None
    user: User | None = None
    message: str = ""


def role_allows(role: str, min_role: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(min_role)


# --- passwords ---------------------------------------------------------------------------------

def _prehash(password: str) -> bytes:
    nfc = unicodedata.normalize("NFC", password)
    return base64.b64encode(hashlib.sha256(nfc.encode("utf-8")).digest())


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(_prehash(password), hashed.encode("ascii"))
    except ValueError:
        return False


_DUMMY_HASH = bcrypt.hashpw(b"langnghe-dummy", bcrypt.gensalt(rounds=4)).decode("ascii")

# No look-alike characters (0/O, 1/l/I), so a password read off a console is typed right.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def normalise_username(name: str) -> str:
    return unicodedata.normalize("NFC", (name or "").strip()).lower()


def check_new_user(username: str, role: str) -> None:
    if not USERNAME_RE.match(username):
        raise AuthError("Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch; 2–40 ký tự.")
    if role not in ROLES:
        raise AuthError(f"Vai trò không hợp lệ: {role!r} (chọn viewer, analyst hoặc admin).")


def check_password_strength(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise AuthError(f"Mật khẩu phải dài ít nhất {min_length} ký tự.")
    if password.strip() != password or not password.strip():
        raise AuthError("Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


# --- the service -------------------------------------------------------------------------------

class AuthService:
    def __init__(self, db: Database, settings: AuthSettings, clock: Callable[[], datetime] = utcnow):
        self.db = db
        self.s = settings
        self.clock = clock

    # users
    def create_user(self, username: str, password: str, role: str, *, display_name: str | None = None,
                    by: str | None = None) -> User:
        username = normalise_username(username)
        check_new_user(username, role)
        check_password_strength(password, self.s.min_password_length)
        hashed = hash_password(password, self.s.bcrypt_rounds)
        now = self.clock()
        with self.db.write() as cur:
            if store_users.get_user(cur, username):
                raise AuthError(f"Tài khoản {username!r} đã có.")
            store_users.add_user(cur, username, display_name or username, role, hashed, by, now)
            store_users.audit(cur, by or "(cli)", "user.create", username,
                              {"role": role, "display_name": display_name or username}, now)
        return User(username, display_name or username, role)

    def users(self) -> list[dict[str, Any]]:
        with self.db.read() as cur:
            return store_users.list_users(cur)

    def set_password(self, username: str, password: str, *, by: str) -> None:
        check_password_strength(password, self.s.min_password_length)
        hashed = hash_password(password, self.s.bcrypt_rounds)
        now = self.clock()
        with self.db.write() as cur:
            self._require(cur, username)
            store_users.update_user(cur, username, now, password_hash=hashed)
            store_users.revoke_user_sessions(cur, username, now)
            store_users.audit(cur, by, "user.password", username, {"password": "đã đổi"}, now)

    def update(self, username: str, *, by: str, role: str | None = None, active: bool | None = None,
               display_name: str | None = None) -> dict[str, Any]:
        now = self.clock()
        with self.db.write() as cur:
            u = self._require(cur, username)
            changes: dict[str, Any] = {}
            if role is not None and role != u["role"]:
                check_new_user(username, role)
                changes["role"] = role
            if active is not None and active != u["active"]:
                changes["active"] = active
            if display_name is not None and display_name.strip() and display_name != u["display_name"]:
                changes["display_name"] = display_name.strip()
            if not changes:
                return {}
            demoting = changes.get("role", "admin") != "admin" or changes.get("active") is False
            if u["role"] == "admin" and u["active"] and demoting and store_users.count_users(cur, "admin") <= 1:
                raise AuthError("Không thể bỏ quyền của quản trị viên cuối cùng.")
            store_users.update_user(cur, username, now, **changes)
            if "role" in changes or changes.get("active") is False:
                store_users.revoke_user_sessions(cur, username, now)
            diff = {k: {"trước": u[k], "sau": v} for k, v in changes.items()}
            store_users.audit(cur, by, "user.update", username, diff, now)
        return diff

    @staticmethod
    def _require(cur: Any, username: str) -> dict[str, Any]:
        u = store_users.get_user(cur, username)
        if not u:
            raise AuthError(f"Không có tài khoản {username!r}.")
        return u

    # login
    def login(self, username: str, password: str, client: str | None = None) -> LoginResult:
        username = normalise_username(username)[:64]
        now = self.clock()
        window = now - timedelta(minutes=self.s.lockout_minutes)
        with self.db.read() as cur:
            fails, _ = store_users.failures_since(cur, username, window)
            client_fails = store_users.client_failures_since(cur, client, window) if client else 0
            u = store_users.get_user(cur, username)
        if fails >= self.s.max_failed_logins or client_fails >= self.s.max_failed_per_client:
            with self.db.write() as cur:
                store_users.record_login_attempt(cur, username, False, client, now)
            return LoginResult(False, "locked", message=(
                f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {self.s.lockout_minutes:g} phút."))
        ok = verify_password(password, u["password_hash"] if u else _DUMMY_HASH) and u is not None
        if ok and not u["active"]:
            with self.db.write() as cur:
                store_users.record_login_attempt(cur, username, False, client, now)
            return LoginResult(False, "inactive", message="Tài khoản đã bị khóa. Liên hệ quản trị viên.")
        if not ok:
            with self.db.write() as cur:
                store_users.record_login_attempt(cur, username, False, client, now)
            left = self.s.max_failed_logins - fails - 1
            msg = "Sai tên đăng nhập hoặc mật khẩu."
            if 0 < left <= 2:
                msg += f" Còn {left} lần thử trước khi bị tạm khóa."
            return LoginResult(False, "bad_credentials", message=msg)
        token = secrets.token_urlsafe(32)
        with self.db.write() as cur:
            store_users.record_login_attempt(cur, username, True, client, now)
            store_users.create_session(cur, _token_hash(token), username, now,
                                       now + timedelta(hours=self.s.session_hours))
            store_users.update_user(cur, username, now, last_login_at=now)
        return LoginResult(True, "ok", token=token, user=User(username, u["display_name"], u["role"]))

    def check(self, token: str | None) -> tuple[User | None, str]:
        """The signed-in user for a session token, or (None, why): 'none' | 'expired' | 'idle' | 'revoked'."""
        if not token:
            return None, "none"
        now = self.clock()
        th = _token_hash(token)
        with self.db.read() as cur:
            s = store_users.get_session(cur, th)
        if s is None:
            return None, "none"
        if s["revoked_at"] is not None or not s["active"]:
            return None, "revoked"
        if now >= s["expires_at"]:
            return None, "expired"
        if now - s["last_seen_at"] > timedelta(minutes=self.s.idle_minutes):
            return None, "idle"
        if now - s["last_seen_at"] > timedelta(seconds=60):  # one write a minute at most
            with self.db.write() as cur:
                store_users.touch_session(cur, th, now)
        return User(s["username"], s["display_name"], s["role"]), "ok"

    def logout(self, token: str | None) -> None:
        if token:
            with self.db.write() as cur:
                store_users.revoke_session(cur, _token_hash(token), self.clock())


def service(cfg: Config, db: Database) -> AuthService:
    return AuthService(db, AuthSettings.from_config(cfg))

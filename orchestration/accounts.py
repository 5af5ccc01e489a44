"""Access control without Streamlit: bcrypt passwords, rate-limited logins, expiring sessions, roles.

    login(name, password, client) ──▶ locked? (too many failures for this name from this client address,
                                      growing per client; or too many from the address for any name)
                                  ──▶ bcrypt check (a dummy hash of the configured cost for unknown names:
                                      the same work either way, so timing does not reveal user names)
                                  ──▶ record the attempt; on success a random token, stored as SHA-256
    unlock(name)                  ──▶ an admin clears the name's lockouts (CLI or Quản trị page), audited
    check(token)                  ──▶ the user, unless the session expired (absolute or idle), was revoked,
                                      or the user was deactivated

Passwords are NFC-normalised, SHA-256 pre-hashed (so long Vietnamese pass-phrases are not cut at bcrypt's
72 bytes) and bcrypt-hashed. Neither the password nor the token is stored or logged in clear text.
The Streamlit login form lives in dashboard/gate.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

import bcrypt

from vocab.config import Config, section
# the roles live in vocab/labels.py (`langnghe users --help` lists them without loading DuckDB); named here too
from vocab.labels import COLLABORATOR, ROLES, STAFF_ROLES  # noqa: F401
from store import users as store_users
from store.db import Database, utcnow

ROLE_LABELS = {"ctv": "Cộng tác viên", "viewer": "Xem", "analyst": "Chuyên viên", "admin": "Quản trị"}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# Defaults of the [auth] table in vocab/langnghe.toml (documented there).
AUTH_DEFAULTS: dict[str, Any] = {
    "session_hours": 12.0,
    "idle_minutes": 60.0,
    "max_failed_logins": 5,
    "max_failed_per_client": 20,
    "lockout_minutes": 15.0,
    "lockout_max_minutes": 1440.0,
    "bcrypt_rounds": 12,
    "min_password_length": 10,
    "remember_in_browser": True,
    "trusted_proxies": (),
    "download_link_minutes": 30.0,
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
    lockout_max_minutes: float = 1440.0
    bcrypt_rounds: int = 12
    min_password_length: int = 10
    remember_in_browser: bool = True
    trusted_proxies: tuple[str, ...] = ()
    download_link_minutes: float = 30.0

    def __post_init__(self) -> None:
        _networks(tuple(self.trusted_proxies))  # a typo in an address fails at start, not at the first login

    @classmethod
    def from_config(cls, cfg: Config) -> "AuthSettings":
        raw = {**AUTH_DEFAULTS, **section(cfg, "auth")}
        unknown = set(raw) - set(AUTH_DEFAULTS)
        if unknown:
            raise ValueError(f"[auth] không có thiết lập: {', '.join(sorted(unknown))} (các thiết lập có ghi trong "
                             "vocab/langnghe.toml)")
        if isinstance(raw["trusted_proxies"], str):
            raise ValueError("[auth] trusted_proxies phải là danh sách địa chỉ, ví dụ [\"127.0.0.1\"]")
        return cls(**{k: type(AUTH_DEFAULTS[k])(v) for k, v in raw.items()})

    def lock_until(self, failures: int, last_failed_at: datetime | None) -> datetime | None:
        """When the lockout of one (name, client) pair ends, or None if it is not locked out.

        Every max_failed_logins consecutive failures start a lockout; each one lasts twice the previous
        (lockout_minutes, ×2, ×4… up to lockout_max_minutes), so a guesser slows down geometrically
        while the real user, on another client, is not affected."""
        m = max(1, self.max_failed_logins)
        if last_failed_at is None or failures < m or failures % m:
            return None
        minutes = min(self.lockout_minutes * 2 ** min(failures // m - 1, 30), self.lockout_max_minutes)
        return last_failed_at + timedelta(minutes=minutes)


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
    """Whether `role` may open what asks for `min_role` (see STAFF_ROLES and COLLABORATOR)."""
    if min_role == COLLABORATOR:
        return role == COLLABORATOR or role_allows(role, "analyst")
    return role in STAFF_ROLES and STAFF_ROLES.index(role) >= STAFF_ROLES.index(min_role)


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


@functools.lru_cache(maxsize=4)
def dummy_hash(rounds: int) -> str:
    """A hash to check unknown names against, of the same cost as real hashes: the same work either way."""
    return bcrypt.hashpw(b"langnghe-dummy", bcrypt.gensalt(rounds=rounds)).decode("ascii")


# --- client address ----------------------------------------------------------------------------

_LOOPBACK = ("127.0.0.1", "::1")


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(t.strip(), strict=False) for t in trusted)
    except ValueError as exc:
        raise ValueError(f"[auth] trusted_proxies: địa chỉ hoặc dải mạng không hợp lệ ({exc})") from None


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[str]) -> str:
    """The address to rate-limit a login by. Never None: an unknown address is a client too, so the limit
    falls back to one shared (global) bucket instead of no limit at all.

    `peer` is the connection's address; Streamlit reports loopback as None, so None means loopback.
    X-Forwarded-For is believed only hop by hop from the right while the hop it came from is a trusted
    proxy ([auth] trusted_proxies); the first untrusted address is the client. A client can put anything
    at the left of the header, so nothing left of that is read."""
    nets = _networks(tuple(trusted))
    hop = _ip(peer) or ipaddress.ip_address(_LOOPBACK[0])
    is_trusted = lambda a: any(a.version == n.version and a in n for n in nets)  # noqa: E731
    if peer is None and any(is_trusted(ipaddress.ip_address(x)) for x in _LOOPBACK):
        hop = ipaddress.ip_address(_LOOPBACK[0])  # a same-host proxy: trusted whichever loopback it used
        trusted_hop = True
    else:
        trusted_hop = is_trusted(hop)
    chain = [x for line in forwarded_for for x in str(line).split(",") if x.strip()]
    for text in reversed(chain):
        if not trusted_hop:
            break
        addr = _ip(text)
        if addr is None:  # garbage from a client: stop at the last address we could trust
            break
        hop, trusted_hop = addr, is_trusted(addr)
    return str(hop)


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
        raise AuthError(f"Vai trò không hợp lệ: {role!r} (chọn ctv, viewer, analyst hoặc admin).")


DISPLAY_NAME_MAX = 80  # characters: the sidebar, history rows and reports show it on one line


def clean_display_name(name: str | None) -> str | None:
    """A display name as stored: NFC, spaces trimmed; refused over DISPLAY_NAME_MAX characters."""
    if name is None:
        return None
    name = unicodedata.normalize("NFC", name).strip()
    if len(name) > DISPLAY_NAME_MAX:
        raise AuthError(f"Họ tên dài quá {DISPLAY_NAME_MAX} ký tự (đang có {len(name)}): hãy rút gọn.")
    return name


def check_password_strength(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise AuthError(f"Mật khẩu phải dài ít nhất {min_length} ký tự.")
    if password.strip() != password or not password.strip():
        raise AuthError("Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng.")


# The browser cookie that keeps a session across reloads (auth.remember_in_browser); dashboard/gate.py
# writes it, the report download route (dashboard/downloads.py) reads it.
SESSION_COOKIE = "langnghe_session"


def token_hash(token: str) -> str:
    """What the database keeps of a session token (and what download links are bound to)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


_token_hash = token_hash


# --- the service -------------------------------------------------------------------------------

class AuthService:
    def __init__(self, db: Database, settings: AuthSettings, clock: Callable[[], datetime] = utcnow):
        self.db = db
        self.s = settings
        self.clock = clock
        dummy_hash(settings.bcrypt_rounds)  # made now (once per process), not during the first unknown login

    # users
    def create_user(self, username: str, password: str, role: str, *, display_name: str | None = None,
                    by: str | None = None) -> User:
        username = normalise_username(username)
        check_new_user(username, role)
        display_name = clean_display_name(display_name)
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

    def change_own_password(self, username: str, current: str, new: str, again: str, *,
                            client: str | None = None) -> str:
        """A signed-in user's «Đổi mật khẩu» (ux42, round 32: only an admin's reset or `langnghe users passwd` could
        change it). The new password twice, by the sign-in's rules (`check_password_strength`), other than the
        current one; then the current one, under the sign-in's lockout: a wrong one is a failed sign-in of the
        (name, client) pair, and while the pair is locked out nothing is checked. Done: the hash replaced, audited
        «user.password» by the user herself, every session of hers ended, the one she changed it in too, and a new
        one opened, whose token is returned for the page to keep (fix38: until then the session it was made in was
        kept, so a thief of that cookie, the reason to change a password, stayed signed in). AuthError in Vietnamese
        otherwise."""
        if not current:
            raise AuthError("Nhập mật khẩu hiện tại.")
        if not new:
            raise AuthError("Nhập mật khẩu mới.")
        if new != again:
            raise AuthError("Hai lần nhập mật khẩu mới không khớp nhau.")
        check_password_strength(new, self.s.min_password_length)
        if new == current:
            raise AuthError("Mật khẩu mới phải khác mật khẩu hiện tại.")
        now = self.clock()
        with self.db.read() as cur:
            pair = store_users.pair_failures(cur, username, client)
            client_fails = store_users.client_failures_since(
                cur, client, now - timedelta(minutes=self.s.lockout_minutes))
            u = store_users.get_user(cur, username)
        fails = int(pair[0]["failures"]) if pair else 0
        until = self.s.lock_until(fails, pair[0]["last_failed_at"] if pair else None)
        if until is not None and now < until:
            raise AuthError(_locked_text(until - now, CHANGE_LOCKED))
        if client_fails >= self.s.max_failed_per_client:
            raise AuthError(_locked_text(timedelta(minutes=self.s.lockout_minutes), CHANGE_LOCKED))
        if u is None or not u["active"]:
            raise AuthError("Tài khoản không còn dùng được. Liên hệ quản trị viên.")
        if not verify_password(current, u["password_hash"]):
            until = self._record_failure(username, client, fails + 1, now)
            msg = "Mật khẩu hiện tại không đúng."
            left = self.s.max_failed_logins - (fails + 1) % max(1, self.s.max_failed_logins)
            if until is not None:
                msg += " " + _locked_text(until - now, CHANGE_LOCKED)
            elif 0 < left <= 2:
                msg += f" Còn {left} lần thử trước khi bị tạm khóa."
            raise AuthError(msg)
        hashed = hash_password(new, self.s.bcrypt_rounds)
        token = secrets.token_urlsafe(32)
        with self.db.write() as cur:
            store_users.record_login_attempt(cur, username, True, client, now)  # as a sign-in: the count starts over
            store_users.update_user(cur, username, now, password_hash=hashed)
            store_users.revoke_user_sessions(cur, username, now)
            store_users.create_session(cur, _token_hash(token), username, now,
                                       now + timedelta(hours=self.s.session_hours))
            store_users.audit(cur, username, "user.password", username, {"password": "tự đổi"}, now)
        return token

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
            display_name = clean_display_name(display_name)
            if display_name and display_name != u["display_name"]:
                changes["display_name"] = display_name
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
        """Check a password. Throttling is per (name, client): `client` is the address from
        `client_address()`; None is the unknown client, which all share (a global limit, never none).
        A refused-while-locked attempt checks no password and is not recorded, so it does not prolong
        the lockout of a user who retries too early."""
        username = normalise_username(username)[:64]
        now = self.clock()
        window = now - timedelta(minutes=self.s.lockout_minutes)
        with self.db.read() as cur:
            pair = store_users.pair_failures(cur, username, client)
            client_fails = store_users.client_failures_since(cur, client, window)
            u = store_users.get_user(cur, username)
        fails = int(pair[0]["failures"]) if pair else 0
        until = self.s.lock_until(fails, pair[0]["last_failed_at"] if pair else None)
        if until is not None and now < until:
            return LoginResult(False, "locked", message=_locked_text(until - now))
        if client_fails >= self.s.max_failed_per_client:
            return LoginResult(False, "locked", message=_locked_text(timedelta(minutes=self.s.lockout_minutes)))
        ok = verify_password(password, u["password_hash"] if u else dummy_hash(self.s.bcrypt_rounds)) and u is not None
        if ok and not u["active"]:
            self._record_failure(username, client, fails + 1, now)
            return LoginResult(False, "inactive", message="Tài khoản đã bị khóa. Liên hệ quản trị viên.")
        if not ok:
            until = self._record_failure(username, client, fails + 1, now)
            msg = "Sai tên đăng nhập hoặc mật khẩu."
            left = self.s.max_failed_logins - (fails + 1) % max(1, self.s.max_failed_logins)
            if until is not None:
                msg += " " + _locked_text(until - now)
            elif 0 < left <= 2:
                msg += f" Còn {left} lần thử trước khi bị tạm khóa."
            return LoginResult(False, "bad_credentials", message=msg)
        token = secrets.token_urlsafe(32)
        with self.db.write() as cur:
            store_users.record_login_attempt(cur, username, True, client, now)
            store_users.create_session(cur, _token_hash(token), username, now,
                                       now + timedelta(hours=self.s.session_hours))
            store_users.update_user(cur, username, now, last_login_at=now)
        return LoginResult(True, "ok", token=token, user=User(username, u["display_name"], u["role"]))

    def _record_failure(self, username: str, client: str | None, failures: int, now: datetime) -> datetime | None:
        """Record a failed attempt; if it starts a lockout, say so in the audit log and return its end."""
        until = self.s.lock_until(failures, now)
        with self.db.write() as cur:
            store_users.record_login_attempt(cur, username, False, client, now)
            if until is not None:
                store_users.audit(cur, client or "(không rõ địa chỉ)", "login.lockout", username,
                                  {"client": client or "không rõ", "failures": failures,
                                   "minutes": round((until - now).total_seconds() / 60, 1)}, now)
        return until

    def lockouts(self) -> list[dict[str, Any]]:
        """(name, client) pairs locked out now, with their number of failures and the end of the lockout."""
        now = self.clock()
        with self.db.read() as cur:
            pairs = store_users.pair_failures(cur, any_client=True,
                                              last_since=now - timedelta(minutes=self.s.lockout_max_minutes))
        out = []
        for p in pairs:
            until = self.s.lock_until(int(p["failures"]), p["last_failed_at"])
            if until is not None and until > now:
                out.append({**p, "until": until})
        return out

    def unlock(self, username: str, *, by: str) -> int:
        """Lift every lockout of `username` (from every client) and forget its failed attempts; also resets
        the per-address counters. Returns how many (name, client) lockouts were active."""
        username = normalise_username(username)
        now = self.clock()
        active = [p for p in self.lockouts() if p["username"] == username]
        with self.db.write() as cur:
            self._require(cur, username)
            store_users.audit(cur, by, "user.unlock", username,
                              {"client": [p["client"] or "không rõ" for p in active]}, now)
        return len(active)

    def check(self, token: str | None) -> tuple[User | None, str]:
        """The signed-in user for a session token, or (None, why): 'none' | 'expired' | 'idle' | 'revoked'."""
        if not token:
            return None, "none"
        return self.check_hash(_token_hash(token))

    def check_hash(self, th: str) -> tuple[User | None, str]:
        """check() for a session known by its token's SHA-256 (a download link carries only that)."""
        now = self.clock()
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


CHANGE_LOCKED = "Nhập sai mật khẩu quá nhiều lần"  # «Đổi mật khẩu»'s lockout: the sign-in's, in its own words


def _locked_text(wait: timedelta, what: str = "Đăng nhập sai quá nhiều lần") -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"{what}. Vui lòng thử lại sau {minutes} phút."


def service(cfg: Config, db: Database) -> AuthService:
    return AuthService(db, AuthSettings.from_config(cfg))

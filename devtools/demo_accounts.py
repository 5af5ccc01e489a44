"""The demo analyst account: created by `langnghe demo` only (through its `_demo_hooks`), never by
`serve` or any production config. Prints the name and a freshly generated password on the console.
"""

from __future__ import annotations

from vocab.config import Config
from store import users as store_users
from store.db import Database

DEMO_USER = "demo"
DEMO_ADMIN = "demo-admin"


def setup(cfg: Config, db: Database, *, out=print) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Create (or reset the password of) the demo analyst and a demo admin; return (name, password)."""
    from orchestration.accounts import AuthService, AuthSettings, generate_password  # noqa: PLC0415

    auth = AuthService(db, AuthSettings.from_config(cfg))
    creds = {}
    for name, role, shown in ((DEMO_USER, "analyst", "Chuyên viên (demo)"), (DEMO_ADMIN, "admin", "Quản trị (demo)")):
        password = generate_password(16)
        with db.read() as cur:
            exists = store_users.get_user(cur, name) is not None
        if exists:
            auth.set_password(name, password, by="(demo)")
        else:
            auth.create_user(name, password, role, display_name=shown, by="(demo)")
        creds[name] = password
    out("Tài khoản demo (chỉ tạo trong chế độ demo; mật khẩu tạo mới mỗi lần chạy):", flush=True)
    out(f"  Tài khoản chuyên viên: {DEMO_USER} / Mật khẩu: {creds[DEMO_USER]}", flush=True)
    out(f"  Tài khoản quản trị: {DEMO_ADMIN} / Mật khẩu: {creds[DEMO_ADMIN]}", flush=True)
    return DEMO_USER, creds[DEMO_USER]

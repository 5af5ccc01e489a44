"""Access control without Streamlit: bcrypt hashes, rate limits, session expiry, roles, the users
command and the demo account."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from dashboard import nav

from devtools import demo_accounts as auth_demo
from orchestration.accounts import AuthError, AuthService, AuthSettings, hash_password, role_allows, verify_password
from store import users as store_users
from store.db import utcnow
from tests.conftest import database, make_config

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.t = utcnow()

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.t


@pytest.fixture
def svc(tmp_path):
    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 4, "max_failed_logins": 3, "lockout_minutes": 10,
                                      "idle_minutes": 30, "session_hours": 8})
    db = database(cfg.storage.db_path)  # a copy of the worker's migrated file
    clock = Clock()
    s = AuthService(db, AuthSettings.from_config(cfg), clock=clock)
    s.clock_obj = clock  # type: ignore[attr-defined]
    yield s
    db.close()


def test_password_is_stored_only_as_bcrypt(svc):
    svc.create_user("Lan.NT", "Mật khẩu rất dài của cán bộ phường Vàng Danh 2025 – không ai đoán được", "analyst")
    with svc.db.read() as cur:
        u = store_users.get_user(cur, "lan.nt")
        dump = str(cur.execute("SELECT * FROM users").fetchall()) + str(cur.execute("SELECT * FROM dashboard_audit").fetchall())
    assert u["password_hash"].startswith("$2b$")
    assert "Mật khẩu" not in dump and "Vàng Danh" not in dump
    # long Vietnamese pass-phrases are not cut at bcrypt's 72 bytes
    assert not verify_password("Mật khẩu rất dài của cán bộ phường Vàng Danh 2025 – không ai đoán", u["password_hash"])
    # NFD input (some Vietnamese keyboards) matches the NFC password
    import unicodedata
    nfd = unicodedata.normalize("NFD", "Mật khẩu rất dài của cán bộ phường Vàng Danh 2025 – không ai đoán được")
    assert verify_password(nfd, u["password_hash"])


def test_hash_round_trip_and_wrong_password():
    h = hash_password("mot-hai-ba-bon", rounds=4)
    assert verify_password("mot-hai-ba-bon", h)
    assert not verify_password("mot-hai-ba-nam", h)
    assert not verify_password("x", "not-a-hash")


def test_new_user_rules(svc):
    with pytest.raises(AuthError):
        svc.create_user("Nguyễn Lan", "du-dai-roi-123", "analyst")  # diacritics/space in the login name
    with pytest.raises(AuthError):
        svc.create_user("lan", "ngan", "analyst")  # too short
    with pytest.raises(AuthError):
        svc.create_user("lan", "du-dai-roi-123", "superuser")
    svc.create_user("lan", "du-dai-roi-123", "analyst")
    with pytest.raises(AuthError):
        svc.create_user("LAN", "du-dai-roi-456", "viewer")  # same name, other case


def test_login_session_and_logout(svc):
    svc.create_user("lan", "du-dai-roi-123", "analyst", display_name="Nguyễn Thị Lan")
    res = svc.login("lan", "du-dai-roi-123", client="10.0.0.5")
    assert res.ok and res.token and res.user.role == "analyst"
    user, why = svc.check(res.token)
    assert why == "ok" and user.display_name == "Nguyễn Thị Lan"
    with svc.db.read() as cur:
        assert not cur.execute("SELECT count(*) FROM user_sessions WHERE token_hash = ?", [res.token]).fetchone()[0]
    svc.logout(res.token)
    assert svc.check(res.token) == (None, "revoked")
    assert svc.check("made-up-token") == (None, "none")


def test_sessions_expire_when_idle_and_absolutely(svc):
    svc.create_user("lan", "du-dai-roi-123", "analyst")
    clock = svc.clock_obj
    tok = svc.login("lan", "du-dai-roi-123").token
    clock.t += timedelta(minutes=29)
    assert svc.check(tok)[1] == "ok"  # activity refreshes the idle timer
    clock.t += timedelta(minutes=31)
    assert svc.check(tok) == (None, "idle")

    tok = svc.login("lan", "du-dai-roi-123").token
    for _ in range(20):  # active all day long: still ends after session_hours
        clock.t += timedelta(minutes=25)
        if svc.check(tok)[0] is None:
            break
    assert svc.check(tok) == (None, "expired")


def test_failed_logins_are_rate_limited(svc):
    svc.create_user("lan", "du-dai-roi-123", "analyst")
    clock = svc.clock_obj
    for _ in range(3):
        assert svc.login("lan", "sai-mat-khau").reason == "bad_credentials"
    locked = svc.login("lan", "du-dai-roi-123")
    assert not locked.ok and locked.reason == "locked" and "phút" in locked.message
    clock.t += timedelta(minutes=11)
    assert svc.login("lan", "du-dai-roi-123").ok
    # unknown names are refused the same way and also counted
    for _ in range(3):
        assert svc.login("khong-co", "x").reason == "bad_credentials"
    assert svc.login("khong-co", "x").reason == "locked"


def test_one_client_guessing_many_names_is_limited(tmp_path):
    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 4, "max_failed_per_client": 4})
    with database(cfg.storage.db_path) as db:
        s = AuthService(db, AuthSettings.from_config(cfg))
        s.create_user("lan", "du-dai-roi-123", "analyst")
        for i in range(4):
            assert s.login(f"ten{i}", "x", client="203.0.113.9").reason == "bad_credentials"
        assert s.login("lan", "du-dai-roi-123", client="203.0.113.9").reason == "locked"
        assert s.login("lan", "du-dai-roi-123", client="203.0.113.10").ok


def test_deactivation_and_role_change_end_sessions(svc):
    svc.create_user("boss", "du-dai-roi-123", "admin")
    svc.create_user("lan", "du-dai-roi-123", "analyst")
    tok = svc.login("lan", "du-dai-roi-123").token
    svc.update("lan", role="viewer", by="boss")
    assert svc.check(tok) == (None, "revoked")
    tok = svc.login("lan", "du-dai-roi-123").token
    svc.update("lan", active=False, by="boss")
    assert svc.check(tok)[0] is None
    assert svc.login("lan", "du-dai-roi-123").reason == "inactive"
    with pytest.raises(AuthError, match="cuối cùng"):
        svc.update("boss", role="analyst", by="boss")
    with svc.db.read() as cur:
        acts = [r["action"] for r in store_users.list_audit(cur)]
    assert acts.count("user.update") == 2


def test_roles_and_navigation():
    assert role_allows("admin", "analyst") and role_allows("analyst", "viewer")
    assert not role_allows("viewer", "analyst") and not role_allows("analyst", "admin")
    assert not role_allows("nobody", "viewer")
    viewer = {s.name for s in nav.pages_for("viewer")}
    admin = {s.name for s in nav.pages_for("admin")}
    assert {"overview", "alerts", "briefing", "explorer", "topics", "sources"} <= viewer
    assert "admin" not in viewer and "admin" in admin
    assert nav.pages_for("viewer")[0].name == "overview"  # the default page


def test_a_collaborator_account_opens_the_collaborators_form_only():
    """Collaborators (role ctv) are outside the staff ladder: their login opens «Báo cáo CTV» and nothing else,
    so an office need not make its collaborators analysts (who review alerts and correct tags) to let them
    report; analysts and admins still file reports, viewers stay read-only."""
    assert [s.name for s in nav.pages_for("ctv")] == ["collaborator"]
    assert "collaborator" not in {s.name for s in nav.pages_for("viewer")}
    assert "collaborator" in {s.name for s in nav.pages_for("analyst")} & {s.name for s in nav.pages_for("admin")}
    assert not any(role_allows("ctv", r) for r in ("viewer", "analyst", "admin"))
    assert role_allows("ctv", "ctv") and role_allows("admin", "ctv") and not role_allows("viewer", "ctv")


def users_cli(cfg: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """`langnghe --config CFG users ARGS` in this process (a new interpreter cost 1–3 s a call): the exit code, as
    the interpreter makes it of a SystemExit too, and what it printed. stdin is not a terminal, as under
    subprocess.run(input=…)."""
    from langnghe import cli

    out, err, real_stdin = io.StringIO(), io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(["--config", str(cfg), "users", *args])
            except SystemExit as exc:  # as the interpreter ends on it: a message goes to stderr with 1, None is 0
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
                code = 1 if isinstance(exc.code, str) else exc.code or 0
    finally:
        sys.stdin = real_stdin
    return code, out.getvalue(), err.getvalue()


def test_users_command_creates_first_admin_without_echoing_the_password(tmp_path):
    """The first `add` goes through the real entry point (`python -m langnghe`, the password on a real pipe); the
    other commands run in this process."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[storage]\ndb_path = "{tmp_path / "u.duckdb"}"\n[auth]\nbcrypt_rounds = 4\n', encoding="utf-8")
    secret = "Quản-trị-viên-đầu-tiên-2026"
    r = subprocess.run([sys.executable, "-m", "langnghe", "--config", str(cfg), "users", "add", "admin", "--role",
                        "admin", "--password-stdin"], input=secret + "\n", text=True, capture_output=True, cwd=ROOT,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Đã tạo tài khoản admin" in r.stdout and secret not in r.stdout + r.stderr
    code, out, err = users_cli(cfg, "list")
    assert code == 0 and "admin" in out and secret not in out + err
    code, out, err = users_cli(cfg, "add", "admin", "--role", "viewer", "--password-stdin", stdin="mot-mat-khau-khac\n")
    assert code == 1 and "đã có" in err
    code, out, err = users_cli(cfg, "add", "lan", "--role", "analyst")  # no terminal, no --password-stdin: refuses
    assert code == 1 and "--password-stdin" in err and "no terminal" not in err  # instead of hanging
    with database(tmp_path / "u.duckdb") as db:
        s = AuthService(db, AuthSettings(bcrypt_rounds=4))
        assert s.login("admin", secret).ok
        raw = (tmp_path / "u.duckdb").read_bytes()
    assert secret.encode() not in raw


def test_demo_account_prints_name_and_generated_password(tmp_path):
    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 4})
    out = io.StringIO()
    with database(cfg.storage.db_path) as db:
        name, pw = auth_demo.setup(cfg, db, out=lambda *a, **k: print(*a, file=out))
        assert AuthService(db, AuthSettings(bcrypt_rounds=4)).login(name, pw).user.role == "analyst"
        name2, pw2 = auth_demo.setup(cfg, db, out=lambda *a, **k: None)  # a re-run makes a new password
        assert pw2 != pw and not AuthService(db, AuthSettings(bcrypt_rounds=4)).login(name, pw).ok
    text = out.getvalue()
    assert f"{name} / Mật khẩu: {pw}" in text
    import re
    m = re.search(r"[Tt]ài khoản[^:\n]*:\s*(\S+)\s*/\s*[Mm]ật khẩu[^:\n]*:\s*(\S+)", text)  # what the README/browser helper read
    assert m and m.groups() == (name, pw)


def test_only_the_demo_command_creates_the_demo_account():
    users_of_demo = [p.relative_to(ROOT).as_posix() for p in ROOT.glob("**/*.py")
                     if ".venv" not in p.parts and "tests" not in p.parts
                     and "demo_accounts" in p.read_text(encoding="utf-8", errors="ignore")]
    assert users_of_demo == ["langnghe/commands/demo.py"]  # serve and production configs never call it


# --- issue 11, part 5: timing, client address, lockouts that cannot be turned against the user -----

def test_unknown_names_cost_the_same_bcrypt_work_as_real_ones(tmp_path, monkeypatch):
    import bcrypt

    from orchestration import accounts as auth_mod
    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 5})
    seen: list[bytes] = []
    real = bcrypt.checkpw
    monkeypatch.setattr(auth_mod.bcrypt, "checkpw", lambda pw, h: seen.append(h) or real(pw, h))
    with database(cfg.storage.db_path) as db:
        s = AuthService(db, AuthSettings.from_config(cfg))
        s.create_user("lan", "du-dai-roi-123", "analyst")
        s.login("lan", "sai-mat-khau")
        s.login("khong-co-ai", "sai-mat-khau")
    assert len(seen) == 2
    assert [h[:7] for h in seen] == [b"$2b$05$", b"$2b$05$"]  # the dummy hash has the configured cost


def test_client_address_believes_forwarded_for_only_from_trusted_proxies():
    from orchestration.accounts import client_address

    # Streamlit reports loopback as None: with no trusted proxy it is one shared (global) bucket
    assert client_address(None, [], ()) == "127.0.0.1"
    assert client_address(None, ["203.0.113.9"], ()) == "127.0.0.1"
    # nginx on the same machine, trusted: the address it saw
    assert client_address(None, ["203.0.113.9"], ("127.0.0.1",)) == "203.0.113.9"
    assert client_address(None, ["203.0.113.9"], ("::1",)) == "203.0.113.9"
    # a client cannot choose its address by writing one to the left of the header
    assert client_address(None, ["6.6.6.6, 203.0.113.9"], ("127.0.0.1",)) == "203.0.113.9"
    assert client_address(None, ["6.6.6.6", "203.0.113.9"], ("127.0.0.1",)) == "203.0.113.9"
    # a chain of trusted proxies
    assert client_address("10.0.0.1", ["203.0.113.9, 10.0.0.2"], ("10.0.0.0/8",)) == "203.0.113.9"
    # a direct, untrusted connection: its own address, whatever it claims
    assert client_address("198.51.100.7", ["203.0.113.9"], ("127.0.0.1",)) == "198.51.100.7"
    # garbage in the header: the last hop we can trust
    assert client_address(None, ["không phải địa chỉ"], ("127.0.0.1",)) == "127.0.0.1"
    with pytest.raises(ValueError, match="trusted_proxies"):
        AuthSettings(trusted_proxies=("10.0.0.300",))


def test_unknown_client_falls_under_one_global_limit(tmp_path):
    cfg = make_config(tmp_path, auth={"bcrypt_rounds": 4, "max_failed_per_client": 4})
    with database(cfg.storage.db_path) as db:
        s = AuthService(db, AuthSettings.from_config(cfg))
        s.create_user("lan", "du-dai-roi-123", "analyst")
        for i in range(4):
            assert s.login(f"ten{i}", "x", client=None).reason == "bad_credentials"
        assert s.login("lan", "du-dai-roi-123", client=None).reason == "locked"


def test_gate_passes_the_resolved_client_address(demo_env):
    from tests.dashboard.conftest import PASSWORD

    at = demo_env.app().run()
    at.text_input(key="login_user").set_value("xem")
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button[0].click().run()
    with demo_env.db.read() as cur:
        clients = [r["client"] for r in store_users.recent_logins(cur)]
    assert clients == ["127.0.0.1"]  # not None: the per-client limit applies on localhost too


def test_lockout_is_per_client_and_grows(svc):
    svc.create_user("admin", "du-dai-roi-123", "admin")
    clock = svc.clock_obj
    attacker, office = "198.51.100.66", "10.1.2.3"
    for _ in range(3):
        assert svc.login("admin", "doan-bua", client=attacker).reason == "bad_credentials"
    assert svc.login("admin", "du-dai-roi-123", client=attacker).reason == "locked"
    # the real admin, elsewhere, is not locked out by the attacker
    assert svc.login("admin", "du-dai-roi-123", client=office).ok
    # the attacker's next lockouts double: 10, then 20 minutes (lockout_minutes = 10)
    clock.t += timedelta(minutes=11)
    for _ in range(3):
        assert svc.login("admin", "doan-bua", client=attacker).reason == "bad_credentials"
    clock.t += timedelta(minutes=11)
    locked = svc.login("admin", "du-dai-roi-123", client=attacker)
    assert locked.reason == "locked" and "9 phút" in locked.message
    clock.t += timedelta(minutes=10)
    assert svc.login("admin", "du-dai-roi-123", client=attacker).ok  # a success resets the pair
    # tries refused while locked are not counted: retrying early does not prolong the lockout
    clock.t += timedelta(seconds=1)
    for _ in range(3):
        svc.login("admin", "doan-bua", client=attacker)
    for _ in range(5):
        assert svc.login("admin", "doan-bua", client=attacker).reason == "locked"
    clock.t += timedelta(minutes=10, seconds=1)
    assert svc.login("admin", "du-dai-roi-123", client=attacker).ok


def test_lockouts_are_audited_and_an_admin_can_lift_them(svc):
    svc.create_user("lan", "du-dai-roi-123", "analyst")
    for _ in range(3):
        svc.login("lan", "sai", client="203.0.113.5")
    assert svc.login("lan", "du-dai-roi-123", client="203.0.113.5").reason == "locked"
    assert [(p["username"], p["client"]) for p in svc.lockouts()] == [("lan", "203.0.113.5")]
    assert svc.unlock("LAN", by="quantri") == 1
    assert svc.lockouts() == []
    assert svc.login("lan", "du-dai-roi-123", client="203.0.113.5").ok
    with svc.db.read() as cur:
        log = [(r["action"], r["target"], r["username"]) for r in store_users.list_audit(cur)]
    assert ("login.lockout", "lan", "203.0.113.5") in log and ("user.unlock", "lan", "quantri") in log
    with pytest.raises(AuthError):
        svc.unlock("khong-co", by="quantri")


def test_users_unlock_command(tmp_path):
    cfg_path = tmp_path / "c.toml"
    db_path = tmp_path / "u.duckdb"
    cfg_path.write_text(f'[storage]\ndb_path = "{db_path}"\n[auth]\nbcrypt_rounds = 4\n', encoding="utf-8")
    with database(db_path) as db:
        s = AuthService(db, AuthSettings(bcrypt_rounds=4))
        s.create_user("admin", "du-dai-roi-123", "admin")
        for _ in range(5):
            s.login("admin", "sai", client="203.0.113.5")
        assert s.login("admin", "du-dai-roi-123", client="203.0.113.5").reason == "locked"
    code, out, err = users_cli(cfg_path, "list")
    assert "[tạm khóa đăng nhập]" in out, out + err
    code, out, err = users_cli(cfg_path, "unlock", "--help")
    assert code == 0 and "Mở khóa đăng nhập" in out
    code, out, err = users_cli(cfg_path, "unlock", "admin")
    assert code == 0 and "đã mở khóa" in out, err
    with database(db_path) as db:
        assert AuthService(db, AuthSettings(bcrypt_rounds=4)).login("admin", "du-dai-roi-123", client="203.0.113.5").ok


def test_admin_page_lists_lockouts_and_lifts_them(demo_env):
    from tests.dashboard.conftest import PASSWORD, no_exception

    for _ in range(5):
        demo_env.auth.login("chuyenvien", "sai-mat-khau", client="203.0.113.5")
    assert demo_env.auth.login("chuyenvien", PASSWORD, client="203.0.113.5").reason == "locked"
    at = demo_env.page("admin", "admin").run()
    no_exception(at)
    locked = next(d.value for d in at.dataframe if "Khóa đến" in d.value.columns)
    assert list(locked["Tên đăng nhập"]) == ["chuyenvien"] and list(locked["Địa chỉ"]) == ["203.0.113.5"]
    assert any("1 lần tạm khóa đăng nhập" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Mở khóa").click().run()
    no_exception(at)
    assert demo_env.auth.lockouts() == []
    assert demo_env.auth.login("chuyenvien", PASSWORD, client="203.0.113.5").ok


def test_auth_setting_mistakes_are_said_in_vietnamese(tmp_path):
    """[auth] mistakes in the override file were answered in English ('unknown setting(s)', 'a list of addresses')."""
    from tests.conftest import make_config

    with pytest.raises(ValueError, match=r"^\[auth\] không có thiết lập: session_hourz"):
        AuthSettings.from_config(make_config(tmp_path, auth={"session_hourz": 8}))
    with pytest.raises(ValueError, match="phải là danh sách địa chỉ"):
        AuthSettings.from_config(make_config(tmp_path, auth={"trusted_proxies": "127.0.0.1"}))


def test_display_names_are_limited_in_length(svc):
    """A display name had no length limit (a pasted paragraph filled the sidebar and every history row);
    80 characters now, refused in Vietnamese on create and on change."""
    with pytest.raises(AuthError, match="Họ tên dài quá 80 ký tự"):
        svc.create_user("lan", "du-dai-roi-123", "analyst", display_name="Nguyễn Thị Lan " * 10)
    svc.create_user("lan", "du-dai-roi-123", "analyst", display_name="L" * 80)
    with pytest.raises(AuthError, match="Họ tên dài quá 80 ký tự"):
        svc.update("lan", by="quantri", display_name="Lan " * 30)
    assert svc.update("lan", by="quantri", display_name="  Nguyễn Thị Lan  ")["display_name"]["sau"] == "Nguyễn Thị Lan"

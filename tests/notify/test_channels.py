"""Contract over every notification channel, driven by the registry (as 4CAT's test_modules.py walks its
modules): each registered channel is a well-formed plugin (its module, name, label, send), refuses a second
registration of its name, delivers a Vietnamese message to a local stand-in on 127.0.0.1 (SMTP via aiosmtpd;
Telegram, Zalo and webhook via httpx MockTransport), and fails with SendError — never a secret in the message —
when the far end refuses. A new channel fails `test_every_registered_channel_has_a_spec` until SPECS says how
to reach its stand-in; the tests after SPECS then run for it with no other edit."""

from __future__ import annotations

import dataclasses
import email.policy
import hashlib
import hmac
import inspect
import json
from dataclasses import dataclass
from typing import Callable

import httpx
import pytest

from collectors import netguard
from notify import registry
from notify.base import Channel, Message, NotConfigured, SendError

MSG = Message("Lắng Nghe: cảnh báo Bùn đất tràn vào nhà dân", "[Cao] Bùn đất từ bãi thải\nVì sao: 3 tin từ 3 nguồn",
              ("A000001",), "http://127.0.0.1:8501/alerts?alert=A000001")
SECRET = "bi-mat-rat-dai-123"
# what orchestration/notify.channel_settings gives the e-mail channel: the guard, with the test servers allowed
LOCAL_DIAL = netguard.dialer(netguard.parse_allow(["127.0.0.1"]), refuse=SendError)


def mock(handler):
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_webhook_is_signed(monkeypatch):
    monkeypatch.setenv("LANGNGHE_WEBHOOK_SECRET", SECRET)
    seen = {}

    def h(req):
        seen["sig"], seen["body"] = req.headers["x-langnghe-signature"], req.content
        seen["delivery"] = req.headers.get("x-langnghe-delivery")
        return httpx.Response(204)

    registry.get("webhook").send("http://127.0.0.1/hook", dataclasses.replace(MSG, key="langnghe.1.7"), {}, mock(h))
    assert seen["sig"] == "sha256=" + hmac.new(SECRET.encode(), seen["body"], hashlib.sha256).hexdigest()
    assert json.loads(seen["body"])["alerts"] == ["A000001"]
    assert seen["delivery"] == "langnghe.1.7"  # the same on a repeat: the receiver can drop it


def test_telegram_and_zalo(monkeypatch):
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", SECRET)
    monkeypatch.setenv("LANGNGHE_ZALO_TOKEN", SECRET)
    calls = []

    def h(req):
        calls.append((req.url.path, json.loads(req.content), dict(req.headers)))
        if "telegram" in req.url.host:
            return httpx.Response(200, json={"ok": True, "result": {"message_id": 7}})
        return httpx.Response(200, json={"error": 0, "message": "Success", "data": {"message_id": "z1"}})

    assert registry.get("telegram").send("-100123", MSG, {"base_url": "http://telegram.test"}, mock(h)) == "message_id 7"
    assert registry.get("zalo").send("5566", MSG, {"base_url": "http://zalo.test"}, mock(h)) == "message_id z1"
    assert calls[0][0] == f"/bot{SECRET}/sendMessage" and calls[0][1]["chat_id"] == "-100123"
    assert calls[1][0] == "/v3.0/oa/message/cs" and calls[1][2]["access_token"] == SECRET


def test_refusals_are_send_errors_without_secrets(monkeypatch):
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", SECRET)
    with pytest.raises(SendError) as ei:
        registry.get("telegram").send("1", MSG, {"base_url": "http://t.test"},
                                      mock(lambda r: httpx.Response(401, json={"ok": False, "description": "Unauthorized"})))
    assert SECRET not in str(ei.value) and "Unauthorized" in str(ei.value)

    def boom(req):
        raise httpx.ConnectError(f"cannot reach {req.url}")

    with pytest.raises(SendError) as ei:
        registry.get("telegram").send("1", MSG, {"base_url": "http://t.test"}, mock(boom))
    assert SECRET not in str(ei.value)
    monkeypatch.delenv("LANGNGHE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(SendError, match="khóa ký"):
        registry.get("webhook").send("http://x", MSG, {}, mock(lambda r: httpx.Response(200)))


def test_email_over_a_local_smtp_server(smtp_server):
    box, port = smtp_server
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "lang-nghe@example.vn",
                "dial": LOCAL_DIAL}
    keyed = dataclasses.replace(MSG, key="langnghe.20261204030000000000.7")
    for m in (keyed, keyed, MSG):  # a repeat of one outbox message, then the admin's test (no key)
        registry.get("email").send("canbo@example.vn", m, settings, mock(lambda r: None))
    (to, raw), *_ = box.messages
    assert to == ["canbo@example.vn"]
    parsed = [email.message_from_bytes(raw, policy=email.policy.default) for _, raw in box.messages]
    assert parsed[0]["Subject"] == MSG.subject and "Bùn đất từ bãi thải" in parsed[0].get_content()
    ids = [m["Message-ID"] for m in parsed]
    assert ids[0] == ids[1] == "<langnghe.20261204030000000000.7@example.vn>"  # a repeat is recognisable
    assert ids[2] and ids[2] != ids[0]


def test_console_prints(capsys):
    registry.get("console").send("demo", MSG, {}, mock(lambda r: None))
    assert "Bùn đất từ bãi thải" in capsys.readouterr().out


# --- the contract, one run per registered channel ------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """How the contract reaches one channel: `deliver(request)` sends MSG to a stand-in and returns the text that
    arrived there; `refuse(request)` sends where the far end refuses (None: nothing can refuse, say why)."""

    deliver: Callable[[pytest.FixtureRequest], str]
    refuse: Callable[[pytest.FixtureRequest], None] | None
    why_no_refusal: str = ""


def arrived(body: bytes) -> str:
    """The text a stand-in received: a JSON body with its escapes undone (Telegram, Zalo, webhook), any other body
    (a plain-text or form POST, as ntfy takes) as UTF-8. Read as JSON only, a new plain-text channel's contract
    run failed with a JSONDecodeError out of this helper, not of the channel (round 22)."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body.decode("utf-8", errors="replace")


def test_a_stand_in_reads_json_and_plain_bodies():
    assert "Bùn đất" in arrived(json.dumps({"text": MSG.text}).encode())  # ensure_ascii: \u escapes undone
    assert arrived(MSG.text.encode()) == MSG.text


def _http_channel(name: str, env: str, address: str, settings: dict, answer: httpx.Response) -> Spec:
    def deliver(request: pytest.FixtureRequest) -> str:
        request.getfixturevalue("monkeypatch").setenv(env, SECRET)
        bodies: list[bytes] = []

        def h(req: httpx.Request) -> httpx.Response:
            bodies.append(req.content)
            return answer

        registry.get(name).send(address, MSG, settings, mock(h))
        return arrived(bodies[0])

    def refuse(request: pytest.FixtureRequest) -> None:
        request.getfixturevalue("monkeypatch").setenv(env, SECRET)

        def down(req: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError(f"cannot reach {req.url} {dict(req.headers)}")  # the URL/headers may hold it

        registry.get(name).send(address, MSG, settings, mock(down))

    return Spec(deliver, refuse)


def _console_deliver(request: pytest.FixtureRequest) -> str:
    capsys = request.getfixturevalue("capsys")  # capturing starts here
    registry.get("console").send("demo", MSG, {}, mock(lambda r: None))
    return capsys.readouterr().out


def _email_deliver(request: pytest.FixtureRequest) -> str:
    box, port = request.getfixturevalue("smtp_server")
    registry.get("email").send("canbo@example.vn", MSG, {"host": "127.0.0.1", "port": port, "security": "none",
                                                         "dial": LOCAL_DIAL}, mock(lambda r: None))
    parsed = email.message_from_bytes(box.messages[0][1], policy=email.policy.default)
    return f"{parsed['Subject']}\n{parsed.get_content()}"


def _email_refuse(request: pytest.FixtureRequest) -> None:
    from tests.conftest import free_port

    request.getfixturevalue("monkeypatch").setenv("LANGNGHE_SMTP_PASSWORD", SECRET)
    request.getfixturevalue("monkeypatch").setenv("LANGNGHE_SMTP_USER", "canbo")
    registry.get("email").send("canbo@example.vn", MSG, {"host": "127.0.0.1", "port": free_port(),  # nobody there
                                                         "security": "none", "timeout_seconds": 2,
                                                         "dial": LOCAL_DIAL}, mock(lambda r: None))


SPECS: dict[str, Spec] = {
    "console": Spec(_console_deliver, None, "in ra màn hình máy chủ: không có đầu bên kia để từ chối"),
    "email": Spec(_email_deliver, _email_refuse),
    "telegram": _http_channel("telegram", "LANGNGHE_TELEGRAM_TOKEN", "-100123", {"base_url": "http://telegram.test"},
                              httpx.Response(200, json={"ok": True, "result": {"message_id": 7}})),
    "webhook": _http_channel("webhook", "LANGNGHE_WEBHOOK_SECRET", "http://127.0.0.1/hook", {},
                             httpx.Response(204)),
    "zalo": _http_channel("zalo", "LANGNGHE_ZALO_TOKEN", "5566", {"base_url": "http://zalo.test"},
                          httpx.Response(200, json={"error": 0, "data": {"message_id": "z1"}})),
}
CHANNELS = registry.names()


def test_every_registered_channel_has_a_spec():
    assert CHANNELS, "the registry found no channel"
    assert sorted(SPECS) == CHANNELS, "a channel without a stand-in in SPECS (or a spec without a channel)"


@pytest.mark.parametrize("name", CHANNELS)
def test_channel_is_a_well_formed_plugin(name):
    channel = registry.get(name)
    cls = type(channel)
    assert isinstance(channel, Channel) and cls.name == name
    assert cls.__module__ == f"notify.channels.{name}"  # one module per channel, named after it
    assert isinstance(cls.label, str) and cls.label.strip() and registry.labels()[name] == cls.label
    assert list(inspect.signature(cls.send).parameters) == ["self", "address", "message", "settings", "client"]


@pytest.mark.parametrize("name", CHANNELS)
def test_a_second_channel_of_the_same_name_is_refused(name):
    with pytest.raises(registry.DuplicateChannel):
        registry.register(type("Other", (), {"name": name}))
    assert type(registry.get(name)).__module__ == f"notify.channels.{name}"  # the first one stays


@pytest.mark.parametrize("name", CHANNELS)
def test_channel_delivers_the_vietnamese_message(name, request):
    assert "Bùn đất từ bãi thải" in SPECS[name].deliver(request)  # NFC Vietnamese arrives intact


@pytest.mark.parametrize("name", CHANNELS)
def test_a_refusal_is_a_send_error_without_the_secret(name, request):
    spec = SPECS[name]
    if spec.refuse is None:
        assert spec.why_no_refusal, f"{name}: say why nothing can refuse"
        return
    with pytest.raises(SendError) as ei:
        spec.refuse(request)
    assert SECRET not in str(ei.value) and str(ei.value).strip()


@pytest.mark.parametrize("name", ["telegram", "zalo"])
@pytest.mark.parametrize("answer", [
    httpx.Response(502, text=f"<html><h1>502 Bad Gateway</h1>proxy could not reach /bot{SECRET}/sendMessage</html>"),
    httpx.Response(200, text='{"ok": true, "result": '),  # cut short
    httpx.Response(200, json=["ok"]),
    httpx.Response(200, content=b"\xff\xfe\x00garbage"),
    httpx.Response(200, text="[" * 200_000),
])
def test_an_answer_that_is_not_a_json_object_is_a_send_error(monkeypatch, name, answer):
    """A proxy's HTML page, a cut body or a JSON list was a ValueError (or AttributeError) out of the channel,
    not the SendError the delivery pass retries: now said in Vietnamese with what came back, cut short, and
    without the token a proxy's page may echo."""
    monkeypatch.setenv("LANGNGHE_TELEGRAM_TOKEN", SECRET)
    monkeypatch.setenv("LANGNGHE_ZALO_TOKEN", SECRET)
    with pytest.raises(SendError, match="không phải JSON") as ei:
        registry.get(name).send("1", MSG, {"base_url": f"http://{name}.test"}, mock(lambda r: answer))
    said = str(ei.value)
    assert SECRET not in said and len(said) < 250
    assert str(answer.status_code) in said


def test_a_zalo_error_code_that_is_not_a_number_is_a_send_error(monkeypatch):
    monkeypatch.setenv("LANGNGHE_ZALO_TOKEN", SECRET)
    with pytest.raises(SendError, match="Zalo từ chối"):
        registry.get("zalo").send("1", MSG, {"base_url": "http://zalo.test"},
                                  mock(lambda r: httpx.Response(200, json={"error": "x" * 500, "message": "?"})))


def settings_read(source_code: str) -> set[str]:
    """The keys a channel's module reads from its `settings`: `settings.get("key"…)`, `settings["key"]`."""
    import re

    return set(re.findall(r"settings(?:\.get\(|\[)\s*[\"'](\w+)[\"']", source_code))


INJECTED = {"timeout_seconds", "dial"}  # orchestration.notify.channel_settings adds them to every channel's table


@pytest.mark.parametrize("name", CHANNELS)
def test_every_setting_a_channel_reads_is_in_the_defaults(name):
    """A channel's settings are `[notify.<name>]` in vocab/langnghe.toml, each documented there (the add-a-notifier
    recipe); a new channel reading a key of its own with none there worked on its code default, and nothing said
    the operator could set it (round 22)."""
    import sys
    import tomllib

    from vocab.config import DEFAULTS_PATH

    table = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))["notify"].get(name, {})
    read = settings_read(inspect.getsource(sys.modules[type(registry.get(name)).__module__])) - INJECTED
    missing = sorted(read - set(table))
    assert not missing, f"[notify.{name}] in vocab/langnghe.toml lacks {missing}"
    assert settings_read('a = settings.get("base_url", "x"); b = settings["dial"]') == {"base_url", "dial"}


# channels whose `*_env` secret may be missing with nothing for an administrator to do, each with why
SECRET_MAY_BE_MISSING = {
    "email": "the SMTP login is optional; a missing [notify.email] host is NotConfigured (test_ux35_notify.py)",
    "zalo": "with a refresh token the zalo job renews the OA token on its own (retried); with neither token it is "
            "NotConfigured (tests/orchestration/test_fix29_notify.py)",
}


@pytest.mark.parametrize("name", CHANNELS)
def test_a_missing_secret_is_not_configured_and_nothing_is_sent(name, monkeypatch, tmp_path):
    """A channel whose secret is set neither in the environment nor in the secrets folder raises NotConfigured before
    any request: the delivery pass then gives the message up at once, saying what to set, instead of retrying it for
    about a day (round 29, ux35). A channel written by ARCHITECTURE.md's recipe with a plain SendError there passed
    every other test here (round 29, docs29)."""
    import tomllib

    from vocab import secrets
    from vocab.config import DEFAULTS_PATH

    assert set(SECRET_MAY_BE_MISSING) <= set(CHANNELS)
    table = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))["notify"].get(name, {})
    envs = [v for k, v in table.items() if k.endswith("_env")]
    if not envs or name in SECRET_MAY_BE_MISSING:
        return
    for env in envs:
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setattr(secrets, "_dir", str(tmp_path))  # and no file in the secrets folder
    asked: list[httpx.Request] = []
    with pytest.raises(NotConfigured):
        registry.get(name).send("http://127.0.0.1/x", MSG, table, mock(lambda r: asked.append(r) or httpx.Response(200)))
    assert not asked


def test_every_channel_class_is_registered():
    """A channel class left without `@register` (and without a spec) was no channel at all, and every test here
    passed (round 27, following ARCHITECTURE.md's add-a-notifier recipe): each class of notify/channels/ with a
    `name` and a `send` is the one the registry holds under that name."""
    from notify import channels
    from tests.registered import unregistered as without_register

    registry.load_all()
    unregistered = without_register(channels, registry._REGISTRY, "name", "send")
    assert not unregistered, f"channel classes without @notify.registry.register: {unregistered}"


def secrets_read(source_code: str) -> list[str]:
    """What each `secret(…)` call of a channel's module reads: the `settings` keys named in its argument, or «?» for
    a call that names none (a variable's name written out, which no setting holds)."""
    import ast

    out = []
    for node in ast.walk(ast.parse(source_code)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "secret":
            keys = [c.value for arg in node.args for c in ast.walk(arg) if isinstance(c, ast.Constant)
                    and isinstance(c.value, str) and c.value.islower()]
            out += keys or ["?"]
    return out


@pytest.mark.parametrize("name", CHANNELS)
def test_every_secret_a_channel_reads_is_named_by_an_env_key(name):
    """The notify job takes a secret out of what a failed send records only when `[notify.<name>]` names it by a
    key ending in `_env` (orchestration.notify._secrets); a channel reading `secret(settings["token_name"])` or a
    variable's name written out passed every test here, its token free to reach notify_log (round 27)."""
    import sys

    read = secrets_read(inspect.getsource(sys.modules[type(registry.get(name)).__module__]))
    bad = [k for k in read if not k.endswith("_env")]
    assert not bad, f"{name}: secrets read by keys that do not end in _env: {bad}"
    assert secrets_read('t = secret(str(settings.get("token_env", "LANGNGHE_T")))') == ["token_env"]
    assert secrets_read('t = secret("LANGNGHE_T")\nu = secret(settings["token"])') == ["?", "token"]


def test_the_channels_folder_is_read_once_not_at_every_lookup(monkeypatch):
    """Every registry.get/labels/names listed notify/channels/ again (0.2 ms), and the notify job looks a channel up
    three times a message (its size limit, whether its address is a URL, its send): the modules load once (round 28),
    as collectors.registry's do."""
    registry.load_all()

    def listed_again(*_args):  # type: ignore[no-untyped-def]
        raise AssertionError("notify/channels/ listed again")

    monkeypatch.setattr(registry.pkgutil, "iter_modules", listed_again)
    assert registry.get("telegram").name == "telegram" and "webhook" in registry.labels() and registry.names()

"""facebook_page and zalo_oa read their APIs' JSON whatever its shape (round 19, `hostile4`).

Every value of a real answer is replaced in turn by a list, an object, a string, a number, a boolean, null and
a number too large for a float: the poll either gives its items (the entries the change did not touch are all
kept) or fails with the source's own FetchError — never another exception, which the runner records as a
«lỗi chương trình» with a traceback. The blocking replies and Zalo's token renewal read their answers the same
way. The answers come from a function, not the network."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any, Iterator

import httpx
import pytest

from collectors import _social, registry
from collectors import facebook_page as fb
from collectors import zalo_oa as zalo
from collectors.base import ApiError, Batch, CollectContext, DocumentError, FetchError, Fetched
from kindhelpers import fresh_gates, source  # noqa: F401
from kindspecs import FIX, NOW, OWN_CHANNEL
from vocab.config import DEFAULT_LIMITS

pytestmark = pytest.mark.usefixtures("fresh_gates")

HOSTILE: list[Any] = [[1, "x"], {"k": "v"}, "chuỗi", 7, -1.5, True, None, "1e999", float("inf")]
FEED = json.loads((FIX / "facebook_page/page_feed.json").read_text(encoding="utf-8"))
RECENT = json.loads((FIX / "zalo_oa/listrecentchat.json").read_text(encoding="utf-8"))
POST_ID = "104512345678901_889900112233"


def variants(doc: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, the document with the value at that path replaced by one hostile value), for every path."""
    children = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in children:
        for bad in HOSTILE:
            out = copy.deepcopy(doc)
            out[key] = bad
            yield path + (key,), out
        for sub, changed in variants(value, path + (key,)):
            out = copy.deepcopy(doc)
            out[key] = changed
            yield sub, out


def whole(doc: Any) -> list[tuple[tuple, Any]]:
    return [((), doc)] + [(p, d) for p, d in variants(doc)]


def body(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, allow_nan=True).replace("Infinity", "1e999").encode()


def run(kind: str, src, answers: dict[str, bytes]) -> Batch:
    async def fetch(url: str, **_: Any) -> Fetched:
        path = url.split("?", 1)[0].split("://", 1)[1].partition("/")[2]
        return Fetched(url=url, status=200, headers={"content-type": "application/json"},
                       body=answers.get("/" + path, b'{"data": [], "error": 0}'))

    ctx = CollectContext(fetch=fetch, now=NOW, limits=DEFAULT_LIMITS)
    return asyncio.run(registry.get(kind).collect(src, ctx))


FB_SRC = source("facebook_page", "http://graph.test/v21.0/104512345678901/feed", options={**OWN_CHANNEL, "messages": True},
                outlet="Phường Vàng Danh")
ZALO_SRC = source("zalo_oa", "http://zalo.test/v2.0/oa/listrecentchat", options=OWN_CHANNEL, outlet="Phường Uông Bí")
CONV = {"data": [{"messages": {"data": [{"id": "m_1", "message": "Cho hỏi lịch tiêm phòng dại?",
                                         "created_time": "2024-11-20T03:00:00+0000", "from": {"id": "2468", "name": "Hoa"}}]}}]}


@pytest.mark.parametrize("where,doc", whole(FEED), ids=lambda v: "/".join(map(str, v)) if isinstance(v, tuple) else "")
def test_a_facebook_feed_of_any_shape_gives_its_items_or_a_clear_error(where, doc):
    try:
        batch = run("facebook_page", FB_SRC, {"/v21.0/104512345678901/feed": body(doc),
                                              "/v21.0/104512345678901/conversations": body(CONV)})
    except FetchError as exc:
        assert isinstance(exc, (DocumentError, ApiError)) and str(exc)
        assert where[:1] in ((), ("data",)) or where[:1] == ("error",), where  # only the envelope may fail the poll
        return
    guids = {i.guid for i in batch.items}
    assert "m_1" in guids                                          # the other request's items are kept
    if where[:3] and where[:3] != ("data", 0, "id") and where[:2] not in (("data",),) and len(where) > 3 \
            and where[2] == "comments":
        assert POST_ID in guids, where                               # a comment's shape never loses its post


@pytest.mark.parametrize("where,doc", whole(CONV), ids=lambda v: "/".join(map(str, v)) if isinstance(v, tuple) else "")
def test_facebook_conversations_of_any_shape_keep_the_feed(where, doc):
    try:
        batch = run("facebook_page", FB_SRC, {"/v21.0/104512345678901/feed": body(FEED),
                                              "/v21.0/104512345678901/conversations": body(doc)})
    except FetchError as exc:
        assert isinstance(exc, (DocumentError, ApiError)) and str(exc)
        return
    assert POST_ID in {i.guid for i in batch.items}


@pytest.mark.parametrize("where,doc", whole(RECENT), ids=lambda v: "/".join(map(str, v)) if isinstance(v, tuple) else "")
def test_a_zalo_answer_of_any_shape_gives_its_items_or_a_clear_error(where, doc):
    try:
        batch = run("zalo_oa", ZALO_SRC, {"/v2.0/oa/listrecentchat": body(doc)})
    except FetchError as exc:
        assert isinstance(exc, (DocumentError, ApiError)) and str(exc)
        assert len(where) <= 1, where                               # only the envelope may fail the poll
        return
    guids = {i.guid for i in batch.items}
    if len(where) >= 2 and where[0] == "data":                      # one message's shape: the others are kept
        kept = {m["message_id"] for i, m in enumerate(RECENT["data"]) if m["src"] == 1 and i != where[1]}
        assert kept <= guids, where


@pytest.mark.parametrize("where,doc", whole({"data": RECENT["data"][:1], "error": 0}),
                         ids=lambda v: "/".join(map(str, v)) if isinstance(v, tuple) else "")
def test_a_zalo_conversation_of_any_shape_keeps_the_recent_list(where, doc):
    try:
        batch = run("zalo_oa", ZALO_SRC, {"/v2.0/oa/listrecentchat": body(RECENT), "/v2.0/oa/conversation": body(doc)})
    except FetchError as exc:
        assert isinstance(exc, (DocumentError, ApiError)) and str(exc)
        return
    assert {"a1b2c3d4e5", "f6e5d4c3b2"} <= {i.guid for i in batch.items}


@pytest.mark.parametrize("answer", [b"", b"<html>Bad gateway</html>", b"[1, 2]", b'"ok"', b"null", b"5",
                                    b"[" * 100_000 + b"]" * 100_000, b'{"error": "x"}', b'{"error": [1]}',
                                    b'{"error": 1e999}', b'{"error": {"code": "190"}}', b'{"error": {"code": [1]}}',
                                    b'{"data": 5}', b'{"data": "m"}', b'{"data": [5]}', b'{"id": ["x"]}',
                                    b'{"message_id": {"a": 1}}', b"\xff\xfe\x00garbage"],
                         ids=range(18))
@pytest.mark.parametrize("kind", ["facebook_page", "zalo_oa"])
@pytest.mark.parametrize("status", [200, 400])
def test_a_reply_answer_of_any_shape_is_an_api_error_or_an_id(kind, status, answer):
    def handler(req: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=answer, headers={"content-type": "application/json"})

    flags = ("own_channel", "reply_to:1_2") if kind == "facebook_page" else ("own_channel", "zalo_user:55")
    src = FB_SRC if kind == "facebook_page" else ZALO_SRC
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        try:
            ref = (fb if kind == "facebook_page" else zalo).reply(client, src, flags, "Phường đã tiếp nhận.")
        except (ApiError, DocumentError) as exc:  # what send_reply records as «failed: …»
            assert str(exc)
            return
    assert isinstance(ref, str) and status == 200


@pytest.mark.parametrize("answer", [b"", b"<html>502</html>", b"[1]", b"null", b"[" * 100_000 + b"]" * 100_000,
                                    b'{"access_token": ["a"], "refresh_token": "r"}',
                                    b'{"access_token": "a", "refresh_token": {"x": 1}}', b'{"error_name": ["x"]}'],
                         ids=range(8))
def test_a_zalo_token_renewal_answer_of_any_shape_is_a_clear_error(answer, tmp_path, monkeypatch):
    monkeypatch.setenv("LANGNGHE_ZALO_REFRESH", "rt-cu")
    monkeypatch.setenv("LANGNGHE_ZALO_SECRET_KEY", "khoa")
    src = source("zalo_oa", "http://zalo.test/v2.0/oa/listrecentchat", options={"token_env": "ZT", "app_id": "123"})
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=answer))) as client:
        with pytest.raises(ApiError):
            zalo.refresh(client, src, directory=str(tmp_path))
    assert not (tmp_path / "ZT").exists()                           # nothing half-stored


@pytest.mark.parametrize("header", ["[" * 20_000, '{"a": "x"}', '{"a": [5]}', '{"a": [{"estimated_time_to_regain_access": "x"}]}',
                                    '{"a": [{"estimated_time_to_regain_access": 1e999}]}', "null", "[]"])
def test_graph_usage_headers_of_any_shape_are_read_as_unknown(header):
    assert fb.regain_seconds({"X-Business-Use-Case-Usage": header}) == 3600.0
    assert fb.usage_percent({"X-App-Usage": header}) == 0


@pytest.mark.parametrize("body_", [b'{"error": "x"}', b'{"error": [1]}', b"[" * 100_000, b'{"error": {"code": 1e999}}',
                                   b'{"error": {"code": "abc", "message": ["m"]}}'])
def test_a_graph_error_body_of_any_shape_is_an_api_error(body_):
    assert isinstance(fb.api_error(400, body_, {}, FB_SRC), ApiError)


def test_the_guarded_reader_is_the_one_every_json_kind_uses():
    fetched = Fetched(url="http://graph.test/", status=200, headers={}, body=b"[" * 100_000)
    with pytest.raises(DocumentError):
        _social.decode_json(fetched, DEFAULT_LIMITS)

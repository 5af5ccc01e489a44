"""fix31: a Graph API answer of HTTP 200 that is not JSON (a proxy's page, a cut body) to a reply (a page comment,
a Messenger message) is the Graph API's word that it went out: the reply is sent, without an id, and the body is
logged. It was an ApiError, so the case's reply was «failed», the case stayed open and staff could send a second
public reply (round 30's sweep, hostile33). docs/SECURITY.md «Round 30 sweep», docs/CASES.md."""

from __future__ import annotations

import logging

import httpx
import pytest

from collectors import facebook_page as fb
from collectors.base import ApiError
from kindhelpers import fresh_gates, source  # noqa: F401
from kindspecs import OWN_CHANNEL

pytestmark = pytest.mark.usefixtures("fresh_gates")
SRC = dict(kind="facebook_page", url="http://graph.test/v21.0/104512345678901/feed")


def _reply(status: int, body: bytes, flags: tuple[str, ...]) -> str:
    src = source(SRC["kind"], SRC["url"], options=OWN_CHANNEL)
    answer = lambda req: httpx.Response(status, content=body, headers={"content-type": "text/html"})  # noqa: E731
    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        return fb.reply(client, src, flags, "Phường đã tiếp nhận.")


@pytest.mark.parametrize("flags", [("own_channel", "reply_to:889900112233_5001"),
                                   ("own_channel", "fb_message", "psid:2468")])
@pytest.mark.parametrize("body", [b"<html><body>OK</body></html>", b'{"id": "new_', b"[1]"])
def test_a_2xx_that_is_not_json_is_sent_and_logged(flags, body, caplog):
    with caplog.at_level(logging.WARNING, logger="langnghe.collectors"):
        assert _reply(200, body, flags) == ""  # sent, no id (was ApiError «không phải JSON»: the reply «failed»)
    assert "không đọc được mã tin" in caplog.text and "HTTP 200" in caplog.text


@pytest.mark.parametrize("status", [302, 500])
def test_an_answer_that_is_not_2xx_and_not_json_still_fails(status):
    with pytest.raises(ApiError):
        _reply(status, b"<html>proxy</html>", ("own_channel", "reply_to:889900112233_5001"))

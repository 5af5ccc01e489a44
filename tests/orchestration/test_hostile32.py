"""Round 29's hostile sweep (`hostile32`) on Phản ánh's reply form (round 28 keeps a refused reply in its box,
`ui.form_key`/`renew_form`): a reply typed on a page that another account has since answered or that retention has
since purged. docs/SECURITY.md «Round 29 sweep»."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from orchestration import cases
from store import cases as store_cases
from store.cases import CaseError
from tests.orchestration.test_cases import NOW, env, fb_items, store  # noqa: F401 (fixture)


def _graph(posted: list) -> "callable":
    def ok(req: httpx.Request) -> httpx.Response:
        posted.append(json.loads(req.content)["message"])
        return httpx.Response(200, json={"id": f"889900112233_{len(posted)}"})

    return lambda: httpx.Client(transport=httpx.MockTransport(ok))


def test_a_reply_from_a_page_left_open_after_another_account_answered_is_not_sent_again(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    posted: list[str] = []
    first = "Phường đã báo công ty cấp nước, chiều nay có người đến."
    assert cases.send_reply(cfg, db, cid, first, "chuyenvien", client_factory=_graph(posted)).startswith("sent")
    # another account, on a page read before that answer: its form was still drawn
    with pytest.raises(CaseError, match="đã được trả lời"):
        cases.send_reply(cfg, db, cid, "Đã ghi nhận.", "canbo2", client_factory=_graph(posted))
    with pytest.raises(CaseError, match="đã được trả lời"):
        cases.send_reply(cfg, db, cid, "Đã gọi điện.", "canbo2", manual=True)
    assert posted == [first]  # the citizen was answered twice in public, under the page's name
    with db.read() as cur:
        c = store_cases.get_case(cur, cid)
    assert (c["status"], c["reply_text"]) == ("answered", first)  # the first answer's text was written over


def test_a_closed_case_takes_no_reply_and_a_reopened_one_does(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    with db.write() as cur:
        store_cases.transition(cur, cid, "closed", "truongphong", NOW)
    with pytest.raises(CaseError, match="đã đóng"):
        cases.send_reply(cfg, db, cid, "Trả lời muộn", "chuyenvien", manual=True)
    with db.write() as cur:  # reopened as the message says: answered again
        store_cases.transition(cur, cid, "in_progress", "truongphong", NOW)
    assert cases.send_reply(cfg, db, cid, "Trả lời muộn", "chuyenvien", manual=True) == "manual"


def test_a_reply_to_a_case_retention_purged_meanwhile_is_said(env):
    from store import retention

    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    with db.write() as cur:
        retention.purge(cur, now=NOW + timedelta(days=400), items_days=365, raw_payload_days=30)
    posted: list[str] = []
    with pytest.raises(CaseError, match=f"Không có phản ánh số {cid}"):
        cases.send_reply(cfg, db, cid, "Trả lời", "chuyenvien", client_factory=_graph(posted))
    assert not posted

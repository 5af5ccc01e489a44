"""Round 29's sweep left (fix29): two «Gửi trả lời» of one case submitted in the same moment both passed send_reply's
«already answered» check (a read), and both replies went out to the citizen through the Graph API. The check and the
write are now one conditional UPDATE in store/ (store.cases.claim_reply): only one reply goes out. The two submits are
made to meet right after the read check (a barrier in get_case), not by sleeping."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest

from orchestration import cases
from store import cases as store_cases
from store.cases import CaseError
from tests.orchestration.test_cases import NOW, env, fb_items, store  # noqa: F401 (fixture)
from tests.orchestration.test_hostile32 import _graph


def _both_past_the_check(monkeypatch) -> None:
    """Each thread's first get_case (send_reply's check) waits for the other's: both have read the case open."""
    real, meet, seen = store_cases.get_case, threading.Barrier(2, timeout=30), threading.local()

    def get_case(cur, case_id):  # type: ignore[no-untyped-def]
        out = real(cur, case_id)
        if not getattr(seen, "done", False):
            seen.done = True
            meet.wait()
        return out

    monkeypatch.setattr(store_cases, "get_case", get_case)


@pytest.mark.parametrize("manual", [False, True])
def test_two_replies_submitted_at_the_same_moment_send_one(env, monkeypatch, manual):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    posted: list[str] = []
    _both_past_the_check(monkeypatch)
    results: dict[str, object] = {}

    def reply(user: str, text: str) -> None:
        try:
            results[user] = cases.send_reply(cfg, db, cid, text, user, client_factory=_graph(posted), manual=manual)
        except CaseError as exc:
            results[user] = exc

    threads = [threading.Thread(target=reply, args=(u, f"Trả lời của {u}.")) for u in ("chuyenvien", "canbo2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [u for u, r in results.items() if isinstance(r, str)]
    refused = [r for r in results.values() if isinstance(r, CaseError)]
    assert len(sent) == 1 and len(refused) == 1, results  # both went out, the second over the first's text
    assert "không gửi thêm" in str(refused[0])
    assert posted == ([] if manual else [f"Trả lời của {sent[0]}."])
    with db.read() as cur:
        row = cur.execute("SELECT status, reply_text, reply_claimed_at FROM cases WHERE id = ?", [cid]).fetchone()
        replies = cur.execute("SELECT count(*) FROM case_events WHERE case_id = ? AND action = 'reply'",
                              [cid]).fetchone()[0]
    assert row == ("answered", f"Trả lời của {sent[0]}.", None) and replies == 1


def test_a_claim_a_crash_left_is_taken_over_once_stale_and_a_failed_send_lets_it_go(env):
    cfg, db = env
    cid = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    down = lambda: httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500, json={})))  # noqa: E731
    assert cases.send_reply(cfg, db, cid, "Trả lời", "chuyenvien", client_factory=down, now=NOW).startswith("failed")
    with db.write() as cur:  # a serve killed between the claim and the record
        assert store_cases.claim_reply(cur, cid, "chuyenvien", NOW, NOW - timedelta(minutes=5))
    with pytest.raises(CaseError, match="đang được chuyenvien gửi trả lời"):
        cases.send_reply(cfg, db, cid, "Trả lời", "canbo2", manual=True, now=NOW + timedelta(minutes=1))
    later = NOW + cases.claim_stale(20) + timedelta(seconds=1)
    assert cases.send_reply(cfg, db, cid, "Trả lời", "canbo2", manual=True, now=later) == "manual"


def test_a_reply_sent_but_not_recorded_is_said_in_the_log_with_its_text(env, monkeypatch, caplog):
    """record_reply failing after the send (a full disk) kept the claim and said nothing of the reply that went out
    (review29, 6): the log names the case and the text, for whoever answers it by hand."""
    import logging

    cfg, db = env
    case_id = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]

    def full(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_cases, "record_reply", full)
    with caplog.at_level(logging.ERROR, logger="langnghe.cases"), pytest.raises(Exception, match="đầy"):
        cases.send_reply(cfg, db, case_id, "Cảm ơn bạn đã phản ánh", "canbo", manual=True)
    assert f"Phản ánh #{case_id}" in caplog.text and "Cảm ơn bạn đã phản ánh" in caplog.text, caplog.text


def test_a_reply_the_api_sent_but_not_recorded_tells_staff_not_to_send_again(env, monkeypatch):
    """Staff saw only the disk's error and, once the claim went stale, could send a second public reply
    (review29b, 8)."""
    cfg, db = env
    case_id = cases.open_for_items(cfg, db, store(db, fb_items(cfg)), now=NOW)[0]
    posted: list[str] = []

    def full(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_cases, "record_reply", full)
    with pytest.raises(CaseError, match="ĐÃ GỬI tới người dân .* đừng gửi lại"):
        cases.send_reply(cfg, db, case_id, "Cảm ơn bạn đã phản ánh", "canbo", client_factory=_graph(posted))
    assert posted == ["Cảm ơn bạn đã phản ánh"]

"""Complaint cases: opened from new items on the ingest path, answered through the channel's API.

    ingest.process(new ids) ─▶ open_for_items: items flagged own_channel (facebook_page, zalo_oa,
        email_inbox) or with an [cases] open_flags flag (a complaint import, a collaborator report)
        ─▶ store.cases.open_cases, due after [cases] due_working_days working days
           (orchestration/workdays.py: Mon–Fri minus Vietnam's public holidays, computed for any year)
    Phản ánh page ─▶ assign / move / note (store.cases, every change a case_events row)
                 ─▶ send_reply: the channel's API where there is one (collectors.facebook_page.reply,
                    collectors.zalo_oa.reply, through an injected httpx client), else recorded as sent by hand
    zalo_token_refresh job ─▶ collectors.zalo_oa.refresh for sources whose token expired
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable

import httpx

from collectors import facebook_page, netguard, zalo_oa
from collectors.base import ApiError, FetchError
from store import cases as store_cases
from store import sources as store_sources
from store.db import Database, utcnow
from vocab.cases import HANDLED_STATES, REPLY_CHANNELS, STATE_LABELS
from orchestration.sources import effective_config
from orchestration.workdays import WorkCalendar
from vocab.config import Config, SourceConfig, section
from vocab.public_holidays import office_calendar
from vocab.timefmt import to_local, to_utc

log = logging.getLogger("langnghe.cases")
OWN_KINDS = ("facebook_page", "zalo_oa", "email_inbox")
_REPLY = {"facebook_page": facebook_page.reply, "zalo_oa": zalo_oa.reply}


@dataclass(frozen=True)
class CaseSettings:
    due_working_days: int = 5
    holidays: frozenset[date] = frozenset()       # days off besides Vietnam's statutory ones
    open_flags: tuple[str, ...] = ("complaint",)
    reply_timeout_seconds: float = 20.0
    working_days: frozenset[date] = frozenset()   # weekend days worked (compensatory Saturdays)

    @classmethod
    def from_config(cls, cfg: Config) -> "CaseSettings":
        raw, cal = section(cfg, "cases"), office_calendar(cfg)
        return cls(int(raw.get("due_working_days", 5)), cal.extra_off, tuple(raw.get("open_flags", ["complaint"])),
                   float(raw.get("reply_timeout_seconds", 20)), cal.extra_worked)

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.holidays, self.working_days)


def due_at(opened_utc: datetime, s: CaseSettings) -> datetime:
    """The end (23:59 Vietnam time) of the Nth working day after the day a case was opened: Vietnam's
    statutory holidays (Tết, Giỗ Tổ… for any year) and the configured extra days do not count."""
    day = s.calendar.add_working_days(to_local(opened_utc).date(), s.due_working_days)
    return to_utc(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


def channel_of(c: store_cases.CaseCandidate) -> str:
    if c.collector in OWN_KINDS:
        return c.collector
    return "collab" if c.collector == "collab" else "import"


def open_for_items(cfg: Config, db: Database, ids: list[str], now: datetime | None = None) -> list[int]:
    """Open a case for every new item that is a citizen's opinion on an own channel or a flagged complaint."""
    s = CaseSettings.from_config(cfg)
    with db.read() as cur:
        cands = store_cases.case_candidates(cur, ids)
    todo = [c for c in cands if ("own_channel" in c.flags and c.collector in OWN_KINDS
                                 and "page_author" not in c.flags)
            or any(f in c.flags for f in s.open_flags)]
    if not todo:
        return []
    now = now or utcnow()
    new = [store_cases.NewCase(c.item_id, channel_of(c), c.source, now, due_at(now, s), place=c.place) for c in todo]
    with db.write() as cur:
        return store_cases.open_cases(cur, new)


def _source(cfg: Config, db: Database, name: str) -> SourceConfig | None:
    return next((src for src in effective_config(cfg, db).sources if src.name == name), None)


def _client(cfg: Config, timeout: float) -> httpx.Client:
    """The client of replies and token renewals: their addresses come from a source's settings (its Graph or
    Zalo base, oauth_base), so the public-address guard applies as to every fetch — checked before each request,
    then only checked addresses dialled (collectors/netguard)."""
    return netguard.guarded_client(netguard.parse_allow(cfg.http.allow_private_hosts), timeout, ApiError,
                                   answer_max_bytes=cfg.limits.answer_bytes)


def send_reply(cfg: Config, db: Database, case_id: int, text: str, username: str, *,
               client_factory: Callable[[], httpx.Client] | None = None, manual: bool = False,
               now: datetime | None = None) -> str:
    """Answer a case. Through the channel's API where it has one (unless `manual`), else recorded as
    sent by hand. Returns the status written: 'sent', 'manual' or 'failed: …' (the case stays open).
    `now` stamps the answer (a pass at a given time: answered on time is answered_at <= due_at).
    Four steps (round 30, fix30; one function of 70 lines before): read the case, claim it, send, record."""
    text = text.strip()
    if not text:
        raise store_cases.CaseError("Nội dung trả lời đang trống.")
    case, flags = _open_case(db, case_id)
    timeout = CaseSettings.from_config(cfg).reply_timeout_seconds
    _claim(db, case_id, username, now or utcnow(), timeout)
    try:
        via, status = _send(cfg, db, case, flags, text, manual, client_factory, timeout)
    except BaseException:  # a bug, Ctrl+C: the claim is let go, not left to block the case until it is stale
        with db.write() as cur:
            store_cases.release_reply(cur, case_id)
        raise
    _record(db, case_id, text, via, status, username, now or utcnow())
    return status


def _open_case(db: Database, case_id: int) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The case and its item's flags; a CaseError for a case that does not exist, or was answered or closed."""
    with db.read() as cur:
        case = store_cases.get_case(cur, case_id)
        flags = store_cases.item_flags(cur, case["item_id"]) if case else ()
    if case is None:
        raise store_cases.CaseError(f"Không có phản ánh số {case_id}.")
    _refuse_handled(case)
    return case, tuple(flags)


def _claim(db: Database, case_id: int, username: str, at: datetime, timeout: float) -> None:
    """Take the case's reply claim, or a CaseError saying who holds it (or that it was answered meanwhile). The read
    in `_open_case` is no guard: two submits of the same moment both passed it and both sent (round 29's sweep). The
    claim is the check and the write in one statement: only one of them takes it (fix29)."""
    with db.write() as cur:
        claimed = store_cases.claim_reply(cur, case_id, username, at, at - claim_stale(timeout))
        holder = None if claimed else store_cases.reply_claim(cur, case_id)
        again = None if claimed else store_cases.get_case(cur, case_id)
    if claimed:
        return
    if again is None:
        raise store_cases.CaseError(f"Không có phản ánh số {case_id}.")
    _refuse_handled(again)
    who, since = holder or ("", at)
    raise store_cases.CaseError(
        f"Phản ánh #{case_id} đang được {who or 'một tài khoản khác'} gửi trả lời (từ {to_local(since):%H:%M:%S}): "
        "không gửi thêm. Tải lại trang sau ít giây để xem câu trả lời.")


def _send(cfg: Config, db: Database, case: dict[str, Any], flags: tuple[str, ...], text: str, manual: bool,
          client_factory: Callable[[], httpx.Client] | None, timeout: float) -> tuple[str, str]:
    """(via, status): through the channel's API where it has one and not `manual` ('api', 'sent (ref)' or
    'failed: …'), else ('manual', 'manual'). A refused or failed request is a status, not an exception."""
    if manual or case["channel"] not in REPLY_CHANNELS:
        return "manual", "manual"
    src = _source(cfg, db, case["source"])
    try:
        if src is None:
            raise ApiError(f"Nguồn {case['source']} không còn trong cấu hình.")
        with (client_factory() if client_factory else _client(cfg, timeout)) as client:
            ref = _REPLY[case["channel"]](client, src, flags, text)
        return "api", "sent" + (f" ({ref})" if ref else "")
    except (FetchError, httpx.HTTPError) as exc:  # FetchError: ApiError, or refused by the guard
        return "api", f"failed: {exc}"


def _record(db: Database, case_id: int, text: str, via: str, status: str, username: str, at: datetime) -> None:
    """Write the answer (or the failed try), which lets the claim go. A reply sent but not recorded (a full disk) is
    the «ĐÃ GỬI … đừng gửi lại» CaseError: the claim stays until stale, and staff who saw only the disk's error could
    then send a second public reply (review29, 6); what went out is in the log, for whoever answers it by hand."""
    try:
        with db.write() as cur:  # and lets the claim go
            store_cases.record_reply(cur, case_id, text, via, "sent" if status.startswith("sent") else status,
                                     username, at)
    except Exception:
        log.error("Phản ánh #%s: đã gửi trả lời (%s) nhưng không ghi được vào cơ sở dữ liệu; nội dung đã gửi: %s",
                  case_id, status, text[:500])
        if not status.startswith("sent"):
            raise
        raise store_cases.CaseError(
            f"Câu trả lời cho phản ánh #{case_id} ĐÃ GỬI tới người dân nhưng chưa ghi được vào cơ sở dữ liệu; đừng gửi "
            "lại. Báo quản trị (nhật ký máy chủ có nội dung đã gửi) rồi ghi nhận bằng tay khi đã khắc phục.") from None


def claim_stale(timeout: float) -> timedelta:
    """How old a reply's claim is when another submit may take it over: one a crashed process left (kill -9 between
    the claim and the record). Far beyond a reply's own requests ([cases] reply_timeout_seconds each)."""
    return timedelta(seconds=max(300.0, 10 * timeout))


def _refuse_handled(case: dict[str, Any]) -> None:
    """A CaseError for a case answered or closed: a page read before another account's answer still drew its form,
    the citizen got a second public reply and the first one's text was written over (round 29, `hostile32`)."""
    if case["status"] not in HANDLED_STATES:
        return
    case_id = case["id"]
    when = f" lúc {to_local(case['answered_at']):%H:%M %d/%m/%Y}" if case["answered_at"] else ""
    raise store_cases.CaseError(
        f"Phản ánh #{case_id} " + (f"đã được trả lời{when}" if case["status"] == "answered" else "đã đóng")
        + ": không gửi thêm. Tải lại trang để xem câu trả lời; cần trả lời thêm thì chuyển phản ánh sang "
        f"«{STATE_LABELS['in_progress']}» trước.")


def refresh_zalo_tokens(cfg: Config, db: Database, *, client_factory: Callable[[], httpx.Client] | None = None) -> int:
    """The zalo_token_refresh job: renew the OA token of every zalo_oa source whose last poll said
    token_expired (the refresh token rotates; both are stored mode 600)."""
    with db.read() as cur:
        expired = store_sources.failing_with(cur, "token_expired")
    done = 0
    for src in effective_config(cfg, db).sources:
        if src.kind != "zalo_oa" or not src.enabled or src.name not in expired:
            continue
        try:
            with (client_factory() if client_factory else _client(cfg, 20)) as client:
                zalo_oa.refresh(client, src)
            done += 1
        except (FetchError, httpx.HTTPError) as exc:
            log.warning("Zalo OA %s: %s", src.name, exc)
    return done


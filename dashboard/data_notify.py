"""Reads and audited writes of the Thông báo page (named functions of store/notify.py,
orchestration/notify.py; no SQL here)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.labels import no_links
from notify import registry
from notify.channels.email import smtp_server
from orchestration import notify as notify_service
from orchestration.accounts import User, role_allows
from store import notify as store_notify
from store import users as store_users
from store import watchlists as store_watch
from vocab.numbers import number

TTL = 10
# «Địa bàn» of a subscription (round 28, `hostile31`): every alert raised is matched against each name of each
# subscription, in detection's write; 1 MB typed there («p0,p1,…», 500,000 names) was 17 s an alert, for everyone's.
MAX_PLACES = 50
MAX_PLACE_CHARS = 100


def channels() -> dict[str, str]:
    """Every channel's label, for naming what is saved or logged (a console subscription made in the demo)."""
    return registry.labels()


def offered_channels() -> dict[str, str]:
    """The channels the forms offer (orchestration.notify.channel_offered: the console only in the demo or when
    configured), in `channels()`' order."""
    return {n: label for n, label in registry.labels().items() if notify_service.channel_offered(data.config(), n)}


def email_configured() -> bool:
    """Whether the server has an SMTP relay ([notify.email] host; "" on a new install): without one an e-mail
    subscription is saved and every push to it fails «chưa cấu hình máy chủ thư» until the retries run out."""
    return bool(smtp_server(notify_service.channel_settings(data.config(), "email"))[0])


@st.cache_data(ttl=TTL, show_spinner=False)
def my_subscriptions(username: str) -> list[store_notify.Subscription]:
    with data.db().read() as cur:
        return store_notify.subscriptions(cur, username)


@st.cache_data(ttl=TTL, show_spinner=False)
def watchlists() -> dict[int, str]:
    with data.db().read() as cur:
        return {int(w["id"]): str(w["name"]) for w in store_watch.list_watchlists(cur)}


@st.cache_data(ttl=TTL, show_spinner=False)
def send_log(limit: int = 200) -> pd.DataFrame:
    with data.db().read() as cur:
        return data.to_local(pd.DataFrame(store_notify.recent_log(cur, limit)), "logged_at")


TROUBLE_DAYS = 7  # a push given up stays on the pages this long


@st.cache_data(ttl=TTL, show_spinner=False)
def delivery_trouble(username: str | None = None) -> list[dict]:
    """Subscriptions (one user's, or everyone's) whose pushes are failing now or were given up lately."""
    with data.db().read() as cur:
        return store_notify.delivery_trouble(cur, data.now() - timedelta(days=TROUBLE_DAYS), username)


def trouble_text(t: dict, labels: dict[str, str]) -> str:
    """One Vietnamese sentence: which subscription, how many waiting or given up, since when, why."""
    parts = []
    if t["waiting"]:
        parts.append(f"{t['waiting']} tin chờ gửi lại (cũ nhất lúc {data.local(t['since']):%H:%M %d/%m}"
                     + (f", thử lại lúc {data.local(t['next_try']):%H:%M}" if t.get("next_try") else "") + ")")
    wholly = t["failed"] - (t.get("partial") or 0)  # `failed` counts the rows given up for some addresses too
    if wholly:
        parts.append(f"{wholly} tin đã bỏ, không gửi nữa")  # after max_attempts tries, or one when a setting is missing
    if t.get("partial"):  # the others had it: said as such, with who did not (round 31: it read «đã bỏ», fix32)
        parts.append(f"{t['partial']} tin chỉ gửi được một phần, không tới {no_links(t['missed'])}")
    # the address and the server's words are outside text: inert in markdown (review31: a mail server's «550 ![x](…)»
    # would have drawn an image fetched from another machine)
    return (f"Thông báo qua {labels.get(t['channel'], t['channel'])} tới {no_links(t['address'])} đang lỗi: "
            + "; ".join(parts) + (f". Lỗi gần nhất: {no_links(t['last_error'])}" if t.get("last_error") else "."))


@st.cache_data(ttl=TTL, show_spinner=False)
def outbox_counts() -> dict[str, int]:
    with data.db().read() as cur:
        return store_notify.outbox_counts(cur)


def save(user: User, sub: store_notify.Subscription) -> int:
    """A user edits only their own subscriptions; every change is audited."""
    if sub.username != user.username:
        raise PermissionError("Chỉ sửa được đăng ký nhận thông báo của chính mình.")
    if sub.channel not in registry.names():
        raise ValueError(f"Kênh không hợp lệ: {sub.channel}")
    if not notify_service.channel_offered(data.config(), sub.channel):  # the console on a real install (ux42)
        raise ValueError(f"Kênh «{registry.labels().get(sub.channel, sub.channel)}» không dùng được ở hệ thống này; "
                         "chọn kênh khác.")
    if not sub.address.strip() and getattr(registry.get(sub.channel), "demo", False):
        # the demo console prints for whoever watches the server: it needs no address, the user's name labels it
        # (it was refused with a list of e-mail, Telegram, webhook and Zalo addresses, round 25's walk)
        sub = dataclasses.replace(sub, address=user.username)
    if not sub.address.strip():
        raise ValueError("Cần địa chỉ nhận (thư điện tử, mã nhóm Telegram, địa chỉ webhook, mã người dùng Zalo).")
    if len(sub.places) > MAX_PLACES or any(len(p) > MAX_PLACE_CHARS for p in sub.places):
        raise ValueError(f"Địa bàn: tối đa {MAX_PLACES} tên, mỗi tên tối đa {MAX_PLACE_CHARS} ký tự (đã gõ "
                         f"{number(len(sub.places))} tên, dài nhất {number(max(map(len, sub.places)))} ký tự).")
    if sub.mode == "daily" and store_notify.hhmm(sub.daily_at) is None:
        raise ValueError(f"Giờ gửi gộp ngày «{sub.daily_at}» phải có dạng giờ:phút, ví dụ 07:30.")
    if sub.quiet_start or sub.quiet_end:
        if store_notify.hhmm(sub.quiet_start) is None or store_notify.hhmm(sub.quiet_end) is None:
            raise ValueError("Giờ yên lặng cần cả giờ bắt đầu và giờ kết thúc, dạng giờ:phút, ví dụ 22:00 đến 06:00.")
    refused = notify_service.address_refusal(data.config(), sub.channel, sub.address)
    if refused:
        raise ValueError(refused)
    with data.db().write() as cur:
        sid = store_notify.save_subscription(cur, sub)
        store_users.audit(cur, user.username, "notify_subscription", f"subscription:{sid}",
                          {"kênh": sub.channel, "mức tối thiểu": sub.min_severity, "cách gửi": sub.mode,
                           "bật": sub.active}, data.now())
    st.cache_data.clear()
    return sid


def delete(user: User, sub_id: int) -> None:
    with data.db().write() as cur:
        store_notify.delete_subscription(cur, sub_id, user.username)
        store_users.audit(cur, user.username, "notify_subscription_delete", f"subscription:{sub_id}", {}, data.now())
    st.cache_data.clear()


def resend_failed(user: User, sub_id: int) -> int:
    """«Gửi lại các tin lỗi»: the subscription's pushes given up in the last TROUBLE_DAYS wait again, with a
    fresh count of tries; for its owner or an admin; audited. Returns how many."""
    with data.db().write() as cur:
        sub = store_notify.subscription(cur, sub_id)
        if sub is None:
            raise ValueError("Không còn đăng ký nhận thông báo này.")
        if sub.username != user.username and not role_allows(user.role, "admin"):
            raise PermissionError("Chỉ người đăng ký hoặc quản trị viên được gửi lại tin lỗi.")
        if not sub.active:
            raise ValueError("Đăng ký này đang tắt: bật lại (ô «Bật») rồi gửi lại các tin lỗi.")
        now = data.now()
        ids = store_notify.requeue_failed(cur, sub_id, now - timedelta(days=TROUBLE_DAYS), now)
        if ids:
            store_users.audit(cur, user.username, "notify_resend_failed", f"subscription:{sub_id}",
                              {"số tin": len(ids), "kênh": sub.channel, "của": sub.username}, now)
    st.cache_data.clear()
    return len(ids)


def send_test(user: User, channel: str, address: str) -> tuple[bool, str]:
    if not role_allows(user.role, "admin"):
        raise PermissionError("Chỉ quản trị viên được gửi thử.")
    res = notify_service.send_test(data.config(), data.db(), channel, address, user.username)
    st.cache_data.clear()
    return res

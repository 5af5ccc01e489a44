"""The complaint-case lifecycle (Phản ánh): states, transitions, channels, and their Vietnamese labels.

    new ──▶ assigned ──▶ in_progress ──▶ answered ──▶ closed
     │         ▲  │           │              │           │
     └─────────┴──┴───────────┴──────────────┴───────────┴─▶ (closed ─▶ in_progress: reopened)

A case is one citizen's opinion that must be received and handled: a comment or message on the office's
own fanpage or Zalo OA, a complaints e-mail, a collaborator report or an imported row marked as a
complaint. `store/cases.py` enforces the transitions; every change is a `case_events` row.
"""

from __future__ import annotations

STATES = ("new", "assigned", "in_progress", "answered", "closed")
OPEN_STATES = ("new", "assigned", "in_progress")
HANDLED_STATES = ("answered", "closed")
STATE_LABELS = {
    "new": "Mới tiếp nhận",
    "assigned": "Đã giao",
    "in_progress": "Đang xử lý",
    "answered": "Đã trả lời",
    "closed": "Đã đóng",
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "new": ("assigned", "in_progress", "answered", "closed"),
    "assigned": ("assigned", "in_progress", "answered", "closed"),
    "in_progress": ("assigned", "answered", "closed"),
    "answered": ("closed", "in_progress"),
    "closed": ("in_progress",),
}
CHANNELS = ("facebook_page", "zalo_oa", "email_inbox", "collab", "import")
CHANNEL_LABELS = {
    "facebook_page": "Fanpage",
    "zalo_oa": "Zalo OA",
    "email_inbox": "Thư điện tử",
    "collab": "Cộng tác viên",
    "import": "Tệp nhập",
}
# channels whose API can carry the reply back; elsewhere the reply is recorded as sent by hand
REPLY_CHANNELS = ("facebook_page", "zalo_oa")
# what each case_events row records, as staff read it in the case's history (Phản ánh page)
ACTION_LABELS = {
    "opened": "Tiếp nhận",
    "status": "Chuyển trạng thái",
    "assign": "Giao xử lý",
    "due": "Đổi hạn trả lời",
    "note": "Ghi chú",
    "reply": "Trả lời",
}

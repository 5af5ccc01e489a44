"""What each source kind covers, in staff's words, and what cannot be collected at all.

    (each kind's Vietnamese label and one-line description live on its own class in collectors/<kind>.py,
    listed by collectors.registry.describe() and shown on the Nguồn tin page; test_contract.py checks them)
    NOT_COLLECTED   platforms with no open access, and how their posts come in instead
    coverage(cfg)   one row per kind: label, description, sources enabled / paused

Pure data and a pure function (no streamlit); docs/SOURCES.md says the same at length.
"""

from __future__ import annotations

from typing import Any

NOT_COLLECTED: list[dict[str, str]] = [
    {"platform": "Facebook", "why": "Trang và nhóm của người khác không có API mở (CrowdTangle đóng từ 8/2024); chỉ fanpage "
                                    "của chính cơ quan đọc được (nguồn facebook_page).",
     "how": "Nhập tệp xuất từ công cụ khác (langnghe import), hoặc cộng tác viên gửi «Báo cáo CTV» kèm liên kết/ảnh chụp."},
    {"platform": "Zalo", "why": "Nhóm Zalo không có API công khai; chỉ Zalo OA của chính cơ quan đọc được (nguồn zalo_oa).",
     "how": "Cộng tác viên gửi «Báo cáo CTV» (nguồn: Nhóm Zalo) kèm ảnh chụp màn hình."},
    {"platform": "TikTok", "why": "API nghiên cứu của TikTok chỉ cấp cho nhà nghiên cứu được duyệt.",
     "how": "Nhập tệp xuất (CSV/JSONL/XLSX) hoặc gửi «Báo cáo CTV» kèm liên kết video."},
]


def coverage(sources: Any, kinds: list[str]) -> list[dict[str, Any]]:
    """One row per registered kind: label, description, and how many sources are on / paused."""
    from collectors import registry

    described = registry.describe()
    out = []
    for kind in kinds:
        label, description = described.get(kind, (kind, ""))
        mine = [s for s in sources if s.kind == kind]
        out.append({
            "kind": kind,
            "label": label,
            "description": description,
            "enabled": sum(1 for s in mine if s.enabled),
            "paused": sum(1 for s in mine if not s.enabled),
        })
    return out

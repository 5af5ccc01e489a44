"""What each source kind covers, in staff's words, and what cannot be collected at all.

    KINDS           kind → (Vietnamese label, what it covers, its limits); written for the Nguồn tin page,
                    which does not show it yet: test_contract.py checks every registered kind has a row
    NOT_COLLECTED   platforms with no open access, and how their posts come in instead
    coverage(cfg)   one row per kind: label, covers, limits, sources enabled / paused

Pure data and a pure function (no streamlit); docs/SOURCES.md says the same at length.
"""

from __future__ import annotations

from typing import Any

KINDS: dict[str, dict[str, str]] = {
    "rss": {"label": "Báo điện tử (RSS)", "covers": "Các chuyên mục báo có RSS: Báo Quảng Ninh, VnExpress, Tuổi Trẻ…",
            "limits": "Chỉ tin mới nhất của chuyên mục (20–50 tin mỗi lần)."},
    "google_news": {"label": "Google Tin tức (tìm kiếm)",
                    "covers": "Bài báo nhắc tới tên địa bàn (tên cũ và mới, có và không dấu) trên mọi báo.",
                    "limits": "Khoảng 100 kết quả mỗi truy vấn; liên kết qua Google; hỏi dày bị chặn (429)."},
    "bing_news": {"label": "Bing News (tìm kiếm)", "covers": "Bài báo nhắc tới địa bàn; có địa chỉ gốc của bài.",
                  "limits": "10–20 kết quả mỗi truy vấn."},
    "xenforo": {"label": "Diễn đàn (XenForo: voz.vn…)", "covers": "Chủ đề mới và bài mở đầu trong chuyên mục diễn đàn.",
                "limits": "Khoảng 20 chủ đề mới nhất; không có các trả lời."},
    "youtube": {"label": "Kênh YouTube", "covers": "Video mới của kênh (QTV…): tiêu đề và mô tả.",
                "limits": "15 video mới nhất; không có bình luận, không tìm kiếm."},
    "reddit": {"label": "Reddit (tìm kiếm)", "covers": "Bài đăng công khai có từ khóa.",
               "limits": "Khoảng 10 lượt hỏi/phút khi không đăng nhập; ít người Việt dùng."},
    "mastodon": {"label": "Mastodon (hashtag)", "covers": "Bài công khai gắn hashtag trên máy chủ đã cấu hình.",
                 "limits": "300 lượt hỏi/5 phút; tìm theo nội dung cần đăng nhập."},
    "bluesky": {"label": "Bluesky", "covers": "Tìm bài công khai; bài của các tài khoản theo dõi.",
                "limits": "Tìm kiếm không đăng nhập thường bị Bluesky tắt (403); theo dõi tài khoản vẫn được."},
    "telegram": {"label": "Kênh Telegram công khai", "covers": "Bài mới của kênh công khai (trang xem trước t.me/s).",
                 "limits": "Khoảng 20 bài mới nhất; nhóm kín và kênh riêng tư không xem được."},
    "facebook_page": {"label": "Fanpage của cơ quan (Graph API)",
                      "covers": "Bài, bình luận, trả lời và tin nhắn trên fanpage do cơ quan quản lý; mở phản ánh.",
                      "limits": "Cần mã truy cập trang (Page access token); trang khác cần Meta duyệt quyền."},
    "zalo_oa": {"label": "Zalo OA của cơ quan", "covers": "Tin nhắn người dân gửi Official Account; mở phản ánh.",
                "limits": "Cần mã truy cập OA (tự làm mới bằng mã làm mới); không đọc được nhóm Zalo."},
    "email_inbox": {"label": "Hộp thư phản ánh (IMAP)", "covers": "Thư chưa đọc trong hộp thư phản ánh; mở phản ánh.",
                    "limits": "IMAP qua TLS; chỉ lưu tên tệp đính kèm."},
    "html_list": {"label": "Trang web không có RSS", "covers": "Danh sách phản ánh kiến nghị, tin của trang địa phương.",
                  "limits": "Cần khai báo bộ chọn CSS; tuân thủ robots.txt; trang đổi giao diện thì phải sửa."},
}

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
    """One row per registered kind: label, covers, limits, and how many sources are on / paused."""
    out = []
    for kind in kinds:
        info = KINDS.get(kind, {"label": kind, "covers": "", "limits": ""})
        mine = [s for s in sources if s.kind == kind]
        out.append({
            "kind": kind,
            **info,
            "enabled": sum(1 for s in mine if s.enabled),
            "paused": sum(1 for s in mine if not s.enabled),
        })
    return out

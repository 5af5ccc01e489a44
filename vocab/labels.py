"""Topic and sentiment codes with their Vietnamese display names (the UI shows these)."""

from __future__ import annotations

from typing import Iterable

TOPICS: tuple[str, ...] = (
    "land",
    "environment",
    "health",
    "education",
    "public_order",
    "traffic",
    "economy",
    "governance",
    "religion",
    "misinformation_fraud",
    "disaster",
    "welfare",
    "culture_tourism",
)

TOPIC_LABELS: dict[str, str] = {
    "land": "Đất đai, GPMB",
    "environment": "Môi trường, tài nguyên",
    "health": "Y tế, sức khỏe",
    "education": "Giáo dục",
    "public_order": "An ninh trật tự",
    "traffic": "Giao thông",
    "economy": "Kinh tế, việc làm",
    "governance": "Chính quyền, cán bộ",
    "religion": "Tôn giáo, tín ngưỡng",
    "misinformation_fraud": "Tin giả, lừa đảo",
    "disaster": "Thiên tai, sự cố",
    "welfare": "An sinh xã hội",
    "culture_tourism": "Văn hóa, du lịch",
}

SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")

SENTIMENT_LABELS: dict[str, str] = {
    "negative": "Tiêu cực",
    "neutral": "Trung tính",
    "positive": "Tích cực",
}

# item_tags.lang (nlp/langid.py): "none" is a text with no word at all, e.g. a reply made only of emoji.
LANG_LABELS: dict[str, str] = {"vi": "Tiếng Việt", "other": "Ngôn ngữ khác", "none": "Không có chữ"}

# Display forms: the codes above plus what the UI and reports show for untagged items.
DISPLAY_TOPIC_LABELS: dict[str, str] = {**TOPIC_LABELS, "other": "Chưa phân loại"}

# Between an item's topics wherever they are written out (pages, reports): a topic's own name has a comma
# («Đất đai, GPMB»), so ", " read two topics as four.
TOPIC_SEPARATOR = "; "
DISPLAY_SENTIMENT_LABELS: dict[str, str] = {**SENTIMENT_LABELS, "unknown": "Chưa rõ"}
SENTIMENT_ORDER: tuple[str, ...] = ("negative", "neutral", "positive", "unknown")


def topics_text(codes: Iterable[str]) -> str:
    """Topic labels joined by TOPIC_SEPARATOR: the labels hold commas themselves («Tôn giáo, tín ngưỡng», «Tin giả, lừa
    đảo»), so ', ' made two topics read as four («Tôn giáo, tín ngưỡng, Tin giả, lừa đảo»). Alert reasons and reports
    alike (round 18)."""
    return TOPIC_SEPARATOR.join(DISPLAY_TOPIC_LABELS.get(c, c) for c in codes)


# Every source type an item may be stored with, and its Vietnamese name: the one list (vocab.config checks a
# configured source against CONFIGURED_SOURCE_TYPES, a part of it; tests/vocab/test_source_types.py holds every
# collector and form to it). "ctv": a collaborator's report of something heard or seen in person (no link, no
# platform): counted apart from press and social media in charts and tallies.
SOURCE_TYPES: dict[str, str] = {"press": "Báo chí", "social": "Mạng xã hội", "ctv": "CTV / trực tiếp"}

# The types a configured source may have (the config file's [[sources]], the Nguồn tin page): "ctv" is only a
# collaborator's report (collectors/collab.py), never a source one configures. Forums and videos are "social".
CONFIGURED_SOURCE_TYPES: tuple[str, ...] = ("press", "social")

# The after-tagging steps of an item (orchestration.ingest.StepFailure.step, item_steps_pending.last_step) as
# `langnghe steps` names the one that failed last.
STEP_LABELS: dict[str, str] = {
    "cases": "mở hồ sơ phản ánh",
    "watchlists": "đối chiếu danh sách theo dõi",
}

# failed attempts of one item's after-tagging steps before it is given up (migration 177; store.tags names it too).
# Here, not in store/, because `langnghe steps --help` says it and help texts load no database library.
STEP_ATTEMPTS = 3

# The fields an imported file's columns map to (`langnghe import --map title=…,text=…`, the Nhập dữ liệu page;
# collectors.imports.mapping.FIELDS). Here because `langnghe import --help` lists them without loading the readers.
IMPORT_FIELDS: tuple[str, ...] = ("title", "text", "url", "published_at", "author", "outlet", "place", "source_type",
                                  "id")

# Staff roles, each allowed what the one before it is: viewers read, analysts also review, correct and import,
# admins also manage accounts and settings (orchestration.accounts.role_allows).
STAFF_ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
# Collaborators (cộng tác viên DLXH) are outside that ladder: their account opens the collaborators' form and
# nothing else, so an office can give its fifteen collaborators logins without letting them read the dashboard,
# review alerts or correct tags. A page or action for them says min_role COLLABORATOR; analysts and admins
# may file a collaborator's report too.
COLLABORATOR = "ctv"
ROLES: tuple[str, ...] = (COLLABORATOR, *STAFF_ROLES)

# An item with no full-text row yet (store.fulltext.status_by_source, Nguồn tin): in the fetch window it waits for
# its turn; fetched before the window ([fulltext] max_age_hours) it is never tried.
FULLTEXT_WAITING = "pending"
FULLTEXT_TOO_OLD = "too_old"

# Full-text statuses (item_fulltext.status, collectors/fulltext.py) as `langnghe fulltext` and Nguồn tin say them;
# 'http_<code>' and 'fetch_<kind>' are worded by collectors.fulltext.status_label. A refusal by robots.txt is final;
# robots.txt that did not answer is tried again later, so staff read it as a wait, not as "the site forbids us".
FULLTEXT_STATUS_LABELS: dict[str, str] = {
    "ok": "đã lấy toàn văn",
    "robots": "robots.txt không cho phép",
    "robots_unreachable": "không tải được robots.txt",  # whether it is tried again is said beside it
    "empty": "không tách được nội dung",
    "not_html": "không phải trang HTML",
    "error": "lỗi khi xử lý trang",
    FULLTEXT_WAITING: "đang chờ lấy",
    FULLTEXT_TOO_OLD: "quá hạn, không lấy",
}

# What a retention run purged (store/retention.py `Purged.what`), as `langnghe retention` prints it after
# "N dòng". "item_rows:TABLE" are the rows of another table that belonged to purged items: every table with an
# `item_id` column (store.retention._item_tables) has its name here, so no table name reaches staff.
PURGE_LABELS: dict[str, str] = {
    "raw_payloads": "dữ liệu gốc của tin",
    "items": "tin bài",
    "stories": "sự việc không còn tin nào",
    "notify_outbox": "thông báo đã gửi xong hoặc bỏ",
    "notify_log": "nhật ký gửi thông báo",
    "fetch_log": "nhật ký thu thập nguồn tin",
    "item_rows:search_postings": "mục chỉ mục tìm kiếm",
    "item_rows:item_search": "mục tìm kiếm của tin đã xóa",
    "item_rows:item_links": "liên kết của tin đã xóa",
    "item_rows:item_raw": "dữ liệu gốc của tin đã xóa",
    "item_rows:item_fulltext": "toàn văn của tin đã xóa",
    "item_rows:item_tags": "nhãn phân tích của tin đã xóa",
    "item_rows:human_labels": "nhãn cán bộ sửa của tin đã xóa",
    "item_rows:story_items": "mục sự việc của tin đã xóa",
    "item_rows:cases": "phản ánh của tin đã xóa",
    "item_rows:collab_reports": "báo cáo CTV của tin đã xóa",
    "item_rows:watch_hits": "kết quả theo dõi của tin đã xóa",
    "item_rows:item_steps_pending": "bước xử lý còn chờ của tin đã xóa",
    # a run a stop ended (store.retention.STOPPED): its rows are the old items left for the next run
    "stopped": "tin cũ chưa xóa vì lần chạy dừng giữa chừng (lần sau xóa tiếp)",
}


# Each kind of data a run purges (`Purged.what`, but the "item_rows:TABLE" rows that go with their items) and the
# [retention] setting whose age it follows, in the order store.retention purges them. `langnghe retention --help`
# names each from this list (fix34: it named only raw payloads and old items); here, in vocab, so that building the
# help imports no DuckDB. tests/langnghe/test_retention_cli.py checks that a run purges nothing else.
PURGES: tuple[tuple[str, str], ...] = (
    ("notify_outbox", "notify_days"),
    ("notify_log", "notify_days"),
    ("fetch_log", "fetch_log_days"),
    ("raw_payloads", "raw_payload_days"),
    ("items", "items_days"),
    ("stories", "items_days"),
)


def purge_label(what: str) -> str:
    """Vietnamese for a retention log's `what`, read after "N dòng"; a table added later and not named above
    reads as rows kept with the purged items, not by its table name."""
    if what in PURGE_LABELS:
        return PURGE_LABELS[what]
    if what.startswith("item_rows:"):
        return "dữ liệu khác của tin đã xóa"
    return what

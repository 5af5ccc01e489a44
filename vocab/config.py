"""Configuration: one annotated `langnghe.toml` holds every default.

    vocab/langnghe.toml  (shipped defaults, every key documented)
            │  deep-merged with
    --config FILE  or  $LANGNGHE_CONFIG  (a deployment's overrides; `[[sources]]` replaces the list)
            │  then
    $LANGNGHE_DB  (overrides storage.db_path; handy for tests and one-off runs)
            ▼
    Config (frozen dataclasses; unknown keys are an error so typos never pass silently)
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, get_type_hints
from urllib.parse import urlsplit

from vocab.labels import CONFIGURED_SOURCE_TYPES, SOURCE_TYPES
from vocab.oserrors import os_error_text

DEFAULTS_PATH = Path(__file__).with_name("langnghe.toml")


class ConfigError(ValueError):
    """A setting is missing, unknown or has the wrong type."""


@dataclass(frozen=True)
class AreaConfig:
    province: str
    name: str
    focus: str


@dataclass(frozen=True)
class StorageConfig:
    db_path: str
    snapshot_path: str
    snapshot_every_minutes: float
    write_chunk_items: int = 5000
    max_title_chars: int = 1000
    max_text_chars: int = 50000
    write_group_max_items: int = 5000
    keep_upgrade_copies: int = 2


@dataclass(frozen=True)
class RetentionConfig:
    items_days: int
    raw_payload_days: int
    mask_author_handles: bool
    notify_days: int = 90
    chunk_items: int = 5000
    fetch_log_days: int = 90


@dataclass(frozen=True)
class ScheduleConfig:
    tick_seconds: float
    default_interval_minutes: float
    max_backoff_hours: float


@dataclass(frozen=True)
class HttpConfig:
    user_agent: str
    connect_timeout_seconds: float
    read_timeout_seconds: float
    fetch_deadline_seconds: float
    max_body_mb: float
    max_concurrency: int
    per_host_spacing_seconds: float
    max_redirects: int
    future_tolerance_minutes: float
    allow_private_hosts: tuple[str, ...] = ()  # "host" or "host:port" exempt from the public-address check
    max_bodies_mb: float = 80.0  # bodies of all fetches in flight together (collectors/budget.py)


@dataclass(frozen=True)
class DashboardConfig:
    host: str
    port: int
    refresh_seconds: float
    latest_items: int
    explorer_limit: int = 500
    baseline_days: int = 28
    briefing_default_days: int = 7
    briefing_negative_items: int = 30


@dataclass(frozen=True)
class ImportsConfig:
    utc_offset_hours: float = 7.0
    preview_rows: int = 10
    default_source_type: str = "social"
    default_outlet: str = ""
    max_cell_chars: int = 100_000
    max_line_bytes: int = 2_000_000
    max_uncompressed_mb: float = 100.0
    chunk_rows: int = 5000
    max_xlsx_part_mb: float = 5.0


@dataclass(frozen=True)
class LimitsConfig:
    """What the collectors read of one answer a source sent, and the process-wide caches of outside words: the
    bounds an operator may move (a larger feed, a smaller machine). `[limits]` in vocab/langnghe.toml says what each
    bounds and why its default; the top layer hands this object down (CollectContext.limits, the blocking client,
    full text), no module reads it itself. The caps nobody should raise (nesting depths, tag counts, coding layers:
    a parser's time or memory grows faster than the input past them) stay constants where they are used."""

    max_entries: int = 1000
    max_feed_mb: float = 8.0
    max_json_mb: float = 16.0
    max_json_values: int = 1_000_000
    max_page_chars: int = 2_000_000
    max_article_chars: int = 500_000
    max_article_mb: float = 8.0
    max_mail_mb: float = 5.0
    max_answer_mb: float = 1.0
    fold_cache_words: int = 200_000

    @property
    def feed_bytes(self) -> int:
        return mb_bytes(self.max_feed_mb)

    @property
    def json_bytes(self) -> int:
        return mb_bytes(self.max_json_mb)

    @property
    def article_bytes(self) -> int:
        return mb_bytes(self.max_article_mb)

    @property
    def mail_bytes(self) -> int:
        return mb_bytes(self.max_mail_mb)

    @property
    def answer_bytes(self) -> int:
        return mb_bytes(self.max_answer_mb)


def mb_bytes(mb: float) -> int:
    """Megabytes of a setting as bytes (MiB, as http.max_body_mb counts them)."""
    return round(mb * 1024 * 1024)


# The shipped defaults, for a function called without a Config (tests, benches, a pure helper): the same numbers
# as [limits] in vocab/langnghe.toml (tests/vocab/test_limits.py fails when they part).
DEFAULT_LIMITS = LimitsConfig()


@dataclass(frozen=True)
class SearchConfig:
    compact_tail_rows: int = 2_000_000
    compact_check_minutes: float = 60.0
    compact_chunk_rows: int = 2_000_000


@dataclass(frozen=True)
class ReportsConfig:
    """[reports] (docs/REPORTS.md): read, typed, defaulted and checked here, at load, as the other typed sections are
    (`_build`, then `_check_reports`); reports.ReportSettings is these fields and what it derives from them ({tỉnh}
    filled in, masking, the office's days off). Until fix33 reports checked the section itself (types, unknown keys,
    pdf_engine, schedule_weekday, schedule_time, layout) at each report while `_check_parts` checked its numbers here:
    two rules, and `schedule_weekday = 9`, `pdf_engine = "word"` or `schedule_time = "25:00"` loaded, serve started,
    and each report or weekly pass failed on them. The messages are the ones reports said."""

    layout: str = "party"          # "party" (Hướng dẫn 36-HD/VPTW) or "state" (Nghị định 30/2020/NĐ-CP)
    parent_body: str = "TỈNH ỦY QUẢNG NINH"
    issuing_body: str = "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    issuer_name: str = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    symbol: str = "BC/BTGDVTU"
    place: str = "Quảng Ninh"
    area_label: str = ""
    signer_title: tuple[str, ...] = ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    font_size: int = 14
    docx_font: str = "Times New Roman"
    pdf_fonts: tuple[str, ...] = ()
    pdf_engine: str = "auto"
    chromium_path: str = ""
    browser_timeout_seconds: float = 120.0
    charts: bool = True
    top_stories: int = 10
    negative_items: int = 30
    top_places: int = 20
    rapid_items: int = 60
    appendix_max_rows: int = 500
    schedule_weekday: int = 5
    schedule_time: str = "16:00"
    schedule_areas: tuple[str, ...] = ("",)
    schedule_notify: bool = True    # push «the week's report is ready» to subscribers (store.notify outbox)
    archive_dir: str = "var/reports"


PDF_ENGINES = ("auto", "chromium", "weasyprint")
# Signer authority prefixes: the Party writes "T/M", "K/T", "T/L", "T/UQ" (36-HD/VPTW); the state
# "TM.", "KT.", "TL.", "TUQ." (Nghị định 30/2020, Phụ lục I); a title without one (e.g. "TRƯỞNG BAN") is allowed.
_PARTY_SIGN = re.compile(r"^(T/M|K/T|T/L|T/UQ)\s")
_STATE_SIGN = re.compile(r"^(TM|KT|TL|TUQ)\.\s")
_ANY_SIGN = re.compile(r"^(T/M|K/T|T/L|T/UQ|TM\.|KT\.|TL\.|TUQ\.)(\s|$)")


def check_report_layout(layout: str, symbol: str, signer_title: tuple[str, ...]) -> None:
    """The issuer settings must follow the rule of the chosen layout (a Party symbol in a state heading, or
    "KT." under "ĐẢNG CỘNG SẢN VIỆT NAM", would be sent back by the records office)."""
    if layout not in ("party", "state"):
        raise ConfigError('[reports] layout phải là "party" (văn bản của Đảng) hoặc "state" (văn bản hành chính)')
    first = (signer_title or ("",))[0].strip().upper()
    if layout == "party":
        if not re.fullmatch(r"[A-ZĐ]+/[A-ZĐ0-9]+", symbol):
            raise ConfigError(f'[reports] symbol của văn bản Đảng có dạng "BC/BTGDVTU" (ra "Số …-BC/BTGDVTU"), '
                              f"không phải {symbol!r}")
        if _ANY_SIGN.match(first) and not _PARTY_SIGN.match(first):
            raise ConfigError(f'[reports] văn bản Đảng ký "T/M", "K/T", "T/L" hoặc "T/UQ", không phải {first!r}')
    else:
        if not re.fullmatch(r"[A-ZĐ]+-[A-ZĐ0-9]+", symbol):
            raise ConfigError(f'[reports] symbol của văn bản hành chính có dạng "BC-SVHTTDL" (ra "Số: …/BC-SVHTTDL"), '
                              f"không phải {symbol!r}")
        if _ANY_SIGN.match(first) and not _STATE_SIGN.match(first):
            raise ConfigError(f'[reports] văn bản hành chính ký "TM.", "KT.", "TL." hoặc "TUQ.", không phải {first!r}')


def report_time(text: str) -> tuple[int, int]:
    """[reports] schedule_time by the one time-of-day reader (vocab.timefmt.hhmm: '07:30', '7h30', '24:00')."""
    from vocab.timefmt import hhmm

    hm = hhmm(text)
    if hm is None:
        raise ConfigError(f"[reports] schedule_time phải có dạng giờ:phút, ví dụ \"07:30\", không phải {text!r}")
    return hm


def _check_reports(r: ReportsConfig) -> None:
    """What [reports] needs besides its types and number ranges (`_build`)."""
    if r.pdf_engine not in PDF_ENGINES:
        raise ConfigError("[reports] pdf_engine phải là auto, chromium hoặc weasyprint")
    if not 0 <= r.schedule_weekday <= 7:
        raise ConfigError("[reports] schedule_weekday phải là 0 (tắt) hoặc 1–7 (thứ Hai … Chủ nhật)")
    report_time(r.schedule_time)
    check_report_layout(r.layout, r.symbol, r.signer_title)


# The source types a source may be configured with (config file and the Nguồn page) are vocab.labels'
# CONFIGURED_SOURCE_TYPES, named as every stored type is in vocab.labels.SOURCE_TYPES: one vocabulary, also for
# vocab.privacy.PERSONAL_SOURCE_TYPES. Until round 18 this module kept its own list, without "ctv".


def configured_types_text() -> str:
    """The accepted configured source types as an error message names them: 'press' (báo chí) hoặc …"""
    return " hoặc ".join(f"'{t}' ({SOURCE_TYPES[t].lower()})" for t in CONFIGURED_SOURCE_TYPES)

# The address schemes a configured source's url may have, per kind (every other kind: http and https). A
# `file:///etc/passwd` or `http:///x` source fetched nothing, and its health said «DNS: : Name or service not
# known»: now it fails at load, saying what is accepted.
SOURCE_URL_SCHEMES: dict[str, tuple[str, ...]] = {"email_inbox": ("imaps", "imap")}
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str
    outlet: str
    source_type: str = "press"
    interval_minutes: float = 0.0  # 0 = schedule.default_interval_minutes
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    # a feed behind a login (fix36): HTTP Basic to the url's own origin only (collectors/http.py); the password is
    # the secret named by password_env (vocab/secrets.py), never written here. Both or neither (source_login_refusal)
    username: str = ""
    password_env: str = ""


@dataclass(frozen=True)
class Config:
    area: AreaConfig
    storage: StorageConfig
    retention: RetentionConfig
    schedule: ScheduleConfig
    http: HttpConfig
    dashboard: DashboardConfig
    sources: tuple[SourceConfig, ...]
    imports: ImportsConfig = field(default_factory=ImportsConfig)
    extra: dict[str, Any] = field(default_factory=dict)
    search: SearchConfig = field(default_factory=SearchConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    # [source_logins]: each login secret a source may use, and the one origin it may be sent to (review36)
    source_logins: dict[str, str] = field(default_factory=dict)

    def source(self, name: str) -> SourceConfig:
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


_COERCE = {float: (int, float), int: (int,), bool: (bool,), str: (str,)}
_STR_TUPLE = tuple[str, ...]
_TYPE_WORDS = {float: "một số", int: "một số nguyên", bool: "true hoặc false", str: "một chuỗi trong ngoặc kép"}


# Settings an older release had, with what became of them: an override file brought from that release is told
# what to do with the line, not only that the key is unknown. Add a line here when a release drops or renames one.
RETIRED = {
    "[stories] conflict_threshold": "đã tách thành [stories] topic_conflict_threshold (khi tin và vụ việc không "
                                    "chung chủ đề nào); tin ở phường/xã khác nhau nay không bao giờ gộp",
    "[stories] ward_conflict_threshold": "đã bỏ: tin ở hai phường/xã khác nhau (đơn vị 2025) nay không bao giờ "
                                         "gộp vào một vụ việc, không còn ngưỡng để chỉnh",
}


def close_name(key: str, known: Iterable[str]) -> str:
    """« (có phải min_outlets?)» after a misspelt setting when one known name is close to it; "" otherwise. The
    error named the typo and sent the maintainer to read vocab/langnghe.toml for the right one (round 26)."""
    import difflib

    match = difflib.get_close_matches(key, [str(k) for k in known], n=1, cutoff=0.8)
    return f" (có phải {match[0]}?)" if match else ""


def unknown_keys_error(where: str, keys: list[str]) -> ConfigError:
    """The error for an override file's settings the defaults lack: each named, a retired one with what became
    of it."""
    parts = [f"{k} ({RETIRED[k]}; xóa dòng này)" if k in RETIRED else k for k in keys]
    return ConfigError(f"{where}không có thiết lập {', '.join(parts)} (các thiết lập có ghi trong vocab/langnghe.toml)")


# What a number of a typed section may be, besides finite: (lowest, highest or None, lowest itself allowed?).
# Every other number is at least 0. Why each bound: retention.items_days = 0 (read as "0 turns it off", as some
# settings say) purged every item; the admin page already allowed 30–3650. A zero or negative size, count or
# timeout made every fetch, write or import fail. schedule.tick_seconds = 0 (or a few milliseconds) made serve's
# scheduler loop without pause at 100% CPU; intervals are minutes, so a tick under a second buys nothing
# (tests tick faster through tests/conftest.make_config, never through a config file).
_RANGES: dict[str, tuple[float, float | None, bool]] = {
    "retention.items_days": (30, None, True),
    "retention.raw_payload_days": (1, None, True),
    "retention.notify_days": (1, None, True),
    "retention.fetch_log_days": (1, None, True),
    "retention.chunk_items": (1, None, True),
    "fulltext.max_attempts": (1, None, True),
    "schedule.tick_seconds": (1, None, True),
    # settings that drive a loop (round 29's sweep, fix29: [dashboard] refresh_seconds = 0.001 searched again every
    # millisecond in every open tab): at least a figure below which nothing is seen sooner, only the load grows.
    # Those where 0 turns the job off are in _OFF_OR_AT_LEAST. Why each bound: vocab/langnghe.toml.
    "schedule.default_interval_minutes": (1, None, True),
    "http.connect_timeout_seconds": (0, None, False),
    "http.read_timeout_seconds": (0, None, False),
    "http.fetch_deadline_seconds": (0, None, False),
    "http.max_body_mb": (0, None, False),
    "http.max_concurrency": (1, None, True),
    "http.max_bodies_mb": (0, None, False),  # and at least max_body_mb (_check_body_budget)
    "storage.max_title_chars": (1, None, True),
    "storage.max_text_chars": (1, None, True),
    "storage.write_group_max_items": (1, None, True),
    "storage.keep_upgrade_copies": (1, None, True),
    "dashboard.port": (1, 65535, True),
    "dashboard.refresh_seconds": (5, None, True),
    "imports.utc_offset_hours": (-12, 14, True),
    "imports.max_cell_chars": (1, None, True),
    "imports.max_line_bytes": (1, None, True),
    "imports.max_uncompressed_mb": (0, None, False),
    "imports.chunk_rows": (1, None, True),
    "imports.max_xlsx_part_mb": (0, 50, False),  # openpyxl holds such a part whole, several times its size
    "search.compact_chunk_rows": (1, None, True),
    "search.compact_check_minutes": (1, None, True),
    # [limits]: above 0 (0 would refuse every feed, answer or message), and at most 10 to 100 times the default
    # (past it the memory or time bench/hostile_parse.py measured per answer grows to gigabytes or minutes: a typo
    # of a few zeros, not a bigger site). Why each default and bound: vocab/langnghe.toml.
    "limits.max_entries": (1, 100_000, True),
    "limits.max_feed_mb": (0, 128, False),
    "limits.max_json_mb": (0, 256, False),
    "limits.max_json_values": (1, 10_000_000, True),
    "limits.max_page_chars": (1, 20_000_000, True),
    "limits.max_article_chars": (1, 5_000_000, True),
    "limits.max_article_mb": (0, 128, False),
    "limits.max_mail_mb": (0, 100, False),
    "limits.max_answer_mb": (0, 64, False),
    "limits.fold_cache_words": (1, 2_000_000, True),
    # The parts' own sections (read as dicts where each part uses them; checked at load by _check_parts). Only
    # where a bad value does harm: a divisor (alerts.bin_minutes, baseline_days: ZeroDivisionError in every
    # detection pass), a batch or count that makes a loop do nothing (nlp.batch_size = 0: nothing ever tagged;
    # alerts.source_fail_count = 0: every source in alarm), a window (a negative stories.window_hours groups
    # nothing), a similarity outside 0–1 (never or always joins), a memory size (stories.n_features allocates
    # float32 arrays of that length: at most 2^24, 64 MB each), a timeout (0 fails every send), a library's own
    # range (bcrypt 4–31). Every other number of these sections is finite and at least 0, as above.
    "collab.max_reports_per_hour": (1, None, True),  # 0 would refuse every report
    "nlp.max_chars": (1, None, True),
    "nlp.classify_chars": (1, None, True),
    "nlp.min_marked_share": (0, 1, True),
    "nlp.workers": (1, None, True),
    "nlp.batch_size": (1, 10_000, True),  # a batch is held whole: ≈ 16 KB an item (langnghe tag's MAX_BATCH, round 29)
    "stories.window_hours": (0, None, False),
    "stories.join_threshold": (0, 1, True),
    "stories.near_threshold": (0, 1, True),
    "stories.topic_conflict_threshold": (0, 1, True),
    "stories.refer_threshold": (0, 1, True),
    "stories.refer_copy_threshold": (0, 1, True),
    "stories.same_source_threshold": (0, 1, True),
    "stories.reply_threshold": (0, 1, True),
    "stories.section_share": (0, 1, True),
    "stories.ngram_min": (1, None, True),
    "stories.ngram_max": (1, None, True),
    "stories.n_features": (1, 2 ** 24, True),
    "stories.centroid_terms": (1, None, True),
    "stories.max_postings": (1, None, True),
    "stories.max_candidates": (1, None, True),
    "stories.max_keys": (1, None, True),
    "stories.text_chars": (1, None, True),
    "alerts.lookback_hours": (0, None, False),
    "alerts.baseline_days": (1, None, True),
    "alerts.bin_minutes": (0, None, False),
    "alerts.burst_scale": (1, None, False),
    "alerts.source_volume_days": (1, None, True),
    "alerts.source_check_minutes": (1, None, True),
    "alerts.source_fail_count": (1, None, True),
    "reports.browser_timeout_seconds": (0, None, False),
    # a reply's claim left by a crash is taken over after 10 × this (orchestration.cases.claim_stale): 1e9 held the
    # case for centuries, 1e300 made every reply an OverflowError (round 30's sweep, hostile33)
    "cases.reply_timeout_seconds": (0, 600, False),
    "notify.max_attempts": (1, None, True),
    # waits between tries (round 30, fix30): a typo of a few zeros (retry_base_seconds = 86400000) held every
    # message of the outbox back for years, max_backoff_hours = 1e9 a failing source, lockout_max_minutes = 1e13
    # made every login an OverflowError. At most an hour (the first wait), a day (the longest), a week (a source's,
    # a lockout's). Why each bound: vocab/langnghe.toml.
    "notify.retry_base_seconds": (0, 3600, True),
    "notify.retry_max_seconds": (0, 86400, True),  # 0: no cap (documented there)
    # 0 tried a failing source again at every tick; above 0, as before fix30 (0,5 loaded, and langnghe.toml
    # advises lowering it: review30)
    "schedule.max_backoff_hours": (0, 168, False),
    "auth.lockout_minutes": (0, 10080, True),
    "auth.lockout_max_minutes": (0, 10080, True),
    "notify.timeout_seconds": (0, None, False),
    "notify.email.port": (1, 65535, True),
    "auth.session_hours": (0, None, False),
    "auth.idle_minutes": (0, None, False),
    "auth.bcrypt_rounds": (4, 31, True),
    "auth.download_link_minutes": (0, None, False),
}


# settings that drive a loop where 0 turns it off: 0, or at least this (a snapshot copying the database at every tick;
# fix29). A source's interval_minutes, 0 or 1 to a day, is `source_interval_refusal`'s rule, below
_OFF_OR_AT_LEAST: dict[str, float] = {
    "storage.snapshot_every_minutes": 1,
    "fulltext.catchup_minutes": 1,
}


# A source's interval_minutes: 0 (schedule.default_interval_minutes) or from 1 to this, wherever a source comes from
# (the config file, Nguồn tin's form, a managed_sources row: `source_interval_refusal`). fix29 bounded the form at a
# day; a row saved before (or edited in the database) with 1e9 was next polled in the year 3928, and NaN ended the
# whole collection pass with a ValueError, the other sources' batches unwritten (round 30, fix30).
SOURCE_INTERVAL_MAX_MINUTES = 24 * 60


def source_interval_refusal(minutes: Any) -> str | None:
    """Why a source's interval_minutes cannot be used (Vietnamese, for its health line and the form), None when it
    can: 0, or finite from 1 to SOURCE_INTERVAL_MAX_MINUTES."""
    try:
        value = float(minutes)
    except OverflowError:  # an int of 400 digits: too big, said as it is
        value = math.inf
    except (TypeError, ValueError):
        value = math.nan
    if value == 0 or 1 <= value <= SOURCE_INTERVAL_MAX_MINUTES:
        return None
    from vocab.numbers import fmt_num

    said = fmt_num(value, 3) if math.isfinite(value) and abs(value) < 1e15 else repr(minutes)[:40]
    if math.isnan(value):  # «Chu kỳ thu thập nan phút» (review30)
        return (f"Chu kỳ thu thập ({repr(minutes)[:40]}) không phải một số: phải là 0 (theo chu kỳ mặc định) hoặc từ 1 "
                f"đến {fmt_num(SOURCE_INTERVAL_MAX_MINUTES)} phút")
    if math.isfinite(value) and round(value, 3) != value:  # three decimals would hide why: 1e-9 was «Chu kỳ thu thập
        # 0 phút không dùng được: phải là 0…», 1440.0001 «1.440 phút … đến 1.440» (round 30's sweep, hostile33)
        said = repr(value).replace(".", ",")
    return (f"Chu kỳ thu thập {said} phút không dùng được: phải là 0 (theo chu kỳ mặc định) hoặc từ 1 đến "
            f"{fmt_num(SOURCE_INTERVAL_MAX_MINUTES)} phút")


# An integer past this is no setting (a float's largest is about 1.8e308): TOML reads `x = 1000…0` of 400 digits as
# a Python int, and float() or math.isfinite() of it was an OverflowError traceback out of every command (round 30's
# sweep, hostile33)
_INT_MAX = 10**300


# A duration no setting means: past 100 years, `now ± timedelta(…)` leaves Python's datetime (years 1–9999) or
# timedelta itself: `[auth] session_hours = 1e9` made every login, `[retention] items_days = 1e6` every purge,
# `[alerts] lookback_hours = 1e300` every detection pass an OverflowError (round 30's sweep, hostile33). The settings
# named by their unit; those with a bound of their own (_RANGES) keep it.
_DURATION_UNITS = {"_seconds": 1, "_minutes": 60, "_hours": 3600, "_days": 86400}
_DURATION_MAX_DAYS = 36_500


def _too_big(where: str, name: str, value: Any) -> None:
    """A ConfigError for an integer no setting can take, said by its number of digits (not the 400 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _INT_MAX:
        try:
            from vocab.numbers import number

            digits = number(len(str(abs(value))))
        except ValueError:  # past Python's 4,300 digits (not from a TOML file, which stops there)
            digits = "hơn 4.300"
        raise ConfigError(f"[{where}] {name} là một số nguyên {digits} chữ số: quá lớn cho mọi thiết lập")


def _check_range(where: str, name: str, value: float) -> None:
    """A ConfigError in Vietnamese when a number is not finite or leaves its range (_RANGES, _OFF_OR_AT_LEAST; else
    at least 0)."""
    _too_big(where, name, value)
    if not math.isfinite(value):
        raise ConfigError(f"[{where}] {name} phải là một số hữu hạn, không phải {value!r}")
    # 16777216, not 1.67772e+07; 1.0000001 as written, not %g's «1» (review29b)
    # 1e+300, not its 301 digits (hostile33)
    fmt = lambda x: str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))  # noqa: E731
    table = re.sub(r"\[[0-9]+\]$", "", where)  # «sources[3]»: a source's own
    # the value as typed: an integer setting is a float here, and «refresh_seconds = 1» was refused as «không phải
    # 1.0» (ux36: a dot in a Vietnamese message reads as a thousands separator, and it was not what the file says)
    said_value = fmt(value)
    if table == "sources" and name == "interval_minutes":  # the rule the form and the runner keep, said for the file
        if source_interval_refusal(value) is not None:  # (round 31: this check kept its own copy of it before)
            # «1440», not the UI's «1.440» (the form, source_interval_refusal): in the TOML file «1.440» is a float,
            # one minute and a half, so this message says the bound as it is to be written there (fix33)
            raise ConfigError(f"[{where}] {name} phải là 0 (theo [schedule] default_interval_minutes) hoặc từ 1 đến "
                              f"{SOURCE_INTERVAL_MAX_MINUTES}, không phải {said_value}")
        return
    off_low = _OFF_OR_AT_LEAST.get(f"{table}.{name}")
    if off_low is not None and value != 0 and not value >= off_low:
        raise ConfigError(f"[{where}] {name} phải là 0 (tắt) hoặc từ {off_low:g} trở lên, không phải {said_value}")
    low, high, inclusive = _RANGES.get(f"{where}.{name}", (0, None, True))
    if high is not None and inclusive and not low <= value <= high:
        raise ConfigError(f"[{where}] {name} phải từ {fmt(low)} đến {fmt(high)}, không phải {said_value}")
    if high is not None and not inclusive and not low < value <= high:
        raise ConfigError(f"[{where}] {name} phải lớn hơn {fmt(low)} và không quá {fmt(high)}, không phải {said_value}")
    if value < low or (value == low and not inclusive):
        said = f"từ {fmt(low)} trở lên" if inclusive else f"lớn hơn {fmt(low)}"
        raise ConfigError(f"[{where}] {name} phải {said}, không phải {said_value}")
    unit = next((u for u in _DURATION_UNITS if name.endswith(u)), None)
    if unit is not None and value > _DURATION_MAX_DAYS * 86400 / _DURATION_UNITS[unit]:
        most = _DURATION_MAX_DAYS * 86400 // _DURATION_UNITS[unit]
        raise ConfigError(f"[{where}] {name} phải không quá {most} (100 năm), không phải {said_value}")


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"[{where}] phải là một bảng (dòng [{where}] rồi các thiết lập bên dưới), "
                          f"không phải {data!r}")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        names = ", ".join(f"{k} ({RETIRED[f'[{where}] {k}']})" if f"[{where}] {k}" in RETIRED
                          else k + close_name(k, known) for k in sorted(unknown))
        raise ConfigError(f"[{where}] không có thiết lập: {names} (các thiết lập có ghi trong vocab/langnghe.toml)")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue  # dataclass default, or a clear "missing" error below
        value = data[f.name]
        typ = hints[f.name]
        ok = _COERCE.get(typ)
        if ok is not None:
            if typ is not bool and isinstance(value, bool) or not isinstance(value, ok):
                raise ConfigError(f"[{where}] {f.name} phải là {_TYPE_WORDS[typ]}, không phải {value!r}")
            _too_big(where, f.name, value)
            value = typ(value)
            if typ in (int, float):
                _check_range(where, f.name, value)
        elif typ == _STR_TUPLE:  # a TOML list of strings, kept hashable
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"[{where}] {f.name} phải là danh sách chuỗi, ví dụ [\"a\", \"b\"], không phải {value!r}")
            value = tuple(value)
        kwargs[f.name] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:  # a required key is missing
        missing = ", ".join(re.findall(r"'(\w+)'", str(exc))) or str(exc)
        raise ConfigError(f"[{where}] thiếu thiết lập bắt buộc: {missing}") from None


SECTIONS: dict[str, type] = {
    "area": AreaConfig,
    "storage": StorageConfig,
    "retention": RetentionConfig,
    "schedule": ScheduleConfig,
    "http": HttpConfig,
    "dashboard": DashboardConfig,
    "imports": ImportsConfig,
    "search": SearchConfig,
    "limits": LimitsConfig,
    "reports": ReportsConfig,
}


def parse(data: dict[str, Any]) -> Config:
    """Build a Config from merged TOML data. Sections owned by other parts (nlp, alerts…) go to `extra`."""
    kwargs: dict[str, Any] = {}
    for name, cls in SECTIONS.items():
        kwargs[name] = _build(cls, data.get(name, {}), name)
    sources = []
    seen: set[str] = set()
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not all(isinstance(r, dict) for r in raw_sources):
        raise ConfigError("[[sources]] phải là danh sách các bảng, mỗi nguồn một khối [[sources]] (name, kind, url, "
                          f"outlet…), không phải {raw_sources!r}")
    logins = source_logins(data.get("source_logins", {}))
    for i, raw in enumerate(raw_sources):
        src = _build(SourceConfig, raw, f"sources[{i}]")
        if src.name in seen:
            raise ConfigError(f"[sources] tên nguồn {src.name!r} bị trùng: mỗi nguồn một tên")
        if src.source_type not in CONFIGURED_SOURCE_TYPES:
            raise ConfigError(f"[sources] {src.name}: source_type phải là {configured_types_text()}")
        _check_source_url(src, logins)
        seen.add(src.name)
        sources.append(src)
    extra = {k: v for k, v in data.items() if k not in SECTIONS and k not in ("sources", "source_logins")}
    _check_allow_hosts(kwargs["http"].allow_private_hosts)
    if kwargs["imports"].default_source_type not in SOURCE_TYPES:  # an item stored with a type no page can name
        raise ConfigError(f"[imports] default_source_type phải là một trong {', '.join(map(repr, SOURCE_TYPES))}, "
                          f"không phải {kwargs['imports'].default_source_type!r}")
    _check_body_budget(kwargs["http"])
    _check_reports(kwargs["reports"])
    _check_parts(extra)
    _check_case_days(extra.get("cases", {}))
    return Config(sources=tuple(sources), extra=extra, source_logins=logins, **kwargs)


def _check_body_budget(http: HttpConfig) -> None:
    """The shared budget holds at least one whole body, or a body at the cap could never be read."""
    if http.max_bodies_mb < http.max_body_mb:
        raise ConfigError(f"[http] max_bodies_mb ({http.max_bodies_mb:g}) phải không nhỏ hơn max_body_mb "
                          f"({http.max_body_mb:g}): bộ nhớ chung phải chứa được ít nhất một nội dung lớn nhất")


def _check_source_url(src: SourceConfig, logins: Mapping[str, str] | None = None) -> None:
    """A source's url has a scheme its kind reads (SOURCE_URL_SCHEMES) and a host, and no user name or password,
    or a ConfigError at load."""
    schemes = SOURCE_URL_SCHEMES.get(src.kind, _WEB_SCHEMES)
    try:
        parts = urlsplit(src.url.strip())
        ok = parts.scheme.lower() in schemes and bool(parts.hostname)
    except ValueError:  # "http://[::1" and the like
        ok = False
    if not ok:
        said = " hoặc ".join(f"{x}://" for x in schemes)
        raise ConfigError(f"[sources] {src.name}: url {url_without_credentials(src.url)[:200]!r} không dùng được: "
                          f"nguồn loại {src.kind} chỉ nhận địa chỉ {said} có tên máy chủ")
    refused = source_url_refusal(src.url)
    if refused:
        raise ConfigError(f"[sources] {src.name}: {refused}")
    refused = source_login_refusal(src.username, src.password_env, src.url, logins)
    if refused:
        raise ConfigError(f"[sources] {src.name}: {refused}")


# A user name and password written into a source's address («https://canbo:matkhau@intranet/rss») were sent as HTTP
# Basic (httpx reads them), and shown: in every request line `langnghe -v` logs, on Nguồn tin's admin panel and in its
# edit form, in the managed_sources row and audit log a save of that form writes (and so every backup), and in this
# module's own refusals. A secret is never written in the TOML (vocab/secrets.py): such an address is refused wherever
# a source comes from (this file, Nguồn tin's form, a managed_sources row saved before: round 32's sweep, hostile35)
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:/*)[^/?#]*@")


def url_without_credentials(url: str) -> str:
    """`url` with whatever stands before an «@» in its host part said as «***@» (for messages that quote it)."""
    return _USERINFO.sub(r"\1***@", str(url).strip(), count=1)


def source_url_refusal(url: Any) -> str | None:
    """Why a source's address cannot be kept (Vietnamese, for a ConfigError, the form and a health line), None when
    it has no user name or password in it."""
    try:
        parts = urlsplit(str(url).strip())
        userinfo = parts.username is not None or parts.password is not None
    except ValueError:
        userinfo = False
    if not userinfo and "@" not in str(url).split("?", 1)[0].split("#", 1)[0].partition("://")[2].split("/", 1)[0]:
        return None
    return (f"địa chỉ {url_without_credentials(str(url))[:200]!r} có tên đăng nhập hoặc mật khẩu (phần «…@» trước tên "
            "máy chủ): mật khẩu không được ghi trong cấu hình, vì nó hiện trong nhật ký, trên trang Nguồn tin và trong "
            "bản sao lưu. Bỏ phần «…@» khỏi địa chỉ; nguồn phải đăng nhập thì ghi tên đăng nhập vào username (ô «Tên "
            "đăng nhập» ở trang Nguồn tin) và tên biến môi trường hoặc tệp bí mật chứa mật khẩu vào password_env (ô «Biến "
            "môi trường chứa mật khẩu»), xem docs/SOURCES.md, mục «Nguồn phải đăng nhập»")


# password_env names a secret (vocab/secrets.py: an environment variable or a file in [secrets] dir): the project's
# prefix and upper case, so that a password typed into the box by mistake is refused, and never quoted back
PASSWORD_ENV_RE = re.compile(r"^LANGNGHE_[A-Z0-9_]{1,100}$")
USERNAME_MAX_CHARS = 200


def url_origin(url: Any) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of an http(s) address, lower case, the scheme's default port when none is written; None
    when it has no host. The same reading as collectors.http.origin, without httpx (vocab imports no HTTP library)."""
    try:
        parts = urlsplit(str(url).strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if scheme not in _WEB_SCHEMES or not host:
        return None
    return scheme, host, port if port is not None else {"http": 80, "https": 443}[scheme]


def source_logins(raw: Any) -> dict[str, str]:
    """[source_logins]: secret name → the origin it may be sent to, checked at load (review36: before it, any admin of
    the dashboard could name any LANGNGHE_* secret — the Telegram token, the mail password — as a source's
    password_env and have it sent to a host of their choice)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"[source_logins] phải là một bảng (tên biến = \"https://máy-chủ\"), không phải {raw!r}")
    out: dict[str, str] = {}
    for name, origin in raw.items():
        if not PASSWORD_ENV_RE.match(str(name)):
            raise ConfigError("[source_logins]: mỗi khóa là tên bí mật chứa mật khẩu, dạng LANGNGHE_TEN_BIEN")
        parts = urlsplit(str(origin).strip()) if isinstance(origin, str) else None
        if parts is None or url_origin(origin) is None or parts.username is not None or parts.path not in ("", "/") \
                or parts.query or parts.fragment:
            raise ConfigError(f"[source_logins] {name}: giá trị là gốc địa chỉ duy nhất được gửi mật khẩu này, dạng "
                              "\"https://máy-chủ\" hoặc \"https://máy-chủ:cổng\" (không đường dẫn, không «…@»)")
        out[str(name)] = str(origin).strip()
    return out


def source_login_refusal(username: Any, password_env: Any, url: Any = "",
                         logins: Mapping[str, str] | None = None) -> str | None:
    """Why a source's login (username + password_env, fix36) cannot be kept (Vietnamese, for a ConfigError, the form
    and a health line), None when it can or when the source has none. The password itself is never in these
    settings, and what is refused is never quoted (a password written in the wrong box must not be shown back)."""
    if not isinstance(username, str) or not isinstance(password_env, str):
        return "username và password_env phải là chuỗi"
    user, env = username, password_env
    if not user and not env:
        return None
    if not user or not env:
        missing = "username (tên đăng nhập)" if not user else "password_env (biến môi trường chứa mật khẩu)"
        return (f"nguồn phải đăng nhập cần cả username lẫn password_env; thiếu {missing}. Bỏ cả hai nếu nguồn không "
                "cần đăng nhập")
    if user != user.strip() or len(user) > USERNAME_MAX_CHARS or ":" in user \
            or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in user):
        return (f"username (tên đăng nhập) không dùng được: không có dấu «:», ký tự điều khiển hay khoảng trắng ở hai "
                f"đầu, tối đa {USERNAME_MAX_CHARS} ký tự (HTTP Basic)")
    if not PASSWORD_ENV_RE.match(env):
        return ("password_env (biến môi trường chứa mật khẩu) phải là tên biến môi trường hoặc tệp bí mật chứa mật "
                "khẩu, dạng LANGNGHE_TEN_BIEN (chữ "
                "in hoa không dấu, số, «_»), không phải mật khẩu: mật khẩu đặt trong biến đó của máy chủ hoặc trong tệp "
                "cùng tên ở thư mục [secrets] dir")
    try:
        scheme = urlsplit(str(url).strip()).scheme.lower() if url else "https"
    except ValueError:
        scheme = ""
    if scheme not in _WEB_SCHEMES:
        return ("username và password_env chỉ dùng cho nguồn http:// hoặc https:// (hộp thư email_inbox đăng nhập bằng "
                "options username_env và password_env)")
    if logins is None:  # the form's own shape check; the load, the form's save and the runner pass the table
        return None
    declared = logins.get(env)
    if declared is None:
        return (f"bí mật {env} chưa được khai báo cho nguồn phải đăng nhập: quản trị máy chủ ghi nó trong bảng "
                f"[source_logins] của tệp cấu hình, cùng gốc địa chỉ được gửi tới ({env} = \"https://máy-chủ\")")
    if url_origin(url) != url_origin(declared):
        return (f"bí mật {env} chỉ được gửi tới {declared} (bảng [source_logins] của tệp cấu hình), không tới địa chỉ "
                "của nguồn này: sửa địa chỉ, hoặc quản trị máy chủ khai báo lại")
    return None


def _check_parts(sections: dict[str, Any], where: str = "") -> None:
    """The numbers of the parts' own sections ([nlp], [alerts], [notify.email]…) by the typed sections' rules
    (_check_range): each part reads its section as a dict, so `bin_minutes = 0` or `batch_size = nan` passed
    the load and failed, or silently did nothing, at every detection or tagging pass."""
    for key, value in sections.items():
        name = f"{where}.{key}" if where else key
        if isinstance(value, dict):
            _check_parts(value, name)
        elif where and isinstance(value, (int, float)) and not isinstance(value, bool):
            _check_range(where, key, value)
        elif name in _RANGES:
            raise ConfigError(f"[{where}] {key} phải là một số, không phải {value!r}")
    if where == "stories" and isinstance(sections.get("ngram_min"), int) and isinstance(sections.get("ngram_max"), int) \
            and sections["ngram_min"] > sections["ngram_max"]:
        raise ConfigError(f"[stories] ngram_min ({sections['ngram_min']}) phải không lớn hơn ngram_max "
                          f"({sections['ngram_max']})")


_HOST_ENTRY = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^\s:/\[\]@]+))(?::(?P<port>\d{1,5}))?$")


def parse_host_entries(entries: Iterable[str]) -> frozenset[tuple[str, int | None]]:
    """{(host, port or None)} from "host", "host:port", "[v6]:port" or a bare IPv6 (lower case, no
    trailing dot); ValueError on anything else. The grammar of [http] allow_private_hosts."""
    out: set[tuple[str, int | None]] = set()
    for raw in entries:
        entry = raw.strip()
        m = _HOST_ENTRY.match(entry)
        if m:
            host, port = m.group("v6") or m.group("host"), m.group("port")
        else:
            try:
                host, port = str(ipaddress.IPv6Address(entry)), None  # bare IPv6 such as ::1
            except ValueError:
                raise ValueError(f"allow_private_hosts: {raw!r} không có dạng 'host' hoặc 'host:port'") from None
        out.add((canonical_host(host), int(port) if port else None))
    return frozenset(out)


def canonical_host(host: str) -> str:
    """Lower case, no brackets or trailing dot; an IP in its canonical form (so ::0:1 matches ::1)."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def _check_allow_hosts(entries: tuple[str, ...]) -> None:
    """A malformed [http] allow_private_hosts entry fails at load, not on every fetch."""
    try:
        parse_host_entries(entries)
    except ValueError as exc:
        raise ConfigError(f"[http] {exc}") from None


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_days(values: Any, where: str) -> frozenset[date]:
    """A TOML list of days, "YYYY-MM-DD" strings or bare TOML dates, as dates. Anything else is a
    ConfigError in Vietnamese naming the setting `where`, so a typo fails at load, not as a wrong due date."""
    if not isinstance(values, (list, tuple)):
        raise ConfigError(f'{where} phải là một danh sách ngày dạng "YYYY-MM-DD", không phải {values!r}.')
    out: set[date] = set()
    for v in values:
        if isinstance(v, date) and not isinstance(v, datetime):
            out.add(v)
            continue
        try:
            if not (isinstance(v, str) and _ISO_DAY.match(v.strip())):
                raise ValueError(v)
            out.add(date.fromisoformat(v.strip()))
        except ValueError:
            raise ConfigError(f'{where}: {v!r} không phải một ngày dạng YYYY-MM-DD (năm-tháng-ngày, '
                              f'ví dụ "2027-02-08").') from None
    return frozenset(out)


def _check_case_days(raw: dict[str, Any]) -> None:
    """[cases] holidays and working_days are real days, and no day is in both."""
    both = iso_days(raw.get("holidays", []), "[cases] holidays") \
        & iso_days(raw.get("working_days", []), "[cases] working_days")
    if both:
        days = ", ".join(d.isoformat() for d in sorted(both))
        raise ConfigError(f"[cases] holidays và working_days cùng có ngày {days}: một ngày chỉ là ngày nghỉ "
                          "hoặc ngày làm việc.")


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def toml_error_text(path: str | os.PathLike[str], exc: Exception) -> str:
    """A TOML syntax error in Vietnamese, with where it is and the usual causes: tomllib's own words
    («Expected '=' after a key in a key/value pair (at line 2, column 9)») were all a maintainer saw (round 26).
    Its words stay at the end, in brackets, for a search."""
    detail = str(exc)
    m = _TOML_AT.search(detail)
    where = f" ở dòng {m.group(1)}, cột {m.group(2)}" if m else ""
    if _TOML_TWICE.search(detail):  # a block pasted at the end («[http]\nallow_private_hosts = …» under a file that
        # has its [http] already): the usual causes said nothing of it, only tomllib's English did (round 32, hostile35)
        return (f"{path}: không đọc được TOML{where}: thiết lập hoặc bảng ở dòng này đã có ở phía trên tệp (mỗi "
                f"thiết lập chỉ ghi một lần, mỗi bảng [tên bảng] chỉ mở một lần): gộp vào chỗ đã có hoặc xóa một "
                f"trong hai rồi chạy lại (chi tiết: {_TOML_AT.sub('', detail)})")
    return (f"{path}: không đọc được TOML{where}: mỗi thiết lập một dòng dạng `tên = giá trị`, chữ trong ngoặc "
            f"kép, mỗi bảng mở bằng một dòng [tên bảng]; sửa dòng đó rồi chạy lại (chi tiết: "
            f"{_TOML_AT.sub('', detail)})")


_TOML_TWICE = re.compile(r"^(Cannot overwrite a value|Cannot declare .* twice|Cannot mutate immutable namespace)")


# The largest configuration file read, in bytes: the annotated defaults are 47 KB. Round 28 (`hostile31`): a
# --config or $LANGNGHE_CONFIG naming /dev/zero, a log or a database file was read whole before TOML said anything
# (/dev/zero: MemoryError after 8 s and 3 GB), and a binary one was a UnicodeDecodeError traceback.
MAX_CONFIG_BYTES = 1024 * 1024


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: lớn hơn {MAX_CONFIG_BYTES // (1024 * 1024)} MB, không phải một tệp cấu hình "
                              "(tệp mẫu vocab/langnghe.toml chưa tới 50 KB): kiểm tra đường dẫn đã ghi ở --config hoặc "
                              "biến môi trường LANGNGHE_CONFIG")
        try:
            # a byte-order mark first: Windows Notepad (before 2019) saved UTF-8 with one, and TOML read it as «Invalid
            # statement» at line 1, column 1, where staff see nothing wrong (round 29)
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            from vocab.numbers import number

            # one message for both causes: a config saved as UTF-16 or ANSI by a Windows editor, or a path naming
            # a binary file (round 28: cli33 and hostile31 each found one)
            raise ConfigError(f"{path}: không phải văn bản UTF-8 (byte thứ {number(exc.start + 1)} không đọc được). "
                              "Nếu đây là tệp cấu hình đã lưu ở bảng mã khác (UTF-16/Unicode hoặc ANSI), hãy mở bằng "
                              "trình soạn thảo, chọn Lưu thành… với bảng mã UTF-8, rồi chạy lại; nếu không, kiểm tra "
                              "đường dẫn đã ghi ở --config hoặc biến môi trường LANGNGHE_CONFIG") from None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            raise
        except ValueError:  # tomllib's int() of an integer past Python's 4,300 digits («Exceeds the limit»): a
            # traceback out of every command (round 30's sweep, hostile33)
            raise ConfigError(f"{path}: có một số nguyên dài hơn 4.300 chữ số, không phải một tệp cấu hình: kiểm tra "
                              "đường dẫn đã ghi ở --config hoặc biến môi trường LANGNGHE_CONFIG") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables by recursion: `x = [[[…` of 200 KB was a
        # RecursionError traceback out of every command (round 29)
        raise ConfigError(f"{path}: mảng hoặc bảng lồng nhau quá sâu, không phải một tệp cấu hình: kiểm tra đường dẫn "
                          "đã ghi ở --config hoặc biến môi trường LANGNGHE_CONFIG") from None
    except FileNotFoundError:  # said what to do: a maintainer's typo in --config or $LANGNGHE_CONFIG (round 26)
        raise ConfigError(f"không có tệp cấu hình {path}: kiểm tra đường dẫn đã ghi ở --config hoặc biến môi trường "
                          "LANGNGHE_CONFIG (đường dẫn tương đối tính từ thư mục đang đứng); bỏ cả hai thì dùng "
                          "cấu hình mặc định") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_error_text(path, exc)) from None
    except PermissionError:  # os_error_text's reason speaks of writing (reports, copies): this is a read
        raise ConfigError(f"không có quyền đọc tệp cấu hình {path}; hãy kiểm tra quyền đọc của tài khoản chạy "
                          "Lắng Nghe") from None
    except OSError as exc:  # a folder, a name too long, no right to read: was a Python traceback
        raise ConfigError(f"không đọc được tệp cấu hình {path}: {os_error_text(exc)}") from None


def snapshot_beside(db_path: str) -> str:
    """The snapshot's path when no config file names one: beside the database, «<name>.snapshot.duckdb» for a
    «<name>.duckdb» (the default var/langnghe.duckdb gives the default var/langnghe.snapshot.duckdb), else
    «<whole name>-snapshot.duckdb» (var/langnghe.db → var/langnghe.db-snapshot.duckdb): one database, one snapshot. Before round 28 it stayed the default's
    whatever database $LANGNGHE_DB or a config's db_path named, so a one-off serve wrote its snapshot over the
    office's, and `status` on a damaged database read another database's snapshot (cli33's walk)."""
    p = Path(db_path)
    if not p.name:  # «/» or «.»: a folder, which opening the database says in Vietnamese; `with_name` raised a
        # ValueError traceback here first, out of every command (round 29)
        return str(p / "langnghe.snapshot.duckdb")
    if p.suffix == ".duckdb":
        return str(p.with_name(f"{p.stem}.snapshot.duckdb"))
    # any other suffix, or none: the whole name kept, «-snapshot» rather than «.snapshot», so that no two databases
    # share a snapshot and none lands on the office's: «var/langnghe» and «var/langnghe.db» gave
    # var/langnghe.snapshot.duckdb, the default database's snapshot (round 29's sweep, `hostile32`; fix29)
    return str(p.with_name(f"{p.name}-snapshot.duckdb"))


def snapshot_owner(path: str) -> str | None:
    """The database whose snapshot `snapshot_beside` names `path` (its inverse: «x.snapshot.duckdb» → «x.duckdb»,
    «x.db-snapshot.duckdb» → «x.db»), None for a file it would never name so. `langnghe status` uses it to name a
    snapshot whose database is gone (renamed or deleted: its snapshot stayed, an old copy of every item that the
    retention job never purges; round 30, fix30)."""
    p = Path(path)
    for end, owner_end in ((".snapshot.duckdb", ".duckdb"), ("-snapshot.duckdb", "")):
        if p.name.endswith(end) and len(p.name) > len(end):
            owner = str(p.with_name(p.name[: -len(end)] + owner_end))
            if snapshot_beside(owner) == str(p):
                return owner
    return None


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Defaults, then the override file (argument or $LANGNGHE_CONFIG), then $LANGNGHE_DB; the snapshot beside the
    database unless the override file names it (`snapshot_beside`)."""
    data = read_toml(DEFAULTS_PATH)
    override = path or os.environ.get("LANGNGHE_CONFIG")
    if override:
        over = read_toml(override)
        _check_tables(over, data)
        unknown = _unknown_keys(over, data)
        if unknown:
            raise unknown_keys_error(f"{override}: ", unknown)
        data = _merge(data, over)
    db = os.environ.get("LANGNGHE_DB")
    if db:
        data = _merge(data, {"storage": {"db_path": db}})
    if not (override and "snapshot_path" in (over.get("storage") or {})):
        data["storage"]["snapshot_path"] = snapshot_beside(str(data["storage"]["db_path"]))
    try:
        return parse(data)
    except ConfigError as exc:  # a typed section's typo or value: the defaults parse, so it is the override's
        if override and not str(exc).startswith(f"{override}: "):
            raise ConfigError(f"{override}: {exc}") from exc  # which file to open (round 26's maintainer walk)
        raise


def _check_tables(over: dict[str, Any], base: dict[str, Any], where: str = "") -> None:
    """A section the defaults hold as a table is a table in the override too (`http = 5`, `nlp = "x"` were a
    Python traceback, or replaced the whole section by a value that code then failed to read)."""
    for key, value in over.items():
        name = f"{where}.{key}" if where else key
        if isinstance(base.get(key), dict):
            if not isinstance(value, dict):
                raise ConfigError(f"[{name}] phải là một bảng (dòng [{name}] rồi các thiết lập bên dưới), "
                                  f"không phải {value!r}")
            _check_tables(value, base[key], name)


def _unknown_keys(over: dict[str, Any], base: dict[str, Any], where: str = "") -> list[str]:
    """Keys of an override file that the defaults do not have. The typed sections check their own keys
    (`_build`); the parts' sections (nlp, alerts, notify…) are read as dicts, where a typo would be ignored."""
    out: list[str] = []
    for key, value in over.items():
        if not where and (key in SECTIONS or key in ("sources", "source_logins")):  # [source_logins]: names are the
            continue  # office's own, checked by source_logins()
        if key not in base:
            name = f"[{where}] {key}" if where else f"[{key}]"
            out.append(name if name in RETIRED else name + close_name(key, base))
        elif isinstance(value, dict) and isinstance(base[key], dict):
            out += _unknown_keys(value, base[key], f"{where}.{key}" if where else key)
    return out


def section(cfg: Config, name: str) -> dict[str, Any]:
    """A section owned by another part (e.g. `nlp`), as a plain dict (typed sections too)."""
    if name in SECTIONS:
        return dict(as_dict(getattr(cfg, name)))
    return dict(cfg.extra.get(name, {}))


def as_dict(obj: Any) -> Any:
    if is_dataclass(obj):
        return {f.name: as_dict(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [as_dict(x) for x in obj]
    return obj

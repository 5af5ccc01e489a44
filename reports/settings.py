"""The [reports] settings, report periods (ISO weeks in Vietnam time) and Vietnamese number/date wording."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from vocab.config import Config, ReportsConfig, check_report_layout, report_time, section
from store.reports import Window

from vocab.folding import fold
from vocab.numbers import number
from vocab.privacy import mentions_masked
from vocab.public_holidays import WorkCalendar, office_calendar
from vocab.timefmt import VN_OFFSET, is_end_of_day
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


@dataclass(frozen=True)
class ReportSettings(ReportsConfig):
    """The [reports] settings as vocab.config read and checked them at load (`Config.reports`, vocab.config
    ReportsConfig: its fields, defaults and messages; fix33, this class checked the section again itself), and what a
    report derives from them and from other sections."""

    # the whole province as a report names it (`province_label`): [area] name when it names the province, else
    # «tỉnh Nghệ An» / «thành phố Hải Phòng» (fix37: a ward office's name titled the whole province's report)
    province_label: str = field(default="tỉnh Quảng Ninh", compare=False)
    # the area a weekly report counts when none is chosen (`report_area`): "" (the whole province), or the [area]
    # focus when [area] name names it (a ward's or former district's office: `office_area`)
    default_area: str = ""
    # the focus as [area] name writes it («phường Trường Vinh»), titling the focus's reports; "" when the name is not
    # the focus's
    focus_label: str = field(default="", compare=False)
    # @mentions in titles and post text masked ("@n***4"), as the dashboard masks them: [privacy] mask_mentions
    # while [retention] mask_author_handles is on (reports are exports; not a [reports] setting); the admin's
    # saved switch over the config's, as on the pages (with_saved_masking)
    mask_mentions: bool = True
    mentions_rule: bool = field(default=True, compare=False)  # [privacy] mask_mentions alone
    # the days off Bảng 6 and the week-on-week note mark: the `holidays` package's plus the office's [cases] holidays,
    # minus its [cases] working_days (not [reports] settings: one calendar for case due dates and reports)
    days_off: WorkCalendar = field(default=WorkCalendar(), compare=False)

    @classmethod
    def from_config(cls, cfg: Config, **overrides: Any) -> "ReportSettings":
        """`cfg.reports` ({tỉnh} put in), what is derived, then `overrides` (the CLI's --no-charts)."""
        kw: dict[str, Any] = {f.name: getattr(cfg.reports, f.name) for f in fields(ReportsConfig)}
        kw = {k: _fill_area(v, cfg) if k in AREA_FILLED else v for k, v in kw.items()}
        kw["province_label"] = province_label(cfg)
        kw["default_area"] = office_area(cfg)
        kw["focus_label"] = cfg.area.name.strip() if kw["default_area"] else ""
        kw["mentions_rule"] = bool(section(cfg, "privacy").get("mask_mentions", True))
        kw["mask_mentions"] = mentions_masked({}, config_switch=cfg.retention.mask_author_handles,
                                              rule=kw["mentions_rule"])
        kw["days_off"] = office_calendar(cfg)
        kw.update(overrides)
        return cls(**kw)

    def with_saved_masking(self, saved: dict[str, Any]) -> "ReportSettings":
        """These settings with the masking switch an admin saved in the dashboard (store.users ui_settings
        "retention.mask_author_handles"), which the pages obey over the config's: a report must not print what
        the pages mask. The one rule the pages ask (`vocab.privacy.mentions_masked`); this object's switch stands
        for the config's."""
        return replace(self, mask_mentions=mentions_masked(saved, config_switch=self.mask_mentions,
                                                           rule=self.mentions_rule))

    def number_line(self) -> str:
        """The number left blank for the office: Party "Số      -BC/BTGDVTU", state "Số:      /BC-SVHTTDL"."""
        if self.layout == "party":
            return f"Số{NBSP * 8}-{self.symbol}"
        return f"Số:{NBSP * 8}/{self.symbol}"

    def section(self, n: int, title: str) -> str:
        """A section's heading, numbered in the layout's style: Party «I- TỔNG QUAN», as seed 002 (Thành ủy Uông Bí's
        report) and Hướng dẫn 36-HD/VPTW itself number theirs; state «I. TỔNG QUAN» (Nghị định 30). One function for
        every report, so that a document never mixes the two (the reports wrote «I.» in both layouts)."""
        return f"{ROMAN[n - 1]}{'-' if self.layout == 'party' else '.'} {title}"

    def number_ref(self) -> str:
        """The number as cited in a sentence ("Kèm theo Báo cáo số …")."""
        return f"số{NBSP * 8}-{self.symbol}" if self.layout == "party" else f"số{NBSP * 8}/{self.symbol}"

    @property
    def default_area_label(self) -> str:
        """The whole province's report's name in its title: `area_label`, else the province («tỉnh Quảng Ninh»)."""
        return self.area_label or self.province_label

    def report_area(self, given: str | None = None) -> str:
        """The area a weekly report counts, "" for the whole province: one rule for Báo cáo's «Địa bàn», `langnghe
        report weekly --area` and each of `schedule_areas`. Nothing given (None, "") is the office's own area
        (`default_area`: the focus for an office whose [area] name names it, else the whole province); «toàn tỉnh»
        or «toàn thành phố» (accents and case aside) is the whole province; any other text is a place name."""
        text = " ".join((given or "").split())
        if not text:
            return self.default_area
        return "" if _bare(text) in WHOLE_WORDS else text

    def scheduled_areas(self) -> tuple[str, ...]:
        """`schedule_areas` as the schedule makes them (`report_area` of each, once each): the default [""] is the
        office's own area, so a ward office's Friday report counts its ward, as its title says (fix37)."""
        return tuple(dict.fromkeys(self.report_area(a) for a in self.schedule_areas))

    def area_title(self, area: str) -> str:
        """How a report of `area` (as `report_area` gives it) names it in its title and sentences: the whole province
        by `default_area_label`; the focus of an office named after it as the name writes it («phường Trường
        Vinh»); another place as given."""
        area = area.strip()
        if not area:
            return self.default_area_label
        if self.focus_label and _bare(area) == _bare(self.default_area):
            return self.focus_label
        return area

    def chromium(self) -> str | None:
        """The Chromium executable, or None when there is none."""
        if self.chromium_path:
            return self.chromium_path if Path(self.chromium_path).exists() else None
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
            found = shutil.which(name)
            if found:
                return found
        return None


NBSP = "\u00a0"
# Settings where "{tỉnh}" and "{tỉnh ủy}" stand for the configured [area], so the shipped defaults fit any
# province: "{tỉnh ủy} {tỉnh}" → "Tỉnh ủy Quảng Ninh", "Thành ủy Hải Phòng" (a city under the centre).
AREA_FILLED = frozenset({"parent_body", "issuing_body", "issuer_name", "place", "area_label", "signer_title",
                         "recipients"})


def _fill_area(value: Any, cfg: Config) -> Any:
    """The value with {tỉnh} (the province's name, "Bắc Ninh") and {tỉnh ủy} ("Tỉnh ủy", or "Thành ủy" for a city
    under the centre: `is_city`) put in; tuples item by item."""
    if isinstance(value, tuple):
        return tuple(_fill_area(v, cfg) for v in value)
    return value.replace("{tỉnh ủy}", "Thành ủy" if is_city(cfg) else "Tỉnh ủy").replace("{tỉnh}", _province(cfg))


# --------------------------------------------------------------------------------------------- the office's area
# The six cities under the centre after 1 July 2025 (the national list's «Thành phố …» provinces; the same six
# before it, Huế from 1 January 2025): their Party committee is a Thành ủy and the whole is «thành phố Hải Phòng».
CITIES = frozenset({"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"})
# the unit words a name may start with, in lower case with their marks (folded, «quận» would take «Quan Hoa»'s
# «Quan»), longest first
_UNIT_WORDS = ("thành phố", "đặc khu", "thị trấn", "thị xã", "phường", "huyện", "quận", "tỉnh", "tp.", "tp", "xã")
# what staff write for the whole province where an area is asked (folded)
WHOLE_WORDS = frozenset({"toan tinh", "toan thanh pho", "toan tp"})


def _bare(name: str) -> str:
    """A place's name folded, its unit word aside: «phường Trường Vinh», «Trường Vinh», «TP. Hải Phòng» → «truong
    vinh», «hai phong». How [area] name is compared with the province and the focus."""
    text = " ".join(unicodedata.normalize("NFC", name or "").lower().split())
    for w in _UNIT_WORDS:
        if text.startswith(w + " ") or (w.endswith(".") and text.startswith(w)):
            text = text[len(w):].strip()
            break
    return fold(text)


def _province(cfg: Config) -> str:
    """[area] province without its unit word, whatever its case, as written («Nghệ An», «Hải Phòng»; «tỉnh Nghệ An»
    gave «tỉnh tỉnh Nghệ An» until fix38: only «Tỉnh »/«Thành phố » were stripped)."""
    text = " ".join(unicodedata.normalize("NFC", cfg.area.province).split())
    low = text.lower()
    for w in ("thành phố", "tỉnh", "tp.", "tp"):
        if low.startswith(w + " ") or (w.endswith(".") and low.startswith(w)):
            return text[len(w):].strip()
    return text


def names_province(cfg: Config) -> bool:
    """[area] name names the province (the province's own office: «tỉnh Quảng Ninh», «thành phố Hải Phòng»)."""
    return _bare(cfg.area.name) == _bare(cfg.area.province)


def is_city(cfg: Config) -> bool:
    """The province is a city under the centre: one of CITIES, or the name the province's own office gives it
    starts with «thành phố» / «TP» (the rule before fix37, kept for those offices)."""
    return _bare(cfg.area.province) in CITIES or (
        names_province(cfg) and cfg.area.name.strip().lower().startswith(("thành phố", "tp ", "tp.")))


def province_label(cfg: Config) -> str:
    """The whole province as a report's title names it: [area] name when it names the province (unchanged for the
    province's own office), else «tỉnh Nghệ An» / «thành phố Hải Phòng». Until fix37 it was [area] name whatever it
    named: a ward office's report of the whole province read «phản ánh về phường Trường Vinh» and counted Nghệ An."""
    if names_province(cfg):
        return cfg.area.name.strip()
    return f"{'thành phố' if is_city(cfg) else 'tỉnh'} {_province(cfg)}"


def office_area(cfg: Config) -> str:
    """The area the office's weekly report counts by default: the [area] focus when [area] name names it (a ward's or
    a former district's office: «phường Trường Vinh» with focus «Trường Vinh», compared folded, unit words aside),
    else "" (the whole province: the province's own office, or a name that is neither)."""
    focus = cfg.area.focus.strip()
    if not focus or names_province(cfg) or _bare(cfg.area.name) != _bare(focus):
        return ""
    return focus


def check_layout(s: ReportsConfig) -> None:
    """The issuer settings follow the rule of the chosen layout: vocab.config.check_report_layout, which the load
    runs on [reports] (a Party symbol in a state heading would be sent back by the records office)."""
    check_report_layout(s.layout, s.symbol, s.signer_title)


def parse_hhmm(s: str) -> tuple[int, int]:
    """[reports] schedule_time by the one time-of-day reader (vocab.config.report_time: '07:30', '7h30', '24:00')."""
    return report_time(s)


# --------------------------------------------------------------------------------------------- periods
def to_local(dt: datetime) -> datetime:
    return dt + VN_OFFSET


def to_utc(local: datetime) -> datetime:
    return local - VN_OFFSET


def parse_week(s: str) -> tuple[int, int]:
    """'2026-W47' (also '2026W47', '2026-w47') → (2026, 47). Raises ValueError with a clear message."""
    m = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", s or "")
    if not m:
        raise ValueError(f"tuần không hợp lệ: {s!r} (dạng 2026-W47)")
    year, week = int(m.group(1)), int(m.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"năm {year} không có tuần {week}") from None
    return year, week


def week_label(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def week_title(week: str) -> str:
    """'Tuần 49/2026 (30/11–06/12/2026)': how the week pickers of Báo cáo and Chủ đề & địa bàn name a week, short
    enough for a phone and for the box at 1366 px (the report's own "từ ngày … đến ngày …" was cut off there);
    the year twice when the week spans two."""
    year, wk = parse_week(week)
    p = week_period(week)
    first, last = p.first_day, p.last_day
    return f"Tuần {wk}/{year} ({dm(first) if first.year == last.year else dmy(first)}–{dmy(last)})"


def week_of(local: datetime | date) -> str:
    y, w, _ = (local.date() if isinstance(local, datetime) else local).isocalendar()
    return week_label(y, w)


@dataclass(frozen=True)
class Period:
    """A weekly report period: ISO week in Vietnam time, cut at `until` when the week is not over yet."""

    week: str
    window: Window                # UTC
    local_start: datetime         # Monday 00:00
    local_end: datetime           # next Monday 00:00, or the cut
    cut: bool                     # True when the week was cut short (report made before it ended)

    @property
    def first_day(self) -> date:
        return self.local_start.date()

    @property
    def last_day(self) -> date:
        return (self.local_end - timedelta(microseconds=1)).date()

    def days(self) -> list[date]:
        d, out = self.first_day, []
        while d <= self.last_day:
            out.append(d)
            d += timedelta(days=1)
        return out


def week_period(week: str, now_utc: datetime | None = None) -> Period:
    """The period of ISO week `week`; when `now_utc` falls inside it, the period (and the previous week it is
    compared with) ends at `now_utc`, so both cover the same span of their week."""
    year, wk = parse_week(week)
    local_start = datetime.combine(date.fromisocalendar(year, wk, 1), datetime.min.time())
    local_end = local_start + timedelta(days=7)
    cut = False
    if now_utc is not None:
        now_local = to_local(now_utc)
        if local_start <= now_local < local_end:
            local_end, cut = now_local, True
    span = local_end - local_start
    w = Window(start=to_utc(local_start), end=to_utc(local_end),
               prev_start=to_utc(local_start - timedelta(days=7)), prev_end=to_utc(local_start - timedelta(days=7) + span))
    return Period(week=week_label(year, wk), window=w, local_start=local_start, local_end=local_end, cut=cut)


def last_complete_week(now_utc: datetime) -> str:
    """The newest ISO week (Vietnam time, Monday 00:00 to Sunday 24:00) that has ended: from Monday 00:00 it is
    the week just ended; the current week is never complete."""
    return week_of(to_local(now_utc).date() - timedelta(days=7))


def due_time(week: str, weekday: int, hhmm_text: str) -> datetime:
    """Local (Vietnam) time the weekly report of `week` is due: `weekday` (1 = Monday) at `hhmm_text`."""
    year, wk = parse_week(week)
    h, m = parse_hhmm(hhmm_text)
    d = date.fromisocalendar(year, wk, weekday)
    if is_end_of_day(hhmm_text):  # "24:00" of Sunday is the week's end, not Sunday's first minute
        d += timedelta(days=1)
    return datetime(d.year, d.month, d.day, h, m)


def report_week(now_utc: datetime, weekday: int = 5, hhmm_text: str = "16:00") -> str:
    """The week staff file the weekly summary for now — the default of the Báo cáo page and of `langnghe report
    weekly`, so both agree with the schedule that archives it: the current week once the office's report time
    ([reports] schedule_weekday / schedule_time, Friday 16:00 by default) has passed, the report then covering
    Monday up to now; before it, the last week that has ended. With the schedule off (weekday 0), always the last
    week that has ended."""
    local = to_local(now_utc)
    current = week_of(local)
    if weekday and local >= due_time(current, weekday, hhmm_text):
        return current
    return last_complete_week(now_utc)


def recent_weeks(now_utc: datetime, n: int = 12) -> list[str]:
    """The current ISO week (Vietnam time) and the n-1 before it, newest first."""
    d = to_local(now_utc).date()
    out = []
    for i in range(n):
        out.append(week_of(d - timedelta(days=7 * i)))
    return out


# --------------------------------------------------------------------------------------------- wording
def num(n: Any) -> str:
    """12345 → '12.345' (Vietnamese grouping); not a number → '0'."""
    return number(n, default="0")


def pct(x: float, digits: int = 1) -> str:
    """0.125 → '12,5%'."""
    return f"{x * 100:.{digits}f}".replace(".", ",") + "%"


def share(part: int, whole: int) -> str:
    return pct(part / whole) if whole else "–"


def relative_change(now: int, prev: int) -> float | None:
    """(now − prev) / prev; 0.0 when both are 0, None when only the previous period had none (a «mới» figure).
    The words (`change`), the report's column (`change_short`) and the workbook's number (weekly._change_cell) each
    computed it until round 26, so the three cannot disagree on what «mới» or «không đổi» is."""
    now, prev = int(now), int(prev)
    if prev == 0:
        return 0.0 if now == 0 else None
    return (now - prev) / prev


def change(now: int, prev: int) -> str:
    """Change vs the previous period, in words: 'tăng 12,5%', 'giảm 3,0%', 'không đổi', 'mới xuất hiện'."""
    d = relative_change(now, prev)
    if d is None:
        return "mới xuất hiện"
    if d == 0:
        return "không đổi"
    return ("tăng " if d > 0 else "giảm ") + pct(abs(d))


def change_short(now: int, prev: int) -> str:
    """'+12,5%', '−3,0%', '0%', 'mới'. No change is '0%' like its column's other figures (a bare '0' in the
    Tăng/giảm column read as a count, beside '+45,8%'), as the XLSX's percent format shows it."""
    d = relative_change(now, prev)
    if d is None:
        return "mới"
    if d == 0:
        return "0%"
    return ("+" if d > 0 else "−") + pct(abs(d))


def dmy(d: date | datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def dm(d: date | datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}"


def at_text(dt_utc: datetime | None) -> str:
    """UTC → '21 giờ 33 ngày 16/11/2026' in Vietnam time: a moment as a report's sentences write it (the weekly
    report's period «đến 16 giờ 00 ngày 20/11/2026» alike); tables keep the compact hm_dmy."""
    if dt_utc is None:
        return ""
    d = to_local(dt_utc)
    return f"{d.hour:02d} giờ {d.minute:02d} ngày {dmy(d)}"


def hm_dmy(dt_utc: datetime | None) -> str:
    """UTC → '08:15 17/11/2026' in Vietnam time (the time and the date never split across lines)."""
    if dt_utc is None:
        return ""
    d = to_local(dt_utc)
    return f"{d.hour:02d}:{d.minute:02d} {dmy(d)}"


def hm_dm(dt_utc: datetime | None) -> str:
    """UTC → '08:15 17/11' in Vietnam time (within a report period the year is known)."""
    if dt_utc is None:
        return ""
    d = to_local(dt_utc)
    return f"{d.hour:02d}:{d.minute:02d} {dm(d)}"


def place_date(place: str, on: date) -> str:
    """'Quảng Ninh, ngày 05 tháng 01 năm 2026' — Decree 30 and 36-HD/VPTW alike: days below 10 and months
    1–2 take a leading 0."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def fold_slug(text: str) -> str:
    """'Uông Bí' → 'uong-bi' (file and folder names)."""
    from store.reports import fold

    return "-".join(re.findall(r"[a-z0-9]+", fold(text or "")))

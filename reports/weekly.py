"""The weekly summary: figures from store.reports → one Doc (DOCX, PDF), XLSX sheets and chart figures.

Sections (numbered as in Decree 30/2020: I, II…; 1, 2…):
    I.   Tổng quan: items by source type and outlet vs the previous week; sentiment
    II.  Các vấn đề được dư luận quan tâm nhiều nhất: stories, with how they were handled
    III. Thông tin theo chủ đề và địa bàn: tables and charts; items per day
    IV.  Thông tin tiêu cực cần lưu ý: negative items, most widely carried first, with links
    V.   Cảnh báo và kết quả xử lý: alerts raised in the week and their handling
    VI.  Đề xuất, kiến nghị: the text staff entered in the dashboard
    Phụ lục: every item about the area in the week

One `_section_*` function per section (and per numbered subsection) returns its blocks, XLSX sheet and
charts as a `_Part`; `build_weekly` only assembles them in order. The heading block, title and closing
come from reports/frame.py, shared with the rapid report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from reports import cases_section
from reports import charts as C
from reports.document import Block, Column, Heading, Image, Para, Run, Table
from reports.frame import Built, document, masked, proposals_section
from reports.labels import (
    SENTIMENT_LABELS, SENTIMENT_ORDER, SEVERITY_LABELS, SOURCE_TYPES, STATE_LABELS, TOPIC_LABELS, as_list,
    capitalized, places_brief, sentiment_label, topics_text, unit_in_text,
)
from reports.settings import (
    Period, ReportSettings, change, change_short, dm, dmy, hm_dm, hm_dmy, num, parse_week, relative_change, share,
    to_local,
)
from reports.xlsx_out import Change, Link, Sheet
from vocab.public_holidays import WorkCalendar

if TYPE_CHECKING:
    import pandas as pd

OPEN_STATES = ("new", "acknowledged", "assigned", "reopened")


def _i(x: Any) -> int:
    try:
        return int(x)
    except (TypeError, ValueError):
        return 0


ZWSP, WJ = "\u200b", "\u2060"  # zero-width space (a line may break here), word joiner (it may not)
# characters of a site's name, and of a path's start with its "…", that fit one line of the appendix's «Liên kết»
# column (3.4 cm at 11 pt; checked in LibreOffice: "baoquangninh.vn/", "nguoi-dan-phuo…")
LINK_HOST, LINK_PATH = 16, 14


def link_label(url: str) -> str:
    """The appendix's shown link on at most two lines: the site, then after a break opportunity the path's start
    ('baoquangninh.vn/' ⏎ 'nguoi-dan-phuong…'). Why: LibreOffice (and Word) break a long address at every '/' and
    '-', so it took three lines with '…' alone on the last; a word joiner after each mark of the path keeps the path
    on its line. Only the shown text: the hyperlink's target is the full address."""
    u = re.sub(r"^https?://(www\.)?", "", _s(url)).rstrip("/")
    host, sep, path = u.partition("/")
    if len(host) > LINK_HOST:
        host = host[: LINK_HOST - 1] + "…"
    if not sep:
        return _glued(host)
    if len(path) > LINK_PATH:
        path = path[: LINK_PATH - 1] + "…"
    return f"{_glued(host)}/{ZWSP}{_glued(path)}"


def _glued(part: str) -> str:
    """`part` with a word joiner after each mark ('-', '.', '/', '_'…) and before '…': no line breaks inside."""
    out = "".join(c + WJ if not c.isalnum() and i < len(part) - 1 and part[i + 1] != "…" else c
                  for i, c in enumerate(part))
    return out.replace("…", WJ + "…") if len(out) > 1 else out


NO_LINK = "không có liên kết"


def _link_cell(url: Any) -> Link | str:
    """An XLSX link cell; a collaborator's in-person report (urn:…) has no link, and says so."""
    u = _s(url)
    return Link(u, u) if re.match(r"^https?://", u, re.I) else NO_LINK


def _link_text(url: Any) -> str:
    """The appendix's link text: the shortened address on at most two lines (link_label), or that there is none."""
    u = _s(url)
    return link_label(u) if re.match(r"^https?://", u, re.I) else NO_LINK


def _s(v: Any) -> str:
    """A text cell: '' for None / NaN (pandas turns None into NaN in text columns)."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _local(ts: Any) -> datetime | None:
    import pandas as pd

    if ts is None or (isinstance(ts, float) and ts != ts) or ts is pd.NaT:
        return None
    return to_local(pd.Timestamp(ts).to_pydatetime())


def period_text(p: Period) -> str:
    if p.cut:
        end = p.local_end
        if (end.hour, end.minute) == (0, 0):  # a cut at midnight is the end of the day before, as offices write it
            return f"từ ngày {dmy(p.first_day)} đến 24 giờ 00 ngày {dmy(end - timedelta(minutes=1))}"
        return f"từ ngày {dmy(p.first_day)} đến {end.hour:02d} giờ {end.minute:02d} ngày {dmy(end)}"
    return f"từ ngày {dmy(p.first_day)} đến ngày {dmy(p.last_day)}"


@dataclass(frozen=True)
class _Week:
    """What every section words the same way: settings, period, area and the week's scope totals."""
    s: ReportSettings
    p: Period
    area_label: str
    ptext: str                    # "từ ngày 16/11/2026 đến ngày 22/11/2026"
    week_no: int
    week_year: int                # the ISO year of the week: 2026-W01 starts on 29/12/2025 and is week 1 of 2026
    today: datetime               # the report's date, Vietnam time
    sub: str                      # subtitle of every XLSX sheet
    now_n: int                    # items about the area this week
    prev_n: int                   # … and the week before


@dataclass
class _Part:
    """One section's output, in document order: body blocks, XLSX sheets, chart specs."""
    blocks: list[Block] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    figs: dict[str, Any] = field(default_factory=dict)


def build_weekly(f: dict[str, Any], s: ReportSettings, p: Period, area: str, proposals: str,
                 generated_at: datetime) -> Built:
    """`f` is store.reports.weekly_figures(); `area` '' means the whole province; times naive UTC."""
    f = masked(f, s)
    w = _week(f["totals"], s, p, area, generated_at)
    doc = document(
        s, w.today,
        title=["BÁO CÁO", "Tổng hợp thông tin báo chí, mạng xã hội", f"phản ánh về {w.area_label}"],
        subtitle=f"(Tuần {w.week_no}/{w.week_year}, {w.ptext})",
        meta_title=f"Báo cáo tổng hợp thông tin báo chí, mạng xã hội tuần {w.week_no}/{w.week_year} – {w.area_label}",
        created=generated_at,
    )
    by_type = _by_type(f["outlets"])
    sent = _sentiment_counts(f["sentiment"])
    parts = [
        _section_intro(w),
        _section_overview(w, f["totals"]),
        _section_sources(w, f["outlets"], by_type),
        _section_sentiment(w, sent),
        _section_stories(w, f["stories"], f["stories_total"]),
        _section_topics(w, f["topics"]),
        _section_places(w, f["places"], f.get("places_province_only", 0)),
        _section_daily(w, f["daily"]),
        _section_negative(w, f["negative"], sent),
        _section_alerts(w, f["alerts"]),
        _section_complaints(w, f.get("cases", [])),
        _section_proposals(w, proposals),
        _section_closing_line(w),
    ]
    sheets: list[Sheet] = []
    figs: dict[str, Any] = {}
    for part in parts:
        doc.blocks.extend(part.blocks)
        sheets.extend(part.sheets)
        figs.update(part.figs)
    doc.blocks[:] = said_instead(doc.blocks)
    number_captions(doc.blocks)
    app = _section_appendix(w, f["appendix"])
    if len(f["appendix"]):  # no «PHỤ LỤC … 0 tin, bài» page: section I already says the week had none
        doc.appendix.extend(app.blocks)
    sheets.extend(app.sheets)
    sheets.insert(0, _overview_sheet(w, doc.meta_title, f["totals"], by_type, sent, f.get("stories_total", 0),
                                     len(f["alerts"])))
    return Built(doc=doc, sheets=sheets, figs=figs, n_items=len(f["appendix"]))


_CAPTION_NO = re.compile(r"^(Bảng|Biểu đồ) \d+\. ")


def said_instead(blocks: list[Block]) -> list[Block]:
    """A table with no rows becomes its `empty_text` as a sentence, without caption or header row: staff file
    "Trong tuần không ghi nhận …", not an empty Bảng (an empty week's report had five of them)."""
    return [Para.text(b.empty_text) if isinstance(b, Table) and not b.rows else b for b in blocks]


def number_captions(blocks: list[Block]) -> None:
    """Number the tables and charts in the order they appear: a section with nothing to show leaves its table
    or chart out (no alerts, no negative items, an empty week), and the numbers must not skip one."""
    seen = {"Bảng": 0, "Biểu đồ": 0}
    for b in blocks:
        if isinstance(b, (Table, Image)) and (m := _CAPTION_NO.match(b.caption)):
            seen[m.group(1)] += 1
            b.caption = f"{m.group(1)} {seen[m.group(1)]}. " + b.caption[m.end():]


def _week(t: dict[str, Any], s: ReportSettings, p: Period, area: str, generated_at: datetime) -> _Week:
    """The shared wording of the week; `t` is the figures' totals."""
    area_label = s.area_title(area)  # the whole province by its own name, never a ward office's (fix37)
    ptext = period_text(p)
    year, week_no = parse_week(p.week)
    return _Week(s=s, p=p, area_label=area_label, ptext=ptext, week_no=week_no, week_year=year,
                 today=to_local(generated_at), sub=f"Tuần {week_no}/{year} ({ptext}) – {area_label}",
                 now_n=t["scope_now"], prev_n=t["scope_prev"])


def _by_type(outlets: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Items this week and last, per source type ('press', 'social', 'ctv': every type in SOURCE_TYPES, so a
    collaborator's in-person report is counted apart rather than dropped from the split)."""
    return {st: (_i(outlets.loc[outlets.source_type == st, "n_now"].sum()),
                 _i(outlets.loc[outlets.source_type == st, "n_prev"].sum())) for st in SOURCE_TYPES}


def _sentiment_counts(sentiment: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Items this week and last, per sentiment code."""
    return {r.sentiment: (_i(r.n_now), _i(r.n_prev)) for r in sentiment.itertuples()}


def _lower_label(label: str) -> str:
    """'Báo chí' → 'báo chí', but 'CTV / trực tiếp' keeps its acronym."""
    return label if label.split()[0].isupper() else label.lower()


def _ctv_clause(ctv: tuple[int, int], now_n: int) -> str:
    """'; CTV / trực tiếp 3 tin (1,2%), …': only when collaborators reported in person this week or the last."""
    a, b = ctv
    if not (a or b):
        return ""
    return f"; {SOURCE_TYPES['ctv']} {num(a)} tin ({share(a, now_n)}), {change(a, b)}"


def _section_intro(w: _Week) -> _Part:
    """The opening sentence: who reports on which area for which week."""
    return _Part([Para.text(
        f"Thực hiện nhiệm vụ theo dõi, nắm bắt dư luận xã hội, {w.s.issuer_name} báo cáo tổng hợp thông tin báo chí, "
        f"mạng xã hội phản ánh về {w.area_label} trong tuần {w.week_no} ({w.ptext}) như sau:"
    )])


def _section_overview(w: _Week, t: dict[str, Any]) -> _Part:
    """I. Tổng quan: items collected, items about the area vs the previous week, items not yet tagged."""
    B: list[Block] = [Heading(1, w.s.section(1, "TỔNG QUAN"))]
    now_n, prev_n, area_label = w.now_n, w.prev_n, w.area_label
    if now_n == 0:
        B.append(Para.text(
            f"Trong tuần không ghi nhận tin, bài nào phản ánh về {area_label} trên các nguồn được theo dõi "
            f"(tổng số tin, bài thu thập được: {num(t['all_now'])}; tuần trước có {num(prev_n)} tin, bài về địa bàn)."))
    else:
        B.append(Para.text(
            f"Trong tuần, hệ thống thu thập được {num(t['all_now'])} tin, bài từ các nguồn được theo dõi, trong đó "
            f"{num(now_n)} tin, bài phản ánh về {area_label}, {change(now_n, prev_n)} so với tuần trước "
            f"({num(prev_n)} tin, bài)."))
    if note := _holiday_note(w):
        B.append(Para.text(note, italic=True))
    if t["tagged_now"] < t["all_now"]:
        B.append(Para.text(
            f"Có {num(t['all_now'] - t['tagged_now'])} tin, bài chưa được phân loại tự động (chủ đề, sắc thái, địa "
            f"bàn) nên chưa được tính vào các số liệu theo địa bàn dưới đây.", italic=True))
    return _Part(B)


def _holidays(cal: WorkCalendar, days: list[Any]) -> list[tuple[Any, str]]:
    """(day, name) of the days off among `days`: the statutory ones and the office's [cases] holidays (one calendar,
    vocab.public_holidays.WorkCalendar, as for case due dates)."""
    return [(d, n) for d in days if (n := cal.day_off_name(d))]


def _holiday_note(w: _Week) -> str:
    """A line under the week-on-week comparison when either week had a day off (over the same span): volumes drop
    on 01/01, Tết, 30/4, 02/9, so a fall is not by itself less interest. Empty when neither had one."""
    days = w.p.days()
    now = _holidays(w.s.days_off, days)
    prev = _holidays(w.s.days_off, [d - timedelta(days=7) for d in days])
    if not (now or prev):
        return ""
    def listed(hs: list[tuple[Any, str]]) -> str:
        return "; ".join(f"{dm(d)} – {n}" for d, n in hs)
    which = "; ".join(x for x in (f"tuần này: {listed(now)}" if now else "",
                                  f"tuần trước: {listed(prev)}" if prev else "") if x)
    return (f"Lưu ý khi so sánh: có ngày nghỉ lễ ({which}); trong ngày nghỉ lễ số tin, bài thường giảm so với ngày "
            f"thường.")


def _section_sources(w: _Week, outlets: pd.DataFrame, by_type: dict[str, tuple[int, int]]) -> _Part:
    """I.1 and Bảng 1: items per source type and per outlet, this week vs the previous one."""
    now_n, prev_n = w.now_n, w.prev_n
    B: list[Block] = [Heading(2, "1. Theo loại nguồn và cơ quan báo chí, kênh mạng xã hội")]
    if now_n:
        pn, sn = by_type["press"][0], by_type["social"][0]
        B.append(Para.text(
            f"Báo chí đăng {num(pn)} tin, bài ({share(pn, now_n)}), {change(pn, by_type['press'][1])}; mạng xã hội "
            f"có {num(sn)} bài đăng ({share(sn, now_n)}), {change(sn, by_type['social'][1])} so với tuần trước"
            + _ctv_clause(by_type["ctv"], now_n) + ". "
            f"Có {num((outlets.n_now > 0).sum())} cơ quan báo chí, kênh mạng xã hội đăng tin về địa bàn."))
    rows, xrows = [], []
    k = 0
    for st in SOURCE_TYPES:
        part = outlets[outlets.source_type == st]
        for r in part.itertuples():
            k += 1
            rows.append([str(k), r.outlet, SOURCE_TYPES.get(st, st), num(r.n_now), num(r.n_prev),
                         change_short(r.n_now, r.n_prev)])
            xrows.append([k, r.outlet, SOURCE_TYPES.get(st, st), _i(r.n_now), _i(r.n_prev)])
        if len(part):
            a, b = by_type[st]
            rows.append([Run("", bold=True), Run(f"Cộng {_lower_label(SOURCE_TYPES[st])}", bold=True), "",
                         Run(num(a), bold=True), Run(num(b), bold=True), change_short(a, b)])
    if k:
        rows.append([Run(""), Run("Tổng cộng", bold=True), "", Run(num(now_n), bold=True), Run(num(prev_n), bold=True),
                     change_short(now_n, prev_n)])
    B.append(Table([Column("TT", 1.0, "center"), Column("Nguồn tin", 5.0), Column("Loại", 2.2),
                    Column("Tuần này", 1.8, "right"), Column("Tuần trước", 1.8, "right"),
                    Column("Tăng/giảm", 2.1, "right")], rows,
                   caption="Bảng 1. Số tin, bài theo nguồn",
                   empty_text=f"Trong tuần và tuần trước không có cơ quan báo chí, kênh mạng xã hội nào đăng tin, bài "
                              f"về {w.area_label}."))
    return _Part(B, [Sheet("Theo nguồn", "Số tin, bài theo nguồn", [("TT", 5), ("Nguồn tin", 36), ("Loại", 14),
                                                                   ("Tuần này", 11), ("Tuần trước", 11)], xrows,
                           subtitle=w.sub)])


def _section_sentiment(w: _Week, sent: dict[str, tuple[int, int]]) -> _Part:
    """I.2, Bảng 2 and Biểu đồ 1: items per sentiment, this week vs the previous one."""
    now_n = w.now_n
    B: list[Block] = [Heading(2, "2. Sắc thái thông tin")]
    figs: dict[str, Any] = {}
    if now_n:
        neg, pos = sent.get("negative", (0, 0)), sent.get("positive", (0, 0))
        B.append(Para.text(
            f"Thông tin tiêu cực: {num(neg[0])} tin, bài ({share(neg[0], now_n)}), {change(neg[0], neg[1])} so với "
            f"tuần trước; tích cực: {num(pos[0])} ({share(pos[0], now_n)}); trung tính: "
            f"{num(sent.get('neutral', (0, 0))[0])} ({share(sent.get('neutral', (0, 0))[0], now_n)})."))
    srows, sx = [], []
    for code in SENTIMENT_ORDER:
        if code not in sent:
            continue
        a, b = sent[code]
        srows.append([SENTIMENT_LABELS[code], num(a), share(a, now_n), num(b), change_short(a, b)])
        sx.append([SENTIMENT_LABELS[code], a, b])
    B.append(Table([Column("Sắc thái", 3.0), Column("Tuần này", 1.8, "right"), Column("Tỷ lệ", 1.6, "right"),
                    Column("Tuần trước", 1.8, "right"), Column("Tăng/giảm", 2.1, "right")], srows,
                   caption="Bảng 2. Sắc thái thông tin",
                   empty_text="Trong tuần và tuần trước không ghi nhận tin, bài nào để đánh giá sắc thái."))
    if now_n:
        codes = [c for c in SENTIMENT_ORDER if sent.get(c, (0, 0))[0]]
        figs["sentiment"] = C.sentiment_chart([SENTIMENT_LABELS[c] for c in codes], codes,
                                              [sent[c][0] for c in codes])
        B.append(Image("sentiment", "Biểu đồ 1. Sắc thái thông tin trong tuần", width_cm=12.0))
    return _Part(B, [Sheet("Sắc thái", "Sắc thái thông tin", [("Sắc thái", 16), ("Tuần này", 11),
                                                              ("Tuần trước", 11)], sx, subtitle=w.sub)], figs)


def _section_stories(w: _Week, stories: pd.DataFrame, stories_total: int) -> _Part:
    """II and Bảng 3: the stories most items carried, with how their alerts were handled."""
    import pandas as pd

    B: list[Block] = [Heading(1, w.s.section(2, "CÁC VẤN ĐỀ ĐƯỢC DƯ LUẬN QUAN TÂM NHIỀU NHẤT"))]
    st_note = ""
    if not len(stories):
        st_note = f"Trong tuần không có vấn đề nào về {w.area_label} được các nguồn phản ánh."
        B.append(Para.text(st_note))
    else:
        B.append(Para.text(
            f"Trong tuần có {num(stories_total)} vấn đề (nhóm tin cùng nội dung) phản ánh về {w.area_label}; "
            f"{len(stories)} vấn đề được nhiều tin, bài phản ánh nhất như sau:"))
    rows, xrows = [], []
    for k, r in enumerate(stories.itertuples(), start=1):
        # one count a line, «21 tiêu cực» over «3 trung tính»: run on with «; » in a 1.7 column they broke as «21 tiêu /
        # cực; 3 / trung / tính» (round 28)
        sent_txt = "\n".join(f"{num(n)} {SENTIMENT_LABELS[c].lower()}" for c, n in (
            ("negative", _i(r.n_negative)), ("neutral", _i(r.n_neutral)), ("positive", _i(r.n_positive)),
            ("unknown", _i(r.n_unknown))) if n)
        places = places_brief(as_list(r.places))
        handling = _handling_text(r)
        first = _local(r.first_seen)
        rows.append([str(k), capitalized(r.title), f"{num(r.n_items)} tin / {num(r.n_outlets)} nguồn", sent_txt, places,
                     (hm_dm if first and first.year == w.p.first_day.year else hm_dmy)(pd.Timestamp(r.first_seen).to_pydatetime()) if first else "", handling])
        xrows.append([k, r.title, _i(r.n_items), _i(r.n_outlets), "; ".join(as_list(r.outlets)), _i(r.n_negative),
                      _i(r.n_neutral), _i(r.n_positive), "; ".join(as_list(r.places)), topics_text(as_list(r.topics)),
                      first, _s(r.alert_id), STATE_LABELS.get(_s(r.alert_status), _s(r.alert_status)),
                      ", ".join(as_list(r.reviewers)), " | ".join(as_list(r.notes))])
    if len(stories):
        # "Xuất hiện lần đầu" fits "dd/mm/yyyy" at 12 pt: a story first seen in another year than the week's first
        # day (any week over 31/12) is dated with its year, which broke as "02/01/2 027" in a 1.6 column; "Sắc thái"
        # fits "999 trung tính", its longest line, at 12 pt (1.7 broke every count over two or three lines; round 28)
        B.append(Table([Column("TT", 0.8, "center"), Column("Vấn đề", 3.9), Column("Số tin / nguồn", 1.5),
                        Column("Sắc thái", 2.5), Column("Địa bàn", 2.3), Column("Xuất hiện lần đầu", 2.1),
                        Column("Xử lý", 2.4)], rows,
                       caption="Bảng 3. Các vấn đề nổi bật trong tuần"))
    return _Part(B, [Sheet("Vấn đề nổi bật", "Các vấn đề được dư luận quan tâm nhiều nhất", [
        ("TT", 5), ("Vấn đề", 60), ("Số tin", 9), ("Số nguồn", 9), ("Các nguồn", 40), ("Tiêu cực", 9),
        ("Trung tính", 10), ("Tích cực", 9), ("Địa bàn", 40), ("Chủ đề", 30), ("Xuất hiện lần đầu", 17),
        ("Cảnh báo", 10), ("Trạng thái xử lý", 18), ("Người xử lý", 20), ("Ghi chú", 50)], xrows, subtitle=w.sub,
        note=st_note)])


def _section_topics(w: _Week, topics: pd.DataFrame) -> _Part:
    """III heading, III.1, Bảng 4 and Biểu đồ 2: items per topic, this week vs the previous one."""
    B: list[Block] = [Heading(1, w.s.section(3, "THÔNG TIN THEO CHỦ ĐỀ VÀ ĐỊA BÀN")), Heading(2, "1. Theo chủ đề")]
    figs: dict[str, Any] = {}
    trows, tx = [], []
    topics = topics[(topics.n_now > 0) | (topics.n_prev > 0)]
    if len(topics) and w.now_n:
        top = topics[topics.n_now > 0].iloc[0]
        B.append(Para.text(
            f"Chủ đề được phản ánh nhiều nhất là «{TOPIC_LABELS.get(top.topic, top.topic)}» với "
            f"{num(top.n_now)} tin, bài ({change(top.n_now, top.n_prev)} so với tuần trước)."))
    for k, r in enumerate(topics.itertuples(), start=1):
        label = TOPIC_LABELS.get(r.topic, r.topic)
        trows.append([str(k), label, num(r.n_now), num(r.n_prev), change_short(r.n_now, r.n_prev), num(r.neg_now)])
        tx.append([k, label, _i(r.n_now), _i(r.n_prev), _i(r.neg_now)])
    B.append(Table([Column("TT", 1.0, "center"), Column("Chủ đề", 5.0), Column("Tuần này", 1.8, "right"),
                    Column("Tuần trước", 1.8, "right"), Column("Tăng/giảm", 2.1, "right"),
                    Column("Trong đó tiêu cực", 2.0, "right")], trows, caption="Bảng 4. Số tin, bài theo chủ đề",
                   empty_text=f"Trong tuần và tuần trước không ghi nhận tin, bài nào về {w.area_label} theo các chủ đề "
                              f"được theo dõi."))
    scope = _topics_scope(w)
    if trows:  # the note is about the table's figures
        B.append(Para.text(scope, italic=True, indent=False, size=w.s.font_size - 2))
    shown = topics[topics.n_now > 0].head(12)
    if len(shown):
        figs["topics"] = C.hbar_chart([TOPIC_LABELS.get(x, x) for x in shown.topic],
                                      list(shown.n_now), list(shown.n_prev))
        B.append(Image("topics", "Biểu đồ 2. Số tin, bài theo chủ đề (so với tuần trước)"))
    return _Part(B, [Sheet("Chủ đề", "Số tin, bài theo chủ đề", [("TT", 5), ("Chủ đề", 30), ("Tuần này", 11),
                                                                 ("Tuần trước", 11), ("Trong đó tiêu cực", 16)], tx,
                           subtitle=w.sub, note=scope)], figs)


def _topics_scope(w: _Week) -> str:
    """Bảng 4's note on what it counts, and where the dashboard shows the same figures: «Chủ đề & địa bàn» with
    «Tuần báo cáo» and «Chỉ trong địa bàn» (the same query); its 7/30/90 days count every tagged item in any area
    (757 «An ninh trật tự» beside the report's 672 in the walk), and staff could not tell why."""
    same = ("khi chọn «Tuần báo cáo» và bật «Chỉ trong địa bàn» cho đúng số liệu của bảng này"
            if w.area_label == w.s.default_area_label else
            f"khi chọn «Tuần báo cáo» và bật «Chỉ trong địa bàn» cho số liệu toàn địa bàn theo dõi "
            f"({w.s.default_area_label}), không riêng {w.area_label}")
    return (f"Ghi chú: Bảng chỉ tính tin, bài phản ánh về {w.area_label} trong tuần; một tin, bài có thể thuộc nhiều "
            f"chủ đề. Trang «Chủ đề & địa bàn» của hệ thống {same} (bấm vào một chủ đề để xem các tin, bài); các kỳ "
            f"7, 30, 90 ngày ở đó tính mọi tin, bài đã phân loại ở mọi địa bàn, nên thường lớn hơn.")


def _section_places(w: _Week, places: pd.DataFrame, province_only: int = 0) -> _Part:
    """III.2, Bảng 5 and Biểu đồ 3: the places named most often, this week vs the previous one. `province_only`:
    the week's items that name only the province, under no row (a province is no 2025 unit, ux42), said in a line
    under the table and on its sheet (fix38)."""
    B: list[Block] = [Heading(2, "2. Theo địa bàn")]
    figs: dict[str, Any] = {}
    prows, px_ = [], []
    if len(places):
        B.append(Para.text(
            f"Địa bàn được nhắc đến nhiều nhất: {unit_in_text(places.iloc[0].place)} ({num(places.iloc[0].n_now)} tin, "
            f"bài). "
            f"Tên đơn vị hành chính cũ (trước ngày 01/7/2025) được ghi kèm đơn vị mới."))
    for k, r in enumerate(places.itertuples(), start=1):
        prows.append([str(k), r.place, num(r.n_now), num(r.n_prev), change_short(r.n_now, r.n_prev), num(r.neg_now)])
        px_.append([k, r.place, _i(r.n_now), _i(r.n_prev), _i(r.neg_now)])
    B.append(Table([Column("TT", 1.0, "center"), Column("Địa bàn", 5.0), Column("Tuần này", 1.8, "right"),
                    Column("Tuần trước", 1.8, "right"), Column("Tăng/giảm", 2.1, "right"),
                    Column("Trong đó tiêu cực", 2.0, "right")], prows,
                   caption="Bảng 5. Số tin, bài theo địa bàn"
                           + (f" ({len(places)} địa bàn nhiều tin nhất)" if len(places) else ""),
                   empty_text="Trong tuần không ghi nhận tin, bài nào nêu tên địa bàn cụ thể."))
    whole = (f"Ghi chú: ngoài bảng còn {num(province_only)} tin, bài chỉ nêu chung {w.s.province_label}, không nêu "
             f"đơn vị hành chính cấp xã cụ thể." if province_only else "")
    if whole:
        B.append(Para.text(whole, italic=True, indent=False, size=w.s.font_size - 2))
    if len(places):
        shown = places.head(10)
        figs["places"] = C.hbar_chart(list(shown.place), list(shown.n_now))
        B.append(Image("places", "Biểu đồ 3. Địa bàn được nhắc đến nhiều nhất trong tuần"))
    return _Part(B, [Sheet("Địa bàn", "Số tin, bài theo địa bàn", [("TT", 5), ("Địa bàn", 60), ("Tuần này", 11),
                                                                   ("Tuần trước", 11), ("Trong đó tiêu cực", 16)], px_,
                           subtitle=w.sub, note=whole)], figs)


def _section_daily(w: _Week, daily: pd.DataFrame) -> _Part:
    """III.3, Bảng 6 and Biểu đồ 4: press and social items per day of the week."""
    import pandas as pd

    B: list[Block] = [Heading(2, "3. Diễn biến theo ngày")]
    figs: dict[str, Any] = {}
    counts: dict[Any, dict[str, int]] = {}
    for r in daily.itertuples():
        counts.setdefault(pd.Timestamp(r.day).date(), {})[r.source_type] = _i(r.n)
    days = w.p.days()
    # a CTV / trực tiếp column only in a week that has such reports (most weeks have none)
    week_days = set(days)
    types = [st for st in SOURCE_TYPES if st != "ctv" or any(c.get("ctv") for d, c in counts.items() if d in week_days)]
    drows, dx = [], []
    off = dict(_holidays(w.s.days_off, days))  # a day off is marked: volumes drop on it (and a "Ghi chú" column names it in the XLSX)
    for d in days:
        c = counts.get(d, {})
        ns = [c.get(st, 0) for st in types]
        drows.append([f"{('Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật')[d.weekday()]}, "
                      f"{dmy(d)}" + (" (nghỉ lễ)" if d in off else ""), *(num(x) for x in ns), num(sum(ns))])
        dx.append([d, *ns, sum(ns), *([f"Nghỉ lễ: {off[d]}" if d in off else ""] if off else [])])
    # seven rows of zeros say less than one sentence (the XLSX sheet keeps its days)
    B.append(Table([Column("Ngày", 4.0), *(Column(SOURCE_TYPES[st], 2.0, "right") for st in types),
                    Column("Cộng", 2.0, "right")], drows if w.now_n else [], caption="Bảng 6. Số tin, bài theo ngày",
                   empty_text=f"Trong tuần ({w.ptext}) không ghi nhận tin, bài nào về {w.area_label}."))
    if w.now_n:
        by = {st: [r[1 + k] for r in dx] for k, st in enumerate(types)}
        figs["daily"] = C.daily_chart(days, by["press"], by["social"], by.get("ctv"))
        B.append(Image("daily", "Biểu đồ 4. Số tin, bài theo ngày"))
    return _Part(B, [Sheet("Theo ngày", "Số tin, bài theo ngày",
                           [("Ngày", 14), *((SOURCE_TYPES[st], 13) for st in types), ("Cộng", 11),
                            *([("Ghi chú", 36)] if off else [])], dx, subtitle=w.sub)], figs)


def _section_negative(w: _Week, neg: pd.DataFrame, sent: dict[str, tuple[int, int]]) -> _Part:
    """IV and Bảng 7: the negative items most widely carried, with links to the originals."""
    B: list[Block] = [Heading(1, w.s.section(4, "THÔNG TIN TIÊU CỰC CẦN LƯU Ý"))]
    n_neg = sent.get("negative", (0, 0))[0]
    nx = []
    if not len(neg):
        B.append(Para.text(f"Trong tuần không ghi nhận tin, bài tiêu cực về {w.area_label}."))
    else:
        B.append(Para.text(
            f"Trong tuần có {num(n_neg)} tin, bài mang sắc thái tiêu cực ({share(n_neg, w.now_n)} số tin, bài về địa "
            f"bàn). Dưới đây là {len(neg)} tin, bài được nhiều nguồn đăng tải nhất, cần theo dõi, kiểm tra và "
            f"có thông tin chính thống kịp thời khi cần:"))
        rows = []
        for k, r in enumerate(neg.itertuples(), start=1):
            when = _local(r.published_at)
            rows.append([str(k), f"{when:%H:%M} {dm(when)}" if when else "", r.outlet, Run(capitalized(r.title), url=r.url),
                         places_brief(as_list(r.places)), num(r.n_sources)])
            nx.append([k, when, r.outlet, SOURCE_TYPES.get(r.source_type, r.source_type), r.title,
                       topics_text(as_list(r.topics)), "; ".join(as_list(r.places)), _i(r.n_sources),
                       _link_cell(r.url)])
        B.append(Table([Column("TT", 1.0, "center"), Column("Thời gian", 1.5), Column("Nguồn", 2.3),
                        Column("Tiêu đề (liên kết đến bài gốc)", 6.0), Column("Địa bàn", 3.0),
                        Column("Số nguồn đăng", 1.4, "right")], rows,
                       caption="Bảng 7. Tin, bài tiêu cực cần lưu ý"))
    return _Part(B, [Sheet("Tin tiêu cực", "Thông tin tiêu cực cần lưu ý", [
        ("TT", 5), ("Thời gian", 17), ("Nguồn", 24), ("Loại", 13), ("Tiêu đề", 70), ("Chủ đề", 26), ("Địa bàn", 40),
        ("Số nguồn đăng", 12), ("Liên kết", 50)], nx, subtitle=w.sub)])


def alert_states(st: dict[str, Any], open_n: int) -> str:
    """'1 đã xử lý xong, 2 đang theo dõi, xử lý (trong đó 1 chưa tiếp nhận)': the states the week's alerts are in,
    leaving out those none is in («0 đã xử lý xong, 0 được xác định không cần xử lý, …» read as a form not filled)."""
    new = _i(st.get("new", 0))
    parts = [f"{num(_i(st.get('resolved', 0)))} đã xử lý xong" if st.get("resolved") else "",
             f"{num(_i(st.get('dismissed', 0)))} được xác định không cần xử lý" if st.get("dismissed") else "",
             (f"{num(open_n)} đang theo dõi, xử lý" + (f" (trong đó {num(new)} chưa tiếp nhận)" if new else ""))
             if open_n else "",
             f"{num(_i(st.get('merged', 0)))} đã gộp vào cảnh báo khác" if st.get("merged") else ""]
    return ", ".join(x for x in parts if x)


def _section_alerts(w: _Week, alerts: pd.DataFrame) -> _Part:
    """V and Bảng 8: the alerts raised in the week, their state, who handled them and their notes."""
    import pandas as pd

    B: list[Block] = [Heading(1, w.s.section(5, "CẢNH BÁO VÀ KẾT QUẢ XỬ LÝ"))]
    ax = []
    al_note = ""
    if not len(alerts):
        al_note = "Trong tuần không phát sinh cảnh báo vấn đề mới nổi."
        B.append(Para.text(al_note))
    else:
        st = alerts.status.value_counts().to_dict()
        n_watch = int((alerts["kind"] == "watchlist").sum()) if "kind" in alerts else 0
        open_n = sum(_i(st.get(x, 0)) for x in OPEN_STATES)
        kinds = (f" ({num(len(alerts) - n_watch)} vấn đề mới nổi, {num(n_watch)} theo danh sách từ khóa theo dõi)"
                 if n_watch else " vấn đề mới nổi")  # a watchlist's alert is not an emerging story's
        B.append(Para.text(f"Trong tuần, hệ thống phát sinh {num(len(alerts))} cảnh báo{kinds}: "
                           + alert_states(st, open_n) + "."))
        rows = []
        for k, r in enumerate(alerts.itertuples(), start=1):
            people = ", ".join(as_list(r.reviewers)) or _s(r.assignee)
            notes = [x for x in as_list(r.notes) if x]
            if _s(r.close_reason):
                notes.append(f"Lý do đóng: {r.close_reason}")
            rows.append([str(k), r.alert_id, hm_dm(pd.Timestamp(r.raised_at).to_pydatetime()), capitalized(r.title),
                         SEVERITY_LABELS.get(r.severity, r.severity), STATE_LABELS.get(r.status, r.status), people,
                         "; ".join(notes)])
            ax.append([k, r.alert_id, _local(r.raised_at), r.title, SEVERITY_LABELS.get(r.severity, r.severity),
                       STATE_LABELS.get(r.status, r.status), _i(r.n_items), _i(r.n_outlets), _s(r.assignee), people,
                       " | ".join(notes), _local(r.last_action_at)])
        # "Mã" fits an alert id and "Mức độ" the word "Trung" at 12 pt (they printed "A000 134", "Trun g bình")
        B.append(Table([Column("TT", 1.0, "center"), Column("Mã", 1.9), Column("Thời điểm", 1.7),
                        Column("Nội dung", 3.9), Column("Mức độ", 1.5), Column("Trạng thái", 1.8),
                        Column("Người xử lý", 1.8), Column("Ghi chú, kết quả", 3.2)], rows,
                       caption="Bảng 8. Cảnh báo phát sinh trong tuần và kết quả xử lý"))
    return _Part(B, [Sheet("Cảnh báo", "Cảnh báo và kết quả xử lý", [
        ("TT", 5), ("Mã", 10), ("Thời điểm", 17), ("Nội dung", 60), ("Mức độ", 11), ("Trạng thái", 18),
        ("Số tin", 8), ("Số nguồn", 9), ("Giao cho", 14), ("Người xử lý", 20), ("Ghi chú, kết quả", 60),
        ("Thao tác gần nhất", 17)], ax, subtitle=w.sub, note=al_note)])


def _section_complaints(w: _Week, rows: list[dict[str, Any]]) -> _Part:
    """V (end) and Bảng 9: complaints received on the office's channels and how they were handled."""
    blocks, sheets = cases_section.complaints(rows, w.sub)
    return _Part(blocks, sheets)


def _section_proposals(w: _Week, proposals: str) -> _Part:
    """VI: the proposals staff entered in the dashboard, or a placeholder asking for them."""
    B, lines = proposals_section(w.s.section(6, "ĐỀ XUẤT, KIẾN NGHỊ"), proposals,
                                 "(Chưa có nội dung đề xuất, kiến nghị; nhập tại trang Báo cáo trước khi xuất hoặc "
                                 "bổ sung trực tiếp vào văn bản.)")
    return _Part(B, [Sheet("Đề xuất", "Đề xuất, kiến nghị", [("Nội dung", 120)], [[x] for x in lines],
                           subtitle=w.sub, note="" if lines else "Chưa có nội dung đề xuất, kiến nghị.")])


def _section_closing_line(w: _Week) -> _Part:
    """The closing sentence of the body ("Trên đây là báo cáo … ./.")."""
    return _Part([Para.text(
        f"Trên đây là báo cáo tổng hợp thông tin báo chí, mạng xã hội phản ánh về {w.area_label} tuần {w.week_no} "
        f"năm {w.week_year} của {w.s.issuer_name}./.")])


def _section_appendix(w: _Week, app_all: pd.DataFrame) -> _Part:
    """Phụ lục: every item about the area in the week (capped in the document, complete in the XLSX)."""
    s, today, area_label = w.s, w.today, w.area_label
    app = app_all
    capped = 0 < s.appendix_max_rows < len(app_all)
    if capped:  # the most notable items (negative, most widely carried, newest), listed by time
        pick = app_all.assign(_neg=app_all["sentiment"] != "negative").sort_values(
            ["_neg", "n_sources", "published_at"], ascending=[True, False, False]).head(s.appendix_max_rows)
        app = app_all.loc[sorted(pick.index)]
    A: list[Block] = []
    A.append(Para.text("PHỤ LỤC", bold=True, align="center", indent=False, space_before=0))
    A.append(Para.text(f"DANH SÁCH TIN, BÀI PHẢN ÁNH VỀ {area_label.upper()}", bold=True, align="center",
                       indent=False, space_before=0))
    A.append(Para.text(f"(Kèm theo Báo cáo {s.number_ref()} ngày {today.day:02d}/{today.month:02d}/{today.year} "
                       f"của {s.issuer_name}; {w.ptext}: {num(len(app_all))} tin, bài)", italic=True, align="center",
                       indent=False, space_before=0))
    if capped:
        A.append(Para.text(
            f"Phụ lục liệt kê {num(len(app))} trong số {num(len(app_all))} tin, bài (ưu tiên tin tiêu cực và tin được "
            f"nhiều nguồn đăng tải), xếp theo thời gian; danh sách đầy đủ ở trang «Phụ lục» của tệp Excel kèm theo.",
            italic=True, align="center", indent=False, size=s.font_size - 2))
    rows, xrows = [], []
    shown = set(app.index) if capped else None
    k_doc = 0
    for k, (idx, r) in enumerate(zip(app_all.index, app_all.itertuples(index=False)), start=1):
        when = to_local(r.published_at.to_pydatetime()) if r.published_at is not None else None
        topics_txt = topics_text(as_list(r.topics))
        sl = sentiment_label(r.sentiment)
        xrows.append([k, when, r.outlet, SOURCE_TYPES.get(r.source_type, r.source_type), r.title, topics_txt, sl,
                      "; ".join(as_list(r.places)), _i(r.n_sources), _link_cell(r.url)])
        if shown is None or idx in shown:
            k_doc += 1
            rows.append([str(k_doc), f"{when:%H:%M} {dm(when)}" if when else "", r.outlet, capitalized(r.title),
                         topics_txt, sl, Run(_link_text(r.url), url=r.url)])
    # "Nguồn" fits an outlet's one-word name at 11 pt ("VietNamNet" printed as "VietNamNe t" in 2.2), "Sắc thái"
    # «Trung tính» (1.5 broke «Tiêu / cực», as the rapid report's did: round 27)
    A.append(Table([Column("TT", 1.0, "center"), Column("Thời gian", 1.5), Column("Nguồn", 2.5),
                    Column("Tiêu đề", 4.3), Column("Chủ đề", 2.2), Column("Sắc thái", 2.1), Column("Liên kết", 3.4)],
                   rows, size_delta=-3, empty_text=f"Trong tuần không có tin, bài nào phản ánh về {area_label}."))
    return _Part(A, [Sheet("Phụ lục", f"Phụ lục: danh sách tin, bài phản ánh về {area_label}", [
        ("TT", 7), ("Thời gian", 17), ("Nguồn", 24), ("Loại", 13), ("Tiêu đề", 80), ("Chủ đề", 28), ("Sắc thái", 11),
        ("Địa bàn", 40), ("Số nguồn đăng", 12), ("Liên kết", 60)], xrows, subtitle=w.sub,
        note="" if xrows else "Trong tuần không có tin, bài nào.")])


def _change_cell(now: int, prev: int) -> Change | str:
    """The workbook's "Tăng/giảm": a signed number (as change_short prints it), "mới" when the previous week had none."""
    d = relative_change(now, prev)
    return "mới" if d is None else Change(d)


def _overview_sheet(w: _Week, title: str, t: dict[str, Any], by_type: dict[str, tuple[int, int]],
                    sent: dict[str, tuple[int, int]], stories_total: int, n_alerts: int) -> Sheet:
    """The XLSX «Tổng quan» sheet (first in the workbook): the week's key figures vs the previous week."""
    overview = Sheet("Tổng quan", title, [("Chỉ tiêu", 44), ("Tuần này", 12), ("Tuần trước", 12),
                     ("Tăng/giảm", 14)], subtitle=w.sub)
    overview.rows = [
        ["Tin, bài thu thập được (mọi địa bàn)", t["all_now"], t["all_prev"], _change_cell(t["all_now"], t["all_prev"])],
        [f"Tin, bài phản ánh về {w.area_label}", w.now_n, w.prev_n, _change_cell(w.now_n, w.prev_n)],
        ["– Báo chí", by_type["press"][0], by_type["press"][1], _change_cell(*by_type["press"])],
        ["– Mạng xã hội", by_type["social"][0], by_type["social"][1], _change_cell(*by_type["social"])],
        [f"– {SOURCE_TYPES['ctv']}", by_type["ctv"][0], by_type["ctv"][1], _change_cell(*by_type["ctv"])],
    ]
    for code in ("negative", "neutral", "positive"):
        a, b = sent.get(code, (0, 0))
        overview.rows.append([f"– {SENTIMENT_LABELS[code]}", a, b, _change_cell(a, b)])
    overview.rows += [
        ["Vấn đề (nhóm tin) trong tuần", stories_total, "", ""],
        ["Cảnh báo phát sinh", n_alerts, "", ""],
        ["Báo cáo tạo lúc (giờ Việt Nam)", w.today.replace(microsecond=0), "", ""],
    ]
    return overview


def _handling_text(r: Any) -> str:
    """What was done about a story: its alert's state and who handles it ('Đang xử lý – Nguyễn Văn An');
    nothing when no alert was raised (an empty cell reads better than the same sentence on every row)."""
    if not _s(getattr(r, "alert_id", None)):
        return ""
    state = STATE_LABELS.get(_s(r.alert_status), _s(r.alert_status))
    people = [_s(r.assignee)] if _s(r.assignee) else []
    people += [p for p in as_list(r.reviewers) if p and p not in people]
    return state + (f" – {', '.join(people[:2])}" if people else "")

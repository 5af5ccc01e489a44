"""The rapid report (báo cáo nhanh) on one alert or story: store.reports.rapid_figures() → one Doc.

    I.   Tình hình sự việc            what happened: span, counts, the alert's reason, the first reports
    II.  Diễn biến                    timeline of the items (first `rapid_items`), and a cumulative chart
    III. Nguồn tin và mức độ lan truyền  per outlet: first seen, items; press → social spread; CTV apart
    IV.  Sắc thái dư luận và địa bàn  sentiment counts, places, topics
    V.   Công tác xử lý               the alert's audit trail (who did what, when)
    VI.  Đề xuất hướng xử lý          the text staff entered in the dashboard
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reports import charts as C
from reports.document import Block, Column, Heading, Image, Para, Run, Table
from reports.frame import Built, document, masked, proposals_section
from reports.labels import (
    ACTION_LABELS, SENTIMENT_LABELS, SENTIMENT_ORDER, SEVERITY_LABELS, SOURCE_TYPES, STATE_LABELS, as_list,
    capitalized, sentiment_label, topics_text, unit_in_text,
)
from reports.settings import ReportSettings, at_text, hm_dmy, num, share, to_local
from vocab.alerts import names_in_note
from vocab.casing import QUOTE_CHARS, cut_at_word
from vocab.folding import fold, has_marks

if TYPE_CHECKING:
    import pandas as pd


def _dt(ts: Any) -> datetime | None:
    import pandas as pd

    if ts is None or ts is pd.NaT:
        return None
    return pd.Timestamp(ts).to_pydatetime()


def _hours(a: datetime, b: datetime) -> str:
    h = (b - a).total_seconds() / 3600
    if h < 1:
        return f"{max(int(round(h * 60)), 0)} phút"
    if h < 48:
        return f"{h:.1f} giờ".replace(".", ",")
    return f"{h / 24:.1f} ngày".replace(".", ",")


def _text(v: Any) -> str:
    """A cell of the events frame as text: a NULL read from DuckDB arrives as None or NaN, and NaN is truthy,
    so `or` and `if` let it through to the document as «nan» (a re-rating event has no state change)."""
    return v if isinstance(v, str) else ""


def _who(r: Any) -> str:
    """The person of an event by display name; "" for a login no account has (store.reports.PERSON_SQL gives it no
    name: a synthetic «demo», an import), as the dashboard names nobody there (until round 27 the login was printed)."""
    return _text(getattr(r, "display_name", None))


def _actions_sentence(events: Any) -> str:
    """'… ghi nhận 2 thao tác của cán bộ (Nguyễn Văn An) và 1 thao tác tự động của hệ thống (phát sinh cảnh
    báo), …': staff actions and the system's are counted apart, so a report never credits staff with the latter."""
    staff = [r for r in events.itertuples() if r.username != "system"]
    auto = [r for r in events.itertuples() if r.username == "system"]
    parts = []
    if staff:
        people = sorted({_who(r) for r in staff} - {""})
        parts.append(f"{num(len(staff))} thao tác của cán bộ" + (f" ({', '.join(people)})" if people else ""))
    if auto:
        kinds = sorted({ACTION_LABELS.get(r.action, r.action).lower().removeprefix("hệ thống ") for r in auto})
        parts.append(f"{num(len(auto))} thao tác tự động của hệ thống ({', '.join(kinds)})")
    if not staff:
        parts.append("chưa có thao tác nào của cán bộ")
    return "Nhật ký xử lý trên hệ thống ghi nhận " + " và ".join(parts) + ", chi tiết như sau:"


@dataclass(frozen=True)
class _Case:
    """What every section of the rapid report reads: the incident's title, its alert (None for a story),
    its items (oldest first) and handling log."""
    title: str
    alert: dict[str, Any] | None
    items: pd.DataFrame
    events: pd.DataFrame
    names: dict[str, str]          # login → display name, for the handling log's notes
    times: list[datetime | None]   # the items' publication times
    outlets: int                   # distinct outlets among the items

    @property
    def n(self) -> int:
        return len(self.items)


# «Theo dõi «…»: » since round 21; alerts stored before it keep the curly quotes the title had then
_WATCH_PREFIX = re.compile(r"^Theo dõi (?:«[^»]*»|“[^”]*”): ")


def subject(alert: dict[str, Any] | None, story: dict[str, Any] | None) -> str:
    """The trích yếu: the incident as the alert or story names it, its first letter a capital (a social post's title
    is its first words, «bãi thải than sau nhà em sạt rồi …»). A watchlist alert's title carries the system's
    «Theo dõi «<danh sách>»: » before the first item's title; the document names the incident, and section I's
    «Căn cứ» still names the watchlist."""
    title = (alert or {}).get("title") or (story or {}).get("title") or ""
    if alert and alert.get("kind") == "watchlist":
        title = _WATCH_PREFIX.sub("", title, count=1) or title
    return capitalized(title)


def build_rapid(f: dict[str, Any], s: ReportSettings, proposals: str, generated_at: datetime) -> Built:
    """`f` is store.reports.rapid_figures(); one Doc with sections I–VI (module docstring), no sheets."""
    f = masked(f, s)
    alert, story, items = f["alert"], f["story"], f["items"]
    title = subject(alert, story)
    # the closing names the incident, as staff would
    ref = f"vụ việc «{title}»" if title else "vụ việc nêu trên"
    n = len(items)
    # the trích yếu goes straight under the document type, without "Về:" (36-HD/VPTW and Decree 30 alike, as seed
    # 002's "BÁO CÁO / Tổng kết 10 năm …"); the alert id, which staff do not know, is no subtitle: section I names it
    # once ("Hệ thống phát sinh cảnh báo A000134 lúc …") for whoever looks the alert up on the Cảnh báo page
    doc = document(s, to_local(generated_at), title=["BÁO CÁO NHANH", title] if title else ["BÁO CÁO NHANH"],
                   subtitle="", meta_title=f"Báo cáo nhanh – {title}", created=generated_at)
    c = _Case(title=title, alert=alert, items=items, events=f["events"], names=f.get("names", {}),
              times=[_dt(x) for x in items["published_at"]] if n else [],
              outlets=items["outlet"].nunique() if n else 0)
    figs: dict[str, Any] = {}
    doc.blocks.extend(_situation(c, s))
    doc.blocks.extend(_timeline(c, s, figs))
    doc.blocks.extend(_spread(c, s))
    doc.blocks.extend(_opinion(c, s))
    doc.blocks.extend(_handling(c, s))
    doc.blocks.extend(_proposals(proposals, s))
    doc.blocks.append(Para.text(f"Trên đây là báo cáo nhanh về {ref} của {s.issuer_name}./."))
    return Built(doc=doc, sheets=[], figs=figs, n_items=n)


def _grounds(reason: Any) -> str:
    """' Căn cứ: <the alert's reason>.' ending as a sentence does (a story alert's reason ends «… lan tỏa khá rộng»
    with no stop, and the paragraph with it); nothing when the alert has no reason (it printed a bare «Căn cứ: »)."""
    text = str(reason or "").strip()
    if not text:
        return ""
    return f" Căn cứ: {text}" + ("" if text.endswith((".", "!", "?", "…")) else ".")


def _situation(c: _Case, s: ReportSettings) -> list[Block]:
    """I. What happened: span and counts, the alert's reason and state, the first report."""
    B: list[Block] = [Heading(1, s.section(1, "TÌNH HÌNH SỰ VIỆC"))]
    n, times, alert = c.n, c.times, c.alert
    if n:
        B.append(Para.text(
            f"Từ {at_text(times[0])} đến {at_text(times[-1])}, hệ thống ghi nhận {num(n)} tin, bài trên {num(c.outlets)} "
            f"nguồn (cơ quan báo chí, kênh mạng xã hội) phản ánh về nội dung: «{c.title}»."))
    else:
        B.append(Para.text(f"Chưa có tin, bài nào được lưu cho nội dung: «{c.title}»."))
    if alert:
        B.append(Para.text(
            f"Hệ thống phát sinh cảnh báo {alert['alert_id']} lúc {at_text(alert['raised_at'])}, mức độ "
            f"{SEVERITY_LABELS.get(alert['severity'], alert['severity']).lower()}." + _grounds(alert.get("reason"))))
        B.append(Para.text(f"Trạng thái hiện nay: {STATE_LABELS.get(alert['status'], alert['status'])}"
                           + (f"; giao cho: {alert['assignee_name']}" if alert.get("assignee_name") else "")
                           + "."))
    if n:
        first = c.items.iloc[0]
        B.append(Para([Run("Tin đầu tiên: ", italic=True),
                       Run(f"{first.outlet} ({at_text(times[0])}): "), Run(first.title, url=first.url),
                       Run(first_summary(first.title, first.summary, first.get("text_restored")))]))
    return B


def _timeline(c: _Case, s: ReportSettings, figs: dict[str, Any]) -> list[Block]:
    """II. The first `rapid_items` items in time order, and the cumulative chart (added to `figs`)."""
    B: list[Block] = [Heading(1, s.section(2, "DIỄN BIẾN"))]
    shown = c.items.head(s.rapid_items)
    rows = []
    for k, r in enumerate(shown.itertuples(), start=1):
        rows.append([str(k), hm_dmy(_dt(r.published_at)), r.outlet, SOURCE_TYPES.get(r.source_type, r.source_type),
                     Run(capitalized(r.title), url=r.url), sentiment_label(r.sentiment)])
    if c.n > len(shown):
        B.append(Para.text(f"Bảng dưới liệt kê {len(shown)} tin, bài đầu tiên trong tổng số {num(c.n)}."))
    # «Sắc thái» fits «Trung tính», the longest label, at 12 pt: 1.5 printed «Tiêu / cực» on two lines (round 27)
    B.append(Table([Column("TT", 1.0, "center"), Column("Thời gian", 2.0), Column("Nguồn", 2.6), Column("Loại", 1.6),
                    Column("Tiêu đề (liên kết đến bài gốc)", 5.7), Column("Sắc thái", 2.0)], rows,
                   caption="Bảng 1. Diễn biến theo thời gian (giờ Việt Nam)", empty_text="Không có tin, bài."))
    if c.n >= 2:
        figs["timeline"] = C.cumulative_chart([to_local(t) for t in c.times], list(c.items["source_type"]))
        B.append(Image("timeline", "Biểu đồ 1. Số tin, bài cộng dồn theo thời gian"))
    return B


def _spread(c: _Case, s: ReportSettings) -> list[Block]:
    """III. Sources and spread: counts by type, which came first, reach; the table of outlets."""
    import pandas as pd

    B: list[Block] = [Heading(1, s.section(3, "NGUỒN TIN VÀ MỨC ĐỘ LAN TRUYỀN"))]
    items = c.items
    if c.n:
        B.append(Para.text(_spread_text(c)))
    g = (items.groupby(["outlet", "source_type"], as_index=False)
         .agg(n=("id", "count"), first=("published_at", "min"), last=("published_at", "max"))
         .sort_values(["first", "outlet"]) if c.n else pd.DataFrame(columns=["outlet", "source_type", "n", "first", "last"]))
    rows = [[str(k), r.outlet, SOURCE_TYPES.get(r.source_type, r.source_type), num(r.n), hm_dmy(_dt(r.first)),
             hm_dmy(_dt(r.last))] for k, r in enumerate(g.itertuples(), start=1)]
    B.append(Table([Column("TT", 1.0, "center"), Column("Nguồn", 4.0), Column("Loại", 2.0),
                    Column("Số tin", 1.3, "right"), Column("Đăng lần đầu", 2.4), Column("Gần nhất", 2.4)], rows,
                   caption="Bảng 2. Các nguồn đăng tải", empty_text="Không có nguồn nào."))
    return B


def _spread_text(c: _Case) -> str:
    """Press and social counts (collaborators' reports apart), how far and fast it spread, who was first."""
    items, times = c.items, c.times
    by_type = items["source_type"].value_counts().to_dict()
    p, so = int(by_type.get("press", 0)), int(by_type.get("social", 0))
    ctv = int(by_type.get("ctv", 0))  # collaborators' in-person reports: counted apart, they have no link
    text = (f"Báo chí: {num(p)} tin, bài; mạng xã hội: {num(so)} bài đăng"
            + (f"; {SOURCE_TYPES['ctv']}: {num(ctv)} tin do cộng tác viên phản ánh trực tiếp (không có liên kết)"
               if ctv else "")
            + f". Thông tin lan ra {num(c.outlets)} nguồn trong {_hours(times[0], times[-1])} kể từ tin đầu tiên.")
    if p and so:
        fp = _dt(items[items.source_type == "press"]["published_at"].min())
        fs = _dt(items[items.source_type == "social"]["published_at"].min())
        if fs < fp:
            text += f" Thông tin xuất hiện trên mạng xã hội trước, báo chí đăng sau {_hours(fs, fp)}."
        else:
            text += f" Báo chí đăng trước, mạng xã hội lan truyền sau {_hours(fp, fs)}."
    reach = int(items["n_sources"].sum())
    return text + f" Tổng số lượt nguồn đăng (kể cả đăng lại): {num(reach)}."


def _opinion(c: _Case, s: ReportSettings) -> list[Block]:
    """IV. Sentiment counts, the places named (each 2025 unit) and the topics."""
    B: list[Block] = [Heading(1, s.section(4, "SẮC THÁI DƯ LUẬN VÀ ĐỊA BÀN"))]
    if not c.n:
        return B
    items, n = c.items, c.n
    counts = items["sentiment"].fillna("unknown").value_counts().to_dict()
    parts = [f"{SENTIMENT_LABELS[k].lower()} {num(counts[k])} ({share(int(counts[k]), n)})"
             for k in SENTIMENT_ORDER if counts.get(k)]
    B.append(Para.text("Sắc thái: " + "; ".join(parts) + "."))
    places: dict[str, int] = {}
    topics: dict[str, int] = {}
    for pl, tp in zip(items["place_units"], items["topics"]):  # each 2025 unit, never a combined row
        for x in as_list(pl):
            places[x] = places.get(x, 0) + 1
        for x in as_list(tp):
            topics[x] = topics.get(x, 0) + 1
    if places:
        top = sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        B.append(Para.text("Địa bàn được nêu: " + "; ".join(f"{unit_in_text(p_)} ({num(k)} tin, bài)" for p_, k in top)
                           + "."))
    else:
        B.append(Para.text("Các tin, bài chưa nêu địa bàn cụ thể."))
    if topics:
        top = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))
        B.append(Para.text("Lĩnh vực: " + topics_text(k for k, _ in top) + "."))
    return B


def _handling(c: _Case, s: ReportSettings) -> list[Block]:
    """V. The alert's audit trail: a sentence counting staff and system actions apart, then the log."""
    events = c.events
    rows = []
    for k, r in enumerate(events.itertuples(), start=1):
        to, was = _text(r.to_state), _text(r.from_state)
        state = STATE_LABELS.get(to, to) if to and to != was else ""
        rows.append([str(k), hm_dmy(_dt(r.at)), "Hệ thống (tự động)" if r.username == "system" else _who(r),
                     ACTION_LABELS.get(r.action, r.action), state, names_in_note(r.note, c.names, drop_unknown=True)])
    intro = (_actions_sentence(events) if len(events)
             else "Chưa có thao tác xử lý nào được ghi nhận trên hệ thống.")
    return [Heading(1, s.section(5, "CÔNG TÁC XỬ LÝ")), Para.text(intro),
            Table([Column("TT", 1.0, "center"), Column("Thời gian", 2.0), Column("Người thực hiện", 2.0),
                   Column("Thao tác", 2.4), Column("Trạng thái", 2.0), Column("Nội dung", 5.5)], rows,
                  caption="Bảng 3. Nhật ký xử lý", empty_text="Chưa có thao tác.")]


def _proposals(proposals: str, s: ReportSettings) -> list[Block]:
    """VI. The text staff entered, or a placeholder saying where to enter it."""
    return proposals_section(s.section(6, "ĐỀ XUẤT HƯỚNG XỬ LÝ"), proposals,
                             "(Chưa có đề xuất hướng xử lý; nhập tại cảnh báo trên Lắng Nghe trước khi xuất hoặc bổ "
                             "sung trực tiếp vào văn bản.)")[0]


def first_summary(title: str, summary: str | None, restored: Any = None, limit: int = QUOTE_CHARS) -> str:
    """The words quoted after the first item's title, on one line. A post's title is its own first words,
    shown with diacritics restored when it had none: its summary then repeats them, so it is quoted as
    written ("nguyên văn") rather than as more news. The quote is evidence and stays verbatim; when it is written
    without diacritics, the tagger's restored reading (`item_tags.text_restored`) follows it, so the sentence reads
    aloud («… (hệ thống khôi phục dấu: «…»)»), and a summary that does not repeat the title is quoted so too (a post
    typed without marks is quoted, not given as the report's own words)."""
    text = " ".join((summary or "").split())[:limit]
    if not text:
        return ""
    head = fold(title.rstrip("…. ")).split()[:6]
    reading = restored_reading(text, restored)
    if reading or (head and fold(text).split()[:len(head)] == head):  # a post typed without marks is quoted too
        return f". Nguyên văn: «{text}»" + (f" (hệ thống khôi phục dấu: «{reading}»)" if reading else "")
    return f". {text}"


def restored_reading(quote: str, restored: Any) -> str:
    """The restored text cut to the quote: exactly its span when restoration only added marks (the usual case: each
    word keeps its folded spelling), else as many characters, on a word boundary. "" when the quote has diacritics of
    its own, or no reading was stored (an item tagged before round 18, or not tagged)."""
    text = " ".join(restored.split()) if isinstance(restored, str) else ""
    if not text or has_marks(quote) or not has_marks(text):
        return ""  # the quote has marks (or «đ»), or the reading adds none
    if fold(text[:len(quote)]) == fold(quote):
        return text[:len(quote)]
    end = _aligned_end(quote.split(), text.split())
    if end is not None:
        return end
    if len(text) <= len(quote):
        return text
    return cut_at_word(text, len(quote)) + "…"


def _aligned_end(quote: list[str], reading: list[str]) -> str | None:
    """The reading up to the quote's last words, found by their folded spelling, when the normaliser changed the length
    («mn» read «mọi người»): the words nearest the quote's own count win. The quote's last word may be cut short (the
    quote stops at its character limit): then its three words before, and «…». None when they cannot be found."""
    def word(w: str) -> str:  # folded, without the punctuation around it («nha» is «nhà.»)
        return re.sub(r"[\W_]", "", fold(w))

    folded = [word(w) for w in reading]
    for tail, more in ((quote[-3:], ""), (quote[-4:-1], "…")):
        key = [word(w) for w in tail]
        if not key:
            continue
        ends = [e for e in range(len(key), len(folded) + 1) if folded[e - len(key):e] == key]
        if ends:
            end = min(ends, key=lambda e: abs(e - len(quote)))
            return " ".join(reading[:end]) + more
    return None

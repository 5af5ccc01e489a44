"""Vietnamese display labels and safe-rendering helpers shared by pages (no streamlit import).

Feed and post text is untrusted. Pages show it with st.text / st.dataframe / st.code (never as HTML),
and where Streamlit would read markdown (st.markdown, st.expander / widget labels, st.subheader)
through `md()`, which escapes every markdown and HTML character and puts addresses and URLs in code spans
(Streamlit links those even escaped). Links go through `safe_link`, so only
http(s) addresses are ever clickable.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any, Iterable
from urllib.parse import urlsplit

from orchestration.accounts import ROLE_LABELS  # noqa: F401 - the roles' names live with the accounts
from orchestration.status import HEALTH_STATUS  # noqa: F401 - with the states, for `langnghe sources` too
from collectors.base import skip_label  # noqa: F401
from vocab.alerts import OPEN_STATES, PRIORITY_LABELS, SEVERITY_LABELS, STATE_LABELS, names_in_note  # noqa: F401
from vocab.labels import CONFIGURED_SOURCE_TYPES, DISPLAY_SENTIMENT_LABELS, DISPLAY_TOPIC_LABELS, SOURCE_TYPES  # noqa: F401
from vocab.labels import topics_text as _topics_text
from vocab.numbers import fmt_num, number  # noqa: F401



TOPIC_LABELS: dict[str, str] = DISPLAY_TOPIC_LABELS
SENTIMENT_LABELS: dict[str, str] = DISPLAY_SENTIMENT_LABELS
# one fixed colour per series (13 topics + "chưa phân loại"), so no two topics share a colour
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#393b79", "#ad494a", "#637939", "#e7ba52", "#7f7f7f", "#3182bd", "#fd8d3c"]
SENTIMENT_COLORS = {"Tiêu cực": "#c0392b", "Trung tính": "#95a5a6", "Tích cực": "#27ae60", "Chưa rõ": "#d5d8dc"}

# coloured dot for markdown (no emoji: office PCs and headless Chromium may lack an emoji font)
SEVERITY_DOTS = {"high": ":red[**●**]", "medium": ":orange[**●**]", "low": ":gray[**●**]"}
ACTION_LABELS = {
    "raise": "Phát hiện", "transition": "Chuyển trạng thái", "assign": "Giao xử lý", "priority": "Đổi ưu tiên",
    "note": "Ghi chú", "merge": "Gộp", "severity": "Đổi mức độ",
    "user.create": "Tạo tài khoản", "user.update": "Sửa tài khoản", "user.password": "Đổi mật khẩu",
    "user.unlock": "Mở khóa đăng nhập", "login.lockout": "Tạm khóa đăng nhập",
    "import": "Nhập tệp", "source.add": "Thêm nguồn", "source.edit": "Sửa nguồn", "settings.retention": "Đổi thời hạn lưu trữ",
    "label.correct": "Sửa nhãn tin", "briefing.held": "Đã giao ban", "steps.retry": "Thử lại đối chiếu tin đã dừng",
    "watchlist.create": "Tạo danh sách theo dõi", "watchlist.edit": "Sửa danh sách theo dõi",
    "watchlist.pause": "Tạm dừng danh sách theo dõi", "watchlist.resume": "Tiếp tục danh sách theo dõi",
    "notify_subscription": "Đăng ký nhận thông báo", "notify_subscription_delete": "Xóa đăng ký nhận thông báo",
    "survey_keep_personal_data": "Giữ cột dữ liệu cá nhân của khảo sát",
}


def safe_link(url: str | None) -> str | None:
    """Only http(s) links are shown as links; anything else (javascript:, data:…) is dropped."""
    if not url or not isinstance(url, str):
        return None
    u = url.strip()
    if any(ord(c) < 33 for c in u):  # control characters or spaces smuggled into the scheme
        return None
    parts = urlsplit(u)
    return u if parts.scheme.lower() in ("http", "https") and parts.netloc else None


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")

# What Streamlit's markdown (remark-gfm) links by itself, found in the text after parsing, so that no escape stops it
# (round 29's walk, ux36/ux37): «http://», «https://» or «www.» and what follows to the next space, an address
# «a@b.vn» (letters, digits or «.+-_» before «@»). A superset: «://» of any scheme, any letter before «@».
_LINKY = re.compile(r"://|www\.|[-.+\w]@", re.IGNORECASE)
_RUN_OPENERS = "«“‘\"'([{<"  # not part of an address: the run starts after them
_RUN_CLOSERS = "»”’\"'.,;:!?)]}>"  # a sentence's punctuation after an address or a URL stays outside it
# markdown's emphasis around an address or a URL («**a@b.vn**», «_https://x.vn_», «~~www.x.vn~~») is not part of it:
# left outside the code span, it draws as bold or italic (`no_links`) or as typed (`md`), never as stars inside the
# address («**» + code «http://x**», round 30's walk, ux38). An address or a URL that really begins or ends with one
# of them (rare: «_a@b.vn», «https://x.vn/a_») keeps it beside the span.
_EMPHASIS = "*_~"
_RUN_TRAILERS = _RUN_CLOSERS + _EMPHASIS  # what a run's end drops


def _linky_runs(text: str) -> list[tuple[int, int]]:
    """The spans of `text` to draw as inline code: in each space-free word holding what remark-gfm links, from the
    first such part (an address's name back to the word's start or its opening bracket or quote) to the word's end
    but its closing punctuation («)» only when unpaired) and the emphasis marks around it («**», «_», «~~»)."""
    runs = []
    for word in re.finditer(r"\S+", text):
        w, at = word.group(), word.start()
        hit = _LINKY.search(w)
        if not hit:
            continue
        start = hit.start()
        if w[hit.end() - 1] == "@":  # an address: its name is what comes before «@»
            start = hit.end() - 1
            while start > 0 and w[start - 1] not in _RUN_OPENERS:
                start -= 1
            while start < hit.start() and w[start] in _EMPHASIS:
                start += 1
        elif hit.group() == "://":  # a URL: from its scheme («https»)
            while start > 0 and (w[start - 1].isalnum() or w[start - 1] in "+.-"):
                start -= 1
        end = len(w)
        # counted once, then as «)» are left out («(» is no closer): each count of the run at each step made a word
        # ending in 40,000 «)» take 4 s and one of 1 MB (a survey answer, an exception's text) hours (hostile33)
        opened, closed = w.count("(", start), w.count(")", start)
        while end > start + 1 and w[end - 1] in _RUN_TRAILERS:
            if w[end - 1] == ")":
                if opened >= closed:
                    break
                closed -= 1
            end -= 1
        runs.append((at + start, at + end))
    return runs


def _inert(s: str, escape: re.Pattern[str]) -> str:
    """`s` with each address or URL in an inline code span, which remark-gfm does not link (a backtick in it becomes
    «ˋ», as a code span cannot hold its own fence), and the rest escaped with `escape`."""
    out, pos = [], 0
    for a, b in _linky_runs(s):
        out.append(escape.sub(r"\\\1", s[pos:a]))
        out.append("`" + s[a:b].replace("`", "ˋ") + "`")
        pos = b
    out.append(escape.sub(r"\\\1", s[pos:]))
    return "".join(out)


def md(text: Any, limit: int | None = None) -> str:
    """Untrusted text made inert for Streamlit markdown: every markdown/HTML character backslash-escaped,
    newlines flattened, and an address or a URL («a@b.vn», «https://…», «www.…») in an inline code span: Streamlit
    links those even escaped (round 29, ux37). Use it for titles in st.markdown, st.subheader, expander and widget
    labels."""
    s = "" if text is None else str(text)
    s = " ".join(s.split())
    if limit and len(s) > limit:
        s = s[: limit - 1] + "…"
    return _inert(s, _MD_SPECIAL)


_LINK_SPECIAL = re.compile(r"([\\`\[\]<>$])")


def no_links(text: Any) -> str:
    """A message the code wrote with outside words in it (a typed name, time or address, an exception's text) for
    Streamlit markdown: `\\ ` [ ] < > $` backslash-escaped, so no part of it draws a link, an image (which the browser
    would fetch from another machine) or a tag; the rest (parentheses, colons, dots) as written. For the flash
    messages (`ui.flash`), whose texts stay readable in tests; `md` escapes every markdown character. `$` too: a
    survey titled «Giá 5$ đến 10$» was drawn as a formula (round 28's review). An address or a URL («a@b.vn»,
    «https://…», «www.…») is put in an inline code span: Streamlit's markdown links them in the text after parsing,
    escaped or not (round 29's walk; ux37); a backtick is escaped so that only these spans are code."""
    return _inert("" if text is None else str(text), _LINK_SPECIAL)


def topic_label(code: str | None) -> str:
    return TOPIC_LABELS.get(code or "other", code or "")


def topics_text(codes: Iterable[str] | None) -> str:
    """An item's topics, «Đất đai, GPMB; Chính quyền, cán bộ» (vocab.labels.topics_text; an empty code is «Chưa
    phân loại», whatever is not a list of codes nothing)."""
    if codes is None:
        return ""
    try:
        return _topics_text(c or "other" for c in codes)
    except TypeError:
        return ""


def sentiment_label(code: str | None) -> str:
    if code is None or (isinstance(code, float)):
        return ""
    return SENTIMENT_LABELS.get(code, code)


def as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    try:
        return [x for x in v]
    except TypeError:
        return []


def delta_text(now: float, usual: float | None) -> str | None:
    """'+35% so với TB 12,4 tin': the change against the usual level (TB = trung bình, the mean), with its unit and
    Vietnamese digits (`{:g}` wrote 1234,5 without the thousands dot, and 1,23457e+06 past a million). None
    without a usual level (too little collected yet: `too_new_text` says so once)."""
    if usual is None:
        return None
    if usual <= 0:
        return None if now == 0 else "mới xuất hiện"
    pct = (now - usual) / usual * 100
    return f"{pct:+.0f}% so với TB {fmt_num(usual, 1)} tin"


# An alert's items since it was raised, under one name on Cảnh báo's queue and Trước giao ban's section I: its reason
# counts those of 24 hours («5 tin, bài trong 24 giờ»), and under «Số tin» the two read as one figure that disagreed
# (13 beside 5: ux39's walk; Cảnh báo renamed in ux40, Trước giao ban in ux41, round 32)
ALERT_ITEMS = "Tổng số tin"
ALERT_ITEMS_HELP = "Mọi tin, bài của cảnh báo, từ khi phát hiện. Lý do của cảnh báo đếm tin, bài trong 24 giờ."


def total_since_text(since_local: Any, now_local: Any) -> tuple[str, str]:
    """Tổng quan's «Tổng số tin»: (the period before its press / social split, «Từ 24/11»; its help). The figure counts
    every item stored, of every source and area, since the first still kept was collected: beside four figures of
    «hôm nay» it gave no period (round 31, ux39). The year only when it is not this one."""
    if since_local is None:
        return "", "Mọi tin, bài hệ thống đang lưu, mọi nguồn và địa bàn."
    day = f"{since_local:%d/%m}" + (f"/{since_local:%Y}" if since_local.year != now_local.year else "")
    return f"Từ {day}", (f"Mọi tin, bài hệ thống đang lưu, mọi nguồn và địa bàn, thu thập từ ngày "
                         f"{since_local:%d/%m/%Y} đến nay (tin cũ hơn thời hạn lưu trữ được tự xóa).")


TOO_NEW = "chưa đủ dữ liệu để so sánh"
WHOLE_DAYS_ONLY = "mức thường lệ chỉ tính những ngày đã thu thập trọn ngày"  # why, after too_new_text on each page


def too_new_text(since_local: Any) -> str:
    """What stands where a change against the usual level would, while the office (or a source) has not yet
    collected a whole day (`store.baseline`): a first collection's backlog is no usual level (round 26)."""
    day = fmt_time(since_local)
    return f"{TOO_NEW} (mới thu thập từ {day})" if day else f"{TOO_NEW} (chưa thu thập được tin nào)"


def fmt_time(dt: Any, with_date: bool = True) -> str:
    if dt is None:
        return ""
    try:
        return dt.strftime("%d/%m/%Y %H:%M" if with_date else "%H:%M")
    except (AttributeError, ValueError):
        return ""


STEP_MARKS = "①②③④⑤⑥⑦⑧⑨"


def numbered_steps(steps: list[str]) -> str:
    """Handling steps in one table cell, each after its number, «① 06/12/2026 10:00 Lan: Tiếp nhận ② …»: a grid cell
    draws a line break as a space, so steps joined by "\\n" ran together into one sentence (round 21)."""
    return " ".join(f"{STEP_MARKS[k] if k < len(STEP_MARKS) else f'({k + 1})'} {s}" for k, s in enumerate(steps))


_CLAUSE_END = re.compile(r"[,;:.!?)»]$")  # a word ending a clause: a cut after it reads as a pause


def wrapped_lines(text: str, line_chars: int) -> list[str]:
    """`text` wrapped at word boundaries into lines of at most `line_chars` characters (a word longer than a line is
    broken): how a grid cell of that width lays it out, nearly."""
    return textwrap.wrap(" ".join(text.split()), line_chars) if text.strip() else []


def cut_to_lines(text: str, line_chars: int, lines: int) -> str:
    """`text` as a cell of `lines` lines of `line_chars` characters shows it: whole when it fits, else cut after the
    last clause that fits (a «,», «;», «.» …), or the last whole word when no clause ends in the second half, and
    ended with «…». Round 23: the briefing's «Vì sao» was judged and cut by a character count, mid-word and
    mid-phrase («… 3 nguồn đưa tin, trong đó có Báo Qu…»)."""
    words = " ".join(text.split()).split(" ")
    if len(wrapped_lines(text, line_chars)) <= lines:
        return " ".join(words).strip()
    # how many words fit with « …» after them: a prefix's line count only grows with its words, so a binary
    # search finds the same count in ~7 wraps instead of one wrap per word (up to 200 reasons a briefing run)
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(wrapped_lines(" ".join(words[:mid]) + " …", line_chars)) <= lines:
            lo = mid
        else:
            hi = mid - 1
    fits = lo
    clause = next((n for n in range(fits, 0, -1) if _CLAUSE_END.search(words[n - 1])), 0)
    keep = clause if clause * 2 > fits else fits
    return (" ".join(words[:keep]).rstrip(",;:") + " …") if keep else text[:max(1, line_chars - 2)] + " …"


def map_shades_text(counts: dict[str, int]) -> str:
    """What the colour of Chủ đề's map shapes means (the choropleth had no scale; the one drawn, «Tỷ lệ tiêu cực», is
    the circles': round 31's walk, ux39; ux40): «Màu các ô: xanh càng đậm càng nhiều tin kỳ này (đậm nhất: 62 tin,
    Phường Uông Bí); ô xám: không có tin.» `counts`: this period's items by unit."""
    top = max(counts.values(), default=0)
    if top <= 0:
        return "Màu các ô: chưa đơn vị nào có tin trong kỳ này (ô xám)."
    at_top = sorted(k for k, v in counts.items() if v == top)
    where = md(at_top[0], 60) if len(at_top) == 1 else f"{number(len(at_top))} đơn vị"
    return (f"Màu các ô: xanh càng đậm càng nhiều tin kỳ này (đậm nhất: {number(top)} tin, {where}); ô xám: không có "
            "tin. Màu vòng tròn: tỷ lệ tin tiêu cực, theo thang bên phải.")


# --- the area's names in help text (ux42: Quảng Ninh's stayed in Tin bài's and Theo dõi's help, Nguồn tin's example) --

_UNIT_WORDS = ("phường", "xã", "thị trấn", "đặc khu")


def _unmarked_forms(ex: dict[str, str]) -> tuple[str, str]:
    """«"ở Vang Danh", "phường vang danh", "tối qua ở vang danh"» and «"ở Vang Danh"» for `ex`'s place: how an item
    writes it without marks (the unit word only when `ex["ward"]` is that unit word and the place)."""
    from vocab.folding import fold, strip_marks

    place = ex["place"]
    at = f'"ở {strip_marks(place)}"'
    kind = ex["ward"][: -len(place)].strip() if ex["ward"].endswith(" " + place) else ""
    forms = [at, *([f'"{kind} {fold(place)}"'] if kind in _UNIT_WORDS else []), f'"tối qua ở {fold(place)}"']
    return ", ".join(forms), at


def search_help(ex: dict[str, str]) -> str:
    """Tin bài's «Cách tìm» with the area's names (`data.area_examples`); Quảng Ninh's reads as it always did."""
    from vocab.folding import fold

    issue, place = ex["issue"], ex["place"]
    forms, _at = _unmarked_forms(ex)
    meaning = ex.get("meaning") or "mang nghĩa khác"
    return f"""**Cách tìm**
- `lũ lụt`: tin có cả hai từ; tin có "lũ lụt" liền nhau xếp trước.
- `"{issue}"`: đúng cụm từ, các từ liền nhau.
- `{" AND ".join(reversed(issue.split()))}`: AND có thể bỏ, mọi từ đều phải có.
- `lũ OR "sạt lở"`: một trong hai nhóm.
- `ô nhiễm -"bổ nhiệm"`: dấu trừ loại tin có từ hoặc cụm từ đó.

Tìm theo từng tiếng trọn vẹn ("lũ" không ra "Ludovic" hay "lưới"). Gõ có dấu thì khớp đúng tiếng có dấu đó
(và tiếng không dấu trong tin viết không dấu); gõ không dấu thì khớp mọi cách bỏ dấu: "o nhiem" ra "ô nhiễm".
Địa danh gõ có dấu (`{place}`) cũng ra tin có dấu mà địa danh lại viết không dấu ({forms}) khi hệ thống đã nhận ra đó là địa danh; "{fold(place)}" {meaning} thì không. Muốn không
sót cách viết nào, gõ không dấu (`{fold(place)}`): ra mọi tin có {"hai tiếng" if len(place.split()) == 2 else "các tiếng"} đó, kể cả nghĩa khác.
Tìm trong tiêu đề, tóm tắt và toàn văn bài báo đã lưu."""


def watch_help(ex: dict[str, str]) -> str:
    """Theo dõi's caption on its queries, with the area's place (`data.area_examples`)."""
    _forms, at = _unmarked_forms(ex)
    return ("Từ khóa viết theo cú pháp ô tìm kiếm ở trang Tin bài: \"cụm từ\", OR, -loại trừ, có dấu hoặc "
            f"không dấu. Địa danh gõ có dấu ({ex['place']}) cũng khớp tin có dấu viết địa danh đó không dấu ({at}) "
            "khi hệ thống đã nhận ra địa danh. Tin mới được đối chiếu một lần khi về; mọi thay đổi được ghi nhật ký.")

"""Report charts: small chart specs built with the report, drawn to PNG by matplotlib (Agg) in a thread.

    build_weekly / build_rapid ──daily_chart(…) etc.──▶ Chart (kind + data, no drawing library)
    Renderer.start()  thread imports matplotlib while the report queries the database
    Renderer.draw({name: Chart}) ──thread──▶ {name: PNG}   Renderer.result() waits for them

Why matplotlib and not plotly + kaleido (the dashboard's charts): kaleido drives a Chromium of its own,
which took ~3 s to start and ~0.5 s per chart, about 6 CPU-seconds per weekly report on this 2-core
machine, on top of the PDF's Chromium; matplotlib draws the four weekly charts in ~1 s with no browser,
so charts also work where Chromium is missing. DejaVu Sans (shipped with matplotlib) has every
Vietnamese letter. If drawing fails, the report goes on without charts and says so.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Sequence

from reports.settings import WEEKDAYS_SHORT, dm
from vocab.labels import SOURCE_TYPES
from vocab.numbers import fmt_num

log = logging.getLogger("reports.charts")

FONT = "DejaVu Sans"
PRESS, SOCIAL, CTV, PREV = "#1f4e79", "#e07b39", "#6a8e23", "#a6a6a6"
TYPE_COLORS = {"press": PRESS, "social": SOCIAL, "ctv": CTV}
SENT_COLORS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#27ae60", "unknown": "#d5d8dc"}
WIDTH, HEIGHT, DPI = 1000, 480, 150  # size in "pixels" at 100 per inch, as the DOCX lays charts out


@dataclass(frozen=True)
class Chart:
    """What to draw; `width`/`height` in pixels at 100 per inch (the PNG has DPI/100 times more)."""

    kind: str  # "stacked_bars" | "hbars" | "donut" | "steps"
    data: dict[str, Any] = field(default_factory=dict)
    width: int = WIDTH
    height: int = HEIGHT


def daily_chart(days: Sequence[date], press: Sequence[int], social: Sequence[int],
                ctv: Sequence[int] | None = None) -> Chart:
    """Items per day stacked by source type; collaborators' in-person reports (`ctv`) are their own segment."""
    labels = [f"{WEEKDAYS_SHORT[d.weekday()]} {dm(d)}" for d in days]
    series = [(SOURCE_TYPES["press"], list(press), PRESS), (SOURCE_TYPES["social"], list(social), SOCIAL)]
    if ctv is not None and any(ctv):
        series.append((SOURCE_TYPES["ctv"], list(ctv), CTV))
    return Chart("stacked_bars", {"labels": labels, "series": series})


def hbar_chart(labels: Sequence[str], now: Sequence[int], prev: Sequence[int] | None = None,
               now_name: str = "Tuần này", prev_name: str = "Tuần trước") -> Chart:
    labels = [(s if len(s) <= 48 else s[:47] + "…") for s in labels]
    height = max(320, 140 + 36 * len(labels) * (2 if prev is not None else 1))
    return Chart("hbars", {"labels": labels, "now": list(now), "prev": None if prev is None else list(prev),
                           "now_name": now_name, "prev_name": prev_name}, height=height)


def sentiment_chart(labels: Sequence[str], codes: Sequence[str], values: Sequence[int]) -> Chart:
    return Chart("donut", {"labels": list(labels), "values": list(values),
                           "colors": [SENT_COLORS.get(c, "#ccc") for c in codes]}, width=760, height=520)


def cumulative_chart(times: Sequence[Any], types: Sequence[str]) -> Chart:
    """Cumulative items over time, one line per source type (rapid report)."""
    lines = []
    for code, name in SOURCE_TYPES.items():
        color = TYPE_COLORS.get(code, PREV)
        ts = [t for t, ty in zip(times, types) if ty == code]
        if ts:
            lines.append((name, ts, list(range(1, len(ts) + 1)), color))
    return Chart("steps", {"lines": lines})


# ------------------------------------------------------------------------------------------ drawing
def to_png(chart: Chart) -> bytes:
    """One chart as PNG bytes (object-oriented matplotlib: no pyplot state, safe in a thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(chart.width / 100, chart.height / 100), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    draw = _DRAW.get(chart.kind)
    if draw is None:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    draw(ax, chart.data)
    if chart.kind != "donut":
        _count_axis(ax, chart.kind)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _draw_stacked_bars(ax: Any, d: dict[str, Any]) -> None:
    bottom = [0] * len(d["labels"])
    tallest = max((sum(col) for col in zip(*(ys for _, ys, _ in d["series"]))), default=0)
    for name, ys, color in d["series"]:
        bars = ax.bar(d["labels"], ys, bottom=bottom, color=color, label=name, width=0.75)
        # a number inside its segment, where the segment is tall enough to hold it
        ax.bar_label(bars, labels=[_vn(y) if y and y >= 0.06 * tallest else "" for y in ys],
                     label_type="center", color="white",
                     fontsize=11)
        bottom = [b + y for b, y in zip(bottom, ys)]
    _legend(ax, len(d["series"]))


def _draw_hbars(ax: Any, d: dict[str, Any]) -> None:
    """Horizontal bars, this week's beside last week's when given; the first (largest) at the top."""
    n = len(d["labels"])
    pos = list(range(n))
    if d["prev"] is not None:
        h = 0.4
        ax.barh([p + h / 2 for p in pos], d["prev"], height=h, color=PREV, label=d["prev_name"])
        bars = ax.barh([p - h / 2 for p in pos], d["now"], height=h, color=PRESS, label=d["now_name"])
        _legend(ax, 2)
    else:
        bars = ax.barh(pos, d["now"], height=0.7, color=PRESS, label=d["now_name"])
    ax.bar_label(bars, labels=[_vn(v) for v in d["now"]], padding=3, fontsize=11)
    ax.set_yticks(pos, d["labels"])
    ax.invert_yaxis()  # the first (largest) at the top
    ax.margins(x=0.12)


def _draw_donut(ax: Any, d: dict[str, Any]) -> None:
    """Shares of the non-zero parts, or a 'no figures' note when every part is zero."""
    shown = [(lab, v, c) for lab, v, c in zip(d["labels"], d["values"], d["colors"]) if v > 0]
    total = sum(v for _, v, _ in shown)
    if shown:
        ax.pie([v for _, v, _ in shown], labels=[f"{lab}\n{v / total:.0%}" for lab, v, _ in shown],
               colors=[c for _, _, c in shown], startangle=90, counterclock=False,
               wedgeprops={"width": 0.55, "edgecolor": "white"}, textprops={"fontsize": 13})
        ax.set_aspect("equal")
    else:
        ax.text(0.5, 0.5, "Không có số liệu", ha="center", va="center", color="#777777")
        ax.set_axis_off()


def _draw_steps(ax: Any, d: dict[str, Any]) -> None:
    import matplotlib.dates as mdates

    for name, ts, ys, color in d["lines"]:
        ax.step(ts, ys, where="post", color=color, label=name, marker="o", markersize=4)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M\n%d/%m"))
    if d["lines"]:
        _legend(ax, len(d["lines"]))


_DRAW: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "stacked_bars": _draw_stacked_bars, "hbars": _draw_hbars, "donut": _draw_donut, "steps": _draw_steps,
}


def _count_axis(ax: Any, kind: str) -> None:
    """The counts axis in whole numbers with Vietnamese thousands (never a 1.5 tick), a light grid."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    counts = ax.xaxis if kind == "hbars" else ax.yaxis
    counts.set_major_locator(MaxNLocator(integer=True))  # counts: never a 1.5 tick
    counts.set_major_formatter(FuncFormatter(lambda v, _pos: _vn(v)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if kind == "hbars" else "y", color="#e5e5e5")
    ax.set_axisbelow(True)


def _legend(ax: Any, ncol: int) -> None:
    """The legend in one row above the plot (below it would collide with long tick labels)."""
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, frameon=False)


def _vn(v: float) -> str:
    """Vietnamese thousands: 5312 → '5.312'."""
    return fmt_num(v)


def _setup() -> None:
    import matplotlib

    matplotlib.rcParams.update({"font.family": FONT, "font.size": 13, "axes.edgecolor": "#999999",
                                "axes.labelcolor": "#222222", "xtick.color": "#222222", "ytick.color": "#222222"})


class Renderer:
    """Draws charts in a thread. `start()` imports matplotlib there while the report queries the
    database; `draw(charts)` hands the charts over and `result()` waits for the PNGs:
    ({name: png}, error text or None)."""

    def __init__(self, timeout: float = 120.0):
        self.timeout = timeout
        self._charts: "queue.Queue[dict[str, Chart] | None]" = queue.Queue()
        self._pngs: dict[str, bytes] = {}
        self._err: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Renderer":
        self._thread = threading.Thread(target=self._run, name="report-charts", daemon=True)
        self._thread.start()
        return self

    def draw(self, charts: dict[str, Chart] | None) -> None:
        """Hand over the charts (None or {} = nothing to draw)."""
        self._charts.put(charts or None)

    def cancel(self) -> None:
        """No charts after all (the report's query failed): the thread is told so and joined, its matplotlib import
        finished, rather than left importing behind the caller. A daemon thread still importing when a CLI process
        exits can die holding the import lock; in the tests' process it changed `sys.modules` under a later test
        (CI stop 44: «dictionary changed size during iteration» in a fixture two tests on)."""
        self.draw(None)
        if self._thread is not None:
            self._thread.join(self.timeout)

    def result(self) -> tuple[dict[str, bytes], str | None]:
        if self._thread is not None:
            self._thread.join(self.timeout)
            if self._thread.is_alive():
                return {}, f"vẽ biểu đồ quá {self.timeout:g} giây"
        return self._pngs, self._err

    def _run(self) -> None:
        try:
            _setup()
        except Exception as exc:  # noqa: BLE001 - no matplotlib: the report goes on without charts
            self._err = f"thiếu thư viện vẽ biểu đồ ({type(exc).__name__}: {exc})"[:300]
            self._charts.get()
            return
        charts = self._charts.get()
        try:
            for name, chart in (charts or {}).items():
                self._pngs[name] = to_png(chart)
        except Exception as exc:  # noqa: BLE001 - any drawing failure: the report goes on without charts
            log.warning("charts not drawn: %s", exc)
            self._pngs = {}
            self._err = f"lỗi khi vẽ biểu đồ ({type(exc).__name__}: {exc})"[:300]


def render(charts: dict[str, Chart], *, timeout: float = 120.0) -> tuple[dict[str, bytes], str | None]:
    """PNG bytes per chart name, and an error text when charts could not be drawn (then the dict is empty)."""
    if not charts:
        return {}, None
    r = Renderer(timeout).start()
    r.draw(charts)
    return r.result()

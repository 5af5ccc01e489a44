"""Report charts: plotly figures rendered to PNG offline by kaleido through the Debian Chromium.

Measured here (2 cores): opening kaleido's browser takes about 3 s, then each chart about 0.25 s, so
the generator starts one browser session in a thread before it queries the database, hands it the
figures when they are built, and writes the XLSX meanwhile. If there is no browser (or it fails), the
report goes on without charts and says so.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from datetime import date
from typing import Any, Sequence

import plotly.graph_objects as go

from langnghe.reports.settings import WEEKDAYS_SHORT, dm

log = logging.getLogger("langnghe.reports.charts")

FONT = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"
PRESS, SOCIAL, PREV = "#1f4e79", "#e07b39", "#a6a6a6"
SENT_COLORS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#27ae60", "unknown": "#d5d8dc"}
WIDTH, HEIGHT, SCALE = 1000, 480, 1.6


def _layout(fig: go.Figure, title: str = "", height: int = HEIGHT, width: int = WIDTH) -> go.Figure:
    """Common look. The report prints the caption under the image, so charts carry no title by default."""
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 22}} if title else None,
        font={"family": FONT, "size": 20, "color": "#222"},
        paper_bgcolor="white", plot_bgcolor="white", height=height, width=width,
        margin={"l": 10, "r": 30, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "y": -0.14, "x": 0}, bargap=0.25,
    )
    fig.update_xaxes(gridcolor="#e5e5e5", automargin=True)
    fig.update_yaxes(gridcolor="#e5e5e5", automargin=True)
    return fig


def daily_chart(days: Sequence[date], press: Sequence[int], social: Sequence[int]) -> go.Figure:
    labels = [f"{WEEKDAYS_SHORT[d.weekday()]} {dm(d)}" for d in days]
    fig = go.Figure([
        go.Bar(name="Báo chí", x=labels, y=list(press), marker_color=PRESS, text=list(press), textposition="inside"),
        go.Bar(name="Mạng xã hội", x=labels, y=list(social), marker_color=SOCIAL, text=list(social),
               textposition="inside"),
    ])
    fig.update_layout(barmode="stack")
    return _layout(fig)


def hbar_chart(labels: Sequence[str], now: Sequence[int], prev: Sequence[int] | None = None,
               now_name: str = "Tuần này", prev_name: str = "Tuần trước") -> go.Figure:
    labels = [(s if len(s) <= 48 else s[:47] + "…") for s in labels]
    traces = []
    if prev is not None:
        traces.append(go.Bar(name=prev_name, y=labels, x=list(prev), orientation="h", marker_color=PREV))
    traces.append(go.Bar(name=now_name, y=labels, x=list(now), orientation="h", marker_color=PRESS,
                         text=list(now), textposition="outside"))
    fig = go.Figure(traces)
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, height=max(320, 140 + 36 * len(labels) * (2 if prev is not None else 1)))


def sentiment_chart(labels: Sequence[str], codes: Sequence[str], values: Sequence[int]) -> go.Figure:
    fig = go.Figure(go.Pie(labels=list(labels), values=list(values), hole=0.45, sort=False,
                           marker={"colors": [SENT_COLORS.get(c, "#ccc") for c in codes]},
                           textinfo="label+percent", textposition="outside"))
    fig.update_layout(showlegend=False)
    return _layout(fig, height=520, width=760)


def cumulative_chart(times: Sequence[Any], types: Sequence[str]) -> go.Figure:
    """Cumulative items over time, one line per source type (rapid report)."""
    fig = go.Figure()
    for code, name, color in (("press", "Báo chí", PRESS), ("social", "Mạng xã hội", SOCIAL)):
        ts = [t for t, ty in zip(times, types) if ty == code]
        if ts:
            fig.add_trace(go.Scatter(x=ts, y=list(range(1, len(ts) + 1)), name=name, mode="lines+markers",
                                     line={"shape": "hv", "color": color}))
    fig.update_xaxes(tickformat="%H:%M<br>%d/%m")
    return _layout(fig, height=480)


class Renderer:
    """Draws charts in a thread with one kaleido browser session. The browser starts at `start()` (before
    the report's query, so its ~3 s start overlaps the query); `draw(figs)` hands the figures over and
    `result()` waits for the PNGs: ({name: png}, error text or None)."""

    def __init__(self, chromium: str | None, timeout: float = 120.0):
        self.chromium = chromium
        self.timeout = timeout
        self._figs: "queue.Queue[dict[str, go.Figure] | None]" = queue.Queue()
        self._pngs: dict[str, bytes] = {}
        self._err: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Renderer":
        if not self.chromium:
            self._err = "không tìm thấy trình duyệt Chromium"
            return self
        try:
            import kaleido  # noqa: F401
        except ImportError as exc:
            self._err = f"thiếu gói kaleido ({exc})"
            return self
        self._thread = threading.Thread(target=self._run, name="report-charts", daemon=True)
        self._thread.start()
        return self

    def draw(self, figs: dict[str, go.Figure] | None) -> None:
        """Hand over the figures (None or {} = nothing to draw; the browser closes)."""
        self._figs.put(figs or None)

    def result(self) -> tuple[dict[str, bytes], str | None]:
        if self._thread is not None:
            self._thread.join(self.timeout + 30)
            if self._thread.is_alive():
                return {}, f"vẽ biểu đồ quá {self.timeout:g} giây"
        return self._pngs, self._err

    def _run(self) -> None:
        import kaleido

        async def run() -> None:
            async with kaleido.Kaleido(n=1, mathjax=False, timeout=self.timeout, path=self.chromium) as k:
                figs = await asyncio.get_running_loop().run_in_executor(None, self._figs.get)
                for name, fig in (figs or {}).items():
                    self._pngs[name] = await k.calc_fig(fig, opts={
                        "format": "png", "width": fig.layout.width or WIDTH, "height": fig.layout.height or HEIGHT,
                        "scale": SCALE})

        try:
            asyncio.run(asyncio.wait_for(run(), timeout=self.timeout))
        except Exception as exc:  # noqa: BLE001 - any browser failure: the report goes on without charts
            log.warning("charts not drawn: %s", exc)
            self._pngs = {}
            self._err = f"lỗi khi vẽ biểu đồ ({type(exc).__name__}: {exc})"[:300]


def render(figs: dict[str, go.Figure], *, chromium: str | None, timeout: float = 120.0) -> tuple[dict[str, bytes], str | None]:
    """PNG bytes per chart name, and an error text when charts could not be drawn (then the dict is empty)."""
    if not figs:
        return {}, None
    r = Renderer(chromium, timeout).start()
    r.draw(figs)
    return r.result()

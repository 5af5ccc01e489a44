"""The steps of making a report, as staff read them while it is made and afterwards.

    weekly_report(..., progress=on_step)   # on_step("charts", None) as drawing starts, on_step("charts", 5.4) when done

A report takes 5–20 s; the dashboard showed only a spinner for that long. `reports.generate` calls a `Progress`
callback at each step's start and end, so the page (an `st.status` with one line per step) and the CLI (its
timings line) say the same words without the reports layer knowing who listens. Kept free of heavy imports: the
CLI loads it at start.
"""

from __future__ import annotations

from typing import Callable

# step → the words staff read («đọc dữ liệu 1,5; vẽ biểu đồ 5,4; …»); order of the dict = the order steps start
STEP_WORDS: dict[str, str] = {"query_build": "đọc dữ liệu", "charts": "vẽ biểu đồ", "pdf": "PDF", "xlsx": "XLSX",
                              "docx": "DOCX"}

# (step, seconds): seconds is None when the step starts, its time (as `Result.timings` records it) when it ends.
# Called on the generating thread only, so a Streamlit page may draw from it.
Progress = Callable[[str, "float | None"], None]


def step_words(step: str) -> str:
    return STEP_WORDS.get(step, step)

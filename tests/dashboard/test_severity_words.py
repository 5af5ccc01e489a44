"""Colour is never the only sign of an alert's level (dash6's walk): Tổng quan's open alerts drew a red, orange or
grey dot and nothing else, which a colour-blind reader or a grey printout cannot tell apart."""

from __future__ import annotations

import re

from tests.dashboard.conftest import no_exception


def test_overview_names_each_open_alerts_level_in_words(demo_env):
    with demo_env.db.read() as cur:
        levels = dict(cur.execute("SELECT alert_id, severity FROM alerts").fetchall())
    at = demo_env.page("overview", "viewer").run()
    no_exception(at)
    shown = [m.value for m in at.markdown if re.search(r"\*\*A\d{6}\*\*", m.value)]
    assert shown
    words = {"high": "Mức cao", "medium": "Mức trung bình", "low": "Mức thấp"}
    for text in shown:
        aid = re.search(r"A\d{6}", text).group(0)
        assert words[levels[aid]] in text, text
        assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", text), text  # and the year: an alert stays open past New Year

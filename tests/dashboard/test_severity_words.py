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


def test_open_alerts_read_in_queue_order_when_a_phone_stacks_them(env):
    """The six alerts were two columns of three: a phone stacks columns one under the other, so the page read 1, 3, 5,
    2, 4, 6, and a medium alert came before a high one. They go in rows of two now: the page's order (the order
    AppTest lists them in, and a phone shows them in) is the queue's."""
    from datetime import timedelta

    from store import alerts as A
    from store.db import utcnow
    from vocab.alerts import NewAlert

    now = utcnow()
    with env.db.write() as cur:  # three high, three medium, raised an hour apart
        for k in range(6):
            A.raise_alert(cur, NewAlert.of(title=f"Vấn đề {k}", severity="high" if k < 3 else "medium",
                                           reason="thử"), now - timedelta(hours=k))
    at = env.page("overview", "viewer").run()
    no_exception(at)
    shown = [re.search(r"Vấn đề (\d)", m.value).group(1) for m in at.markdown if re.search(r"\*\*A\d{6}\*\*", m.value)]
    assert shown == ["0", "1", "2", "3", "4", "5"], shown

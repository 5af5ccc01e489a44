"""Round 28's hostile sweep (`hostile31`) on the pages: crafted addresses (query parameters) open the page on its
defaults rather than a traceback. docs/SECURITY.md «Round 28 sweep»."""

from __future__ import annotations

import pytest

from dashboard.views import explorer
from tests.dashboard.conftest import Env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = Env(tmp_path_factory.mktemp("h31"))
    e.seed(n_items=60)
    e.add_users()
    yield e
    e.close()


# each was a ValueError or OverflowError out of Tin bài's _apply_query_params / _window
CRAFTED = {
    "superscript digit as a watchlist": {"watch": "²"},
    "a watchlist id of 5,000 digits": {"watch": "9" * 5000},
    "the first day": {"from": "0001-01-01", "to": "0001-01-01"},
    "the last day": {"from": "9999-12-31"},
    "the first hour": {"hour": "0001-01-01T00"},
    "the last hour": {"hour": "9999-12-31T23"},
}


@pytest.mark.parametrize("params", list(CRAFTED.values()), ids=list(CRAFTED))
def test_a_crafted_address_opens_tin_bai_on_its_defaults(env, params):
    at = env.page("explorer", "viewer")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    assert any(c.value.endswith("tin") or " tin" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.session_state["x_period"] == explorer.DEFAULT_PERIOD
    assert at.session_state["x_watch"] is None


def test_the_address_bar_still_reads_ordinary_values():
    assert explorer._watch_id("12") == 12 and explorer._watch_id("١٢") is None
    assert explorer._dates("2026-12-01", "2026-12-07") is not None
    assert explorer._dates("0001-01-02", "9999-12-30") is not None
    assert explorer._hour_start("2026-12-03T14") is not None

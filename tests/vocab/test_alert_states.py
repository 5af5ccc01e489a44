"""An alert event's state change in words: NULL states (a re-rating, a note) read by pandas as NaN must give
nothing, not «nan» (Quản trị's audit showed «→ nan» for the demo's re-rated alert, round 21)."""

from __future__ import annotations

import pandas as pd

from vocab.alerts import state_change, state_label


def test_state_label_of_none_and_nan_is_blank():
    assert state_label(None) == "" and state_label(float("nan")) == "" and state_label(pd.NA) == ""
    assert state_label("acknowledged") not in ("", "acknowledged")


def test_state_change_says_only_a_real_move():
    nan = float("nan")
    assert state_change(nan, nan) == ""
    assert state_change(None, None) == ""
    assert state_change("new", "new") == ""
    assert state_change(None, "new") == f"→ {state_label('new')}"
    assert state_change("new", "acknowledged") == f"{state_label('new')} → {state_label('acknowledged')}"

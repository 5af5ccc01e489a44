"""Source states as Tổng quan's health line and the Nguồn page count and order them (one rule, two pages)."""

from orchestration.status import problems_first, state_counts


def _h(name: str, status: str) -> dict:
    return {"source": name, "status": status}


def test_states_are_counted_and_problems_come_first_in_configuration_order() -> None:
    health = [_h("a", "ok"), _h("b", "paused"), _h("c", "failing"), _h("d", "ok"), _h("e", "never_run"),
              _h("f", "error"), _h("g", "new-state")]
    assert state_counts(health) == {"ok": 2, "paused": 1, "failing": 1, "never_run": 1, "error": 1, "new-state": 1}
    assert [h["source"] for h in problems_first(health)] == ["c", "f", "e", "a", "d", "g", "b"]
    assert state_counts([]) == {}

"""Every `st.tabs` of the dashboard has a key: keyless tabs are known to Streamlit's frontend by their place on the
page, so a message drawn above them after an action (ui.flash) made them new tabs, back on the first one (dash6's
walk: Nguồn tin's «Thêm nguồn», Quản trị's «Người dùng và quyền»; tests/browser/test_tabs_stay.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def _tabs_calls(tree: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "tabs"]


def test_every_tab_set_has_a_key():
    found, keyless = 0, []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for call in _tabs_calls(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            if not any(k.arg == "key" for k in call.keywords):
                keyless.append(f"{path.relative_to(DASHBOARD.parent)}:{call.lineno}")
    assert found >= 5 and not keyless, keyless


def test_the_scan_sees_a_keyless_tab_set():
    assert len(_tabs_calls(ast.parse('a, b = st.tabs(["A", "B"])'))) == 1



def _tab_containers(node) -> list:  # type: ignore[no-untyped-def]
    """Every tab set an AppTest run drew, in page order (their protos say which tab the browser opens)."""
    found = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", "") == "tab_container":
            found.append(child)
        found += _tab_containers(child)
    return found


def test_every_view_draws_its_tabs_through_ui_tabs():
    """ui.tabs keeps the open tab across a visit to another page; an st.tabs of its own would lose it."""
    direct = [f"{path.name}:{call.lineno}" for path in sorted((DASHBOARD / "views").glob("*.py"))
              for call in _tabs_calls(ast.parse(path.read_text(encoding="utf-8")))
              if not (isinstance(call.func.value, ast.Name) and call.func.value.id == "ui")]
    assert not direct, direct


@pytest.mark.parametrize(("page", "key", "label"), [("sources", "src_tab", "Thêm nguồn"),
                                                    ("admin", "admin_tab", "Lưu trữ dữ liệu")])
def test_the_open_tab_is_kept_across_a_visit_to_another_page(env, page, key, label):
    """dash7: staff on Nguồn tin's second tab who looked at another page came back on the first: Streamlit drops
    the state of a widget a run does not draw, and untracked tabs had none. The tab comes back open, and the
    page's first run still opens the first."""
    from tests.dashboard.test_pages import _away_and_back

    env.add_users()
    at = _away_and_back(page, {}, {key: label})
    box = _tab_containers(at._tree)[0]
    labels = [t.label for t in box.children.values()]
    assert labels[box.proto.tab_container.default_tab_index] == label
    assert at.session_state[key] == label
    fresh = env.page(page, "admin").run()
    first = _tab_containers(fresh._tree)[0]
    assert first.proto.tab_container.default_tab_index == 0

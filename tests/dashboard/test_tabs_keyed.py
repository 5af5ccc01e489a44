"""Every `st.tabs` of the dashboard has a key: keyless tabs are known to Streamlit's frontend by their place on the
page, so a message drawn above them after an action (ui.flash) made them new tabs, back on the first one (dash6's
walk: Nguồn tin's «Thêm nguồn», Quản trị's «Người dùng và quyền»; tests/browser/test_tabs_stay.py)."""

from __future__ import annotations

import ast
from pathlib import Path

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

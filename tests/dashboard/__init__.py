# pytest imports this folder as the package `dashboard` (tests/ has no __init__.py), which shadows the real
# dashboard/ package; without the line below `dashboard.views`, `dashboard.data`… were found through the
# editable install, i.e. in whatever checkout it points at, not in the one under test (a git worktree).
__path__.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "dashboard"))

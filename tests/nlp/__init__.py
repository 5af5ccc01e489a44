# pytest puts tests/ first on sys.path, so `nlp` is this folder and shadows the real nlp/ package; without
# the line below `nlp.folding`… were found through the editable install, i.e. in whatever checkout it
# points at, not in the one under test (a git worktree).
__path__.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "nlp"))

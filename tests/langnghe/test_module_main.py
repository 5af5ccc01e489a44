"""`python -m langnghe` is the same CLI as the installed `langnghe` script."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "langnghe", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    assert "Lắng Nghe" in out.stdout

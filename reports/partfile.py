"""Write a report file through a '.part' file beside it (DOCX, XLSX, PDF).

Why: a writer that fails half-way (a full disk, a title python-docx refuses, a browser killed at its timeout) left
a truncated file at the real name, which the archive and the downloads then offered; now the real name appears
only when the file is whole, and a failed write leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def part_path(path: Path) -> Path:
    """'bao-cao.docx' → 'bao-cao.docx.part' in the same folder (a rename there is atomic)."""
    return path.with_name(path.name + ".part")


@contextmanager
def written_through_part(path: str | Path) -> Iterator[Path]:
    """Yield the '.part' path to write; rename it to `path` when the block ends, delete it when the block fails."""
    path = Path(path)
    tmp = part_path(path)
    try:
        yield tmp
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

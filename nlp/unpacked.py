"""An unpacked copy of a shipped model file, so that every process after the first loads it in under a second.

    classifier-1.0.joblib  (xz, 12 MB in git)  --first load: 7-14 s-->  model  --written once-->
    .unpacked/classifier-1.0.<sha256 16>.<versions>.pkl  (plain pickle, ~34 MB)  --every later load: < 1 s-->  model

The classifier ships xz-compressed so that the repository stays small, and unpacking it cost 7-14 s of CPU in every
process that tags: `serve`, each CLI command, the demo's start, each test that runs the CLI. The copy is named by the
file's SHA-256 and the Python, numpy and scikit-learn versions that pickled it, so a retrained model or an upgraded
library never reads a stale copy; copies of older files are removed when a new one is written. Where the folder
cannot be written (a read-only install) nothing is cached and loading is only as slow as before, never wrong.

Trust: the copy is a pickle, as the joblib file is; it lives in the model folder, so whoever could replace it could
already replace the model itself.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

UNPACKED_DIR = ".unpacked"


def _versions() -> str:
    import numpy
    import sklearn

    return f"py{sys.version_info[0]}{sys.version_info[1]}-np{numpy.__version__}-skl{sklearn.__version__}"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def unpacked_path(path: Path) -> Path:
    """Where the unpacked copy of `path`, as it is now, lives."""
    return path.parent / UNPACKED_DIR / f"{path.stem}.{_digest(path)}.{_versions()}.pkl"


def load_unpacked(path: str | Path, load_packed: Callable[[Path], Any]) -> Any:
    """`load_packed(path)`'s object, read from the unpacked copy when there is one, and the copy written when there
    is none. A copy that does not read (a broken disk) is removed and made again."""
    path = Path(path)
    copy = unpacked_path(path)
    try:
        with open(copy, "rb") as f:
            return pickle.load(f)
    except OSError:  # none yet, or no folder to hold one
        pass
    except Exception:  # noqa: BLE001 — a copy that does not unpickle is only a cache miss
        with contextlib.suppress(OSError):
            copy.unlink()
    obj = load_packed(path)
    if _write(copy, obj):
        _remove_older(copy, path.stem)
    return obj


def _write(copy: Path, obj: Any) -> bool:
    """Atomically (a temporary file renamed), so that a process reading at the same time sees all or nothing;
    two processes writing at once both rename a whole copy."""
    try:
        copy.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=".writing-", suffix=".pkl")
    except OSError:
        return False  # read-only or full: no cache, the packed file still loads
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, copy)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True


def _remove_older(copy: Path, stem: str) -> None:
    """Copies of the same file (`stem`, e.g. classifier-1.0) made from other contents or versions: never read again.
    The digest after the stem tells them from another file's (classifier-1.0.1's)."""
    own = re.compile(re.escape(stem) + r"\.[0-9a-f]{16}\.")
    for other in copy.parent.glob(f"{glob.escape(stem)}.*.pkl"):
        if other != copy and own.match(other.name):
            other.unlink(missing_ok=True)

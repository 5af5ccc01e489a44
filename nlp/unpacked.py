"""A ready-to-use copy of a model object, so that every process after the first loads it in about a second.

    classifier-1.0.joblib  (xz, 12 MB in git)  --first load: 7-14 s-->  model  --written once-->
    .unpacked/classifier-1.0.<sha256 16>.<versions>.pkl  (plain pickle, ~34 MB)  --every later load: < 1 s-->  model

    diacritics-1.0.pkl.gz + nlp/diacritics.py  --load and build rows: ~5 s-->  restorer  --written once-->
    .unpacked/diacritics-1.0-rows.<sha256 16>.<versions>.pkl  --every later load: ~1.3 s-->  restorer

    nlp/data/** + nlp/gazetteer.py + vocab/{casing,folding}.py  --index build: ~1 s-->  gazetteer  --> copy: 0.02 s
    .unpacked/gazetteer-<province sha256 8>.<sha256 16>.<versions>.pkl  (one per province: variant)

The classifier ships xz-compressed so that the repository stays small, and unpacking it cost 7-14 s of CPU in every
process that tags: `serve`, each CLI command, the demo's start, each test that runs the CLI. The restorer and the
gazetteer are built at start from their files by code. Each copy is named by a SHA-256 over everything it was made
from (the model file, and for objects built by code, that code's source and data files) and by the Python, numpy
and scikit-learn versions that pickled it, so a retrained model, an edited module or an upgraded library never
reads a stale copy; copies made from older contents are removed when a new one is written (copies of another
variant, another province's gazetteer, stay beside it). Where the folder cannot
be written (a read-only install) nothing is cached and loading is only as slow as before, never wrong.

Processes that find no copy at once (a fresh install's serve, CLI and test workers) take turns on a lock file beside
it: the first builds and writes, the others then read its copy rather than each unpacking the same model.

Automatic garbage collection is paused while a copy unpickles (nlp/gcpause.py, shared with the restorer): its millions of small objects would otherwise
trigger full collections that walk all of them (1.2 s instead of 2.8 s for the restorer).

Trust: a copy is a pickle, as the joblib file is; it lives in the model folder, so whoever could replace it could
already replace the model itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from nlp.gcpause import gc_paused

T = TypeVar("T")

UNPACKED_DIR = ".unpacked"
# A temporary copy this old was left by a process killed while writing it (a write takes seconds; a model's copy is
# 34-90 MB): removed when the next copy is written.
ABANDONED_SECONDS = 3600


def _versions() -> str:
    import numpy
    import sklearn

    return f"py{sys.version_info[0]}{sys.version_info[1]}-np{numpy.__version__}-skl{sklearn.__version__}"


def _digest(paths: Iterable[Path], salt: str = "") -> str:
    h = hashlib.sha256(salt.encode())
    for path in paths:
        with open(path, "rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()[:16]


def cached_path(folder: Path, name: str, sources: Iterable[Path], salt: str = "", variant: str = "") -> Path:
    """Where the copy of the object called `name` (of `variant`), made from `sources` as they are now, lives."""
    return Path(folder) / UNPACKED_DIR / f"{_stem(name, variant)}.{_digest(sources, salt)}.{_versions()}.pkl"


def _stem(name: str, variant: str) -> str:
    """`name`, and for a variant (a province's gazetteer) its own digest: copies of different variants have different
    stems, so that writing one never removes another's (`_remove_older` removes copies of the same stem)."""
    return f"{name}-{hashlib.sha256(variant.encode()).hexdigest()[:8]}" if variant else name


def load_unpacked(path: str | Path, load_packed: Callable[[Path], Any]) -> Any:
    """`load_packed(path)`'s object, read from the unpacked copy when there is one, and the copy written when there
    is none. A copy that does not read (a broken disk) is removed and made again."""
    path = Path(path)
    return load_cached(path.parent, path.stem, [path], lambda: load_packed(path))


def load_cached(folder: Path, name: str, sources: Iterable[Path], build: Callable[[], T], salt: str = "",
                variant: str = "") -> T:
    """`build()`'s object, read from its copy in `folder/.unpacked` when one was made from these `sources` (and
    `salt`), else built and the copy written. `sources` must name every file whose change changes the object, `salt`
    anything else that does (a data folder's fingerprint). Writing a copy removes the copies of the same `name` and
    `variant` made from other sources or salt; copies of other variants (another province's gazetteer, built from
    the same files into one folder) stay beside it, so that two deployments sharing a model folder do not remove
    each other's copies and rebuild in turn (round 25).

    Processes that find no copy at the same time (a fresh install's serve, CLI and workers starting together) build
    it one at a time: the first holds a lock while it builds and writes, the others wait and then read its copy,
    instead of each spending the same 5-14 s of CPU. Where no lock can be made, each builds, as before."""
    copy = cached_path(Path(folder), name, list(sources), salt, variant)
    found = _read(copy)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    with _building(copy):
        found = _read(copy)  # another process may have written it while this one waited
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        obj = build()
        if _write(copy, obj):
            _remove_abandoned(copy.parent)
            _remove_older(copy, _stem(name, variant))
            if variant:
                _remove_older(copy, name)  # the copy made before variants had stems (round 24's `gazetteer.…`)
    return obj


_MISSING = object()


def _read(copy: Path) -> Any:
    """The copy's object, or `_MISSING`. A copy that does not unpickle (a broken disk) is removed."""
    try:
        with open(copy, "rb") as f, gc_paused():
            return pickle.load(f)
    except OSError:  # none yet, or no folder to hold one
        pass
    except Exception:  # noqa: BLE001 — a copy that does not unpickle is only a cache miss
        with contextlib.suppress(OSError):
            copy.unlink()
    return _MISSING


@contextlib.contextmanager
def _building(copy: Path) -> Any:
    """An exclusive lock on `copy`'s lock file while it is built (released by the system if the process dies). The
    folder is made here, the first step that needs it, and only here: `_write` runs inside this block."""
    try:
        copy.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(copy.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # read-only or full: build without waiting for anyone
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write(copy: Path, obj: Any) -> bool:
    """Atomically (a temporary file renamed), so that a process reading at the same time sees all or nothing;
    two processes writing at once both rename a whole copy. The folder was made by `_building`, around this call
    (where it could not be, the temporary file cannot be either: no copy)."""
    try:
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


def _remove_abandoned(folder: Path) -> None:
    """Temporary copies (`_write`'s `.writing-*`) older than ABANDONED_SECONDS: their writer was killed before its
    rename (round 28's sweep found 34-90 MB left for good). A younger one may be another process's write in progress."""
    old = time.time() - ABANDONED_SECONDS
    for tmp in folder.glob(".writing-*.pkl"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < old:
                tmp.unlink()


def _remove_older(copy: Path, stem: str) -> None:
    """Copies of the same file (`stem`, e.g. classifier-1.0, or gazetteer-<province digest>) made from other contents,
    salt or versions: never read again. The digest after the stem tells them from another file's (classifier-1.0.1's,
    or another province's gazetteer-<its digest>)."""
    own = re.compile(re.escape(stem) + r"\.[0-9a-f]{16}\.")
    for other in [*copy.parent.glob(f"{glob.escape(stem)}.*.pkl"), *copy.parent.glob(f"{glob.escape(stem)}.*.lock")]:
        if other not in (copy, copy.with_suffix(".lock")) and own.match(other.name):
            other.unlink(missing_ok=True)

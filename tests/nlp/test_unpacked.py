"""The unpacked copy of a model file: written at the first load, read after it, never stale, never required."""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import pytest

from nlp.unpacked import UNPACKED_DIR, load_unpacked, unpacked_path


def _packed(path: Path, obj: object) -> Path:
    joblib.dump(obj, path, compress=("xz", 1))
    return path


def _refuse(path: Path) -> object:
    raise AssertionError(f"the packed file {path.name} was read although its unpacked copy exists")


def test_the_first_load_writes_the_copy_and_later_loads_read_only_it(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", {"weights": [1, 2, 3]})
    assert load_unpacked(model, joblib.load) == {"weights": [1, 2, 3]}
    assert unpacked_path(model).exists()
    assert load_unpacked(model, _refuse) == {"weights": [1, 2, 3]}


def test_a_retrained_file_is_read_again_and_its_old_copy_removed(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", "old")
    other = _packed(tmp_path / "classifier-1.0.1.joblib", "another version")
    load_unpacked(model, joblib.load)
    load_unpacked(other, joblib.load)
    old_copy = unpacked_path(model)
    _packed(model, "retrained")
    assert load_unpacked(model, joblib.load) == "retrained"
    assert not old_copy.exists()
    assert unpacked_path(other).exists(), "another file's copy (classifier-1.0.1) is not this file's old copy"
    assert len(list((tmp_path / UNPACKED_DIR).glob("*.pkl"))) == 2


def test_a_broken_copy_is_a_cache_miss(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", "whole")
    load_unpacked(model, joblib.load)
    unpacked_path(model).write_bytes(b"\x80\x05truncated")
    assert load_unpacked(model, joblib.load) == "whole"
    assert load_unpacked(model, _refuse) == "whole"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a read-only folder anyway")
def test_a_read_only_folder_loads_without_a_copy(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", "ro")
    tmp_path.chmod(0o555)
    try:
        assert load_unpacked(model, joblib.load) == "ro"
        assert not (tmp_path / UNPACKED_DIR).exists()
    finally:
        tmp_path.chmod(0o755)


def test_a_folder_that_cannot_be_made_loads_without_a_copy(tmp_path):
    """As root a read-only folder is still writable: a file where the folder should be stands for it."""
    model = _packed(tmp_path / "classifier-1.0.joblib", "no folder")
    (tmp_path / UNPACKED_DIR).write_text("not a folder")
    assert load_unpacked(model, joblib.load) == "no folder"
    assert load_unpacked(model, joblib.load) == "no folder"

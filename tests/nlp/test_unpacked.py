"""Copies of model objects: written at the first load, read after it, never stale, never required."""

from __future__ import annotations

import errno
import fcntl
import os
import pickle
import shutil
import threading
from pathlib import Path

import joblib
import pytest

from nlp.diacritics import Restorer
from nlp.gazetteer import DATA, Gazetteer, load_gazetteer
from nlp.unpacked import ABANDONED_SECONDS, UNPACKED_DIR, cached_path, load_cached, load_unpacked


def _packed(path: Path, obj: object) -> Path:
    joblib.dump(obj, path, compress=("xz", 1))
    return path


def _copy_of(model: Path) -> Path:
    """Where load_unpacked keeps `model`'s copy: the path load_cached reads (the model's folder, its stem, itself)."""
    return cached_path(model.parent, model.stem, [model])


def _refuse(path: Path) -> object:
    raise AssertionError(f"the packed file {path.name} was read although its unpacked copy exists")


def test_the_first_load_writes_the_copy_and_later_loads_read_only_it(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", {"weights": [1, 2, 3]})
    assert load_unpacked(model, joblib.load) == {"weights": [1, 2, 3]}
    assert _copy_of(model).exists()
    assert load_unpacked(model, _refuse) == {"weights": [1, 2, 3]}


def test_a_retrained_file_is_read_again_and_its_old_copy_removed(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", "old")
    other = _packed(tmp_path / "classifier-1.0.1.joblib", "another version")
    load_unpacked(model, joblib.load)
    load_unpacked(other, joblib.load)
    old_copy = _copy_of(model)
    _packed(model, "retrained")
    assert load_unpacked(model, joblib.load) == "retrained"
    assert not old_copy.exists()
    assert _copy_of(other).exists(), "another file's copy (classifier-1.0.1) is not this file's old copy"
    assert len(list((tmp_path / UNPACKED_DIR).glob("*.pkl"))) == 2


def test_a_copy_left_half_written_by_a_killed_process_is_removed_at_the_next_write(tmp_path):
    """A kill between mkstemp and the rename left `.writing-*.pkl` (34-90 MB for a model) that nothing removed
    (round 28's hostile sweep); one younger than ABANDONED_SECONDS may be another process's write, and stays."""
    folder = tmp_path / UNPACKED_DIR
    folder.mkdir()
    abandoned, writing = folder / ".writing-abc.pkl", folder / ".writing-def.pkl"
    abandoned.write_bytes(b"half")
    writing.write_bytes(b"in progress")
    hours_ago = abandoned.stat().st_mtime - ABANDONED_SECONDS - 60
    os.utime(abandoned, (hours_ago, hours_ago))
    load_unpacked(_packed(tmp_path / "classifier-1.0.joblib", "whole"), joblib.load)
    assert not abandoned.exists()
    assert writing.exists()


def test_a_broken_copy_is_a_cache_miss(tmp_path):
    model = _packed(tmp_path / "classifier-1.0.joblib", "whole")
    load_unpacked(model, joblib.load)
    _copy_of(model).write_bytes(b"\x80\x05truncated")
    assert load_unpacked(model, joblib.load) == "whole"
    assert load_unpacked(model, _refuse) == "whole"


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`folder` made read-only: chmod 0555, and as root, whom file modes do not stop (CI runs `make test` as root, so
    this test was skipped there until round 31), the OS calls that make a name in it refused as the kernel refuses
    them for anyone else (PermissionError, EACCES). Returns the names refused, whoever refused them, so the test can
    tell that the read-only branch was taken."""
    refused: list[str] = []
    real_mkdir, real_open = os.mkdir, os.open
    as_root = os.geteuid() == 0

    def in_folder(path: object) -> bool:
        return Path(os.fsdecode(path)).parent == folder  # type: ignore[arg-type]

    def mkdir(path, mode=0o777, *a, **k):  # type: ignore[no-untyped-def]
        if as_root and in_folder(path):
            refused.append(os.fsdecode(path))
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        try:
            return real_mkdir(path, mode, *a, **k)
        except PermissionError:
            refused.append(os.fsdecode(path))
            raise

    def open_(path, flags, mode=0o777, *a, **k):  # type: ignore[no-untyped-def]
        if as_root and flags & os.O_CREAT and in_folder(path) and not os.path.exists(path):
            refused.append(os.fsdecode(path))
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_open(path, flags, mode, *a, **k)

    folder.chmod(0o555)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)
    return refused


def test_a_read_only_folder_loads_without_a_copy(tmp_path, monkeypatch):
    model = _packed(tmp_path / "classifier-1.0.joblib", "ro")
    refused = _read_only(tmp_path, monkeypatch)
    try:
        assert load_unpacked(model, joblib.load) == "ro"
        assert load_unpacked(model, joblib.load) == "ro"  # and again: nothing half made stands in the way
        assert refused == [str(tmp_path / UNPACKED_DIR)] * 2, refused  # the folder's mkdir refused, each load
        assert not (tmp_path / UNPACKED_DIR).exists()
    finally:
        monkeypatch.undo()
        tmp_path.chmod(0o755)


def test_a_folder_that_cannot_be_made_loads_without_a_copy(tmp_path):
    """As root a read-only folder is still writable: a file where the folder should be stands for it."""
    model = _packed(tmp_path / "classifier-1.0.joblib", "no folder")
    (tmp_path / UNPACKED_DIR).write_text("not a folder")
    assert load_unpacked(model, joblib.load) == "no folder"
    assert load_unpacked(model, joblib.load) == "no folder"


def _never(*_a, **_k):
    raise AssertionError("built again although a copy made from the same files exists")


def test_a_copy_made_by_code_is_made_again_when_a_source_changes(tmp_path):
    code = tmp_path / "builder.py"
    code.write_text("RULE = 1\n")
    assert load_cached(tmp_path, "thing", [code], lambda: "first") == "first"
    assert load_cached(tmp_path, "thing", [code], _never) == "first"
    assert load_cached(tmp_path, "thing", [code], lambda: "salted", salt="another data folder") == "salted"
    code.write_text("RULE = 2\n")
    assert load_cached(tmp_path, "thing", [code], lambda: "second") == "second"
    assert len(list((tmp_path / UNPACKED_DIR).glob("thing.*.pkl"))) == 1, "the copies of older sources stay"


def test_the_ready_restorer_reads_as_the_built_one_and_comes_from_its_copy(tmp_path, monkeypatch):
    texts = ["người dân phản ánh bùn đất tràn vào nhà", "bùn đất tràn vào nhà dân ở Vàng Danh"] * 3
    path = tmp_path / "diacritics-1.0.pkl.gz"
    Restorer.train(texts, min_bigram=1, min_unigram=1, min_trigram=1).save(path)
    built = Restorer.load(path)
    built.preload_rows()
    ready = Restorer.load_ready(path)
    monkeypatch.setattr(Restorer, "load", _never)
    again = Restorer.load_ready(path)
    for r in (ready, again):
        assert r.restore("bun dat tran vao nha dan") == built.restore("bun dat tran vao nha dan")
        assert r._pre.keys() == built._pre.keys() and r._pre, "the rows built at load are in the copy"
    monkeypatch.undo()
    assert not Restorer.load_ready(path, preload_rows=False)._pre, "a copy without rows is another copy"


def test_the_gazetteer_comes_from_its_copy_until_a_list_changes(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("corpus", "nsw"))
    cache = tmp_path / "models"
    cache.mkdir()
    first = load_gazetteer("Quảng Ninh", cache, data)
    monkeypatch.setattr(Gazetteer, "_build", _never)
    again = load_gazetteer("Quảng Ninh", cache, data)
    text = "Bùn đất tràn vào nhà dân ở phường Vàng Danh, Uông Bí"
    assert again.resolve(text) == first.resolve(text) and again.resolve(text).in_area
    with pytest.raises(AssertionError, match="built again"):
        load_gazetteer("Hải Phòng", cache, data)
    with open(data / "landmarks.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    with pytest.raises(AssertionError, match="built again"):
        load_gazetteer("Quảng Ninh", cache, data)
    monkeypatch.undo()
    load_gazetteer("Quảng Ninh", cache, data)
    monkeypatch.setattr(Gazetteer, "_build", _never)
    mapping = data / "admin_units" / "quang_ninh_old_to_2025_mapping.csv"
    mapping.rename(mapping.with_name("quang_ninh_mapping.csv"))  # the same bytes under another name: not read
    with pytest.raises(AssertionError, match="built again"):
        load_gazetteer("Quảng Ninh", cache, data)


def test_two_provinces_gazetteers_share_a_folder_and_a_stale_one_is_removed(tmp_path):
    """Two deployments (or two provinces' gazetteers) sharing one model folder: until round 25 each copy removed the
    other's, and they rebuilt in turn. A stale copy of one province (an edited list) is still removed."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("corpus", "nsw"))
    cache = tmp_path / "models"
    cache.mkdir()
    copies = lambda: set((cache / UNPACKED_DIR).glob("gazetteer*.pkl"))  # noqa: E731
    load_gazetteer("Quảng Ninh", cache, data)
    (qn,) = copies()
    load_gazetteer("Hải Phòng", cache, data)
    (hp,) = copies() - {qn}
    assert qn.exists(), "the second province's copy removed the first's"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Gazetteer, "_build", _never)
        load_gazetteer("Quảng Ninh", cache, data)
        load_gazetteer("Hải Phòng", cache, data)
    with open(data / "landmarks.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    load_gazetteer("Quảng Ninh", cache, data)
    assert not qn.exists(), "the stale copy of Quảng Ninh stays"
    assert hp.exists() and len(copies()) == 2


def test_a_variant_copy_removes_the_copy_made_before_variants(tmp_path):
    """Round 24's gazetteer copy had no variant in its name (`gazetteer.<digest>.…`): the first copy of a variant
    removes it, or it would lie in every deployment's model folder for ever."""
    code = tmp_path / "builder.py"
    code.write_text("RULE = 1\n")
    old = load_cached(tmp_path, "thing", [code], lambda: 1, salt="Quảng Ninh") and cached_path(
        tmp_path, "thing", [code], "Quảng Ninh")
    assert old.exists()
    assert load_cached(tmp_path, "thing", [code], lambda: 2, variant="Quảng Ninh") == 2
    assert not old.exists(), "the copy made before variants stays"
    assert cached_path(tmp_path, "thing", [code], variant="Quảng Ninh").exists()


def test_a_process_that_finds_another_building_the_copy_waits_and_reads_it(tmp_path):
    """A fresh install starts serve, the CLI and test workers together: one builds, the others read its copy."""
    code = tmp_path / "builder.py"
    code.write_text("RULE = 1\n")
    copy = cached_path(tmp_path, "thing", [code])
    copy.parent.mkdir()
    other = os.open(copy.with_suffix(".lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)  # another process is building
    got: list[object] = []
    waiting = threading.Thread(target=lambda: got.append(load_cached(tmp_path, "thing", [code], _never)))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive() and not got, "it did not wait for the build under way"
    copy.write_bytes(pickle.dumps("built by the other process"))
    os.close(other)  # the other process is done
    waiting.join(60)
    assert got == ["built by the other process"]

"""Round 28's hostile sweep (`hostile31`) on what the operator names: a configuration file that is not one, a
database path that is a folder. docs/SECURITY.md «Round 28 sweep»."""

from __future__ import annotations

import pytest

from store.db import Database
from store.errors import StorageError
from vocab import config
from vocab.config import ConfigError


def test_a_huge_or_endless_configuration_file_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    big = tmp_path / "nhat-ky.toml"
    big.write_text("# một dòng chú thích\n" * 100_000, encoding="utf-8")  # 2.3 MB of valid TOML
    for path in (big, "/dev/zero"):  # /dev/zero was read until MemoryError (8 s, 3 GB)
        with pytest.raises(ConfigError, match="lớn hơn 1 MB, không phải một tệp cấu hình"):
            config.read_toml(path)
    monkeypatch.setenv("LANGNGHE_CONFIG", "/dev/zero")
    with pytest.raises(ConfigError, match="LANGNGHE_CONFIG"):
        config.load()


def test_a_binary_file_named_as_the_configuration_is_said_in_vietnamese(tmp_path):
    exe = tmp_path / "langnghe.toml"
    exe.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)  # was a UnicodeDecodeError traceback
    with pytest.raises(ConfigError, match=r"không phải văn bản UTF-8 \(byte thứ 137 không đọc được\)"):
        config.read_toml(exe)


def test_the_annotated_defaults_still_read():
    assert config.read_toml(config.DEFAULTS_PATH)["storage"]


def test_a_database_path_that_is_a_folder_is_said_in_vietnamese(tmp_path):
    with pytest.raises(StorageError, match="là một thư mục, không phải tệp cơ sở dữ liệu"):
        Database(tmp_path)  # was duckdb's IOException out of every command, a traceback


# --- round 29 (`hostile32`) ---------------------------------------------------------------------------------------

def test_a_configuration_saved_with_a_byte_order_mark_is_read(tmp_path):
    bom = tmp_path / "langnghe.toml"
    bom.write_bytes("\ufeff[storage]\ndb_path = \"var/vp.duckdb\"\n".encode("utf-8"))  # Notepad's «UTF-8»
    assert config.read_toml(bom) == {"storage": {"db_path": "var/vp.duckdb"}}  # was «Invalid statement» at 1:1


@pytest.mark.parametrize("nested", ["x = " + "[" * 100_000 + "]" * 100_000, "x = " + "{a=" * 50_000 + "1" + "}" * 50_000])
def test_a_configuration_nested_past_the_parsers_depth_is_said_in_vietnamese(tmp_path, nested):
    deep = tmp_path / "langnghe.toml"
    deep.write_text(nested + "\n", encoding="utf-8")  # 200 KB, under the 1 MB cap: was a RecursionError traceback
    with pytest.raises(ConfigError, match="lồng nhau quá sâu"):
        config.read_toml(deep)


def test_a_configuration_of_exactly_the_cap_is_read(tmp_path):
    head = '[storage]\ndb_path = "var/vp.duckdb"\n'
    exact = tmp_path / "langnghe.toml"
    exact.write_text(head + "#" * (config.MAX_CONFIG_BYTES - len(head) - 1) + "\n", encoding="ascii")
    assert exact.stat().st_size == config.MAX_CONFIG_BYTES
    assert config.read_toml(exact)["storage"]["db_path"] == "var/vp.duckdb"


@pytest.mark.parametrize("folder", ["/", ".", "./"])
def test_a_database_path_without_a_file_name_is_said_in_vietnamese(monkeypatch, folder):
    monkeypatch.setenv("LANGNGHE_DB", folder)
    cfg = config.load()  # was pathlib's ValueError «has an empty name» (the snapshot beside it), out of every command
    with pytest.raises(StorageError, match="là một thư mục, không phải tệp cơ sở dữ liệu"):
        Database(cfg.storage.db_path)


@pytest.mark.parametrize("name", ["a" * 300 + ".duckdb", "a" * 5000 + "/langnghe.duckdb"])
def test_a_database_path_too_long_for_the_file_system_is_said_in_vietnamese(tmp_path, name):
    with pytest.raises(StorageError, match=r"quá dài \([\d.]+ ký tự; mỗi tên thư mục hoặc tệp tối đa 255 byte\)"):
        Database(tmp_path / name)  # was duckdb's IOException / pathlib's OSError «File name too long», a traceback

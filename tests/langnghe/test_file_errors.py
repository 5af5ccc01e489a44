"""File errors on the command line said in Vietnamese (langnghe/commands/_files.py, vocab.oserrors)."""

from __future__ import annotations

from langnghe.commands._files import open_error, out_dir_error


def test_the_command_lines_file_errors_say_why_in_vietnamese_not_the_oss_english(tmp_path):
    """`langnghe report --out` with a name too long printed «(File name too long)», the OS's strerror; the reason
    is now vocab.oserrors', as reports' own file errors already were (store.db.os_error_reason is the same one)."""
    long = tmp_path / ("a" * 300)
    why = out_dir_error(str(long / "bao-cao")) or ""
    assert "tên tệp hoặc đường dẫn quá dài" in why and "too long" not in why
    try:
        open(long, "rb")
    except OSError as exc:
        said = open_error(str(long), exc)
    assert "quá dài" in said and "too long" not in said
    nested = tmp_path / "tep"
    nested.write_text("x")
    assert "không phải thư mục" in (out_dir_error(str(nested / "con")) or "")


def test_an_import_of_a_device_or_pipe_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    """`langnghe import` of a name that is not a regular file (a link to /dev/zero, a named pipe) read it as a
    file: a .csv stopped at the line limit, a .xlsx read /dev/zero whole (16 GB before the timeout), and a pipe
    waited for a writer forever. It is refused, in Vietnamese, before anything is opened."""
    import os

    from langnghe import cli

    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "t.duckdb"))
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.xlsx")
    for name in ("zero.csv", "pipe.xlsx"):
        for command in (["import"], ["survey", "import"]):
            assert cli.main([*command, str(tmp_path / name), "--preview"]) == 2
            assert "không phải một tệp thường" in capsys.readouterr().err
    for command in (["import"], ["survey", "import"]):  # a name that is not there: the open says why, as ever
        assert cli.main([*command, str(tmp_path / "khong-co.csv"), "--preview"]) == 2
        assert f"không có tệp «{tmp_path / 'khong-co.csv'}»" in capsys.readouterr().err


def test_the_zip_directory_of_an_xlsx_is_looked_for_in_a_bounded_tail():
    """The end-of-directory search read `stream.read()` from near the end: on a stream whose end is unknown
    (seek to the end answers 0, as a character device does) that was the whole endless stream."""
    import io

    import pytest

    from collectors.imports.errors import ImportFormatError
    from collectors.imports.zipcheck import _check_zip_directory

    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return True

        def seek(self, offset: int, whence: int = 0) -> int:
            return 0

        def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
            if len(b) > 1 << 20:
                raise AssertionError("unbounded read")
            b[:] = bytes(len(b))
            return len(b)

        def readall(self) -> bytes:
            raise AssertionError("unbounded read")

    with pytest.raises(ImportFormatError, match="không có mục lục zip"):
        _check_zip_directory(Endless())  # noqa: SLF001


def test_fulltext_refuses_a_limit_below_one_and_fetches_nothing(tmp_path, monkeypatch, capsys):
    """`langnghe fulltext --limit 0` read 0 as "no limit" and fetched [fulltext] max_per_run articles (round 25);
    it is refused as `search --limit 0` is, before the database is opened or anything is fetched."""
    from langnghe import cli

    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "db.duckdb"))
    monkeypatch.setattr("collectors.fulltext.run", lambda *a, **k: (_ for _ in ()).throw(AssertionError("fetched")))
    assert cli.main(["fulltext", "--limit", "0"]) == 2
    assert "--limit phải lớn hơn 0" in capsys.readouterr().err
    assert not (tmp_path / "db.duckdb").exists()

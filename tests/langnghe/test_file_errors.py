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

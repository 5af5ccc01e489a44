"""Round 32's sweep (hostile35), the configuration file (docs/SECURITY.md)."""

from __future__ import annotations

import pytest

from vocab import config as C


@pytest.mark.parametrize("text, line", [
    ("[http]\nmax_redirects = 3\nmax_redirects = 4\n", 3),
    ("[http]\nmax_redirects = 3\n\n[http]\nallow_private_hosts = []\n", 4),  # a block pasted at the end
    ("[[sources]]\nname = \"a\"\nname = \"b\"\n", 3),
])
def test_a_setting_or_table_written_twice_says_so(tmp_path, text, line):
    """The message gave the usual causes (one setting a line, quotes, [table]) and «Cannot overwrite a value» in
    English: the line it named looked right. It says now that the setting or table is already above."""
    p = tmp_path / "o.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(C.ConfigError) as err:
        C.load(p)
    said = str(err.value)
    assert f"ở dòng {line}," in said and "đã có ở phía trên tệp" in said and "gộp vào chỗ đã có" in said


def test_other_toml_errors_keep_their_advice(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text("[http]\nmax_redirects 3\n", encoding="utf-8")
    with pytest.raises(C.ConfigError, match="mỗi thiết lập một dòng dạng `tên = giá trị`") as err:
        C.load(p)
    assert "đã có ở phía trên" not in str(err.value)


def test_a_configuration_with_windows_line_ends_reads(tmp_path):
    p = tmp_path / "o.toml"
    p.write_bytes(b"\xef\xbb\xbf[http]\r\nmax_redirects = 3\r\n")
    assert C.load(p).http.max_redirects == 3

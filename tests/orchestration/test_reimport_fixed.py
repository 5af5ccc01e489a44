"""Re-importing the fixed copy of a file whose first import lost bytes to its sniffed codec (round 23): the stored
rows are repaired, not doubled. Round 22 noticed it: a row without a URL is stored under a hash of its text, and
the fixed text hashes differently."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

import pytest

from collectors import imports as imp
from orchestration import imports as importer
from orchestration import ingest
from tests.conftest import database, make_config

NOW = datetime(2026, 12, 6, 8, 0)
TAIL = ('"Đường hỏng ở Yên Tử","Người dân phản ánh đường hỏng ở phường Yên Tử","{date}"{url}\n'
        '"Nước sạch Uông Bí","Nhiều hộ ở Uông Bí thiếu nước sạch","{date}"{url2}\n')


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: a letter with its tone mark as two characters where the code page
    lacks the toned letter («ờ» is «ơ» + U+0300)."""
    out = b""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258")
    return out


def _file(tail_codec: str, *, with_url: bool, date: str) -> io.BytesIO:
    """A UTF-8 export with a second one appended in `tail_codec` (cp1258: two exports joined, the codec sniffed
    from the head, so the tail's letters are lost); utf-8: the fixed copy."""
    head = "Tiêu đề,Nội dung,Ngày" + (",Link" if with_url else "") + "\n" + "".join(
        f'"Bụi than {i}","Người dân Vàng Danh phản ánh xe chở than {i}","01/12/2026 08:00"'
        + (f',"https://baoquangninh.vn/a{i}"' if with_url else "") + "\n" for i in range(20))
    tail = TAIL.format(date=date, url=',"https://baoquangninh.vn/z"' if with_url else "",
                       url2=',"https://baoquangninh.vn/y"' if with_url else "")
    return io.BytesIO(head.encode() + (_cp1258(tail) if tail_codec == "cp1258" else tail.encode()))


@pytest.mark.parametrize("with_url", [False, True], ids=["no-url", "url"])
@pytest.mark.parametrize("date", ["02/12/2026 09:00", ""], ids=["dated", "undated"])
def test_a_fixed_copy_repairs_the_garbled_rows_instead_of_adding_them_again(tmp_path, monkeypatch, with_url, date):
    monkeypatch.setattr(ingest, "processor", lambda cfg, db: None)  # the rows, not their tagging
    cfg = make_config(tmp_path)
    db = database(cfg.storage.db_path)
    mapping = {"title": "Tiêu đề", "text": "Nội dung", "published_at": "Ngày"} | ({"url": "Link"} if with_url else {})
    settings = imp.settings_for(cfg, "phan-anh.csv")
    try:
        first = importer.import_file(db, cfg, "phan-anh.csv", _file("cp1258", with_url=with_url, date=date), mapping,
                                     settings, NOW)
        again = importer.import_file(db, cfg, "phan-anh.csv", _file("utf-8", with_url=with_url, date=date), mapping,
                                     settings, datetime(2026, 12, 7, 8, 0))
        with db.read() as cur:
            titles = sorted(r[0] for r in cur.execute("SELECT title FROM items").fetchall())
    finally:
        db.close()
    assert first.items_new == 22 and first.notes["replaced_bytes"] == 2
    assert again.items_new == 0 and again.repaired == 2 and not again.notes
    assert len(titles) == 22 and "Đường hỏng ở Yên Tử" in titles and "Nước sạch Uông Bí" in titles
    assert not any("\ufffd" in t for t in titles)

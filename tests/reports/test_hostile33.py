"""Round 30's hostile sweep (`hostile33`) on the report archive's folders (`reports.generate.claim_dir`, round 29): an
archive folder that cannot be made ([reports] archive_dir under a file, a read-only disk) was left by the claim to the
files' writing, whose first step, `write_files`' mkdir, raised the OS's «[Errno 20] Not a directory» out of
archive_weekly: a traceback on Báo cáo, which says ValueErrors. 999 folders of the same second taken made the claim
return one of them, another report's, whose files a failed push then deleted. docs/SECURITY.md «Round 30 sweep»."""

from __future__ import annotations

import pytest

from reports import generate
from tests.conftest import database
from tests.reports.conftest import WEEK, settings


def test_an_archive_under_a_file_is_said_before_the_report_is_made(tmp_path):
    (tmp_path / "tep").write_text("x")
    db = database(tmp_path / "f.duckdb")
    s = settings(archive_dir=str(tmp_path / "tep" / "reports"))
    with pytest.raises(ValueError, match=r"Không tạo được thư mục lưu báo cáo «.*tep/reports/weekly/2026-W47»: "
                                         r"một phần của đường dẫn là tệp, không phải thư mục"):
        generate.archive_weekly(db, s, WEEK, generated_by="a")
    db.close()


def test_a_stamped_folder_taken_by_a_file_a_link_or_a_dangling_link_is_passed_over(tmp_path):
    out = tmp_path / "weekly" / "20261120-090000"
    out.parent.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    out.write_text("x")
    out.with_name(out.name + "-2").symlink_to(tmp_path / "elsewhere")
    out.with_name(out.name + "-3").symlink_to(tmp_path / "nowhere")
    assert generate.claim_dir(out) == out.with_name(out.name + "-4")
    assert not list((tmp_path / "elsewhere").iterdir()) and not (tmp_path / "nowhere").exists()


def test_every_folder_of_the_second_taken_is_said_not_shared(tmp_path):
    out = tmp_path / "weekly" / "20261120-090000"
    out.mkdir(parents=True)
    for n in range(2, 1000):
        out.with_name(f"{out.name}-{n}").mkdir()
    with pytest.raises(generate.ArchiveFolderError, match="đã có 999 thư mục cùng tên trong cùng một giây"):
        generate.claim_dir(out)  # was `out`: another report's folder

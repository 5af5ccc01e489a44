"""Round 30's hostile sweep (`hostile33`) on `labels.md` / `no_links`: a URL or an address followed by a long run of
closing parentheses («https://a.vn/)))…», a survey answer or an exception's text) counted the whole run's «(» and «)»
again at each «)» left out of the code span: 40,000 took 4 s, a word of 1 MB hours, the page's thread held. No time
is measured here: the characters that `str.count` reads are counted (docs/SECURITY.md «Round 30 sweep»)."""

from __future__ import annotations

import re
import types

import pytest

from dashboard import labels
from dashboard.labels import md, no_links


class _Counted(str):
    """A word whose `count` calls (and slices' ones) add the characters they read to `read[0]`."""

    read = [0]

    def __getitem__(self, key):  # type: ignore[override]
        got = str.__getitem__(self, key)
        return _Counted(got) if isinstance(key, slice) else got

    def count(self, sub, start=None, end=None):  # type: ignore[override]
        span = str.__getitem__(self, slice(start, end))
        _Counted.read[0] += len(span)
        return str.count(span, sub)


class _Match:
    def __init__(self, m: re.Match[str]):
        self._m = m

    def group(self) -> str:
        return _Counted(self._m.group())

    def start(self) -> int:
        return self._m.start()


@pytest.fixture
def counted(monkeypatch):
    shim = types.SimpleNamespace(finditer=lambda p, s: (_Match(m) for m in re.finditer(p, s)))
    monkeypatch.setattr(labels, "re", shim)
    _Counted.read[0] = 0
    return _Counted.read


def test_closing_parentheses_after_a_url_are_read_a_bounded_number_of_times(counted):
    word = "https://a.vn/" + ")" * 5_000
    assert labels._linky_runs(word) == [(0, len("https://a.vn/"))]
    assert counted[0] <= 4 * len(word), counted[0]  # the old loop: ≈ 2 × 5,000² / 2 = 25,000,000


def test_the_parentheses_a_url_holds_stay_in_its_code_span():
    assert no_links("(xem https://vi.wikipedia.org/wiki/Hạ_Long_(thành_phố)).") == \
        "(xem `https://vi.wikipedia.org/wiki/Hạ_Long_(thành_phố)`)."
    assert md("a@b.vn)))") == "`a@b.vn`\\)\\)\\)"
    assert no_links("https://a.vn/((x)))") == "`https://a.vn/((x))`)"


def test_a_long_run_of_closing_parentheses_is_drawn_inert():
    text = "https://evil.example/" + ")" * 20_000
    out = md(text)
    assert out.startswith("`https://evil.example/`\\)") and out.count("`") == 2


def test_bao_cao_with_the_archive_under_a_file_says_why_in_vietnamese(tmp_path):
    """Báo cáo's «Tạo báo cáo» with [reports] archive_dir under a file: `claim_dir` left the folder to the files'
    writing, whose mkdir raised «[Errno 20] Not a directory» out of archive_weekly, the page's traceback (the page says
    ValueErrors); now `reports.generate.ArchiveFolderError`, said under the button."""
    from tests.dashboard.conftest import Env, no_exception

    (tmp_path / "tep").write_text("x")
    env = Env(tmp_path, reports={"charts": False, "archive_dir": str(tmp_path / "tep" / "archive")})
    try:
        env.add_users()
        at = env.page("reports", "analyst").run()
        at.button(key="rep_go").click().run(timeout=120)
        no_exception(at)
        errors = [e.value for e in at.error]
        assert any(e.startswith("Không tạo được thư mục lưu báo cáo «") and "một phần của đường dẫn là tệp" in e
                   for e in errors), errors
    finally:
        env.close()

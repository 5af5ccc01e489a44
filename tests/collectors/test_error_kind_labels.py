"""Every fetch error's kind reads in Vietnamese on Nguồn tin («Loại lỗi») and in messages: the kinds are codes kept in
fetch_log, and staff were shown "timeout", "http_status", "blocked_address" as they are stored."""

from __future__ import annotations

from collectors import base, registry, robots  # noqa: F401
from collectors.base import ERROR_KIND_LABELS, FetchError, error_kind_label

RUNNER_KINDS = ("crash", "store", "interrupted")  # collectors/runner.py's own, not FetchError classes


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def test_every_fetch_error_kind_and_the_runners_own_have_a_vietnamese_label():
    # every kind's module imported, so that their own error classes exist: `import collectors` imports none of them,
    # and run alone this test passed a new kind's error class without a label (round 27)
    registry.load_all()
    kinds = {c.kind for c in _subclasses(FetchError)} | set(RUNNER_KINDS)
    assert kinds - set(ERROR_KIND_LABELS) == set()


def test_a_label_reads_vietnamese_and_an_unknown_kind_shows_as_it_is():
    assert error_kind_label("timeout") == "hết thời gian chờ"
    assert error_kind_label("a_new_kind") == "a_new_kind"
    assert error_kind_label(None) == ""

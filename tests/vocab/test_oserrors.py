"""Vietnamese reasons for file errors (vocab.oserrors), where staff meet them."""

from __future__ import annotations

import errno

from vocab.oserrors import os_error_reason, os_error_text


def test_an_unknown_os_error_keeps_the_english_only_as_detail():
    exc = OSError(errno.EIO, "Input/output error")
    assert os_error_reason(exc) is None
    assert os_error_text(exc) == "lỗi của hệ điều hành khi đọc hoặc ghi tệp (chi tiết: Input/output error)"
    assert os_error_reason(ValueError("x")) is None


def test_store_db_names_the_same_reasons():
    from store import db

    assert db.os_error_reason is os_error_reason

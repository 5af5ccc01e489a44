"""A JSON answer nested deeper than Python's recursion limit (`[[[[…` a few hundred kilobytes) raised
RecursionError out of `_social.decode_json`: the source was recorded as a collector crash with a traceback in
the log. It is a DocumentError like any other answer that is not usable JSON."""

from __future__ import annotations

import pytest

from collectors import _social
from collectors.base import DocumentError, Fetched
from vocab.config import DEFAULT_LIMITS


@pytest.mark.parametrize("body", [b"[" * 200_000 + b"]" * 200_000,
                                  b'{"statuses": [' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"]}"],
                         ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_document_error(body):
    fetched = Fetched(url="http://127.0.0.1/api", status=200, headers={"content-type": "application/json"}, body=body)
    with pytest.raises(DocumentError, match="lồng nhau quá sâu"):
        _social.decode_json(fetched, DEFAULT_LIMITS)

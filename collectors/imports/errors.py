"""The two errors an import raises, each with a Vietnamese message staff can act on.

    ImportFormatError ── the file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong
        └─ ImportLimitError ── the file goes over an [imports] cap; the message names the cap and its setting

Both are ValueErrors so callers (the CLI, the Nhập dữ liệu page, survey imports) catch one type and show its text.
"""

from __future__ import annotations


class ImportFormatError(ValueError):
    """The file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong."""


class ImportLimitError(ImportFormatError):
    """The file goes over a size limit; the message (Vietnamese) names the limit and its setting."""

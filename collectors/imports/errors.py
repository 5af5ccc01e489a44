"""The two errors an import raises, each with a Vietnamese message staff can act on.

    ImportFormatError ── the file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong
        └─ ImportLimitError ── the file goes over an [imports] cap; the message names the cap and its setting

Both are ValueErrors so callers (the CLI, the Nhập dữ liệu page, survey imports) catch one type and show its text.
unreadable_xlsx: the one wording of «tệp hỏng» for an XLSX that zipfile or openpyxl cannot read.
"""

from __future__ import annotations


class ImportFormatError(ValueError):
    """The file cannot be read as CSV, JSONL or XLSX, or the mapping is wrong."""


class ImportLimitError(ImportFormatError):
    """The file goes over a size limit; the message (Vietnamese) names the limit and its setting."""


def unreadable_xlsx(why: str) -> ImportFormatError:
    """«tệp hỏng» for an XLSX zipfile or openpyxl cannot read, `why` what failed (an exception's name): written
    once, where the zip check and the reader each wrote it (round 22 review)."""
    return ImportFormatError(f"Không đọc được tệp XLSX: tệp hỏng hoặc không phải XLSX ({why}).")

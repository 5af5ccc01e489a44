"""Why a file named on the command line cannot be opened, in Vietnamese (the OS says it in English).

Not a command (the leading underscore keeps it out of `langnghe/cli.py` discovery).
"""

from __future__ import annotations


def open_error(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"không có tệp «{path}» (kiểm tra tên và thư mục)."
    if isinstance(exc, IsADirectoryError):
        return f"«{path}» là một thư mục, không phải tệp."
    if isinstance(exc, PermissionError):
        return f"không có quyền đọc tệp «{path}»."
    return f"không mở được tệp «{path}» ({exc.strerror or type(exc).__name__})."

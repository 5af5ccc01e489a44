"""Why a file named on the command line cannot be opened, in Vietnamese (the OS says it in English; the reasons
beyond the common three are vocab.oserrors', as for reports and copies).

Not a command (the leading underscore keeps it out of `langnghe/cli.py` discovery).
"""

from __future__ import annotations

from typing import BinaryIO

from vocab.oserrors import os_error_text


class CannotOpen(Exception):
    """Why a file named on the command line cannot be read, in Vietnamese (its str is the message)."""


def open_named(path: str) -> BinaryIO:
    """The file at `path` opened for reading (binary): checked first to be a regular file (`not_a_regular_file`),
    then opened; CannotOpen says why not, for `langnghe import` and `langnghe survey import` alike."""
    if why := not_a_regular_file(path):
        raise CannotOpen(why)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CannotOpen(open_error(path, exc)) from None


def open_error(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"không có tệp «{path}» (kiểm tra tên và thư mục)."
    if isinstance(exc, IsADirectoryError):
        return f"«{path}» là một thư mục, không phải tệp."
    if isinstance(exc, PermissionError):
        return f"không có quyền đọc tệp «{path}»."
    return f"không mở được tệp «{path}»: {os_error_text(exc)}."


def not_a_regular_file(path: str) -> str | None:
    """Why `path` is no file to import, checked before it is opened (opening a named pipe waits for a writer):
    a device or pipe (a link to /dev/zero read as an endless .xlsx; the import reads a file twice, so a pipe
    never worked). None for a regular file, or when the name cannot be looked up (open says why)."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"«{path}» không phải một tệp thường (thiết bị, ống dẫn hay socket); hãy chọn tệp đã xuất."


def out_dir_error(path: str) -> str | None:
    """Create the folder reports are written to; why not, in Vietnamese (was a traceback), else None."""
    from pathlib import Path

    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return f"--out «{path}» là một tệp, không phải thư mục; chọn một thư mục."
    except PermissionError:
        return f"không có quyền ghi vào thư mục «{path}»."
    except OSError as exc:
        return f"không tạo được thư mục «{path}»: {os_error_text(exc)}."
    return None

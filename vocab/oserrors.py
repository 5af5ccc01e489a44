"""Vietnamese reasons for the OS errors staff meet with files (a report written, a copy, a file named on the command
line, the configuration file), with what to do. Why: the OS's own text (`[Errno 36] File name too long`) is English.

In vocab/ so every layer says it alike: the configuration loader (vocab/config.py) included, which may import
nothing above vocab; `store.db.os_error_reason` is this one.
"""

from __future__ import annotations

import errno

FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)
# EFBIG («File too large»): a limit on one file, not a full disk (round 31, `hostile34`)
FILE_TOO_LARGE_HINT = ("Giới hạn này do ổ đĩa (ví dụ ổ định dạng FAT32 chỉ nhận tệp đến 4 GB) hoặc do hệ thống đặt cho "
                       "tài khoản chạy Lắng Nghe (ulimit -f, LimitFSIZE của systemd): hãy dùng ổ đĩa khác hoặc bỏ giới "
                       "hạn đó rồi chạy lại.")


def os_error_reason(exc: BaseException) -> str | None:
    """A short Vietnamese reason, with what to do, for the OS errors staff meet with any file; None for others
    (and for what is not an OSError)."""
    code = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if code in FULL_ERRNOS:
        return "ổ đĩa đã đầy; hãy giải phóng dung lượng rồi chạy lại"
    if code == errno.EFBIG:
        return ("tệp đã tới giới hạn dung lượng một tệp, của ổ đĩa (ổ định dạng FAT32 chỉ nhận tệp đến 4 GB) hoặc của "
                "hệ thống (ulimit -f, LimitFSIZE của systemd); hãy dùng ổ đĩa khác hoặc bỏ giới hạn đó rồi chạy lại")
    if code == errno.EROFS:
        return "ổ đĩa chỉ cho phép đọc; hãy gắn lại ổ đĩa ở chế độ ghi hoặc chọn thư mục khác"
    if code in READ_ONLY_ERRNOS:
        return "không có quyền ghi vào thư mục hoặc tệp này; hãy kiểm tra quyền ghi của tài khoản chạy Lắng Nghe"
    if code == errno.ENAMETOOLONG:
        return "tên tệp hoặc đường dẫn quá dài; hãy chọn thư mục có đường dẫn ngắn hơn"
    if code == errno.ENOENT:
        return "không có tệp hoặc thư mục này; hãy kiểm tra tên và đường dẫn"
    if code == errno.EISDIR:
        return "đây là một thư mục, không phải tệp"
    if code == errno.ENOTDIR:
        return "một phần của đường dẫn là tệp, không phải thư mục; hãy kiểm tra đường dẫn"
    return None


def os_error_text(exc: BaseException) -> str:
    """`os_error_reason`, or for an error it does not know a Vietnamese line with the OS's English text as detail
    only (never the English alone)."""
    reason = os_error_reason(exc)
    if reason:
        return reason
    detail = getattr(exc, "strerror", None) or type(exc).__name__
    return f"lỗi của hệ điều hành khi đọc hoặc ghi tệp (chi tiết: {detail})"

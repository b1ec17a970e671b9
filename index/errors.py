"""Domain errors: each says what went wrong, where, and how to fix it (in Vietnamese, for users)."""

from __future__ import annotations


class PlanqaError(Exception):
    """A domain error shown to users as one line (CLI exit code 1), never as a traceback."""

    def __init__(self, what: str, where: str = "", fix: str = "") -> None:
        self.what, self.where, self.fix = what, where, fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.fix:
            parts.append(f"Cách khắc phục: {self.fix}")
        return ". ".join(p.rstrip(".") for p in parts) + "."


class PlanLoadError(PlanqaError):
    """A plan file cannot be read (missing, empty, binary, not UTF-8, unsupported)."""


class IndexError_(PlanqaError):
    """The index folder is missing, corrupt, or does not match the corpus/configuration."""


class QuestionError(PlanqaError):
    """A question cannot be processed (empty, too long)."""


def os_error_message(exc: OSError) -> str:
    """One line for a failure of the operating system (full disk, read-only filesystem, permissions ...)."""
    import errno

    where = str(exc.filename) if exc.filename else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        what, fix = "đĩa đầy, không ghi được", "giải phóng dung lượng đĩa rồi chạy lại lệnh"
    elif code == errno.EROFS:
        what, fix = (
            "hệ thống tệp chỉ đọc, không ghi được",
            "chọn thư mục ghi được cho --index/--corpus, hoặc gắn lại ổ đĩa ở chế độ ghi",
        )
    elif code in (errno.EACCES, errno.EPERM):
        what, fix = "không có quyền truy cập", "kiểm tra quyền của tệp/thư mục, hoặc chạy bằng người dùng có quyền"
    elif code == errno.ENOENT:
        what, fix = "không tìm thấy tệp hoặc thư mục", "kiểm tra lại đường dẫn"
    elif code == errno.EADDRINUSE:
        what, fix = "cổng mạng đang được dùng", "chọn cổng khác bằng --port"
    else:
        what, fix = f"lỗi hệ thống ({exc.strerror or exc})", "kiểm tra đường dẫn, dung lượng đĩa và quyền rồi thử lại"
    return PlanqaError(what, where, fix).message

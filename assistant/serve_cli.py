"""`planqa serve` (the Gradio chat) and `planqa feedback export`."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

from index.errors import PlanqaError

AUTH_ENV = "PLANQA_AUTH"


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:password' -> (user, password); None when login is off. Never a default password."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or len(password) < 8:
        raise PlanqaError(
            "thông tin đăng nhập không hợp lệ",
            "--auth / PLANQA_AUTH",
            "dùng dạng tên:mật_khẩu, mật khẩu ít nhất 8 ký tự",
        )
    return user, password


def check_port(host: str, port: int) -> None:
    """Refuse a port out of range or already in use, with one line, before anything is loaded."""
    if not 1 <= port <= 65535:
        raise PlanqaError(f"cổng {port} không hợp lệ", "--port", "chọn một cổng từ 1 đến 65535, ví dụ --port 7860")
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        raise PlanqaError(
            f"không nhận ra địa chỉ '{host}'", "--host", "dùng 127.0.0.1 (chỉ máy này) hoặc 0.0.0.0"
        ) from None
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PlanqaError(
                    f"cổng {port} đang được chương trình khác dùng",
                    f"{host}:{port}",
                    f"chọn cổng khác, ví dụ --port {port + 1 if port < 65535 else 7860}, "
                    "hoặc dừng chương trình đang dùng cổng này",
                ) from None
            raise PlanqaError(
                f"không mở được {host}:{port} ({exc.strerror})",
                "--host/--port",
                "kiểm tra --host (ví dụ 127.0.0.1) và --port",
            ) from None


def cmd_serve(args: argparse.Namespace) -> int:
    auth = parse_auth(args.auth or os.environ.get(AUTH_ENV))
    check_port(args.host, args.port)  # before the slow imports
    from .answer import Assistant
    from .ui import UIConfig, launch

    assistant = Assistant.load(Path(args.index), Path(args.corpus) if Path(args.corpus).is_dir() else None)
    sys.stdout.write(
        f"planqa: mở http://{args.host}:{args.port} trên trình duyệt"
        f"{' (cần đăng nhập)' if auth else ''}. Nhấn Ctrl+C để dừng.\n"
    )
    cfg = UIConfig(
        feedback_db=args.feedback_db,
        corpus_dir=args.corpus,
        index_dir=args.index,
        cache_dir=args.cache,
        max_upload_mb=args.max_upload_mb,
    )
    launch(assistant, args.host, args.port, auth, share=args.share, cfg=cfg)
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from .feedback import FeedbackStore

    db = Path(args.feedback_db)
    if not db.exists():
        raise PlanqaError("chưa có góp ý nào", str(db), "dùng nút đánh giá trong giao diện hỏi đáp trước")
    n = FeedbackStore(db).export_csv(Path(args.out))
    sys.stdout.write(f"Đã xuất {n} góp ý ra {args.out}.\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .cli import _common

    p = sub.add_parser("serve", help="mở giao diện hỏi đáp (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định chỉ máy này)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help=f"bật đăng nhập: tên:mật_khẩu (hoặc biến {AUTH_ENV})")
    p.add_argument("--share", action="store_true", help="tạo liên kết công khai của Gradio (mặc định tắt)")
    p.add_argument("--feedback-db", default="artifacts/feedback.sqlite")
    p.add_argument("--max-upload-mb", type=int, default=20, help="giới hạn dung lượng tệp tải lên, MB (mặc định 20)")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_serve)
    f = sub.add_parser("feedback", help="góp ý của người dùng")
    fsub = f.add_subparsers(dest="feedback_command", required=True)
    e = fsub.add_parser("export", help="xuất góp ý ra CSV")
    e.add_argument("--out", default="feedback.csv")
    e.add_argument("--feedback-db", default="artifacts/feedback.sqlite")
    e.set_defaults(func=cmd_feedback_export)

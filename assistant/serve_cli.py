"""`planqa serve` (the Gradio chat, in one process or over `--replicas N`), `planqa bench-serve` (throughput of
concurrent questions with 1, 2 ... replicas) and `planqa feedback export`. Ray is imported only with replicas."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import signal
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from index.errors import PlanqaError

AUTH_ENV = "PLANQA_AUTH"
log = logging.getLogger(__name__)


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


def _corpus_or_none(corpus: str) -> str | None:
    return corpus if Path(corpus).is_dir() else None


def cmd_serve(args: argparse.Namespace) -> int:
    auth = parse_auth(args.auth or os.environ.get(AUTH_ENV))
    if args.replicas is not None:
        from .replicas import check_replicas

        check_replicas(args.replicas)
    check_port(args.host, args.port)  # before the slow imports
    from .answer import Assistant
    from .ui import UIConfig, launch

    corpus = _corpus_or_none(args.corpus)
    # with replicas, this process only lists plans and shows sources: its embedder is loaded if ever needed
    assistant = Assistant.load(
        Path(args.index), Path(corpus) if corpus else None, search=args.search, warm=args.replicas is None
    )
    cfg = UIConfig(
        feedback_db=args.feedback_db,
        corpus_dir=args.corpus,
        index_dir=args.index,
        cache_dir=args.cache,
        max_upload_mb=args.max_upload_mb,
    )
    if args.replicas is None:
        _say_open(args.host, args.port, auth, "")
        launch(assistant, args.host, args.port, auth, share=args.share, cfg=cfg)
        return 0
    from .replicas import ReplicaConfig, start_replicas, stop_replicas

    try:
        pool = start_replicas(ReplicaConfig(args.replicas, args.index, corpus))
        signal.signal(signal.SIGTERM, _interrupt)  # after Ray's own handler: `kill` stops as Ctrl+C does
        _say_open(args.host, args.port, auth, f", {args.replicas} bản sao trả lời song song")
        launch(
            assistant,
            args.host,
            args.port,
            auth,
            share=args.share,
            cfg=replace(cfg, answer_slots=args.replicas),
            answerer=pool.ask,
        )
    finally:  # Ctrl+C ends launch(); the replicas and the local Ray instance go with it
        stop_replicas()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _say_open(host: str, port: int, auth: tuple[str, str] | None, extra: str) -> None:
    sys.stdout.write(
        f"planqa: mở http://{host}:{port} trên trình duyệt{' (cần đăng nhập)' if auth else ''}{extra}. "
        "Nhấn Ctrl+C để dừng.\n"
    )
    sys.stdout.flush()


# ---- bench-serve: throughput of concurrent questions over 1, 2 ... replicas --------------------------------------


WARM_QUESTION = "Cơ quan nào chủ trì?"


def _questions(path: Path, limit: int) -> list[str]:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [d["question"] for d in lines][:limit]


def _same(a: dict, b: dict) -> bool:
    """Answers equal in every byte of their JSON but the time they took."""
    return {**a, "latency_ms": 0} == {**b, "latency_ms": 0}


def _run(ask, questions: list[str], concurrency: int) -> tuple[float, list[float], list[dict]]:
    """Wall time, per-question latencies (ms, seen by the caller) and answers of all questions, `concurrency` at
    a time."""

    def one(q: str) -> tuple[float, dict]:
        t0 = time.perf_counter()
        ans = ask(q, None, None, None)
        return (time.perf_counter() - t0) * 1000, ans.to_json()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, questions))
    return time.perf_counter() - t0, [r[0] for r in results], [r[1] for r in results]


def _row(label: str, wall: float, lat: list[float], answers: list[dict], want: list[dict], extra: str = "") -> str:
    lat = sorted(lat)
    same = sum(_same(a, b) for a, b in zip(answers, want))
    return (
        f"{label:<22} {len(answers) / wall:7.1f} câu/s   p50 {statistics.median(lat):7.1f} ms   "
        f"p95 {lat[int(0.95 * (len(lat) - 1))]:7.1f} ms   giống một tiến trình {same}/{len(want)}{extra}"
    )


def _bench_replicas(n: int, index: str, corpus: str | None, questions: list[str], want: list[dict], conc: int) -> float:
    """One measure over n fresh replicas: prints its row, returns answers per second."""
    from .replicas import ReplicaConfig, start_replicas, stop_replicas

    try:
        pool = start_replicas(ReplicaConfig(n, index, corpus))
        _run(pool.ask, [WARM_QUESTION] * 2 * n, n)  # the first call of every replica, outside the measure
        pool.served.clear()
        wall, lat, got = _run(pool.ask, questions, conc)
        served = " / ".join(str(c) for _, c in sorted(pool.served.items()))
        sys.stdout.write(_row(f"{n} bản sao", wall, lat, got, want, f"   mỗi bản sao: {served}") + "\n")
        sys.stdout.flush()
        return len(questions) / wall
    finally:
        stop_replicas()


def cmd_bench_serve(args: argparse.Namespace) -> int:
    from .answer import Assistant
    from .replicas import check_replicas

    counts = [int(x) for x in args.replicas.split(",") if x.strip()]
    for n in counts:
        check_replicas(n)
    questions = _questions(Path(args.questions), args.limit)
    corpus = _corpus_or_none(args.corpus)
    local = Assistant.load(Path(args.index), Path(corpus) if corpus else None, search=args.search)
    local_ask = lambda q, plan, province, previous: local.ask(q, plan=plan, province=province, previous=previous)
    _run(local_ask, [WARM_QUESTION], 1)
    wall, lat, want = _run(local_ask, questions, 1)  # the reference answers, and the single process's speed
    sys.stdout.write(f"{len(questions)} câu hỏi, {args.concurrency} câu cùng lúc, {os.cpu_count()} CPU\n")
    sys.stdout.write(_row("một tiến trình (tuần tự)", wall, lat, want, want) + "\n")
    rates: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(args.rounds):  # configurations interleaved, so that a busy minute weighs on each alike
        for n in counts:
            rates[n].append(_bench_replicas(n, args.index, corpus, questions, want, args.concurrency))
    summary = ", ".join(f"{n} bản sao {statistics.median(r):.1f} câu/s" for n, r in rates.items())
    sys.stdout.write(f"trung vị qua {args.rounds} lượt: {summary}\n")
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
    p.add_argument(
        "--replicas",
        type=int,
        default=None,
        metavar="N",
        help="trả lời bằng N bản sao song song trên Ray Serve (cần pip install -e '.[scale]'); mặc định một tiến trình",
    )
    _common(p, corpus=True)
    p.set_defaults(func=cmd_serve)
    b = sub.add_parser("bench-serve", help="đo số câu trả lời mỗi giây khi hỏi đồng thời, với 1, 2 ... bản sao")
    b.add_argument("--replicas", default="1,2", help="số bản sao cần đo, cách nhau bởi dấu phẩy (mặc định 1,2)")
    b.add_argument("--concurrency", type=int, default=4, help="số câu hỏi gửi cùng lúc (mặc định 4)")
    b.add_argument("--questions", default="eval/questions.jsonl", help="tệp JSONL có trường question")
    b.add_argument("--limit", type=int, default=1000, help="dùng tối đa bấy nhiêu câu hỏi đầu tệp")
    b.add_argument("--rounds", type=int, default=1, help="số lượt đo xen kẽ các cấu hình (mặc định 1)")
    _common(b, corpus=True)
    b.set_defaults(func=cmd_bench_serve)
    f = sub.add_parser("feedback", help="góp ý của người dùng")
    fsub = f.add_subparsers(dest="feedback_command", required=True)
    e = fsub.add_parser("export", help="xuất góp ý ra CSV")
    e.add_argument("--out", default="feedback.csv")
    e.add_argument("--feedback-db", default="artifacts/feedback.sqlite")
    e.set_defaults(func=cmd_feedback_export)

"""`planqa index build|add|remove|info`: build and maintain the index folder."""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import sys
import time
from pathlib import Path

from index.errors import PlanLoadError, PlanqaError
from index.load import SUPPORTED_SUFFIXES, load_plan
from index.parse import corpus_files
from index.store import build_index, read_manifest

log = logging.getLogger(__name__)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _summary(manifest: dict, seconds: float) -> str:
    c = manifest["counts"]
    return (f"Đã xây chỉ mục: {c['plans']} văn bản, {c['sections']} mục, {c['task_rows']} dòng nhiệm vụ, "
            f"{c['chunks']} đoạn ({c['embedded']} đoạn nhúng mới, {c['embedded_from_cache']} lấy từ bộ nhớ đệm) "
            f"trong {seconds:.1f} giây [{manifest['vector_index']['type']}].")


def cmd_build(args: argparse.Namespace) -> int:
    t = time.perf_counter()
    manifest = build_index(Path(args.corpus), Path(args.index), progress=not args.quiet)
    _say(_summary(manifest, time.perf_counter() - t))
    return 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cmd_add(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    existing = {_digest(p): p for p in corpus_files(corpus)} if corpus.is_dir() else {}
    added = []
    for name in args.files:
        src = Path(name)
        if src.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise PlanLoadError(f"định dạng '{src.suffix}' chưa được hỗ trợ", str(src), "dùng tệp văn bản UTF-8 (.txt)")
        load_plan(src)  # validates: raises a clear error before anything is copied
        digest = _digest(src)
        if digest in existing:
            _say(f"Bỏ qua {src.name}: trùng nội dung với văn bản đã có '{existing[digest].stem}'.")
            continue
        dest = corpus / src.name
        if dest.resolve() != src.resolve():
            shutil.copyfile(src, dest)
        existing[digest] = dest
        added.append(dest)
    if not added:
        _say("Không có văn bản mới; chỉ mục giữ nguyên.")
        return 0
    try:
        return cmd_build(args)
    except BaseException:
        for p in added:  # leave the corpus as it was
            if p.resolve() not in {Path(f).resolve() for f in args.files}:
                p.unlink(missing_ok=True)
        raise


def cmd_remove(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    matches = [p for p in corpus_files(corpus) if p.stem == args.doc]
    if not matches:
        choices = ", ".join(p.stem for p in corpus_files(corpus))
        raise PlanqaError(f"không có văn bản '{args.doc}'", str(corpus), f"chọn một trong: {choices}")
    backup = matches[0].read_bytes()
    matches[0].unlink()
    try:
        return cmd_build(args)
    except BaseException:
        matches[0].write_bytes(backup)
        raise


def cmd_info(args: argparse.Namespace) -> int:
    manifest = read_manifest(Path(args.index))
    if args.check:  # integrity and freshness against the corpus: exit 1 with the reason when stale or corrupt
        from index.store import verify_index
        verify_index(Path(args.index), manifest, Path(args.corpus))
    if args.json:
        _say(json.dumps(manifest, ensure_ascii=False, indent=2))
        return 0
    c = manifest["counts"]
    _say(f"Chỉ mục: {args.index}")
    _say(f"  văn bản: {c['plans']} | mục: {c['sections']} | dòng nhiệm vụ: {c['task_rows']} | đoạn: {c['chunks']}")
    _say(f"  bộ nhúng: {manifest['embedder']['id']} ({manifest['embedder']['dim']} chiều)")
    _say(f"  chỉ mục vector: {manifest['vector_index']['type']} | thời gian xây: {manifest['build_seconds']} giây")
    for name in sorted(manifest["corpus"]):
        _say(f"  - {name}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .cli import _common
    p = sub.add_parser("index", help="xây và quản lý chỉ mục")
    isub = p.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser("build", help="xây lại chỉ mục từ thư mục văn bản")
    a = isub.add_parser("add", help="thêm văn bản vào kho và cập nhật chỉ mục")
    a.add_argument("files", nargs="+", help="tệp kế hoạch (.txt)")
    r = isub.add_parser("remove", help="gỡ một văn bản khỏi kho và chỉ mục")
    r.add_argument("doc", help="mã văn bản (tên tệp không đuôi)")
    i = isub.add_parser("info", help="xem manifest của chỉ mục")
    i.add_argument("--json", action="store_true")
    i.add_argument("--check", action="store_true", help="kiểm tra chỉ mục còn khớp với văn bản, không hỏng")
    for q, fn in ((b, cmd_build), (a, cmd_add), (r, cmd_remove)):
        _common(q, corpus=True)
        q.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
        q.set_defaults(func=fn)
    _common(i, corpus=True)
    i.set_defaults(func=cmd_info)


def cmd_bench(args: argparse.Namespace) -> int:
    from index.bench import run, table
    rows = run(Path(args.index), Path(args.corpus), Path(args.questions), cold=not args.no_cold, scale=args.scale)
    _say(table(rows))
    return 0


def register_bench(sub: argparse._SubParsersAction) -> None:
    from .cli import _common
    p = sub.add_parser("bench", help="đo thời gian xây chỉ mục, độ trễ truy vấn, quy mô 100.000 đoạn")
    p.add_argument("--questions", default="eval/questions.jsonl", help="câu hỏi dùng để đo độ trễ")
    p.add_argument("--no-cold", action="store_true", help="bỏ qua lần xây không có bộ nhớ đệm (~2 phút)")
    p.add_argument("--scale", type=int, default=100_000, help="số đoạn của lần đo quy mô (0 để bỏ qua)")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_bench)

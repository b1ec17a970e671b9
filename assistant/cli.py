"""`planqa` command line. Exit codes: 0 ok, 1 domain error (one line on stderr), 2 usage error."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from index.errors import PlanqaError, os_error_message

log = logging.getLogger("planqa")
DEFAULT_INDEX = "artifacts/index"
DEFAULT_CORPUS = "corpus"
INDEX_HELP = "thư mục chỉ mục (mặc định: artifacts/index hoặc biến PLANQA_INDEX)"
CORPUS_HELP = "thư mục văn bản (mặc định: corpus)"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _common(p: argparse.ArgumentParser, corpus: bool = False) -> None:
    """--index (and --corpus) after the subcommand; the same options are also accepted before it."""
    p.add_argument("--index", default=None, help=INDEX_HELP)
    if corpus:
        p.add_argument("--corpus", default=None, help=CORPUS_HELP)


def _resolve(args: argparse.Namespace) -> None:
    """Fill --index/--corpus: after the subcommand, else before it, else PLANQA_INDEX / the defaults; read the
    other environment variables here, at the entry point (PLANQA_CACHE, PLANQA_FAULT)."""
    if hasattr(args, "index"):
        args.index = args.index or args.global_index or os.environ.get("PLANQA_INDEX") or DEFAULT_INDEX
    if hasattr(args, "corpus"):
        args.corpus = args.corpus or args.global_corpus or DEFAULT_CORPUS
    args.cache = os.environ.get("PLANQA_CACHE") or None
    from index.search import SearchConfig

    # a sharded index searched by Ray actors on a cluster (index/shardactors.py); unset: threads of this process
    args.search = SearchConfig(ray_address=os.environ.get("PLANQA_RAY_ADDRESS", ""))
    from index.faults import FAULT_ENV, install

    install(os.environ.get(FAULT_ENV))


# ---- inspect -------------------------------------------------------------------------------------------


def cmd_inspect(args: argparse.Namespace) -> int:
    from index.metadata import load_sidecar
    from index.parse import SIDECAR, corpus_files, parse_plan

    corpus = Path(args.corpus)
    path = Path(args.doc)
    if not path.exists():
        matches = [p for p in corpus_files(corpus) if p.stem == args.doc]
        if not matches:
            choices = ", ".join(p.stem for p in corpus_files(corpus))
            raise PlanqaError(f"không có văn bản '{args.doc}'", str(corpus), f"chọn một trong: {choices}")
        path = matches[0]
    plan = parse_plan(path, load_sidecar(path.parent / SIDECAR))
    data = {
        "doc": plan.doc_id,
        "metadata": asdict(plan.meta),
        "citation_title": plan.meta.citation_title(),
        "sections": [
            {"path": s.path_str, "kind": s.kind, "chars": sum(len(plan.doc.blocks[i].text) for i in s.blocks)}
            for s in plan.sections
        ],
        "task_rows": [
            dict(section=r.section_path, **{k: v for k, v in asdict(r).items() if k != "doc_id"}) for r in plan.rows
        ],
    }
    checks = _verified_checks(plan)
    if checks is not None:
        data["verified"] = [{"field": c.field, "expected": c.expected, "parsed": c.got, "ok": c.ok} for c in checks]
    if args.json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _out(f"Văn bản: {data['citation_title']}  [{plan.doc_id}]")
    for k, v in data["metadata"].items():
        if k != "doc_id" and v:
            _out(f"  {k}: {v}")
    _out(f"\nCấu trúc ({len(plan.sections)} mục):")
    for s in plan.sections:
        if s.kind != "row":
            _out("  " * len(s.path) + s.title)
    _out(f"\nNhiệm vụ trong phụ lục ({len(plan.rows)} dòng):")
    for r in plan.rows:
        flag = "  [!] " + "; ".join(r.ambiguous) if r.ambiguous else ""
        _out(
            f"  {r.section_path}: {r.name}\n      chủ trì: {r.lead or '—'} | phối hợp: {r.coordinate or '—'} | "
            f"thời gian: {r.time or '—'}" + (f" | kinh phí: {dict(r.budget)}" if r.budget else "") + flag
        )
    if checks is not None:
        right = sum(c.ok for c in checks)
        _out(f"\nĐối chiếu với dữ kiện đã kiểm tra bằng tay (eval/documents.jsonl): {right}/{len(checks)} khớp")
        for c in checks:
            if not c.ok:
                _out(f"  [khác] {c.field}: cần '{c.expected}', đọc được '{c.got}'")
    return 0


def _verified_checks(plan) -> list | None:
    """The document's parse against the facts a person verified in it, when eval/documents.jsonl lists it."""
    from eval.docfacts import check, load_facts

    facts = next((f for f in load_facts() if f["doc"] == plan.doc_id), None)
    return None if facts is None else check(plan, facts)


# ---- entry point ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planqa", description="Hỏi đáp kế hoạch kinh tế tuần hoàn, sản xuất bền vững."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
    parser.add_argument("--index", dest="global_index", default=None, help=INDEX_HELP)
    parser.add_argument("--corpus", dest="global_corpus", default=None, help=CORPUS_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("inspect", help="xem cấu trúc đã phân tích của một văn bản")
    p.add_argument("doc", help="mã văn bản (tên tệp không đuôi) hoặc đường dẫn tệp")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_inspect)
    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    from eval import cli as eval_cli  # the CLI is the one place that wires the evaluation kit in

    from . import ask_cli, index_cli, serve_cli

    return [index_cli.register, ask_cli.register, eval_cli.register, index_cli.register_bench, serve_cli.register]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    logging.getLogger("pypdf").setLevel(logging.INFO if args.verbose else logging.CRITICAL)  # we report bad PDFs
    _resolve(args)
    try:
        if hasattr(args, "index"):
            from index.txn import try_recover

            try_recover(Path(args.index))  # finish or undo a change a crash interrupted, remove its leftovers
        return int(args.func(args) or 0)
    except PlanqaError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return 1
    except OSError as exc:  # full disk, read-only filesystem, permissions: one line, never a traceback
        if isinstance(exc, BrokenPipeError):
            sys.stderr.close()
            return 0
        if args.verbose:
            log.exception("operating system error")
        sys.stderr.write(f"Lỗi: {os_error_message(exc)}\n")
        return 1
    except MemoryError:
        sys.stderr.write("Lỗi: không đủ bộ nhớ. Cách khắc phục: đóng bớt chương trình khác hoặc dùng tệp nhỏ hơn.\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng.\n")
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback with -v
        if args.verbose:
            log.exception("unexpected error")
        detail = " ".join(str(exc).split())[:200]
        sys.stderr.write(
            f"Lỗi: lỗi không mong đợi ({type(exc).__name__}: {detail}). Cách khắc phục: chạy lại "
            "với planqa -v ... để xem chi tiết và báo cho nhóm phát triển.\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())

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

from index.errors import PlanqaError

log = logging.getLogger("planqa")
DEFAULT_INDEX = "artifacts/index"
DEFAULT_CORPUS = "corpus"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _common(p: argparse.ArgumentParser, corpus: bool = False) -> None:
    p.add_argument("--index", default=os.environ.get("PLANQA_INDEX", DEFAULT_INDEX),
                   help="thư mục chỉ mục (mặc định: artifacts/index hoặc biến PLANQA_INDEX)")
    if corpus:
        p.add_argument("--corpus", default=DEFAULT_CORPUS, help="thư mục văn bản (mặc định: corpus)")


# ---- inspect -------------------------------------------------------------------------------------------

def cmd_inspect(args: argparse.Namespace) -> int:
    from index.parse import SIDECAR, corpus_files, parse_plan
    from index.metadata import load_sidecar
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
        "sections": [{"path": s.path_str, "kind": s.kind, "chars": sum(len(plan.doc.blocks[i].text) for i in s.blocks)}
                     for s in plan.sections],
        "task_rows": [dict(section=r.section_path, **{k: v for k, v in asdict(r).items() if k != "doc_id"})
                      for r in plan.rows],
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
        _out(f"  {r.section_path}: {r.name}\n      chủ trì: {r.lead or '—'} | phối hợp: {r.coordinate or '—'} | "
             f"thời gian: {r.time or '—'}" + (f" | kinh phí: {dict(r.budget)}" if r.budget else "") + flag)
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
    parser = argparse.ArgumentParser(prog="planqa", description="Hỏi đáp kế hoạch kinh tế tuần hoàn, sản xuất bền vững.")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi log chi tiết")
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
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    logging.getLogger("pypdf").setLevel(logging.INFO if args.verbose else logging.CRITICAL)  # we report bad PDFs
    try:
        return int(args.func(args) or 0)
    except PlanqaError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return 1
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())

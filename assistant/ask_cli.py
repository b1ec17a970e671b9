"""`planqa ask`: one question (human or --json output), or --jsonl batches on stdin/stdout."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.errors import QuestionError

from .answer import Answer, Assistant


def _load(args: argparse.Namespace) -> Assistant:
    return Assistant.load(Path(args.index), Path(args.corpus) if Path(args.corpus).is_dir() else None)


def format_human(ans: Answer) -> str:
    lines = [ans.answer]
    if ans.citations:
        lines.append("\nNguồn:")
        for n, c in enumerate(ans.citations, 1):
            lines.append(f"[{n}] {c.plan} — {c.section}\n    “{c.quote}”")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _batch(args)
    if not args.question:
        raise QuestionError("thiếu câu hỏi", "planqa ask", 'viết câu hỏi trong ngoặc kép: planqa ask "Ai chủ trì ...?"')
    assistant = _load(args)
    ans = assistant.ask(args.question, plan=args.plan, province=args.province)
    sys.stdout.write((json.dumps(ans.to_json(), ensure_ascii=False) if args.json else format_human(ans)) + "\n")
    return 0


def _batch(args: argparse.Namespace) -> int:
    assistant = _load(args)
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or "question" not in item:
                raise ValueError("thiếu trường 'question'")
        except ValueError as exc:
            out = {"id": None, "error": f"dòng {n}: JSON không hợp lệ ({exc})"}
        else:
            qid = str(item.get("id", n))
            try:
                out = assistant.ask(str(item["question"]), plan=item.get("plan") or args.plan,
                                    province=item.get("province") or args.province, qid=qid).to_json()
            except QuestionError as exc:
                out = Answer(qid, str(item["question"]), exc.message, True).to_json()
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from .cli import _common
    p = sub.add_parser("ask", help="hỏi một câu (hoặc --jsonl: nhiều câu qua stdin)")
    p.add_argument("question", nargs="?", help="câu hỏi, trong ngoặc kép")
    p.add_argument("--json", action="store_true", help="in câu trả lời dạng JSON")
    p.add_argument("--jsonl", action="store_true", help='đọc {"id":..., "question":...} từng dòng từ stdin')
    p.add_argument("--plan", help="chỉ tìm trong văn bản này (mã văn bản)")
    p.add_argument("--province", help="chỉ tìm trong văn bản của tỉnh này")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_ask)

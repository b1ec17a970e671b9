"""`planqa ask`: one question (human or --json output), or --jsonl batches on stdin/stdout."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from index.errors import QuestionError

from .answer import Answer, Assistant

log = logging.getLogger(__name__)


def _load(args: argparse.Namespace) -> Assistant:
    return Assistant.load(
        Path(args.index), Path(args.corpus) if Path(args.corpus).is_dir() else None, search=args.search
    )


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
    if not _valid_unicode(args.question):
        raise QuestionError("câu hỏi có byte không phải UTF-8", "planqa ask", "gõ lại câu hỏi bằng bảng mã UTF-8")
    assistant = _load(args)
    ans = assistant.ask(args.question, plan=args.plan, province=args.province)
    sys.stdout.write((json.dumps(ans.to_json(), ensure_ascii=False) if args.json else format_human(ans)) + "\n")
    return 0


def _batch(args: argparse.Namespace) -> int:
    """One output line per non-blank input line, in order: the answer JSON, or {"id", "error"} for that line
    alone (bad JSON or UTF-8, a field of the wrong type). Ids are returned exactly as given (any JSON type)."""
    assistant = _load(args)
    for n, raw in enumerate(sys.stdin.buffer, 1):
        if not raw.strip():
            continue
        out = _answer_line(assistant, args, n, raw)
        line = json.dumps(out, ensure_ascii=False)
        if not _valid_unicode(line):  # an id holding a lone surrogate: keep it, escaped
            line = json.dumps(out)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return 0


class LineError(ValueError):
    """One batch line cannot be answered; `qid` is its id when it could be read."""

    def __init__(self, message: str, qid: Any = None) -> None:
        super().__init__(message)
        self.qid = qid


def _answer_line(assistant: Assistant, args: argparse.Namespace, n: int, raw: bytes) -> dict:
    qid = None
    try:
        item = _parse_line(raw)
        qid = item.get("id")
        question, plan, province = _fields(item, args)
        try:
            out = assistant.ask(question, plan=plan, province=province).to_json()
        except QuestionError as exc:
            out = Answer("", question, exc.message, True).to_json()
        out["id"] = qid
        return out
    except LineError as exc:
        return {"id": exc.qid if exc.qid is not None else qid, "error": f"dòng {n}: {exc}"}
    except Exception as exc:  # a bug must not stop the batch: this line gets an error, the rest are answered
        log.exception("line %d failed", n)
        return {"id": qid, "error": f"dòng {n}: lỗi không mong đợi ({type(exc).__name__})"}


def _parse_line(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"không phải UTF-8 hợp lệ (byte lỗi ở vị trí {exc.start})", _id_of(raw)) from None
    try:
        item = json.loads(text)
    except ValueError as exc:
        raise LineError(f"JSON không hợp lệ ({exc})") from None
    if not isinstance(item, dict):
        raise LineError('mỗi dòng phải là một đối tượng JSON {"id": ..., "question": ...}')
    return item


def _id_of(raw: bytes) -> Any:
    """The id of a line that is not valid UTF-8, when the rest of it is readable JSON."""
    try:
        item = json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return None
    return item.get("id") if isinstance(item, dict) else None


def _fields(item: dict, args: argparse.Namespace) -> tuple[str, str | None, str | None]:
    """question, plan, province of a line, each checked: a string of valid Unicode (no lone surrogates)."""
    qid = item.get("id")
    if "question" not in item or item["question"] is None:
        raise LineError("thiếu câu hỏi (trường 'question')", qid)
    values = {}
    for key in ("question", "plan", "province"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise LineError(f"trường '{key}' phải là chuỗi, không phải {_json_type(value)}", qid)
        if isinstance(value, str) and not _valid_unicode(value):
            raise LineError(f"trường '{key}' chứa ký tự Unicode không hợp lệ (surrogate đơn lẻ)", qid)
        values[key] = value
    return values["question"], values["plan"] or args.plan, values["province"] or args.province


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_type(value: Any) -> str:
    return {bool: "true/false", int: "số", float: "số", list: "mảng", dict: "đối tượng"}.get(
        type(value), "giá trị khác"
    )


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

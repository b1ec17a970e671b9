"""The evaluation question set (JSONL): loading, validation, and locating each evidence quote in its plan."""

from __future__ import annotations

import json
import re
from pathlib import Path

from index.errors import PlanqaError
from index.parse import ParsedPlan
from index.text import collapse_ws, nfc

TYPES = ("lead", "coordinate", "time", "target", "duty", "budget", "fact", "cross-plan", "unanswerable")
STYLES = ("formal", "informal", "no_diacritics")
REQUIRED = ("id", "question", "type", "style", "gold_answers", "must_all", "gold_docs", "gold_section", "evidence")


def question_files(path: Path) -> list[Path]:
    """A question file, or every *.jsonl of a folder (sorted)."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise PlanqaError("thư mục không có tệp câu hỏi .jsonl", str(path), "chỉ định tệp hoặc thư mục chứa .jsonl")
        return files
    if not path.exists():
        raise PlanqaError("không tìm thấy tệp câu hỏi", str(path), "chỉ định tệp bằng --questions FILE")
    return [path]


def load_questions(path: Path) -> list[dict]:
    """Read and validate a question file (or a folder of them); errors name the file, line and field."""
    out: list[dict] = []
    seen: set[str] = set()
    for f in question_files(path):
        out += _load_file(f, seen)
    return out


def _load_file(path: Path, seen: set[str]) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PlanqaError(f"dòng {n} không phải JSON ({exc.msg})", str(path), "sửa dòng đó") from None
        missing = [f for f in ("id", "question") if f not in q]
        if missing:
            raise PlanqaError(f"dòng {n} thiếu trường {missing}", str(path), "bổ sung các trường bắt buộc")
        if q["id"] in seen:
            raise PlanqaError(f"dòng {n}: trùng id '{q['id']}'", str(path), "đặt id khác")
        seen.add(q["id"])
        q.setdefault("type", "general")
        q.setdefault("style", "formal")
        for f in ("gold_answers", "must_all", "gold_docs"):
            q.setdefault(f, [])
        # must_all is a list of groups, each a list of alternatives; a bare string is a group of one (iterated as
        # it stands, "Tư pháp" would be a group of single characters)
        q["must_all"] = [[g] if isinstance(g, str) else list(g) for g in q["must_all"]]
        q.setdefault("gold_section", "")
        q.setdefault("evidence", "")
        out.append(q)
    return out


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Span of a whitespace-collapsed quote inside a text that may break lines where the quote has spaces."""
    words = collapse_ws(nfc(quote)).split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def section_of(plan: ParsedPlan, pos: int) -> str:
    """Heading path of the section that holds character `pos` (the deepest: task rows over their appendix)."""
    best = ""
    for s in plan.sections:
        for i in s.blocks:
            b = plan.doc.blocks[i]
            if b.start <= pos < b.end + 1 and (s.kind == "row" or not best):
                best = s.path_str
    return best

"""Chunks: section-bounded spans of the normalized text (never across two sections), plus one chunk per task row.

Each chunk keeps its char span, so its text is verbatim and quotable; `embed_text` adds the plan and heading
path (and, for task rows, labelled fields) for the embedder and the lexical index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parse import ParsedPlan
from .sections import Section
from .tasks import TaskRow

_SENTENCE_BREAK = re.compile(r"(?<=[.;:])\s+(?=[-–+A-ZĐÀ-Ỹ(“\"])")


@dataclass(frozen=True)
class ChunkConfig:
    max_chars: int = 900
    min_chars: int = 200


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # doc_id#section path#n
    doc_id: str
    section: str
    start: int
    end: int
    text: str
    embed_text: str
    kind: str = "text"  # "text" | "row"
    row_id: str = ""


def _pieces(text: str, offset: int, max_chars: int) -> list[tuple[int, int]]:
    """Split one long paragraph at sentence boundaries into spans of at most ~max_chars."""
    bounds = [0] + [m.start() for m in _SENTENCE_BREAK.finditer(text)] + [len(text)]
    spans, lo = [], 0
    for a, b in zip(bounds, bounds[1:]):
        if b - lo > max_chars and a > lo:
            spans.append((lo, a))
            lo = a
    spans.append((lo, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        out.append((offset + a + lead, offset + a + len(seg.rstrip())))
    return out


def _section_spans(plan: ParsedPlan, section: Section, cfg: ChunkConfig) -> list[tuple[int, int]]:
    """Spans of consecutive blocks, packed up to max_chars; long paragraphs split at sentence ends."""
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    prev_block = -2
    for i in section.blocks:
        b = plan.doc.blocks[i]
        for s, e in _pieces(b.text, b.start, cfg.max_chars) if len(b.text) > cfg.max_chars else [(b.start, b.end)]:
            if cur and i in (prev_block, prev_block + 1) and e - cur[0] <= cfg.max_chars:
                cur = (cur[0], e)
            else:
                if cur:
                    spans.append(cur)
                cur = (s, e)
        prev_block = i
    if cur:
        spans.append(cur)
    return spans


def row_embed_text(row: TaskRow) -> str:
    parts = [f"Nhiệm vụ: {row.name}"]
    if row.group:
        parts.append(f"Thuộc: {row.group}")
    for label, value in (
        ("Cơ quan chủ trì", row.lead),
        ("Cơ quan phối hợp", row.coordinate),
        ("Thời gian", row.time),
        ("Kết quả", row.details),
    ):
        if value:
            parts.append(f"{label}: {value}")
    if row.budget:
        parts.append("Kinh phí: " + "; ".join(f"{k}: {v} triệu đồng" for k, v in row.budget))
    return "\n".join(parts)


def build_chunks(plan: ParsedPlan, cfg: ChunkConfig = ChunkConfig()) -> list[Chunk]:
    """All chunks of a plan, in document order of their sections; ids are deterministic."""
    title = plan.meta.citation_title()
    chunks: list[Chunk] = []
    for section in plan.sections:
        if section.kind == "row" or not section.blocks:
            continue
        for n, (s, e) in enumerate(_section_spans(plan, section, cfg), start=1):
            text = plan.doc.span_text(s, e)
            chunks.append(
                Chunk(
                    f"{plan.doc_id}#{section.path_str}#{n}",
                    plan.doc_id,
                    section.path_str,
                    s,
                    e,
                    text,
                    f"{title}\n{section.path_str}\n{text}",
                )
            )
    for row in plan.rows:
        text = plan.doc.span_text(row.start, row.end)
        chunks.append(
            Chunk(
                f"{plan.doc_id}#{row.section_path}#1",
                plan.doc_id,
                row.section_path,
                row.start,
                row.end,
                text,
                f"{title}\n{row.section_path}\n{row_embed_text(row)}",
                "row",
                row.row_id,
            )
        )
    return chunks

"""Parse a plan file end to end: load -> normalize -> metadata -> task rows -> sections."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanLoadError
from .labelled import labelled_rows, labelled_sections
from .load import SUPPORTED_SUFFIXES, NormalizedDoc, load_plan
from .metadata import PlanMeta, load_sidecar, plan_metadata
from .sections import Section, appendix_sections, body_sections
from .tasks import Table, TaskRow, parse_tables

log = logging.getLogger(__name__)
SIDECAR = "plans.toml"


@dataclass(frozen=True)
class ParsedPlan:
    """Everything the index needs from one plan."""

    doc: NormalizedDoc
    meta: PlanMeta
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    items: tuple[TaskRow, ...] = ()  # tasks written as labelled prose items ('- Cơ quan chủ trì: …')

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id

    @property
    def table_rows(self) -> tuple[TaskRow, ...]:
        return tuple(r for t in self.tables for r in t.rows)

    @property
    def rows(self) -> tuple[TaskRow, ...]:
        """Every task row: the tables' and the labelled prose items'."""
        return self.table_rows + self.items

    def section(self, path: str) -> Section | None:
        return next((s for s in self.sections if s.path_str == path), None)

    def section_text(self, section: Section) -> str:
        return "\n".join(self.doc.blocks[i].text for i in section.blocks)


def parse_document(doc: NormalizedDoc, sidecar: dict[str, dict[str, str]]) -> ParsedPlan:
    tables = parse_tables(doc)
    body = body_sections(doc)
    items = labelled_rows(doc, body)
    sections = body + appendix_sections(doc, tables) + labelled_sections(doc, items)
    return ParsedPlan(doc, plan_metadata(doc, sidecar), tuple(sections), tuple(tables), tuple(items))


def parse_plan(path: Path, sidecar: dict[str, dict[str, str]] | None = None) -> ParsedPlan:
    """Parse one plan file; the sidecar defaults to plans.toml next to it."""
    if sidecar is None:
        sidecar = load_sidecar(path.parent / SIDECAR)
    return parse_document(load_plan(path), sidecar)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The plan files of a corpus folder, sorted by name."""
    if not corpus_dir.is_dir():
        raise PlanLoadError(
            "không tìm thấy thư mục văn bản", str(corpus_dir), "chỉ định đúng thư mục bằng --corpus DIR"
        )
    files = sorted(p for p in corpus_dir.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
    if not files:
        raise PlanLoadError(
            "thư mục không có văn bản nào (.txt)", str(corpus_dir), "thêm tệp kế hoạch vào thư mục rồi chạy lại"
        )
    return files


def load_corpus(corpus_dir: Path) -> list[ParsedPlan]:
    """Parse every plan of the corpus folder (with its plans.toml sidecar)."""
    sidecar = load_sidecar(corpus_dir / SIDECAR)
    plans = [parse_document(load_plan(p), sidecar) for p in corpus_files(corpus_dir)]
    log.info("parsed %d plans, %d task rows", len(plans), sum(len(p.rows) for p in plans))
    return plans

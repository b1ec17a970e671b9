"""Section tree: every block of a plan gets a heading path.

Body headings: Roman (I.), Arabic (1.), dotted (1.1, 1.1.2), letters (a)); the recipients list ("Nơi nhận")
and the signature block are top-level sections of their own. Appendix blocks belong to their "PHỤ LỤC"
section, and each task row to "PHỤ LỤC > <row number>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .load import NormalizedDoc
from .tasks import Table

PREAMBLE = "Phần mở đầu"
_ROMAN = re.compile(r"^([IVX]{1,5})\.\s+(\S.*)$")
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_ARABIC = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
_PART = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+([IVX]+|\d{1,3}|[Tt]hứ\s+\w+)\s*[.:]?\s*(.*)$")
_PART_RANK = {"phần": -3, "chương": -2, "mục": -1, "điều": 0}
_CAPITAL = re.compile(r"^([A-HJ-UWYZĐ])\.\s+([A-ZĐÀ-Ỹ]\S*.*)$")  # A., B. … (not the Roman I, V, X)
# A dash or plus item that opens with an agency and a colon ("- Sở Tài chính: …") assigns that agency's duties.
_AGENCY_ITEM = re.compile(
    r"^([-–+•])\s+((?:Sở|Bộ|Ủy ban|UBND|Ban|Cục|Công an|Văn phòng|Ngân hàng|Đài|Báo|Trung tâm|"
    r"Viện|Hội|Liên minh|Tỉnh đoàn|Bộ Chỉ huy|Kho bạc|Thanh tra|Các sở|Các cơ quan)[^:]{2,110}):\s*(.*)$"
)
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?")
_SIGNATURE = re.compile(r"^(?:TM\.|KT\.)")
_TITLE_MAX = 90


@dataclass(frozen=True)
class Section:
    """A heading path and the blocks directly under it (its heading paragraph first)."""

    doc_id: str
    path: tuple[str, ...]
    blocks: tuple[int, ...]
    kind: str = "body"  # "body" | "appendix" | "row"

    @property
    def path_str(self) -> str:
        return " > ".join(self.path)

    @property
    def title(self) -> str:
        return self.path[-1]


def heading_title(marker: str, rest: str) -> str:
    """Title of a heading line: the text before ':' (inline body follows it), shortened if long."""
    head = rest.split(":", 1)[0].strip() if ":" in rest else rest.strip()
    title = f"{marker} {head}".strip()
    if len(title) > _TITLE_MAX:
        cut = title[: _TITLE_MAX - 10].rsplit(" ", 1)[0]
        title = cut.rstrip(",;") + "…"
    return title


def detect_heading(text: str) -> tuple[float, str] | None:
    """(rank, title) when a body paragraph opens a section; lower rank = higher level."""
    if m := _PART.match(text):
        rank = _PART_RANK[m.group(1).lower()]
        return rank, heading_title(f"{m.group(1)} {m.group(2)}.", m.group(3))
    if (m := _CAPITAL.match(text)) and len(text) < 200:
        return 0.5, heading_title(m.group(1) + ".", m.group(2))
    if m := _AGENCY_ITEM.match(text):
        return 7, heading_title(m.group(1), m.group(2))
    for rx, rank_of, marker in (
        (_ROMAN, lambda m: 1, lambda m: m.group(1) + "."),
        (_DOTTED, lambda m: 1 + m.group(1).count(".") + 1, lambda m: m.group(1)),
        (_ARABIC, lambda m: 2, lambda m: m.group(1) + "."),
        (_LETTER, lambda m: 6, lambda m: m.group(1) + ")"),
    ):
        m = rx.match(text)
        if not m or (rx is _ROMAN and not _valid_roman(m.group(1))):
            continue
        if rx is _LETTER or m.group(2)[:1].isupper():
            return rank_of(m), heading_title(marker(m), m.group(2))
    if _RECIPIENTS.match(text):
        return 1, "Nơi nhận"
    return None


def item_marker(text: str) -> tuple[str, str] | None:
    """(number, rest) when a line opens with a numbered-item marker ('II.', '1.2.', '3.', 'b)'), whatever the case
    of the rest: the markers detect_heading knows, for readers of items that need not be headings."""
    for rx in (_ROMAN, _DOTTED, _ARABIC, _LETTER):
        if (m := rx.match(text)) and not (rx is _ROMAN and not _valid_roman(m.group(1))):
            return m.group(1), m.group(2)
    return None


def _valid_roman(s: str) -> bool:
    return bool(re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", s)) and s != ""


def body_sections(doc: NormalizedDoc) -> list[Section]:
    """Sections of the body (non-appendix) blocks, in document order."""
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    current: list[int] = []
    path: tuple[str, ...] = (PREAMBLE,)

    def flush() -> None:
        if current:
            sections.append(Section(doc.doc_id, path, tuple(current)))

    for i, b in enumerate(doc.blocks):
        if b.region != "body":
            continue  # appendix lines and table cells have sections of their own
        head = detect_heading(b.text)
        if head is None and _SIGNATURE.match(b.text) and not (path and path[-1].startswith(("TM.", "KT."))):
            head = (1, b.text)
        if head:
            flush()
            rank, title = head
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, title))
            path, current = tuple(t for _, t in stack), [i]
        else:
            current.append(i)
    flush()
    return _merge_same_path(sections)


def _merge_same_path(sections: list[Section]) -> list[Section]:
    """Two headings with the same title under the same parent are kept apart by a counter suffix."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for s in sections:
        n = seen.get(s.path, 0) + 1
        seen[s.path] = n
        if n > 1:
            s = Section(s.doc_id, s.path[:-1] + (f"{s.path[-1]} ({n})",), s.blocks, s.kind)
        out.append(s)
    return out


def appendix_sections(doc: NormalizedDoc, tables: list[Table]) -> list[Section]:
    """One section per appendix (its caption/header lines) and one per task row."""
    out: list[Section] = []
    for t in tables:
        if t.caption_blocks:
            out.append(Section(doc.doc_id, (t.title,), t.caption_blocks, "appendix"))
        for row in t.groups + t.rows:
            blocks = doc.blocks_within(row.start, row.end)
            kind = "row" if row in t.rows else "appendix"
            path = tuple(row.section_path.split(" > "))
            out.append(Section(doc.doc_id, path, blocks, kind))
    return _merge_same_path(out)

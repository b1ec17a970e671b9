"""Task rows recovered from the flattened appendix tables.

The PDF text puts one cell per line, drops empty cells, wraps long cells over several lines, repeats the
header on each page, and sometimes loses row numbers. We use what the text gives: the header's column
order, row numbers that follow each other, agency-name and time patterns, and the PDF's wrap hints.
A row whose cells cannot be placed with confidence keeps its raw cells and says why in `ambiguous`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .agencies import is_agency_cell, is_coordinate_cell
from .load import Block, NormalizedDoc

APPENDIX_TITLE = re.compile(r"^PHỤ LỤC(?:\s+([IVX]+|\d+))?\b")
ROW_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:\s+(\S.*))?$")
TIME = re.compile(
    r"(?:Dự kiến\s+)?(?:[Nn]ăm\s+)?\d{4}\s*(?:[-–]\s*\d{4})?|[Hh][àằ]ng năm|Kế hoạch trung\s*hạn và hàng năm|"
    r"(?:Từ\s+)?[Tt]háng\s+\d{1,2}\s*(?:[-–]\s*(?:tháng\s+)?\d{1,2})?|Quý\s+[IV]+(?:/\d{4})?"
)
AMOUNT = re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$")
RESOURCES = re.compile(r"^[IV]+(?:\s*,\s*[IV]+)*$")
FOOTNOTE = re.compile(r"^\[\d+\]")
CAPTION = re.compile(r"^(?:\(Kèm theo|DANH MỤC|Tổng kinh phí|Nguồn tra cứu)")
_CONNECTOR_END = re.compile(r"(?:\b(?:và|của|các|cho|với|về|tại|thuộc|trong|năm)|[,(&/-])$")

COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", r"\bS?TT\b"),
    ("name", r"Tên nhiệm vụ|Nhiệm vụ, hoạt động cụ thể|Ngành, lĩnh vực"),
    ("goal", r"Mục tiêu"),
    ("result", r"Dự kiến kết quả|Sản phẩm"),
    ("lead", r"(?:Cơ quan|Đơn vị) chủ trì"),
    ("coordinate", r"(?:Cơ quan|Đơn vị) phối hợp"),
    ("time", r"Thời gian|Giai đoạn thực hiện"),
    ("budget_local", r"Ngân sách\s+địa phương"),
    ("budget_central", r"Ngân sách\s+Trung ương"),
    ("budget_other", r"Nguồn\s+khác"),
    ("resources", r"Nguồn lực dự kiến"),
    ("note", r"Ghi chú"),
)
BUDGET_LABELS = {
    "budget_local": "Ngân sách địa phương",
    "budget_central": "Ngân sách Trung ương",
    "budget_other": "Nguồn khác",
}
_HEADER_LINE = re.compile(
    r"^(?:S?TT\b|" + "|".join(rx for _, rx in COLUMNS[1:]) + r"|hoàn thành|\(\d\)|Nguồn lực dự kiến)", re.IGNORECASE
)


@dataclass(frozen=True)
class Cell:
    text: str
    first: int  # block index
    last: int


@dataclass(frozen=True)
class TaskRow:
    """One row of an appendix task table. Empty strings mean the table does not give the field."""

    doc_id: str
    appendix: str
    number: str
    name: str
    lead: str = ""
    coordinate: str = ""
    time: str = ""
    details: str = ""  # goal / expected result / product cells
    budget: tuple[tuple[str, str], ...] = ()  # (column label, amount in million VND)
    budget_note: str = ""
    resources: str = ""
    group: str = ""  # titles of the enclosing group rows (Hưng Yên numbering)
    part: int = 1  # >1 when one numbered row has several lead agencies
    number_inferred: bool = False
    ambiguous: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    layout: str = "table"  # "table" | "labelled" (prose items with 'Cơ quan chủ trì: …' lines, index/labelled.py)

    @property
    def section_path(self) -> str:
        number = self.number if self.part == 1 else f"{self.number} ({self.part})"
        return f"{self.appendix} > {number}"

    @property
    def row_id(self) -> str:
        return self.number if self.part == 1 else f"{self.number}#{self.part}"


@dataclass
class _RawRow:
    number: str
    inferred: bool
    blocks: list[int] = field(default_factory=list)
    has_time: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    block_range: tuple[int, int]
    caption_blocks: tuple[int, ...]
    rows: tuple[TaskRow, ...]
    groups: tuple[TaskRow, ...]


def _parse_number(s: str) -> tuple[int, ...]:
    return tuple(int(p) for p in s.split("."))


def is_successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    """Plausible next row number: 17 -> 18, 1.1 -> 1.1.2, 1.3.1 -> 2, 3.4.1 -> 3.4.3."""
    if prev is None:
        return cand[0] == 1 and all(c <= 2 for c in cand[1:])
    k = len(cand)
    if k > len(prev):  # child of prev (or of its ancestor chain): first children only
        return cand[:-1] == prev[: k - 1] and cand[:-1] == prev and cand[-1] <= 3
    step = cand[-1] - prev[k - 1]
    limit = 1 if len(prev) == 1 and k == 1 else 2
    return cand[:-1] == prev[: k - 1] and 1 <= step <= limit


def table_columns(texts: list[str]) -> tuple[str, ...]:
    """Column roles in header order, read from the header lines of a table."""
    header = " ".join(texts)
    found = []
    for role, rx in COLUMNS:
        m = re.search(rx, header)
        if m:
            found.append((m.start(), role))
    return tuple(role for _, role in sorted(found))


def _is_header(text: str) -> bool:
    return bool(_HEADER_LINE.match(text)) and not TIME.fullmatch(text)


def _split_tables(doc: NormalizedDoc, first: int) -> list[tuple[str, int, int]]:
    """(title, start, end) block ranges: one per 'PHỤ LỤC' heading; lines before the first belong to it."""
    idx = [i for i in range(first, len(doc.blocks)) if APPENDIX_TITLE.match(doc.blocks[i].text)]
    if not idx:
        return [("PHỤ LỤC", first, len(doc.blocks))]
    bounds = [first] + idx[1:] + [len(doc.blocks)]
    return [(_appendix_name(doc.blocks[i].text), bounds[k], bounds[k + 1]) for k, i in enumerate(idx)]


def _appendix_name(text: str) -> str:
    m = APPENDIX_TITLE.match(text)
    return f"PHỤ LỤC {m.group(1)}" if m and m.group(1) else "PHỤ LỤC"


def _segment(blocks: tuple[Block, ...], lo: int, hi: int, skip: set[int]) -> list[_RawRow]:
    """Group table lines into rows by their row numbers (or a lost number's leading-space hint)."""
    rows: list[_RawRow] = []
    prev: tuple[int, ...] | None = None
    for i in range(lo, hi):
        if i in skip:
            continue
        b = blocks[i]
        m = ROW_NUMBER.match(b.text)
        nxt = next((blocks[j].text for j in range(i + 1, hi) if j not in skip), "")
        if m and is_successor(prev, _parse_number(m.group(1))) and (m.group(2) or not AMOUNT.match(nxt)):
            prev = _parse_number(m.group(1))
            rows.append(_RawRow(m.group(1), False, [i]))
        elif b.leading_space and b.text[:1].isupper() and (not rows or rows[-1].has_time):
            prev = (prev[0] + 1,) if prev and len(prev) == 1 else (1,)
            rows.append(_RawRow(str(prev[0]), True, [i]))
        elif rows:
            rows[-1].blocks.append(i)
        else:
            continue
        if TIME.search(b.text) and i != rows[-1].blocks[0]:
            rows[-1].has_time = True
    return rows


def _joins(prev: Block, prev_text: str, nxt: Block) -> bool:
    """Whether line `nxt` continues the cell that ends with line `prev`."""
    t = nxt.text
    if t.startswith("- "):
        return prev_text.startswith("- ")  # a list of agencies / results in one cell
    if AMOUNT.match(t) or RESOURCES.match(t):
        return False
    if TIME.fullmatch(t):
        return bool(re.search(r"\bnăm$", prev.text)) and bool(re.fullmatch(r"\d{4}", t))
    if _CONNECTOR_END.search(prev.text):
        return True
    if prev.trailing_space and not (t[0].isupper() and is_agency_cell(t)):
        return True  # the PDF left a trailing space where it wrapped a narrow cell
    return (t[0].islower() or t[0] in ")(") and not is_agency_cell(t)


def _cells(doc: NormalizedDoc, raw: _RawRow) -> list[Cell]:
    """Join the row's lines into cells; the row number line's own text is the first cell."""
    blocks = doc.blocks
    first = blocks[raw.blocks[0]]
    m = ROW_NUMBER.match(first.text)
    cells: list[Cell] = []
    if raw.inferred:
        cells.append(Cell(first.text, raw.blocks[0], raw.blocks[0]))
    elif m and m.group(2):
        cells.append(Cell(m.group(2), raw.blocks[0], raw.blocks[0]))
    for i in raw.blocks[1:]:
        b = blocks[i]
        if cells and _joins(blocks[cells[-1].last], cells[-1].text, b):
            cells[-1] = Cell(f"{cells[-1].text} {b.text}", cells[-1].first, i)
        else:
            cells.append(Cell(b.text, i, i))
    return cells


def _split_time_suffix(cells: list[Cell]) -> int | None:
    """Index of the time cell; splits 'UBND các huyện, thành phố Hàng năm' into two cells when needed."""
    for i, c in enumerate(cells[1:], start=1):
        if TIME.fullmatch(c.text):
            return i
    for i, c in enumerate(cells[1:], start=1):
        m = re.match(r"^(.*?\S)\s+(" + TIME.pattern + r")$", c.text)
        if m and is_agency_cell(m.group(1)):
            cells[i : i + 1] = [Cell(m.group(1), c.first, c.last), Cell(m.group(2), c.last, c.last)]
            return i + 1
    return None


def _split_merged_lead(lead: str) -> tuple[str, str]:
    """'Sở Nông nghiệp và Môi trường Các sở, ban, ngành; ...' -> (lead, rest for coordination)."""
    m = re.search(r"(?<=[a-zà-ỹ)])\s+(?=Các\s)", lead)
    return (lead[: m.start()], lead[m.end() :]) if m else (lead, "")


def _assign_people(region: list[Cell], columns: tuple[str, ...]) -> tuple[str, str, list[Cell], list[str]]:
    """(lead, coordinate, detail cells, ambiguity notes) from the cells between the name and the time."""
    k = len(region)
    while k > 0 and is_agency_cell(region[k - 1].text):
        k -= 1
    agencies, details, notes = region[k:], region[:k], []
    if not agencies:
        return "", "", details, ["không xác định được cơ quan chủ trì"]
    if "coordinate" not in columns:
        return " ".join(c.text for c in agencies), "", details, notes
    if len(agencies) == 1:
        only = agencies[0].text
        if is_coordinate_cell(only):
            return "", only, details, ["không có cơ quan chủ trì trong bảng"]
        lead, rest = _split_merged_lead(only)
        return lead, rest, details, notes
    if len(agencies) > 2:
        notes.append("ranh giới giữa cơ quan chủ trì và phối hợp không rõ")
    lead, rest = _split_merged_lead(agencies[0].text)
    coordinate = " ".join(([rest] if rest else []) + [c.text for c in agencies[1:]])
    return lead, coordinate, details, notes


def _assign_budget(
    amounts: list[str], note: str, columns: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """Place budget amounts in their columns: positionally when all are there, else from the note."""
    budget_cols = [c for c in columns if c in BUDGET_LABELS]
    if not amounts or not budget_cols:
        return (), []
    if len(amounts) == len(budget_cols):
        return tuple((BUDGET_LABELS[c], a) for c, a in zip(budget_cols, amounts)), []
    placed = []
    for a in amounts:
        pos = note.find(a)
        context = note[max(0, pos - 80) : pos] if pos >= 0 else (note if len(amounts) == 1 else "")
        col = _source_in(context)
        if col is None:
            return tuple(("Không rõ nguồn", x) for x in amounts), [
                "bảng không cho biết số tiền thuộc cột nguồn vốn nào"
            ]
        placed.append((BUDGET_LABELS[col], a))
    return tuple(placed), []


def _source_in(context: str) -> str | None:
    low = context.lower()
    hits = [low.rfind("trung ương"), low.rfind("tỉnh"), low.rfind("địa phương")]
    if max(hits) < 0:
        return None
    best = max(range(3), key=lambda n: hits[n])
    return "budget_central" if best == 0 else "budget_local"


def _tail(cells: list[Cell], columns: tuple[str, ...]) -> dict[str, object]:
    """Columns after the time: amounts, product/note text, resource categories; and what is left over."""
    after = columns[columns.index("time") + 1 :] if "time" in columns else ()
    out: dict[str, object] = {"amounts": [], "texts": [], "resources": "", "leftover": []}
    for n, c in enumerate(cells):
        if AMOUNT.match(c.text) and any(col in BUDGET_LABELS for col in after):
            out["amounts"].append(c.text)  # type: ignore[union-attr]
        elif RESOURCES.match(c.text) and "resources" in after:
            out["resources"] = c.text
            out["leftover"] = cells[n + 1 :]
            return out
        elif ("note" in after or "result" in after) and not (out["texts"] and "note" not in after):
            if is_agency_cell(c.text) and out["texts"] and "resources" in after:
                out["leftover"] = cells[n:]
                return out
            out["texts"].append(c.text)  # type: ignore[union-attr]
        else:
            out["leftover"] = cells[n:]
            return out
    return out


def _build_rows(doc: NormalizedDoc, appendix: str, raw: _RawRow, columns: tuple[str, ...]) -> list[TaskRow]:
    """One TaskRow per lead agency of a raw row (usually one)."""
    cells = _cells(doc, raw)
    if not cells:
        return []
    name, rest = cells[0], cells[1:]
    rows, part = [], 1
    while True:
        seq = [name] + rest
        t = _split_time_suffix(seq)
        region = seq[1:t] if t else seq[1:]
        lead, coordinate, details, notes = _assign_people(region, columns)
        after = seq[t + 1 :] if t else []
        tail = _tail(after, columns)
        used_last = max(
            [c.last for c in seq[: (t + 1) if t else len(seq)]]
            + [c.last for c in after[: len(after) - len(tail["leftover"])]]
        )  # type: ignore[arg-type]
        texts: list[str] = tail["texts"]  # type: ignore[assignment]
        note = texts[-1] if "note" in columns and texts else ""
        budget, bnotes = _assign_budget(tail["amounts"], note, columns)  # type: ignore[arg-type]
        if not t:
            notes.append("không tìm thấy thời gian thực hiện")
        if part > 1 and not coordinate:
            notes.append("bảng gộp ô: phần này không ghi cơ quan phối hợp riêng")
        if len(tail["amounts"]) > len([c for c in columns if c in BUDGET_LABELS]):  # type: ignore[arg-type]
            notes.append("số khoản kinh phí nhiều hơn số cột")
        product = [x for x in texts if x != note]
        rows.append(
            TaskRow(
                doc.doc_id,
                appendix,
                raw.number,
                name.text,
                lead,
                coordinate,
                seq[t].text if t else "",
                " ".join([c.text for c in details] + product),
                budget,
                note,
                tail["resources"],  # type: ignore[arg-type]
                part=part,
                number_inferred=raw.inferred,
                ambiguous=tuple(notes + bnotes),
                cells=tuple(c.text for c in seq[: (t + 1) if t else len(seq)]) + tuple(c.text for c in after),
                start=doc.blocks[raw.blocks[0] if part == 1 else rest[0].first].start,
                end=doc.blocks[used_last].end,
            )
        )
        leftover: list[Cell] = tail["leftover"]  # type: ignore[assignment]
        if not (leftover and is_agency_cell(leftover[0].text) and t):
            return rows
        rest, part = leftover, part + 1


def parse_tables(doc: NormalizedDoc) -> list[Table]:
    """All appendix tables of a plan with their task rows. Two readings: tables found by their header (any
    column order and wording, Word tables) and the flattened-PDF reading of the numbered rows; the one that
    resolves more numbered rows (a lead found) wins, the flattened one on a tie. Every appendix
    line not in a row stays in its appendix's caption section."""
    from .tablerows import header_tables

    header = header_tables(doc)
    legacy = [] if doc.tables else flattened_tables(doc)
    chosen = header if _resolved(header) > _resolved(legacy) else legacy
    return _with_captions(doc, chosen)


def _resolved(tables: list[Table]) -> int:
    """Numbered rows with a lead found (a row split in parts counts once)."""
    return len({(t.title, r.number) for t in tables for r in t.rows if r.lead})


def _with_captions(doc: NormalizedDoc, tables: list[Table]) -> list[Table]:
    """One table entry per appendix at least; appendix blocks outside every row go to its caption."""
    first = next((i for i, b in enumerate(doc.blocks) if b.region == "appendix"), None)
    if first is None:
        return tables
    used = {i for t in tables for r in t.rows + t.groups if r.end > r.start for i in doc.blocks_within(r.start, r.end)}
    out = []
    for title, lo, hi in _split_tables(doc, first):
        inside = [t for t in tables if lo <= t.block_range[0] < hi]
        left = tuple(i for i in range(lo, hi) if i not in used and doc.blocks[i].region == "appendix")
        if not inside:
            out.append(Table(title, (), (lo, hi), left, (), ()))
            continue
        out.append(replace(inside[0], caption_blocks=left))
        out += [replace(t, caption_blocks=()) for t in inside[1:]]
    return out


def flattened_tables(doc: NormalizedDoc) -> list[Table]:
    """The flattened-PDF reading: one table per 'PHỤ LỤC', rows by their numbers and the header's columns."""
    first = next((i for i, b in enumerate(doc.blocks) if b.region == "appendix"), None)
    if first is None:
        return []
    tables = []
    for title, lo, hi in _split_tables(doc, first):
        texts = [doc.blocks[i].text for i in range(lo, hi)]
        skip = {
            i
            for i in range(lo, hi)
            if _is_header(doc.blocks[i].text)
            or FOOTNOTE.match(doc.blocks[i].text)
            or CAPTION.match(doc.blocks[i].text)
            or APPENDIX_TITLE.match(doc.blocks[i].text)
        }
        columns = table_columns([t for t in texts if _is_header(t)])
        rows: list[TaskRow] = []
        groups: list[TaskRow] = []
        if "lead" in columns:
            for raw in _segment(doc.blocks, lo, hi, skip):
                for row in _build_rows(doc, title, raw, columns):
                    is_group = not row.lead and not row.coordinate and not row.time
                    (groups if is_group else rows).append(row)
        used = {
            i
            for r in rows + groups
            for i in range(lo, hi)
            if doc.blocks[i].start >= r.start and doc.blocks[i].end <= r.end
        }
        caption = tuple(i for i in range(lo, hi) if i not in used)
        rows = [_with_group(r, groups) for r in rows]
        tables.append(Table(title, columns, (lo, hi), caption, tuple(rows), tuple(groups)))
    return tables


def _with_group(row: TaskRow, groups: list[TaskRow]) -> TaskRow:
    parents = [g for g in groups if row.number.startswith(g.number + ".")]
    if not parents:
        return row
    return replace(row, group=" > ".join(f"{g.number}. {g.name}" for g in parents))

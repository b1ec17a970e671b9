"""Data tables: appendix tables that list things with figures rather than tasks with agencies.

A decision's project list ('TT / Dự án / Công suất (MW) / Địa điểm / Dự kiến thời gian vận hành / Ghi chú', QĐ
2634) or a plan's target table ('TT / Chỉ tiêu / ĐVT / ƯTH Năm 2025 / Năm 2026 … Năm 2030', Sơn La 2954) comes
out of a PDF as one cell per line and one row per blank-line block. Such tables have no lead column, so the task
table reader leaves them as text, and a question on one cell ('Nhà máy X dự kiến vận hành năm nào', 'diện tích
cà phê năm 2030') finds the row but no sentence to quote. Here the header's cells name the columns, each block
is a row (its numbered group rows give its context), and the answer is the asked column of the row the question
names, quoted from the block verbatim.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.store import PlanRecord
from index.text import collapse_ws, fold

from .analysis import Question
from .asks import YEAR_NUMBER, asked_years
from .compose import Draft, Evidence, Part, topic_terms, with_source
from .terms import overlap

if TYPE_CHECKING:
    from .context import Context

_HEADER_START = re.compile(r"^(?:S\.?\s?TT|TT|Số TT)$")
_MARKER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.?|[A-ZĐ]\.?|[-–+•])$")
_DASHED = re.compile(r"^([-–+•])\s+(\S.*)$")  # '- ĐGNK Nam Trung bộ 1.1': a sub-row's marker and name in one line
_SPANNING = re.compile(r"(?i)^giai đoạn\b")  # 'GIAI ĐOẠN 2026 - 2030' spans the year columns under it
MIN_ENTITY_FIT = 0.5  # the row must carry most of the question's weight of words …
MIN_MARGIN = 0.1  # … clearly more than the next row
_NAMED = 0.3  # a row whose whole name the question writes out


@dataclass(frozen=True)
class DataRow:
    """One row of a data table: its cells (text, start, end) under the header's column names."""

    columns: tuple[str, ...]
    cells: tuple[tuple[str, int, int], ...]
    context: str  # the group rows above it ('CÂY CÔNG NGHIỆP Cà Phê')
    context_last: str  # the nearest of them ('Cà Phê'), where the row's quote starts
    title: str  # the lines above the table's header ('1. Các dự án nhà máy nhiệt điện')

    @property
    def name(self) -> str:
        return self.cells[1][0] if len(self.cells) > 1 else ""

    @functools.cached_property
    def label(self) -> str:
        """What the row is matched on: its name, groups, table title, column names and figures."""
        cells = " ".join(t for t, _, _ in self.cells[2:])
        return f"{self.name} {self.context} {self.title} {' '.join(self.columns)} {cells}"


def data_rows(doc_id: str, raw: str) -> tuple[DataRow, ...]:
    """Every data-table row of a plan's text file as written (cached per plan)."""
    return _rows(doc_id, raw) if raw else ()


@functools.lru_cache(maxsize=256)
def _rows(doc_id: str, text: str) -> tuple[DataRow, ...]:
    blocks = _blocks(text)
    out: list[DataRow] = []
    i = 0
    while i < len(blocks):
        lines = blocks[i]
        k = next((n for n, ln in enumerate(lines) if _HEADER_START.match(ln[0])), None)
        if k is None:
            i += 1
            continue
        header = lines[k:]  # the lines above it title the table ('1. Các dự án nhà máy nhiệt điện')
        above = [t for t, _, _ in (lines[k - _title_lines(lines[:k]) : k] if k else blocks[i - 1] if i else [])]
        title = " ".join(above[-2:])
        i += 1
        while (
            i < len(blocks) and blocks[i] and not _MARKER.match(blocks[i][0][0]) and not _DASHED.match(blocks[i][0][0])
        ):
            header += blocks[i]  # a second header line ('Năm 2026 … Năm 2030' under 'GIAI ĐOẠN 2026 - 2030')
            i += 1
        columns = _columns([t for t, _, _ in header])
        groups: list[str] = []  # the roman group row's title, then the numbered one's ('CÂY CÔNG NGHIỆP', 'Cà Phê')
        while i < len(blocks):
            block = blocks[i]
            if (nxt := next((n for n, ln in enumerate(block) if _HEADER_START.match(ln[0])), None)) is not None:
                # the table's last row and the next table's title and header in one block ('21 / NMĐ Hạt nhân
                # Ninh Thuận 2 / … / 2. Các dự án nhà máy thủy điện (NMTĐ) / TT / Dự án …'): the row is this table's
                block = block[: nxt - _title_lines(block[:nxt])]
                if not block:
                    break
            cells = _cells(block)
            if len(cells) <= 2 and cells and _MARKER.match(cells[0][0]):
                group = cells[1][0] if len(cells) == 2 else ""
                groups = [group] if _is_roman(cells[0][0]) else [*groups[:1], group]
            elif len(cells) >= 3 and _MARKER.match(cells[0][0]) and not re.fullmatch(r"[\d.,]+", cells[1][0]):
                row_cols = _aligned(columns, len(cells))
                if row_cols:
                    named = [g for g in groups[-2:] if g]
                    sub_row = cells[0][0] in "-–+•"  # '- Diện tích' reads with its group ('Cà Phê')
                    last = named[-1] if named and sub_row else ""
                    out.append(DataRow(row_cols, tuple(cells), " ".join(named), last, title))
            if nxt is not None:
                break
            i += 1
    return tuple(out)


_TITLE = re.compile(r"^(?:\d{1,2}\.\s|Bảng\s+[IVX\d]+\b)")  # '2. Các dự án nhà máy thủy điện', 'Bảng IV. …'


def _title_lines(lines: list[tuple[str, int, int]]) -> int:
    """How many of the lines above a table's header are its title: from its last numbered or 'Bảng' line (a
    title wrapped over two lines, 'Bảng IV. Các dự án đường' / 'dây (ĐD) và trạm biến áp (TBA)', counts whole);
    all of them when none is."""
    starts = [n for n, (t, _, _) in enumerate(lines) if _TITLE.match(t)]
    return len(lines) - starts[-1] if starts else len(lines)


def _is_roman(marker: str) -> bool:
    """A top-level group's marker: a roman numeral, or a capital letter ('A / Chuỗi dự án khí - điện Lô B', QĐ 2634's
    Bảng III), each group starting afresh."""
    return bool(re.fullmatch(r"[IVX]{1,5}\.?|[A-ZĐ]\.?", marker))


def _blocks(text: str) -> list[list[tuple[str, int, int]]]:
    """Blank-line separated blocks of (stripped line, start, end)."""
    out: list[list[tuple[str, int, int]]] = [[]]
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            if out[-1]:
                out.append([])
            continue
        lead = len(line) - len(line.lstrip())
        out[-1].append((line.strip(), start + lead, start + lead + len(line.strip())))
    return [b for b in out if b]


def _cells(block: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A block's lines as cells: a marker and its name in one line are split; a line that continues a name wrapped
    in the PDF ('Khu vực … Nam Trung' / 'Bộ 1', 'DA đã có trong QĐ …' / 'ngày 02/4/2024') is joined to it."""
    cells: list[tuple[str, int, int]] = []
    for t, s, e in block:
        m = _DASHED.match(t)
        if m and not cells:
            cells.append((m.group(1), s, s + 1))
            cells.append((m.group(2), s + m.start(2), e))
            continue
        if cells and len(cells) >= 2 and _continues(cells[-1][0], t):
            prev = cells[-1]
            cells[-1] = (f"{prev[0]} {t}", prev[1], e)
            continue
        cells.append((t, s, e))
    return cells


def _continues(prev: str, line: str) -> bool:
    """A wrapped cell: the line starts in lower case or goes on with a name's last word ('Bộ 1', 'Giai đoạn' /
    '1'), and neither is a figure or a year."""
    if re.search(r"(?i)\b(?:giai đoạn|tổ máy|số|lô|đợt|khu vực)$", prev) and re.fullmatch(r"\d{1,2}|[IVX]{1,4}", line):
        return True
    if re.fullmatch(r"[\d.,\-– ]+|Trước \d{4}|Sau \d{4}", line) or re.fullmatch(r"[\d.,]+", prev):
        return False
    # a cell cut inside a parenthesis ('… (NMNĐ BOT Sơn Mỹ' / 'I, BOT Sơn Mỹ II)'), at a hyphen ('… QĐ số 270/QĐ-' /
    # 'TTg …', 'ĐD 220 kV Phong Thổ -' / 'Than Uyên') or after its label ('Tổng công suất:' / '4.500 MW'): QĐ 2634's
    # tables, as Sơn La QĐ 2954's wrap their names
    if prev.count("(") > prev.count(")") or prev.endswith(("-", "–", ":")):
        return True
    # a name does not end in a preposition or 'và': 'Dự án xuất khẩu điện … từ Việt Nam sang' / 'Singapore, Malaysia'
    return line[:1].islower() or bool(re.fullmatch(r"(?:Bộ|bộ)\s+\d+", line) or _OPEN_END.search(prev))


_OPEN_END = re.compile(r"\b(?:sang|từ|và|của|với|cho|tại|đến|giữa|thuộc)$")


def _columns(lines: list[str]) -> tuple[str, ...]:
    """Header cells, a cell wrapped over two lines joined back ('Công suất' / '(MW)', 'Dự kiến thời' / 'gian vận
    hành'); a two-level header ('Kế hoạch 2026 … 2030' over 'Lượng (Tấn)', 'Giá trị …' for each) read as leaves
    named with their spanning cell ('Giá trị … Kế hoạch 2026')."""
    cols: list[str] = []
    for t in lines:
        if cols and (t[:1].islower() or t.startswith("(") or re.search(r"\b(?:thời|các|của|và)$", cols[-1])):
            cols[-1] = f"{cols[-1]} {t}"
        else:
            cols.append(t)
    return _two_level(tuple(cols))


def _two_level(cols: tuple[str, ...]) -> tuple[str, ...]:
    """k spanning cells followed by k repeats of the same m leaves (m >= 2) become k*m named leaves."""
    for lead in (1, 2, 3):
        rest = cols[lead:]
        for k in range(2, len(rest) // 3 + 1):
            leaves = rest[k:]
            m, extra = divmod(len(leaves), k)
            if extra or m < 2 or any(leaves[j] != leaves[j % m] for j in range(len(leaves))):
                continue
            return cols[:lead] + tuple(f"{leaves[j]} {rest[j // m]}" for j in range(len(leaves)))
    return cols


def _aligned(columns: tuple[str, ...], n: int) -> tuple[str, ...] | None:
    """The column names of a row of n cells: all of them; without a spanning 'GIAI ĐOẠN …' cell; or the first n
    when the last ones ('Ghi chú', an optional figure) are empty."""
    if n == len(columns):
        return columns
    leaves = tuple(c for c in columns if not _SPANNING.match(c))
    if n == len(leaves):
        return leaves
    if n < len(leaves) and n >= 3:
        return leaves[:n]
    return None


def data_table_answer(ctx: "Context", q: Question, docs: tuple[str, ...]) -> Draft | None:
    """The asked column of the data-table row the question names, or None when no row stands out."""
    terms = topic_terms(q, ctx.stop_terms(q))
    if not terms:
        return None
    scored: list[tuple[float, DataRow, PlanRecord]] = []
    asked = _asked_forms(q.folded)  # once per question, not per row
    for doc in docs:
        plan = ctx.plans[doc]
        for row in data_rows(doc, ctx.sources.raw(doc)):
            scored.append((overlap(terms, row.label, ctx.vocab) + _NAMED * _named_in(asked, row.name), row, plan))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    best, row, plan = scored[0]
    runner = scored[1][0] if len(scored) > 1 else 0.0
    if best < MIN_ENTITY_FIT or best - runner < MIN_MARGIN:
        return None
    col = _asked_column(q, terms, row, ctx)
    if col is None:
        return None
    spans = _located(plan.text, row, col)
    if spans is None:
        return None
    cell = row.cells[col][0] + _unit(row, col)
    label = collapse_ws(row.name) + (f" ({row.context})" if row.context and row.context not in row.name else "")
    section = ctx.section_at(plan, spans[0][0])
    text = with_source(f"{label} — {collapse_ws(row.columns[col])}: {cell}", plan, section)
    evidence = tuple(Evidence(plan.doc_id, section, x, y, 1.0) for x, y in spans if y > x)
    return Draft([Part(text, evidence)], confidence=best)


def _located(text: str, row: DataRow, col: int) -> list[tuple[int, int]] | None:
    """The row's spans in the index's copy of the plan (its lines joined, lone numbers dropped): its group's title
    for a sub-row ('Cà Phê … Diện tích'), else its name, then each cell in order to the asked one, each within a
    few characters of the last. A figure the copy dropped ('200' on a line of its own) is passed over, never the
    asked cell, and splits the quote in two (each part verbatim). The first place where all follow; None if none."""
    pieces = ([row.context_last] if row.context_last else []) + [t for t, _, _ in row.cells[1 : col + 1]]
    head = pieces[0] if _find(text, pieces[0], 0) else re.sub(r"\s+(?:\d{1,2}|[IVX]{1,4})$", "", pieces[0])
    pos = 0
    while (first := _find(text, head, pos)) is not None:
        spans, start, cursor, ok = [], first[0], first[1], True
        if head != pieces[0]:  # the name's last number was left out of the copy: quote the name apart
            spans, start = [first], None
        for n, piece in enumerate(pieces[1:], start=2):
            m = _find(text, piece, cursor)
            if m is None or m[0] - cursor > _GAP:
                if n < len(pieces) and re.fullmatch(r"[\d.,]+", piece):
                    spans.append((start, cursor))  # a lone figure the index's copy left out: quote around it
                    start = None
                    continue
                ok = False
                break
            start = m[0] if start is None else start
            cursor = m[1]
        if ok:
            return [*spans, (start if start is not None else cursor, cursor)]
        pos = first[0] + 1
    return None


_GAP = 12  # characters between two cells of one row in the index's text (a newline, '-', a dropped number)


def _find(text: str, piece: str, pos: int) -> tuple[int, int] | None:
    """A cell's text in the plan, its words separated by any whitespace."""
    words = piece.split()
    if not words:
        return None
    m = re.compile(r"\s+".join(map(re.escape, words))).search(text, pos)
    return (m.start(), m.end()) if m else None


_TIME_COLUMN = re.compile(r"(?i)thời gian|vận hành|tiến độ|thời hạn|hoàn thành")
_TIME_ASKED = re.compile(r"\b(khi nao|nam nao|bao gio|luc nao|thoi gian nao|van hanh|hoan thanh)\b")
_PLACE_COLUMN = re.compile(r"(?i)địa điểm|vị trí|địa bàn|địa chỉ")
_PLACE_ASKED = re.compile(r"\b(tinh|xa|phuong|huyen|dia phuong) nao\b|\bo dau\b|\bnam o\b|\bdia diem\b")
_MONEY_ASKED = re.compile(r"\b(tien|gia tri|usd|kim ngach|dong)\b")


def _unit(row: DataRow, col: int) -> str:
    """' Ha' from the row's ĐVT cell, or ' MW' from its column's header ('Công suất (MW)'), when the cell gives a bare
    figure."""
    if not re.fullmatch(r"[\d.,\-– ]+", row.cells[col][0]):
        return ""
    unit_col = next((i for i, c in enumerate(row.columns) if re.fullmatch(r"(?i)đvt|đơn vị(?: tính)?", c)), None)
    if unit_col is not None and unit_col < len(row.cells):
        return f" {row.cells[unit_col][0]}"
    m = re.search(r"\(([^()]{1,20})\)", row.columns[col])  # 'Giá trị … (Nghìn USD) Kế hoạch 2026' too
    return f" {m.group(1)}" if m else ""


def _named(question: str, name: str) -> bool:
    """The question writes the row's name out ('… LNG Hải Phòng giai đoạn I', not '… giai đoạn II'), its leading
    abbreviation ('NMNĐ', 'NMTĐ') aside."""
    return _named_in(_asked_forms(question), name)


def _asked_forms(question: str) -> tuple[str, str]:
    """The (folded) question as words, and the same with its roman phase numbers in digits."""
    plain = re.sub(r"[^\w]+", " ", question)
    return plain, _ORDINAL.sub(lambda m: f"{m[1]} {_ROMAN[m[2].upper()]}", plain)


def _named_in(asked: tuple[str, str], name: str) -> bool:
    """_named on the question's forms: 'giai đoạn II' is asked as written or as 'giai đoạn 2'."""
    plain, arabic = asked
    return _name_in(name, plain) or _name_in(" ".join(_ROMAN.get(w, w) for w in name.split()), arabic)


def _name_in(name: str, asked: str) -> bool:
    words = fold(name).lower().split()
    if len(words) > 2 and name.split()[0].isupper():
        words = words[1:]
    key = " ".join(re.sub(r"[^\w]", " ", w).strip() for w in words).strip()
    return len(key) >= 6 and re.search(r"\b" + re.escape(key) + r"\b", asked) is not None


# a phase, unit or lot numbered in roman ('giai đoạn II', 'Ô Môn IV') is numbered in digits by users, and the other way
_ROMAN = {
    "I": "1",
    "II": "2",
    "III": "3",
    "IV": "4",
    "V": "5",
    "VI": "6",
    "VII": "7",
    "VIII": "8",
    "IX": "9",
    "X": "10",
}
_ORDINAL = re.compile(r"\b(giai doan|to may|lo|dot|khu vuc)\s+(i{1,3}|iv|v|vi{1,3}|ix|x)\b")


def _asked_column(q: Question, terms, row: DataRow, ctx: "Context") -> int | None:
    """The column the question asks for: the time column for 'khi nào / năm nào vận hành'; else a year it names
    (its value rather than its amount when it asks 'bao nhiêu tiền / giá trị'); else the header sharing its words."""
    values = [i for i in range(2, len(row.cells)) if i < len(row.columns)]
    if q.asks.place or _PLACE_ASKED.search(q.folded):
        placed = [i for i in values if _PLACE_COLUMN.search(row.columns[i])]
        if placed:
            return placed[0]
    if q.intent == "time" or _TIME_ASKED.search(q.folded):
        timed = [i for i in values if _TIME_COLUMN.search(row.columns[i])]
        if timed:
            return timed[0]
    years = asked_years(q.folded)
    dated = [i for i in values if years & set(YEAR_NUMBER.findall(row.columns[i]))]
    if dated:
        money = bool(_MONEY_ASKED.search(q.folded))
        return max(dated, key=lambda i: (money == bool(re.search(r"(?i)giá trị|USD|đồng", row.columns[i])), -i))
    fits = [(overlap(terms, row.columns[i], ctx.vocab), -i) for i in values]
    fit, neg = max(fits, default=(0.0, 0))
    if fit >= 0.2:
        return -neg
    # a long question names its column in a few words ('… sang Singapore và Malaysia có công suất dự kiến là bao
    # nhiêu'): the header most of whose words it writes ('Công suất (MW)', 'Công suất các NMĐ')
    covers = [(_header_cover(row.columns[i], q.folded), -i) for i in values]
    cover, neg = max(covers, default=(0.0, 0))
    return -neg if cover >= MIN_HEADER_COVER else None


MIN_HEADER_COVER = 0.6


def _header_cover(column: str, folded_question: str) -> float:
    """The share of a column header's words (its unit in brackets and 'các' aside) the question writes."""
    words = [w for w in fold(re.sub(r"\([^)]*\)", " ", column)).lower().split() if w != "cac"]
    asked = set(re.findall(r"\w+", folded_question))
    return sum(w in asked for w in words) / len(words) if words else 0.0


# A table's total row, one label and one figure ('Tổng cộng' / '732' under Thanh Hóa KH 235's Phụ lục II of samples;
# 'Tổng' / '( I +II +III +IV)' / '1.500.000.000' under Đắk Lắk KH 0134's cost table): 'tổng số mẫu … là bao nhiêu'
# is that figure, which no sentence states. A row of several totals (one per column) names no one figure.
# (the parenthesis a total may carry sums groups, '( I +II +III +IV)'; the header's 'Tổng số' / '(mẫu)' is no total)
_TOTAL_ROW = re.compile(
    r"(?m)^(Tổng cộng|Tổng số|Tổng|Cộng)\n(?:\([^)\n]{0,40}\+[^)\n]{0,40}\)\n)?([\d.,]+)\n(?![\d.,]+\n)"
)
_TOTAL_ASKED = re.compile(r"\btong (?:so|cong)\b")
_APPENDIX = re.compile(r"(?m)^PHỤ LỤC\s+([IVX\d]+)\b")
_CAPTION_CHARS = 300  # the appendix heading and the caption under it
_TOTAL_UNIT = re.compile(r"Tổng\s+số\s*\(([^()\d]{1,15})\)")  # the total column's header: 'Tổng số (mẫu)'
MIN_CAPTION_FIT = 0.5  # the caption carries most of the question's weight of words


def table_total(ctx: "Context", q: Question, docs: tuple[str, ...]) -> Draft | None:
    """'Tổng số/tổng cộng … bao nhiêu' answered by the total row of the appendix table whose caption matches the
    question (and whose number, when the question names the appendix); None when no caption fits."""
    if not _TOTAL_ASKED.search(q.folded):
        return None
    terms = topic_terms(q, ctx.stop_terms(q))
    best: tuple[float, re.Match[str], PlanRecord, re.Match[str]] | None = None
    for doc in docs:
        plan = ctx.plans[doc]
        appendices = list(_APPENDIX.finditer(plan.text))
        for total in _TOTAL_ROW.finditer(plan.text):
            above = [a for a in appendices if a.start() < total.start()]
            appendix = above[-1] if above else None  # the last appendix heading above the total
            if appendix is None or (q.asks.appendix and appendix.group(1) != q.asks.appendix):
                continue
            caption = plan.text[appendix.start() : appendix.start() + _CAPTION_CHARS]
            fit = overlap(terms, caption, ctx.vocab)
            if fit >= MIN_CAPTION_FIT and (best is None or fit > best[0]):
                best = (fit, total, plan, appendix)
    if best is None:
        return None
    fit, total, plan, appendix = best
    unit = _TOTAL_UNIT.search(plan.text, appendix.start(), total.start())
    value = total.group(2) + (f" {unit.group(1).strip()}" if unit else "")
    section = ctx.section_at(plan, total.start())
    text = with_source(f"{total.group(1)} ({collapse_ws(caption_of(plan, appendix))}): {value}", plan, section)
    ev = Evidence(plan.doc_id, section, total.start(), total.end() - 1, 1.0)
    return Draft([Part(text, (ev,))], confidence=fit)


def caption_of(plan: PlanRecord, appendix: re.Match[str]) -> str:
    """'PHỤ LỤC II THÔNG SỐ, … NĂM 2026': the heading and its caption, up to the line '(Kèm theo …)'."""
    caption = plan.text[appendix.start() : appendix.start() + _CAPTION_CHARS]
    return re.split(r"\n\(|\nTT\n", caption)[0]

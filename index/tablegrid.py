"""Task tables read from their header, for flattened text and Word tables alike.

A task table is found by its header (STT / nhiệm vụ / chủ trì / phối hợp / thời hạn … in any order and
wording); each header cell is mapped to a field by synonyms. Rows start at a row number; group rows ("I.",
"A. BỘ …") title the rows under them and lend them their lead when the table names the lead only there.
In flattened text a row's lines are joined into cells by wrap hints, then cells are aligned to the header's
columns by what they hold (agency, time, amount, text) in one dynamic programme, so empty cells dropped by
the PDF do not shift the fields. Rows that cannot be resolved keep their raw cells and are marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import AGENCY_START, COORDINATE_START
from .load import Block, NormalizedDoc

# Header cell -> field, first match wins (order matters: "Thời hạn hoàn thành" is a time, "Kết quả thực hiện"
# a result, "Cơ quan chủ trì theo dõi" a lead). Each synonym appears in the headers of two or more documents.
HEADER_ROLES: tuple[tuple[str, str], ...] = (
    ("number", r"^(?:S\.?\s?TT|TT|Số\s+TT|Số\s+thứ\s+tự)\.?$"),
    ("person", r"người đứng đầu|lãnh đạo (?:phụ trách|chỉ đạo)"),
    ("doc", r"văn bản giao"),
    ("lead", r"chủ\s*trì|cơ quan thực hiện|đơn vị thực hiện|cơ quan, đơn vị thực hiện|trách nhiệm thực hiện"),
    ("coordinate", r"phối\s*hợp"),
    ("time", r"thời gian|thời hạn|tiến độ|hoàn thành|lộ trình|thời điểm"),
    ("budget", r"kinh phí|nguồn vốn|ngân sách|nguồn lực|nguồn tài chính|dự toán"),
    ("result", r"kết quả|sản phẩm|chỉ tiêu|mục tiêu|yêu cầu"),
    ("group", r"nhóm nhiệm vụ|lĩnh vực"),
    ("name", r"nhiệm vụ|nội dung|hoạt động|giải pháp|tên|công việc|đề án|dự án|chương trình"),
    ("unit", r"^đơn vị(?: tính)?$|^đvt$"),
    ("note", r"ghi chú"),
)
TIME_CELL = re.compile(
    r"^(?:(?:Trước|Từ|Trong|Đến|Dự kiến|Chậm nhất|Hoàn thành|Trước ngày|Ngày|Cuối|Đầu|Giữa)\s+)*"
    r"(?:ngày\s+\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|(?:[Nn]ăm\s+)?\d{4}|"
    r"[Qq]u[ýí]\s*[IV1-4]+|[Tt]háng\s+\d{1,2}|6 tháng|[Tt]hường xuyên|[Hh][àằ]ng\s+(?:năm|quý|tháng)|"
    r"[Đđ]ịnh kỳ|[Gg]iai đoạn|[Nn]ăm học|[Kk]ế hoạch (?:trung hạn|hàng năm))"
)
AMOUNT_CELL = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?(?:\s*(?:tỷ|triệu|nghìn)?\s*(?:đồng|VNĐ|đ))?$")
PERSON_CELL = re.compile(
    r"^(?:Bộ trưởng|Thứ trưởng|Cục trưởng|Vụ trưởng|Chánh|Giám đốc|Chủ tịch|Thủ trưởng|Người đứng đầu|Tổng cục trưởng|"
    r"Trưởng|Viện trưởng)\b"
)
ROW_START = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:\s+(\S.*))?$")
GROUP_START = re.compile(r"^((?:[IVX]{1,5})(?:\.\d{1,2})?|[A-ZĐ])(?:\.|\))?(?:\s+(\S.*))?$")
APPENDIX_LINE = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?([IVX]+|\d+))?\b")
_CONNECTOR_END = re.compile(
    r"(?:\b(?:và|của|các|cho|với|về|tại|thuộc|trong|năm|những|theo|để|trên|đối với|là|được|có|từ|đến|số)|[,(&/:–-])$",
    re.IGNORECASE,
)
_WRAP_WIDTH = 68  # a crawled or PDF line this long that does not end a sentence wraps inside its cell
# Task wordings that begin like an agency name ("Báo cáo …" is a report, "Báo Hưng Yên" a newspaper).
_NOT_AGENCY = re.compile(
    r"^(?:Báo cáo|Phối hợp (?:với|thực hiện|xây dựng|tổ chức)|Các (?:nhiệm vụ|giải pháp|hoạt động|chỉ tiêu))\b"
)
# Words that open an agency's name and never end a cell ("Bộ Công an, Bộ" / "Khoa học và Công nghệ").
_NAME_OPENERS = frozenset("Bộ Sở Ban Ủy Uỷ UBND Cục Vụ Văn Trung Viện Tổng".split())
# a row without a lead or a task is rare: skipping those columns costs
_SKIP_COST = {
    "lead": 1.5,
    "name": 1.0,
}


@dataclass(frozen=True)
class GridRow:
    """One table row as cells (text, first block, last block), plus its row number or group marker."""

    marker: str
    cells: tuple[tuple[str, int, int], ...]
    is_group: bool = False
    cols: tuple[int, ...] = ()  # column of each cell, for real (Word) tables


@dataclass(frozen=True)
class GridTable:
    """A header-mapped table: field of every column, and its rows in order."""

    title: str
    roles: tuple[str, ...]
    header_blocks: tuple[int, ...]
    rows: tuple[GridRow, ...]
    positional: bool  # True for real (Word) tables: cells sit in their columns


def header_role(cell: str) -> str | None:
    """The field a header cell names ('Cơ quan chủ trì' -> 'lead'), None when it names none."""
    text = re.sub(r"\s+", " ", cell).strip(" :*")
    for role, rx in HEADER_ROLES:
        if re.search(rx, text, re.IGNORECASE):
            return role
    return None


def map_header(cells: list[str]) -> tuple[str, ...]:
    """Roles of the header cells in order; a parent cell over two sub-columns ('Cơ quan thực hiện' over
    'Chủ trì'/'Phối hợp') is dropped; a repeated role becomes 'extra' (the later 'Tiến độ' after 'Thời hạn')."""
    roles = [header_role(c) or "other" for c in cells]
    kept = [
        r
        for i, r in enumerate(roles)  # a two-level header's parent cell ('Cơ quan thực hiện' over 'Chủ trì' / …)
        if not (r in ("lead", "budget", "time") and len(roles[i + 1 : i + 3]) == 2 and roles[i + 1] == r)
    ]
    return settle_roles(kept)


def settle_roles(roles: list[str] | tuple[str, ...], repeatable: tuple[str, ...] = ("other",)) -> tuple[str, ...]:
    """A role seen again becomes 'extra' (unless it may repeat); when no column names the task, the first
    free-text column does ('Chỉ tiêu', 'Nhóm nhiệm vụ')."""
    out: list[str] = []
    for r in roles:
        out.append("extra" if r in out and r not in repeatable else r)
    if "name" not in out:
        for i, r in enumerate(out):
            if r in ("result", "group", "other"):
                out[i] = "name"
                break
    return tuple(out)


def is_task_header(roles: tuple[str, ...]) -> bool:
    """A header of a task table: a row-number column, a lead and a task, and most cells mean something."""
    known = sum(r not in ("other",) for r in roles)
    return "lead" in roles and "name" in roles and "number" in roles and len(roles) >= 3 and known >= 0.6 * len(roles)


# -- flattened text ---------------------------------------------------------------------------------------


def _is_header_line(text: str) -> bool:
    return len(text) <= 60 and not re.match(r"^(?:\d|[IVX]{1,5}\.?(?:\s|$)|[-+•])", text) and not text.endswith(".")


def find_text_header(blocks: tuple[Block, ...], lo: int, hi: int) -> tuple[int, int, tuple[str, ...]] | None:
    """(first, end, roles) of the first task-table header in blocks[lo:hi]: a run of short header lines (a
    cell wrapped over two lines is joined back when its second line starts in lower case)."""
    i = lo
    while i < hi:
        if not _is_header_line(blocks[i].text) or header_role(blocks[i].text) not in ("number", "name", "lead"):
            i += 1
            continue
        j, cells = i, []
        while j < hi and _is_header_line(blocks[j].text) and not (j > i and blocks[j].gap_before):
            t = blocks[j].text
            if cells and (t[:1].islower() or _CONNECTOR_END.search(cells[-1])):
                cells[-1] = f"{cells[-1]} {t}"
            else:
                cells.append(t)
            j += 1
        roles = map_header(cells)
        if is_task_header(roles):
            return i, j, roles
        i = j if j > i else i + 1
    return None


def cell_kind(text: str) -> str:
    """What a cell holds: 'amount', 'time', 'person', 'coord', 'agency' or 'text'."""
    if AMOUNT_CELL.match(text):
        return "amount"
    if TIME_CELL.match(text) and len(text) <= 60:
        return "time"
    if PERSON_CELL.match(text):
        return "person"
    if COORDINATE_START.match(text):
        return "coord"
    words = text.lstrip("-–+• ").split()
    if _NOT_AGENCY.match(text) or (
        len(words) > 1
        and words[0] in ("Bộ", "Sở", "Ban")
        and words[1][:1].islower()
        and words[1] not in ("ngành", "ban")
    ):
        return "text"  # "Bộ chỉ số …", "Bộ tiêu chí …" are things, not ministries
    if (
        AGENCY_START.match(text)
        or AGENCY_START.match(text.title())
        or re.match(r"Tổng (?:Thanh tra|cục|Liên đoàn)", text)
    ):
        return "agency"
    if re.fullmatch(r"[A-ZĐ]{2,8}(?:\s*[,;]\s*[A-ZĐ]{2,8})*", text):
        return "agency"  # an acronym alone: EVN, VNPT
    return "text"


def _joins(prev: str, line: str, cell: str = "") -> bool:
    """Whether `line` continues the cell `cell` whose text ends with line `prev` (a wrap, not a new cell)."""
    if line[:1].islower() or line[:1] in ",;:.)–":
        return True
    if _CONNECTOR_END.search(prev) or prev.rsplit(" ", 1)[-1] in _NAME_OPENERS:
        return True
    if re.fullmatch(r"[A-ZĐ&]{2,8}[.,;)]?", line) and cell_kind(cell or prev) in ("agency", "coord", "person"):
        return True  # an abbreviation ends a wrapped agency cell ("Các đơn vị được giao thực hiện" / "TTHC")
    if cell_kind(line) in ("agency", "coord", "time", "amount", "person"):
        return False
    return len(prev) >= _WRAP_WIDTH and not prev.endswith((".", ";", "!", "?"))


def _row_cells(blocks: tuple[Block, ...], idx: list[int], first_text: str) -> list[tuple[str, int, int]]:
    cells: list[tuple[str, int, int]] = []
    if first_text:
        cells.append((first_text, idx[0], idx[0]))
    prev_line = first_text
    for i in idx[1:]:
        t = blocks[i].text
        if (
            cells
            and prev_line
            and _joins(prev_line, t, cells[-1][0])
            and not (blocks[i].gap_before and cell_kind(t) != "text")
        ):
            text, a, _ = cells[-1]
            cells[-1] = (f"{text} {t}", a, i)
        else:
            cells.append((t, i, i))
        prev_line = t
    return cells


def _number_key(s: str) -> tuple[int, ...]:
    return tuple(int(p) for p in s.split("."))


def _next_number(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    """A plausible next row number: the next at some level, a first child, or a restart at 1 under a group."""
    if prev is None or cand == (1,):
        return True
    if len(cand) > len(prev):
        return cand[: len(prev)] == prev and all(c == 1 for c in cand[len(prev) :])
    k = len(cand)
    return cand[: k - 1] == prev[: k - 1] and 1 <= cand[-1] - prev[k - 1] <= 3


def text_rows(doc: NormalizedDoc, lo: int, hi: int, header: tuple[str, ...]) -> list[GridRow]:
    """Rows of a flattened table body blocks[lo:hi]: a row starts at its number, a group at its marker."""
    blocks = doc.blocks
    starts: list[tuple[int, str, str, bool]] = []  # (block, marker, inline text, is_group)
    prev: tuple[int, ...] | None = None
    last_group = ""
    for i in range(lo, hi):
        t = blocks[i].text
        m = ROW_START.match(t)
        bare_after_gap = blocks[i].gap_before and re.fullmatch(r"\d{1,3}", t) is not None
        key_ = _number_key(m.group(1)) if m else ()
        restart = key_ == (1,) and prev is not None and not (starts and starts[-1][3])  # 1 again, no group above
        if m and (_next_number(prev, key_) and not restart or bare_after_gap) and not TIME_CELL.fullmatch(t):
            prev = key_
            starts.append((i, m.group(1), m.group(2) or "", False))
            continue
        g = GROUP_START.match(t)
        if (
            g
            and _next_group(last_group, g.group(1))
            and (g.group(2) or i + 1 < hi)
            and (i == lo or blocks[i].gap_before or not _joins(blocks[i - 1].text, t))
        ):
            last_group = g.group(1)
            starts.append((i, g.group(1), g.group(2) or "", True))
        elif _unmarked_group(blocks, i, hi):
            starts.append((i, "", "", True))
    rows = []
    for n, (i, marker, inline, group) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else hi
        idx = list(range(i, end))
        cells = _row_cells(blocks, idx, inline)
        if group:
            text = " ".join(c[0] for c in cells)
            cells = [(text, i, end - 1)] if text else []
        rows.append(GridRow(marker, tuple(cells), group))
    return _demote_parents(rows)


def _unmarked_group(blocks: tuple[Block, ...], i: int, hi: int) -> bool:
    """A title line between blank lines with no marker, right before a numbered row ('Nhiệm vụ giao Bộ trưởng
    Bộ X chỉ đạo'): the crawl's blank lines say it is a row of its own."""
    if not blocks[i].gap_before or ROW_START.match(blocks[i].text):
        return False
    j = i + 1
    while j < hi and not blocks[j].gap_before and j - i <= 3:
        j += 1
    return j < hi and j - i <= 3 and blocks[j].gap_before and bool(re.fullmatch(r"\d{1,3}", blocks[j].text))


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def _next_group(last: str, marker: str) -> bool:
    """Group markers follow each other: I, II, III … or A, B, C …; the first is I or A; 'I.1', 'I.2' under I."""
    if "." in marker:
        roman, n = marker.split(".", 1)
        base = last.split(".", 1)[0]
        prev_n = int(last.split(".", 1)[1]) if "." in last else 0
        return roman in _ROMANS and (
            (roman == base and int(n) == prev_n + 1) or (_next_group(base, roman) and n == "1")
        )
    if marker in _ROMANS:
        last = last.split(".", 1)[0]
        return _ROMANS.index(marker) == (_ROMANS.index(last) + 1 if last in _ROMANS else 0)
    if len(marker) == 1 and marker.isalpha():
        return ord(marker) == (ord(last) + 1 if len(last) == 1 and last not in _ROMANS else ord("A"))
    return False


def _demote_parents(rows: list[GridRow]) -> list[GridRow]:
    """A numbered row followed by its first child ('1' then '1.1') and holding only a title is a group."""
    out = []
    for n, r in enumerate(rows):
        nxt = rows[n + 1] if n + 1 < len(rows) else None
        if not r.is_group and nxt and nxt.marker.startswith(r.marker + ".") and len(r.cells) <= 1:
            r = GridRow(r.marker, r.cells, True)
        out.append(r)
    return out


# -- aligning cells to columns -----------------------------------------------------------------------------

_SCORES: dict[str, dict[str, float]] = {
    #            agency coord  time  amount person text
    "name": {"agency": 0.0, "coord": -1.0, "time": -3.0, "amount": -3.0, "person": -1.0, "text": 2.0},
    "lead": {"agency": 3.0, "coord": 1.0, "time": -4.0, "amount": -4.0, "person": 0.5, "text": -2.0},
    "coordinate": {"agency": 2.0, "coord": 3.0, "time": -4.0, "amount": -4.0, "person": 0.0, "text": -1.5},
    "time": {"agency": -3.0, "coord": -3.0, "time": 4.0, "amount": -1.0, "person": -3.0, "text": -1.5},
    "budget": {"agency": -2.0, "coord": -2.0, "time": -1.0, "amount": 3.0, "person": -2.0, "text": 0.5},
    "person": {"agency": 0.5, "coord": -1.0, "time": -4.0, "amount": -4.0, "person": 3.0, "text": -1.0},
    "result": {"agency": -0.5, "coord": -1.0, "time": -1.0, "amount": 0.5, "person": -1.0, "text": 1.5},
}
_DEFAULT_SCORE = {"agency": -0.5, "coord": -0.5, "time": -0.5, "amount": 0.0, "person": -0.5, "text": 0.5}


def _score(role: str, kind: str) -> float:
    return _SCORES.get(role, _DEFAULT_SCORE)[kind]


def align(cells: list[str], roles: tuple[str, ...]) -> list[int]:
    """Column index of each cell, in order, maximizing how well each cell fits its column's field.
    Columns may be skipped (empty cells); a text column may take several consecutive cells (a split cell)."""
    kinds = [cell_kind(c) for c in cells]
    n, m = len(cells), len(roles)
    neg = float("-inf")
    best = [[neg] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for j in range(m):
        best[0][j] = (
            _score(roles[j], kinds[0]) + (1.0 if j == 0 else 0.0) - sum(_SKIP_COST.get(roles[x], 0.0) for x in range(j))
        )
    for i in range(1, n):
        for j in range(m):
            s = _score(roles[j], kinds[i])
            cands = [
                (best[i - 1][k] - sum(_SKIP_COST.get(roles[x], 0.0) for x in range(k + 1, j)), k) for k in range(j)
            ]
            if kinds[i] == "text":
                cands.append((best[i - 1][j] - 1.5, j))  # the same column again: a cell split in two
            elif roles[j] in ("lead", "coordinate") and kinds[i] in ("agency", "coord"):
                cands.append((best[i - 1][j] - 2.5, j))
            val, k = max(cands, default=(neg, -1))
            if val > neg:
                best[i][j], back[i][j] = val + s, k
    j = max(range(m), key=lambda c: best[n - 1][c])
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = j
        j = back[i][j]
    return out


def row_fields(cells: list[str], roles: tuple[str, ...], positional: bool) -> tuple[dict[str, list[str]], list[str]]:
    """{field: cell texts} of one row, and notes on what could not be resolved."""
    cols = list(range(len(cells))) if positional else align(cells, roles)
    fields: dict[str, list[str]] = {}
    for text, c in zip(cells, cols):
        if text:
            fields.setdefault(roles[c], []).append(text)
    notes = []
    if not positional and len(cells) > len(roles):
        notes.append("số ô nhiều hơn số cột: ranh giới giữa các ô không chắc chắn")
    return fields, notes

"""Task rows from header-mapped tables (flattened text or Word): fields, group rows, row numbers.

Shares the TaskRow/Table results with the legacy flattened-table reader in tasks.py; parse_tables there
keeps, per appendix, whichever reading resolves more rows.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .load import NormalizedDoc
from .tablegrid import (
    AGENCY_START,
    APPENDIX_LINE,
    GridRow,
    GridTable,
    cell_kind,
    find_text_header,
    header_role,
    is_task_header,
    row_fields,
    settle_roles,
    text_rows,
)
from .tasks import Table, TaskRow

_FIELD_LABELS = {
    "person": "Người đứng đầu chịu trách nhiệm",
    "doc": "Văn bản giao nhiệm vụ",
    "result": "Kết quả",
    "group": "Nhóm nhiệm vụ",
    "unit": "Đơn vị",
    "extra": "",
    "other": "",
    "note": "Ghi chú",
}


def _appendix_title(doc: NormalizedDoc, before: int) -> str:
    titles = [b.text for b in doc.blocks[:before] if b.region == "appendix" and APPENDIX_LINE.match(b.text)]
    m = APPENDIX_LINE.match(titles[-1]) if titles else None
    return f"PHỤ LỤC {m.group(1)}" if m and m.group(1) else "PHỤ LỤC"


# -- flattened text --------------------------------------------------------------------------------------


def text_grid_tables(doc: NormalizedDoc) -> list[GridTable]:
    """Every task table of the appendix, found by its header; a header repeated on the next page with the
    same columns continues the table."""
    first = next((i for i, b in enumerate(doc.blocks) if b.region == "appendix"), None)
    if first is None:
        return []
    n = len(doc.blocks)
    out: list[GridTable] = []
    pos = first
    while (found := find_text_header(doc.blocks, pos, n)) is not None:
        a, b, roles = found
        end, headers = b, [a, b]
        while True:
            nxt = find_text_header(doc.blocks, end, n)
            stop = _next_appendix(doc, end, n)
            if nxt is None or nxt[0] > stop or nxt[2] != roles:
                end = min(stop, nxt[0] if nxt else n)
                break
            headers += [nxt[0], nxt[1]]
            end = nxt[1]
        body = [
            i for i in range(b, end) if not any(headers[k] <= i < headers[k + 1] for k in range(0, len(headers), 2))
        ]
        rows = text_rows_multi(doc, body, roles) if body else []
        header_blocks = tuple(i for k in range(0, len(headers), 2) for i in range(headers[k], headers[k + 1]))
        out.append(GridTable(_appendix_title(doc, a + 1), roles, header_blocks, tuple(rows), False))
        pos = max(end, b)
    return out


def _next_appendix(doc: NormalizedDoc, lo: int, hi: int) -> int:
    return next((i for i in range(lo, hi) if APPENDIX_LINE.match(doc.blocks[i].text)), hi)


def text_rows_multi(doc: NormalizedDoc, body: list[int], roles: tuple[str, ...]) -> list[GridRow]:
    """Rows over a table body that may skip repeated header lines (contiguous runs parsed in turn)."""
    runs: list[list[int]] = []
    for i in body:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    rows: list[GridRow] = []
    for run in runs:
        part = text_rows(doc, run[0], run[-1] + 1, roles)
        rows += part
    return rows


# -- Word tables -----------------------------------------------------------------------------------------


def word_grid_tables(doc: NormalizedDoc) -> list[GridTable]:
    """Task tables among the Word tables: header row(s) mapped to fields (two-level headers merged per
    grid column), then one GridRow per row; a row whose one cell spans the table is a group row."""
    out = []
    for raw in doc.tables:
        grid = [_grid_texts(doc, idx, spans) for idx, spans in zip(raw.rows, raw.spans)]
        if len(grid) < 2:
            continue
        width = max(len(r) for r in grid)
        nhead, roles = _word_header(grid, width)
        if not roles:
            continue
        rows = []
        for idx, spans, cells in zip(raw.rows[nhead:], raw.spans[nhead:], grid[nhead:]):
            rows.append(_word_row(doc, idx, spans, cells, roles, width))
        header_blocks = tuple(i for r in raw.rows[:nhead] for i in r if i >= 0)
        title = _appendix_title(doc, (header_blocks or (0,))[0] + 1)
        out.append(GridTable(title, roles, header_blocks, tuple(r for r in rows if r.cells), True))
    return out


def _grid_texts(doc: NormalizedDoc, idx: tuple[int, ...], spans: tuple[int, ...]) -> list[tuple[str, int]]:
    """A row laid out on the grid: (text, block) per grid column; a merged cell fills the columns it spans."""
    out: list[tuple[str, int]] = []
    for i, w in zip(idx, spans):
        text = doc.blocks[i].text if i >= 0 else ""
        out += [(text, i)] + [("", -2)] * (w - 1)
    return out


def _word_header(grid: list[list[tuple[str, int]]], width: int) -> tuple[int, tuple[str, ...]]:
    """(number of header rows, role per grid column); (0, ()) when the table is not a task table."""
    first = [t for t, _ in grid[0]] + [""] * (width - len(grid[0]))
    roles1 = [header_role(t) if t else None for t in first]
    second = [t for t, _ in grid[1]] + [""] * (width - len(grid[1]))
    roles2 = [header_role(t) if t else None for t in second]
    two_level = sum(r is not None for r in roles2) >= 2 and not any(re.match(r"^\d", t) for t in second if t)
    cols = []
    last = "other"
    for c in range(width):
        r = (roles2[c] if two_level and roles2[c] else None) or roles1[c]
        if r is None and grid[0][c][1] == -2 if c < len(grid[0]) else False:
            r = last  # under a merged parent with no sub-header of its own
        cols.append(r or "other")
        last = cols[-1]
    texts = [f"{first[c]} {second[c] if two_level else ''}".strip() for c in range(width)]
    # a column neither header row names alone may be named by the two read together; budget columns may repeat
    roles = settle_roles(
        [c_role if c_role != "other" else (header_role(t) or "other") for c_role, t in zip(cols, texts)],
        repeatable=("other", "budget"),
    )
    return (2 if two_level else 1, roles) if is_task_header(roles) else (0, ())


def _word_row(
    doc: NormalizedDoc,
    idx: tuple[int, ...],
    spans: tuple[int, ...],
    cells: list[tuple[str, int]],
    roles: tuple[str, ...],
    width: int,
) -> GridRow:
    present = [(t, i) for t, i in cells if i >= 0 and t]
    col_of = []
    c = 0
    for i, w in zip(idx, spans):
        col_of.append((c, i))
        c += w
    number_col = roles.index("number") if "number" in roles else None
    number = next((doc.blocks[i].text for c, i in col_of if c == number_col and i >= 0), "").strip().rstrip(".")
    wide = any(w >= max(2, width - 2) for w in spans)
    marker_first = bool(present) and bool(re.fullmatch(r"(?:[IVX]{1,5}|[A-ZĐ]|\d+(?:\.\d+)*)[.)]?", present[0][0]))
    group_number = bool(re.fullmatch(r"(?:[IVX]{1,5}(?:\.\d{1,2}){0,2}|[A-ZĐ])[.)]?", number))
    filled = {roles[c] for c, i in col_of if i >= 0 and c < len(roles) and doc.blocks[i].text}
    plain = not filled & {"lead", "coordinate", "time"} or any(
        re.fullmatch(r"[IVX]{1,5}(?:\.\d{1,2}){1,2}", t) for t, _ in present[1:]
    )  # a second group marker
    if (
        (wide and (len(present) == 1 or (len(present) == 2 and marker_first)))
        or (group_number and plain)
        or (len(present) == 1 and not re.fullmatch(r"\d+(?:\.\d+)*", number))
    ):
        text = " ".join(t for t, _ in present)
        marker = re.match(r"^([IVX]{1,5}(?:\.\d{1,2}){0,2}|[A-ZĐ]|\d+(?:\.\d+)*)[.)]?\s", text)
        blocks = [i for _, i in present]
        return GridRow(marker.group(1) if marker else number, ((text, blocks[0], blocks[-1]),) if blocks else (), True)
    if number and not re.fullmatch(r"[\dIVXa-zA-Z.]{1,8}", number):
        # a row with fewer cells than the table (no number cell): its cells are not in their columns
        row = [(doc.blocks[i].text, i, i) for _, i in col_of if i >= 0 and doc.blocks[i].text]
        return GridRow("", tuple(row), False, ())
    row = [(doc.blocks[i].text, i, i, c) for c, i in col_of if i >= 0 and c != number_col and doc.blocks[i].text]
    return GridRow(number, tuple((t, a, b) for t, a, b, _ in row), False, tuple(c for *_, c in row))


# -- rows -------------------------------------------------------------------------------------------------


def grid_to_table(doc: NormalizedDoc, g: GridTable) -> Table:
    """TaskRows of a header-mapped table: fields, the group rows above each row, leads lent by groups."""
    content_roles = tuple(r for r in g.roles if r != "number")
    rows: list[TaskRow] = []
    groups: list[TaskRow] = []
    stack: list[tuple[str, str]] = []  # (marker, title) of the enclosing groups
    seen: dict[str, int] = {}
    for r in g.rows:
        if r.is_group:
            title = r.cells[0][0] if r.cells else r.marker
            depth = _depth(r.marker)
            stack = [s for s in stack if _depth(s[0]) < depth] + [(r.marker, title)]
            if r.cells:
                groups.append(_group_row(doc, g, r, title))
            continue
        if not r.cells:
            continue
        if g.positional:
            parts = [r]
            if not r.marker and rows:  # an unnumbered row continues the numbered one above with a task of its own
                parts = [GridRow(rows[-1].number, r.cells, False, r.cols)]
        else:
            parts = [GridRow(r.marker, tuple(p), False) for p in split_parts(list(r.cells), content_roles)]
        for k, part in enumerate(parts):
            texts = [c[0] for c in part.cells]
            placed = g.positional and bool(part.cols)
            roles = _word_roles(g, part) if placed else content_roles
            fields, notes = row_fields(texts, roles, placed)
            cont = g.positional and not r.marker and rows
            row = _task_row(doc, g, part, fields, notes, stack, seen if k == 0 and not cont else {})
            if k or cont:
                prev = rows[-1]
                row = replace(row, number=prev.number, part=prev.part + 1)
            rows.append(row)
    return Table(
        g.title, g.roles, (min(g.header_blocks, default=0), _last_block(g)), g.header_blocks, tuple(rows), tuple(groups)
    )


def split_parts(cells: list[tuple[str, int, int]], roles: tuple[str, ...]) -> list[list[tuple[str, int, int]]]:
    """A flattened row that holds a second task with its own lead (the table's unnumbered continuation row):
    split where, after a time cell, a task text is followed by an agency. Only when the task column comes
    before the lead column, as the split relies on that order."""
    if "name" not in roles or "lead" not in roles or roles.index("name") > roles.index("lead"):
        return [cells]
    kinds = [cell_kind(c[0]) for c in cells]
    seen_time = False
    for k in range(1, len(cells) - 1):
        seen_time = seen_time or kinds[k - 1] == "time"
        if (
            seen_time
            and k >= 3
            and kinds[k] == "text"
            and kinds[k + 1] in ("agency", "coord")
            and not cells[k][0].startswith(("-", "+", "•", "–"))
            and kinds[k - 1] in ("time", "text", "amount")
        ):
            return [cells[:k]] + split_parts(cells[k:], roles)
    return [cells]


def _depth(marker: str) -> int:
    """Nesting of a group marker: I / A = 0, I.1 = 1, numbered groups 1 = 1, 1.1 = 2."""
    if re.fullmatch(r"\d+(?:\.\d+)*", marker):
        return marker.count(".") + 1
    return marker.count(".")


def _last_block(g: GridTable) -> int:
    return max((c[2] for r in g.rows for c in r.cells), default=0) + 1


def _word_roles(g: GridTable, r: GridRow) -> tuple[str, ...]:
    """Roles of a Word row's cells (positional): the columns their blocks were laid in."""
    return tuple(g.roles[c] if c < len(g.roles) else "other" for c in r.cols)


def _group_row(doc: NormalizedDoc, g: GridTable, r: GridRow, title: str) -> TaskRow:
    text, a, b = r.cells[0]
    return TaskRow(
        doc.doc_id, g.title, r.marker or "?", title, start=doc.blocks[a].start, end=doc.blocks[b].end, cells=(text,)
    )


def _group_lead(stack: list[tuple[str, str]]) -> str:
    """A group title that names an agency ('A. BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG') leads the rows under it."""
    for marker, title in reversed(stack):
        name = re.sub(r"^(?:[IVX]{1,5}|[A-ZĐ]|\d+(?:\.\d+)*)[.)]?\s+", "", title).strip(" :")
        if (AGENCY_START.match(name) or AGENCY_START.match(name.capitalize())) and not re.match(r"(?i)các\b", name):
            return name
    return ""


def _task_row(
    doc: NormalizedDoc,
    g: GridTable,
    r: GridRow,
    fields: dict[str, list[str]],
    notes: list[str],
    stack: list[tuple[str, str]],
    seen: dict[str, int],
) -> TaskRow:
    lead = " ".join(fields.get("lead", []))
    if not lead and (glead := _group_lead(stack)):
        lead = glead
    if not lead:
        notes.append("không xác định được cơ quan chủ trì")
    number = r.marker or str(len(seen) + 1)
    if number in seen:  # numbering restarts under each group: qualify it by the group marker
        number = f"{stack[-1][0]}.{number}" if stack and stack[-1][0] else f"{number}#{seen[number] + 1}"
    seen[r.marker or number] = seen.get(r.marker or number, 0) + 1
    details = []
    for role in ("result", "person", "doc", "unit", "extra", "other", "group"):
        for v in fields.get(role, []):
            label = _FIELD_LABELS.get(role, "")
            details.append(f"{label}: {v}" if label else v)
    budget = tuple(("Kinh phí", v) for v in fields.get("budget", []))
    first, last = r.cells[0][1], r.cells[-1][2]
    return TaskRow(
        doc.doc_id,
        g.title,
        number,
        " ".join(fields.get("name", [])),
        lead,
        " ".join(fields.get("coordinate", [])),
        " ".join(fields.get("time", [])),
        " ".join(details),
        budget,
        " ".join(fields.get("note", [])),
        group=" > ".join(t for _, t in stack),
        number_inferred=not r.marker,
        ambiguous=tuple(notes),
        cells=tuple(c[0] for c in r.cells),
        start=doc.blocks[first].start,
        end=doc.blocks[last].end,
    )


def header_tables(doc: NormalizedDoc) -> list[Table]:
    """Task tables read from their headers (Word tables when the document has them, else flattened text)."""
    grids = word_grid_tables(doc) if doc.tables else text_grid_tables(doc)
    return _unique_paths([grid_to_table(doc, g) for g in grids])


def _unique_paths(tables: list[Table]) -> list[Table]:
    """Two tables under one appendix title may number rows alike: later ones get '#2', '#3' … (ids stay unique)."""
    seen: dict[str, int] = {}
    out = []
    for t in tables:
        rows = []
        for r in t.rows:
            n = seen.get(r.section_path, 0)
            seen[r.section_path] = n + 1
            rows.append(replace(r, number=f"{r.number}#{n + 1}") if n else r)
        out.append(replace(t, rows=tuple(rows)))
    return out

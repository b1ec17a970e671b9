"""Task items written as prose with labelled fields instead of a table:

    a) Nghị định quy định chi tiết …
    - Cơ quan chủ trì: Sở Khoa học và Công nghệ.
    - Cơ quan phối hợp: Các sở, ngành có liên quan …
    - Thời gian thực hiện: Quý IV năm 2025.

This is the layout of the Government's "Kế hoạch triển khai thi hành Luật" and of the provinces' plans that
follow it (Lai Châu 7360/KH-UBND and the Thủ tướng's 2623/QĐ-TTg in corpus-dev). Each item becomes a task row
like an appendix table's, so the same role answers, concise fields and citations serve it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .load import NormalizedDoc
from .sections import Section, item_marker
from .tasks import TaskRow

# Field labels and the row field each fills. "Cơ quan thực hiện" names the agencies that carry the task out: in
# these items it stands where "chủ trì" stands in others (both occur in Lai Châu 7360 and QĐ 2623); empty, it
# heads "- Đơn vị chủ trì: …" / "- Đơn vị phối hợp: …" lines (Hà Nội 308, and the 2623's "+" items).
_LABELS: tuple[tuple[str, str], ...] = (
    (r"(?:Cơ quan|Đơn vị) (?:chủ trì|thực hiện|chịu trách nhiệm)|Chủ trì", "lead"),
    (r"(?:Cơ quan|Đơn vị) phối hợp|Phối hợp", "coordinate"),
    (r"Thời (?:gian|hạn)(?: thực hiện| hoàn thành| ban hành| trình)?", "time"),
    (r"Nội dung(?: thực hiện)?|Nhiệm vụ(?: cụ thể)?", "name"),
    (r"(?:Sản phẩm|Kết quả)(?: đầu ra| dự kiến)?", "details"),
    (r"Kinh phí(?: thực hiện)?", "budget_note"),
)
_FIELD = re.compile(
    r"^(?:[-–+•]|[a-zđ]\)|\d{1,2}\.)?\s*(?P<label>"
    + "|".join(f"(?:{p})" for p, _ in _LABELS)
    + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _field_of(text: str) -> tuple[str, str] | None:
    m = _FIELD.match(text)
    if not m:
        return None
    label = m.group("label")
    role = next(r for p, r in _LABELS if re.fullmatch(p, label, re.IGNORECASE))
    return role, m.group("value").strip()


_BULLETS = "-–•"  # the marks that open a bullet line ('+' lines are an item's fields)


@dataclass
class _Item:
    blocks: list[int] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    last: str = ""
    title: int | None = None  # a bullet line right above the first field that names the item

    def add(self, i: int, text: str) -> None:
        self.blocks.append(i)
        found = _field_of(text)
        if found:
            self.last = found[0]
            if found[1]:
                self.fields[self.last] = found[1]
        elif self.last:
            self.fields[self.last] = f"{self.fields.get(self.last, '')} {text}".strip()


def _items(doc: NormalizedDoc, heads: set[int]) -> list[_Item]:
    """Runs of labelled fields; a field already filled starts the next item, a heading that is not a field
    ends the run (the lines between fields continue the field above them: '+'/'-' lists, wrapped text)."""
    items: list[_Item] = []
    current: _Item | None = None
    bullet: int | None = None  # the last bullet line that is no field ('- Nghị định xử phạt vi phạm …')
    for i, b in enumerate(doc.blocks):
        found = _field_of(b.text) if b.region == "body" else None
        if found:
            if current is None or (found[1] and current.fields.get(found[0])):
                # a bullet right above the first field is the item's name when the item is a bullet under a
                # numbered heading, its fields '+' lines (QĐ 2623's '5. Xây dựng Nghị định' > '- Nghị định xử phạt
                # …' > '+ Cơ quan chủ trì: …'), as a lettered heading names it in Lai Châu 7360's 'b) Nghị định …'
                current = _Item(title=bullet if bullet == i - 1 else None)
                items.append(current)
            current.add(i, b.text)
            bullet = None
        elif current is not None and b.region == "body" and i not in heads and not item_marker(b.text):
            if _names_next(doc, i, current):
                current, bullet = None, i
            else:
                current.add(i, b.text)
        else:
            current = None
            bullet = i if b.region == "body" and i not in heads and b.text[:1] in _BULLETS else None
    return [x for x in items if x.fields.get("lead")]


def _names_next(doc: NormalizedDoc, i: int, current: _Item) -> bool:
    """Block i is a bullet that names the next item: the field right after it is one the current item already has
    (a bullet inside a field's list is followed by more of the list or by a field still to come)."""
    if doc.blocks[i].text[:1] not in _BULLETS or i + 1 >= len(doc.blocks) or doc.blocks[i + 1].region != "body":
        return False
    nxt = _field_of(doc.blocks[i + 1].text)
    return bool(nxt and nxt[1] and current.fields.get(nxt[0]))


def _number_and_name(heading: str) -> tuple[str, str]:
    found = item_marker(heading)
    if not found:
        return "", heading
    return found[0].rstrip("."), found[1].rstrip(":").strip()


def _item_heading(sections: list[Section], first: int) -> tuple[tuple[str, ...], int | None]:
    """The item's own heading: the section that holds its first field, or that section's parent when the field
    is itself a lettered heading ('a) Nhiệm vụ: …')."""
    sec = next((s for s in sections if s.kind == "body" and first in s.blocks), None)
    if sec is None:
        return (), None
    if sec.blocks[0] == first:
        parent = next((s for s in sections if s.kind == "body" and s.path == sec.path[:-1]), None)
        return (parent.path, parent.blocks[0]) if parent else (sec.path[:-1], None)
    return sec.path, (sec.blocks[0] if sec.blocks[0] < first else None)


def labelled_rows(doc: NormalizedDoc, sections: list[Section]) -> list[TaskRow]:
    """One task row per labelled item that names who carries it out."""
    heads = {s.blocks[0] for s in sections if s.kind == "body" and s.blocks}
    rows: list[TaskRow] = []
    taken: set[str] = set()
    for item in _items(doc, heads):
        path, head = _item_heading(sections, item.blocks[0])
        if not path:
            continue
        heading = doc.blocks[head].text if head is not None else ""
        number, title = _number_and_name(heading)
        named = doc.blocks[item.title].text.lstrip(_BULLETS + " ").strip() if item.title is not None else ""
        parent = path[:-1] if number and len(path) > 1 else path
        number = number or str(len(rows) + 1)
        fields = item.fields
        base = f"{' > '.join(parent)} > {number}"
        part = 1
        while (f"{base} ({part})" if part > 1 else base) in taken:
            part += 1
        row = TaskRow(
            doc_id=doc.doc_id,
            appendix=" > ".join(parent),
            number=number,
            name=" ".join(x for x in (named, fields.get("name", "")) if x) or title or path[-1],
            lead=fields.get("lead", ""),
            coordinate=fields.get("coordinate", ""),
            time=fields.get("time", ""),
            details=fields.get("details", ""),
            budget_note=fields.get("budget_note", ""),
            group=title if fields.get("name") else (parent[-1] if len(parent) > 1 else ""),
            part=part,
            start=doc.blocks[next(x for x in (head, item.title, item.blocks[0]) if x is not None)].start,
            end=doc.blocks[item.blocks[-1]].end,
            layout="labelled",
        )
        taken.add(row.section_path)
        rows.append(row)
    return rows


def labelled_sections(doc: NormalizedDoc, rows: list[TaskRow]) -> list[Section]:
    """A row section for each labelled item (its blocks also stay in their body section)."""
    out = []
    for row in rows:
        out.append(
            Section(doc.doc_id, tuple(row.section_path.split(" > ")), doc.blocks_within(row.start, row.end), "row")
        )
    return out

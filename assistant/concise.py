"""The last step of an answer to a one-field question (who leads, who coordinates, when, how much): its text fits
in 300 characters with the asked field kept, the rest cut with '…'. Only the answer's wording is shortened; each
part keeps its evidence, so the citation card still quotes every passage whole and verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .compose import ROLE_LABEL, SINGLE_FIELD
from .passages import COORDINATES, FUNDING_WORDS, MONEY, TIME_EXPR, own_times

ANSWER_LIMIT = 300  # issue 12: single-field answers within 300 characters
LEAD_MIN = 60  # the sentence that opens a list, shortened to no less than this
PART_MIN = 110  # a part cut shorter than this no longer says what it is about
_SEP = "\n\n"
# a figure or the words that name where money comes from (funding answers)
_FUNDS = re.compile(f"{MONEY.pattern}|{FUNDING_WORDS.pattern.removeprefix('(?i)')}", re.IGNORECASE)
FIELD = {"coordinate": COORDINATES, "time": TIME_EXPR, "budget": _FUNDS}
# the row lines an answer to each field keeps: the asked one and the lead (whose task it is)
_ASSIGNED = "Cơ quan được giao"
KEEP_LINES = {
    "lead": (ROLE_LABEL["lead"], _ASSIGNED),
    "coordinate": (ROLE_LABEL["coordinate"], ROLE_LABEL["lead"], _ASSIGNED),
    "time": (ROLE_LABEL["time"], ROLE_LABEL["lead"], _ASSIGNED),
    "budget": (ROLE_LABEL["budget"], ROLE_LABEL["lead"], _ASSIGNED),
}
_ROW_LINE = re.compile(r"^(Cơ quan [^:\n]{2,40}|Thời gian thực hiện|Kinh phí|Nhiệm vụ): ")
_TASK = "Nhiệm vụ: "
_SOURCE = re.compile(r"^\(Theo (.*?)(?:, mục [^\n]*)?\.?\)$")  # '(Theo <plan>, mục <section>.)'
# a list item: '1. Nguồn ngân sách nhà nước: …', 'a) …', '- …'
_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-zđ]\)|[-–+•])\s")
_LABEL = re.compile(r"^([^:\n]{3,90}):\s")  # 'Sở Tài chính: …', '1. Nguồn ngân sách nhà nước: …'


def fit(texts: list[str], intent: str, names: Callable[[str], list[str]], limit: int = ANSWER_LIMIT) -> list[str]:
    """The parts' texts, shortened so the answer to a one-field question fits in `limit` characters. A part is
    shortened only if it keeps every value of the asked kind it states (agencies, times, figures, kinds of
    funds): a shorter answer that lost the asked value is worse than a long one. `names`: the agencies a text
    names."""
    if intent not in SINGLE_FIELD or len(_SEP.join(texts)) <= limit:
        return texts
    rooms = _rooms([len(t) for t in texts], limit - len(_SEP) * (len(texts) - 1))
    out = []
    for text, room in zip(texts, rooms):
        if len(text) <= room:
            out.append(text)
            continue
        listed = _is_list(text)
        short = _shrink(text, intent, room, names, listed)
        # a list keeps every item by its label ('2. Hỗ trợ quốc tế (nếu có): …'): its details are in the citation
        told = "\n".join(x for x in text.split("\n") if not _ITEM.match(x)) if listed else text
        out.append(short if _values(short, intent, names) >= _values(told, intent, names) else text)
    return out


# a sentence that lists funds ('kinh phí … gồm: …', 'được huy động từ các nguồn: …'), not one that mentions them
_FUNDS_LISTED = re.compile(r"(?i)(?:kinh phí|nguồn|vốn)[^.;]{0,120}?(?:\bgồm\b|từ (?:các )?nguồn)")
# kinds of funds a funding answer lists ('ngân sách nhà nước', 'xã hội hóa', 'ODA'): all are kept or none is cut
_FUND_KINDS = re.compile(
    r"(?i)ngân sách (?:nhà nước|trung ương|địa phương|tỉnh|thành phố)|ngân sách|xã hội hóa|tài trợ|viện trợ|ODA|"
    r"tín dụng|vốn vay|trái phiếu|đầu tư tư nhân|doanh nghiệp|quỹ [^\s,;.]+ [^\s,;.]+|hợp pháp khác|chi thường xuyên|"
    r"sự nghiệp"
)


# the lines of a row that name who does the asked part ('Cơ quan chủ trì: …', 'Cơ quan được giao: …')
_ROLE_OF = {"lead": ("Cơ quan chủ trì", _ASSIGNED, "Cơ quan đầu mối"), "coordinate": ("Cơ quan phối hợp",)}


def _role_lines(text: str, intent: str) -> list[str]:
    """Where a text says who does the asked part: its role lines, else its own label ('Sở X: …'), else all of
    it (a sentence may name the agency anywhere)."""
    lines = text.split("\n")
    roles = [x for x in lines if x.startswith(_ROLE_OF[intent])]
    if roles:
        return roles
    labels = [m.group(1) for x in lines if (m := _LABEL.match(x)) and not _ITEM.match(x)]
    return labels if intent == "lead" and labels else [text]


def _values(text: str, intent: str, names: Callable[[str], list[str]]) -> set[str]:
    """The values of the asked kind a text states, compared without case."""
    if intent in ("lead", "coordinate"):
        found = [n for x in _role_lines(text, intent) for n in names(x)]
    elif intent == "time":
        found = TIME_EXPR.findall(own_times(text))
    else:
        found = MONEY.findall(text) + _FUND_KINDS.findall(text)
    return {" ".join(x.lower().split()) for x in found}


def _rooms(lengths: list[int], total: int) -> list[int]:
    """Each part's room: short parts keep their length, the long ones share what is left."""
    rooms = [0] * len(lengths)
    left, todo = total, sorted(range(len(lengths)), key=lambda i: lengths[i])
    while todo:
        share = left // len(todo)
        i = todo.pop(0)
        rooms[i] = max(PART_MIN, min(lengths[i], share))
        left -= rooms[i]
    return rooms


def _shrink(text: str, intent: str, room: int, names: Callable[[str], list[str]], listed: bool) -> str:
    lines = [x for x in text.split("\n") if x.strip()]
    source = ""
    if lines and (m := _SOURCE.match(lines[-1])):  # answers over several plans: the plan stays, the section goes
        source, lines = f"(Theo {m.group(1)}.)", lines[:-1]
    room -= len(source) + 1 if source else 0
    if any(_ROW_LINE.match(x) for x in lines):
        body = _shrink_row(lines, intent, room)
    elif listed:
        body = _shrink_list(lines, intent, room, names)
    else:
        body = _shrink_prose(" ".join(lines), intent, room, names)
    return f"{body}\n{source}" if source else body


def _is_list(text: str) -> bool:
    lines = text.split("\n")
    return not any(_ROW_LINE.match(x) for x in lines) and sum(bool(_ITEM.match(x)) for x in lines) >= 2


def _shrink_row(lines: list[str], intent: str, room: int) -> str:
    """A task row: the asked field and its lead whole (cut only if alone too long), the task's name in what is left."""
    keep = KEEP_LINES[intent]
    head = [x for x in lines if not _ROW_LINE.match(x)][:1]  # 'Mục …:' naming the row
    fields = [x for x in lines if (m := _ROW_LINE.match(x)) and m.group(1) in keep]
    task = next((x for x in lines if x.startswith(_TASK)), "")
    out = [_cut(x, max(60, room // 3)) for x in head]
    for x in fields:
        out.append(_cut(x, max(60, room - _used(out) - 40)))
    if task and room - _used(out) >= 40:
        out.append(_cut(task, room - _used(out)))
    return "\n".join(out)


def _shrink_list(lines: list[str], intent: str, room: int, names: Callable[[str], list[str]]) -> str:
    """A list: every item kept, whole if they fit, else each by its label and what fits ('1. Nguồn ngân sách nhà
    nước: …'); the sentence that opens it shortened, keeping the kinds of funds it names itself."""
    opening = next((x for x in lines if not _ITEM.match(x)), "")
    items = [x for x in lines if _ITEM.match(x)]
    need = LEAD_MIN
    if opening and _FUNDS_LISTED.search(opening) and _values(opening, intent, names):
        need = len(_value_clauses(opening, intent, names))
    lead_room = min(len(opening), max(LEAD_MIN, need))
    named = _naming_items(items, intent, names)
    if _used(items) + lead_room <= room:
        short, lead_room = items, room - _used(items)
    elif named and (rest := room - lead_room - sum(_LABELLED_MIN + 1 for x in items if x not in named)) >= 80:
        # who takes part: the items that name agencies get the room ('- Thành phần: Đại diện Chi cục …, Phòng Kinh
        # tế …'), the others only their label (Đắk Lắk KH 0134's and Thanh Hóa KH 235's conference items, round 28)
        each = rest // len(named) - 1
        short = [_cut(x, each) if x in named else _item(x, _LABELLED_MIN) for x in items]
    else:
        each = max(40, (room - lead_room - 1) // max(1, len(items)) - 1)
        short = [_item(x, each) for x in items]
    out = ([_shrink_prose(opening, intent, lead_room, names)] if opening else []) + short
    text = "\n".join(out)
    return text if len(text) <= room else _cut(text, room)


_LABELLED_MIN = 24  # an item shown by its label only ('- Số lượng: …')


def _naming_items(items: list[str], intent: str, names: Callable[[str], list[str]]) -> list[str]:
    """For a who question, the items that name agencies (none for other questions)."""
    return [x for x in items if names(x)] if intent in ("lead", "coordinate") else []


def _item(text: str, width: int) -> str:
    """A list item in `width`: its label whole, then as much of its detail as fits."""
    m = _LABEL.match(text)
    if len(text) <= width or not m:
        return _cut(text, width)
    left = width - len(m.group(0))
    return _cut(text, width) if left >= 20 else m.group(1) + ": …"


def _shrink_prose(text: str, intent: str, room: int, names: Callable[[str], list[str]]) -> str:
    """A sentence: its agency label, then the clauses that state the asked values ('… gồm: ngân sách nhà nước, …;
    vốn đầu tư của doanh nghiệp, …'), else the clause that states the asked field, cut with '…' either side."""
    label = ""
    if (m := _LABEL.match(text)) and len(m.group(0)) < room // 2 and not _ITEM.match(text):
        label, text = m.group(0), text[m.end() :]
    width = room - len(label)
    # a list of funds ('… gồm: ngân sách nhà nước, …; vốn của doanh nghiệp …') keeps every kind it names
    listed = intent == "budget" and _FUNDS_LISTED.search(label + text) and _values(text, intent, names)
    if listed and len(kept := _value_clauses(text, intent, names)) <= width:
        return label + kept
    field = FIELD.get(intent)
    m = field.search(own_times(text)) if field else None  # not a cited document's date
    if m is None or m.end() <= width - 2:
        return label + _cut(text, width)
    cut = max(text.rfind(sep, 0, m.start()) for sep in (", ", "; ", ": "))
    lo = cut + 2 if cut >= 0 and m.start() - cut <= width // 2 else text.rfind(" ", 0, max(0, m.start() - 40)) + 1
    return label + "… " + _cut(text[lo:], width - 2)


_CLAUSE = re.compile(r"(?<=[,;:])\s+")


def _value_clauses(text: str, intent: str, names: Callable[[str], list[str]]) -> str:
    """The sentence's first clause and each clause that states an asked value not stated before; the clauses left
    out are marked '…'."""
    clauses = _CLAUSE.split(text)
    out, seen, gap = [clauses[0]], _values(clauses[0], intent, names), False
    for c in clauses[1:]:
        new = _values(c, intent, names) - seen
        if new:
            out.append(("… " if gap else "") + c)
            seen |= new
            gap = False
        else:
            gap = True
    return " ".join(out) + (" …" if gap else "")


def _cut(text: str, width: int) -> str:
    """At most `width` characters, cut at a word with ' …'."""
    if len(text) <= width:
        return text
    return text[: max(1, width - 2)].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _used(lines: list[str]) -> int:
    return sum(len(x) + 1 for x in lines)

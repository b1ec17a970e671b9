"""Answer composition, deterministic and extractive: task rows for role questions, an agency's own section for
duty questions, best sentences for targets/facts/general questions. Every statement carries its evidence span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.agencies import agency_of_title, canonical
from index.store import PlanRecord
from index.tasks import TaskRow
from index.text import collapse_ws

from .analysis import Question
from .terms import Term

_SENT = re.compile(r"(?<=[.;!?])\s+(?=[-–+A-ZĐÀ-Ỹa-zđà-ỹ(“\"0-9])|\n")
ROLE_LABEL = {
    "lead": "Cơ quan chủ trì",
    "coordinate": "Cơ quan phối hợp",
    "time": "Thời gian thực hiện",
    "budget": "Kinh phí",
}


@dataclass(frozen=True)
class Evidence:
    """A span of a plan that supports part of an answer."""

    doc_id: str
    section: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Part:
    """One statement of the answer with its evidence."""

    text: str
    evidence: tuple[Evidence, ...]


@dataclass
class Draft:
    """An answer being composed: its statements (with evidence), and whether it declines to answer."""

    parts: list[Part] = field(default_factory=list)
    abstained: bool = False
    confidence: float = 1.0  # topic overlap of the evidence it rests on (0..1)


_SOURCE_LINE = "\n(Theo "


def with_source(text: str, plan: PlanRecord, section: str) -> str:
    """A part's text with the line naming its plan and section ('(Theo <plan>, mục <section>.)'), which an answer
    drawn from one plan drops (the citation names them)."""
    return f"{text}{_SOURCE_LINE}{plan.meta.citation_title()}, mục {section}.)"


def without_source(text: str) -> str:
    """A part's own words, before its '(Theo …)' line."""
    return text.split(_SOURCE_LINE)[0]


def abstain(text: str, evidence: tuple[Evidence, ...] = ()) -> Draft:
    return Draft([Part(text, evidence)], abstained=True, confidence=0.0)


@dataclass(frozen=True)
class ComposeConfig:
    row_min_overlap: float = 0.45
    other_plan_min_overlap: float = 0.6
    sentence_min_overlap: float = 0.4
    quote_max_chars: int = 420
    dense_query_words: int = 6


def topic_terms(q: Question, extra_stop: set[str] = frozenset()) -> tuple[Term, ...]:
    """The question's topic terms, without the scope words given (e.g. a province's name)."""
    return tuple(t for t in q.terms if t.folded not in extra_stop)


def sentences(text: str, offset: int, prose: bool = False) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of a chunk's text as laid out in the normalized plan text. A line the
    PDF wrapped before a capitalised word ('- Xây dựng, ban hành Kế hoạch hành động phát triển' / 'Chính phủ số, …
    trước ngày 31 tháng 12 năm 2025.') goes on into the next line, which starts no item of its own; only in
    `prose`: a table flattened one cell per line has long lines that end in a word too."""
    out, lo = [], 0
    for m in _SENT.finditer(text):
        if m.start() > lo:
            if prose and m.group() == "\n" and _wrapped(text, lo, m.start(), m.end()):
                continue  # the sentence runs on past the line break
            out.append((offset + lo, offset + m.start()))
        lo = m.end()
    out.append((offset + lo, offset + len(text)))
    return out


# a line cut mid-sentence: long, ending in a word or a comma (a heading is short; a sentence ends in . ; :), or
# short but ending in a comma, which no heading does ('- Phối hợp với Bộ Công Thương,' / 'Bộ Tài chính khẩn trương
# …': NQ 380; '1. Ủy ban nhân dân các xã,' / 'phường, đặc khu Cồn Cỏ:': Quảng Trị CT 06), or of any length but ending
# in a word no sentence ends with ('Thời gian thực hiện sau khi' / 'Chiến lược … được ban hành.': Lai Châu KH 7360;
# 'b) Chủ trì, phối hợp với các' / 'đơn vị cấp nước …': Cần Thơ CT 09; in every development document), an agency's
# head word among them ('- Chủ trì, phối hợp với Ban' / 'Quản lý các khu công nghệ cao …': Hà Nội KH 310; '1. Giao Sở' /
# 'Nông nghiệp và Môi trường là cơ quan đầu mối …': TP.HCM QĐ 2853; not 'Bộ', which ends 'Văn phòng Bộ')
_WRAPPED = re.compile(
    r"^(?:.{40,}[\wÀ-ỹđ,]|.{8,},|.{3,}\b(?:sau khi|khi|của|và|với|các|những|theo|tại|trong|về|cho|để|được|là"
    r"|Sở|Ban|Cục|Ủy ban|Uỷ ban))$",
    re.S,
)
_JOINING_DASH = re.compile(r"[-–] (?:[a-zà-ỹđ0-9]|(?:Cơ quan )?[Tt]hường trực\b)")
_ITEM_START = re.compile(r"[-–+•]\s|\(?\d{1,2}[.)]\s|[a-zđ]\)\s|[IVX]{1,4}\.\s")


def _wrapped(text: str, lo: int, end: int, nxt: int) -> bool:
    """The line ending at `end` (not before `lo`) was cut mid-sentence, and the next line starts no item."""
    line = text[max(lo, text.rfind("\n", 0, end) + 1) : end]
    if not _WRAPPED.match(line):
        return False
    if not _ITEM_START.match(text, nxt):
        return True
    # a dash opening the next line after a long line that ends in a word joins the two when what follows cannot open
    # an item: a word in lower case or a figure ('… phát triển kinh tế' / '- xã hội …', '… bình quân 05' / '- 06%/năm':
    # Sơn La QĐ 2954), or the role the agency before it holds ('… của Công an thành phố' / '- Thường trực tham mưu …':
    # Cần Thơ KH 153, as TB 624's 'Văn phòng Trung ương Đảng - Cơ quan Thường trực Ban Chỉ đạo' in one line)
    whole = text[text.rfind("\n", 0, end) + 1 : end]  # the line itself, not the sentence's part of it
    return bool(_JOINING_DASH.match(text, nxt)) and len(whole) >= 60 and whole[-1:].isalnum()


def row_quote_spans(plan: PlanRecord, row: TaskRow, fields: tuple[str, ...], max_chars: int) -> list[tuple[int, int]]:
    """The row's span from its number through the cells asked about; split in two when too long."""
    text = plan.text
    last = row.start
    for value in [row.name] + [getattr(row, f) for f in fields if getattr(row, f)]:
        pos = _find(text, value, row.start, row.end)
        if pos is not None:
            last = max(last, pos[1])
    if collapse_ws(text[row.start : last]).__len__() <= max_chars:
        return [(row.start, last)]
    name = _find(text, row.name, row.start, row.end)
    people = [
        p
        for p in (
            _find(text, getattr(row, f), row.start, row.end) for f in ("lead", "coordinate", "time") if getattr(row, f)
        )
        if p
    ]
    spans = [(row.start, name[1]) if name else (row.start, min(row.end, row.start + max_chars))]
    if people:
        spans.append((min(p[0] for p in people), max(p[1] for p in people)))
    return spans


def _find(text: str, value: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Locate a whitespace-collapsed value inside text[lo:hi] (the text may have newlines where value has spaces)."""
    pattern = r"\s+".join(re.escape(w) for w in value.split())
    m = re.compile(pattern).search(text, lo, hi)
    return (m.start(), m.end()) if m else None


def describe_row(row: TaskRow, first: str, asked: tuple[str, ...] | None = None, reserve: int = 0) -> str:
    """Lines for a task row, the asked role first and plainly. With `asked`, only the asked fields and the task's
    name (shortened): the rest of the row is in the citation, not the answer."""
    values = {"lead": row.lead, "coordinate": row.coordinate, "time": row.time, "budget": _budget(row)}
    order = [first] + [r for r in ("lead", "coordinate", "time", "budget") if r != first]
    if asked is not None:  # the asked fields, and the lead, which names whose task it is
        order = [r for r in order if r in (first, "lead") or r in asked]
    lines = [f"{ROLE_LABEL[r]}: {_tidy(values[r])}" for r in order if values[r]]
    if asked is None:
        return "\n".join(lines + [f"Nhiệm vụ: {row.name}"])
    # the asked field whole; the others and the task's name shortened so the answer stays within ANSWER_MAX
    lines = [_shorten(lines[0], ASKED_FIELD_MAX)] + [_shorten(x, OTHER_FIELD_MAX) for x in lines[1:]]
    room = ANSWER_MAX - reserve - sum(len(x) + 1 for x in lines) - len("Nhiệm vụ: ")
    lines.append(f"Nhiệm vụ: {_shorten(row.name, max(TASK_NAME_MIN, min(TASK_NAME_MAX, room)))}")
    return "\n".join(lines)


# Questions about one field of a task (who leads, who coordinates, when, how much): the answer gives it first and
# briefly, within 300 characters (ANSWER_MAX leaves room for a note); the whole row is in the citation.
SINGLE_FIELD = frozenset(("lead", "coordinate", "time", "budget"))
ANSWER_MAX = 280
TASK_NAME_MAX = 160
TASK_NAME_MIN = 50  # enough of the task's name to recognise it
# A question naming no plan, answered alike by several plans (task rows, funding sections): the best and one more
# (each with its plan), not every plan that has something on the subject, which buries the answer (four plans took
# 1,400 characters).
OTHER_PLANS_MAX = 1
ASKED_FIELD_MAX = 320  # a cell that runs on into prose ('Cơ quan chủ trì: Sở X tiến hành rà soát …', 900 characters)
OTHER_FIELD_MAX = 100  # a field shown beside the asked one ('Cơ quan phối hợp: các sở, ban, ngành; …')


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 2].rsplit(" ", 1)[0].rstrip(",;") + " …"


def _budget(row: TaskRow) -> str:
    """Amounts of the flattened tables are in million đồng (their column labels say whose budget); a Word or
    header-read table gives its cell as written."""
    out = []
    for k, v in row.budget:
        if k == "Kinh phí" or not re.fullmatch(r"[\d.,]+", v):
            out.append(v)
        elif k == "Không rõ nguồn":
            out.append(f"{v} triệu đồng (bảng không ghi rõ nguồn vốn)")
        else:
            out.append(f"{v} triệu đồng ({k.lower()})")
    return "; ".join(out)


def _tidy(value: str) -> str:
    """'- A - B' cell lists read better as 'A; B'."""
    if value.startswith("- "):
        return "; ".join(p.strip(" .") for p in value[2:].split(" - ") if p.strip())
    return value


def agency_sections(plan: PlanRecord, agency: str) -> list[str]:
    """Paths of the plan's sections assigned to an agency (its numbered section under 'Tổ chức thực hiện')."""
    key = canonical(agency)
    out = []
    for path, kind, spans in plan.sections:
        if kind != "body":
            continue
        title = path.split(" > ")[-1]
        name = agency_of_title(title)
        whole = name and (title.endswith("…") or name.startswith(("Thủ trưởng", "Chủ tịch", "Giám đốc", "Lãnh đạo")))
        if whole:
            name = plan.text[spans[0][0] : spans[0][1]][:240] if spans else name  # the full heading
        # the heading's own name, read with or without its plural marker; a full heading (which goes on to name
        # whom its agency works with) only as written
        name_key, asked = canonical(name), key
        if not whole:
            name_key, asked = without_plural(name_key), without_plural(key)
        if name and key and (m := re.search(r"\b" + _level_pattern(asked, whole) + r"\b", name_key)):
            out.append((path, len(name_key[: m.start()].split()) > 1))  # more than its item number before it
    # the assignment sections first; of those, a heading the agency opens before one that names it further on ('2.
    # Các Sở, ban, ngành, UBND xã, phường … xây dựng Kế hoạch …' before '1. Sở KH&CN theo dõi, đôn đốc các Sở, ban,
    # ngành, UBND xã …': Hà Nội KH 308, Lai Châu KH 7360)
    return [p for p, later in sorted(out, key=lambda x: ("tổ chức thực hiện" not in x[0].lower(), x[1]))]


def _level_pattern(key: str, whole: bool) -> str:
    """The asked name as a pattern; 'cấp xã' (the commune level) reads a section of 'Ủy ban nhân dân (các) xã,
    phường(, đặc khu)' (Quảng Trị CT 06, Cần Thơ CT 09 and KH 153, Sơn La QĐ 2954 title it so)."""
    pattern = re.escape(key)
    if not whole and "cap xa" in key:
        pattern = pattern.replace(r"cap\ xa", r"(?:cap\ )?xa(?:\ phuong)?(?:\ dac\ khu)?")
    return pattern


def without_plural(key: str) -> str:
    """'ủy ban nhân dân (các) xã, phường': headings and questions write the plural marker or not (Đồng Tháp KH 617
    and KH 552, Lai Châu KH 7360, Quảng Trị CT 06)."""
    return collapse_ws(re.sub(r"\bcac\b", " ", key))


_ITEM_MARKER = r"^(?:[\dIVX.]+\)?|[a-zđ]\)|[-–+•])\s+"  # '2.', 'IV.', 'b)', '- ' before a heading's text


def duty_items(plan: PlanRecord, path: str) -> list[tuple[int, int]]:
    """The duties in an agency's section: its paragraphs/list items (heading line's inline text included)."""
    spans = []
    own = [b for p, _, b in plan.sections if p == path]
    heading_only = all(len(b) <= 1 for b in own)
    for p, _, block_spans in plan.sections:
        if p != path and not (heading_only and p.startswith(path + " > ")):
            continue  # a heading alone ("2. Sở Nội vụ") has its duties in the items under it ("a) …", "b) …")
        if p != path:
            spans += [(a, b) for a, b in block_spans]
            continue
        for n, (a, b) in enumerate(block_spans):
            text = plan.text[a:b]
            if n == 0:
                m = re.match(_ITEM_MARKER + r"[^:]{3,120}:\s*", text)
                marker = re.match(_ITEM_MARKER, text)
                if m and m.end() < len(text.rstrip()):
                    a += m.end()  # inline duties after "N. Sở X:" / "- Sở X:"
                elif len(text) > 100:
                    a += marker.end() if marker else 0  # the numbered paragraph is the duty
                else:
                    continue  # a bare heading line
            spans.append((a, b))
    return spans


_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")


def first_sentence(plan: PlanRecord, span: tuple[int, int], max_chars: int) -> tuple[int, int]:
    """A verbatim, bounded prefix of a paragraph: its first sentence, or its first clauses up to max_chars."""
    a, b = span
    text = plan.text[a:b]
    a += len(text) - len(text.lstrip("-–+ "))
    text = plan.text[a:b].rstrip()
    marker = re.match(_ITEM_MARKER, text)  # '1. Nguồn ngân sách: …': the item's number does not end its sentence
    m = _SENTENCE_END.search(text, marker.end() if marker else 0)
    if m and m.end() <= max_chars:
        return a, a + m.end()
    if len(text) <= max_chars:
        return a, a + len(text)
    cut = max(text.rfind(", ", 0, max_chars), text.rfind("; ", 0, max_chars))
    if cut < 60:
        cut = text.rfind(" ", 0, max_chars)
    return a, a + cut


def is_agency_section(path: str) -> str:
    return agency_of_title(path.split(" > ")[-1])


def section_agency(path: str) -> str:
    """The agency whose duties a section lists: its own heading's, or the nearest enclosing agency heading's
    ('6. Sở Xây dựng > b) Chủ trì …' is Sở Xây dựng's)."""
    for title in reversed(path.split(" > ")):
        if name := agency_of_title(title):
            return name
    return ""


def line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Span of the whole line(s) around text[start:end]."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, (b if b >= 0 else len(text))

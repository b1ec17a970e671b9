"""Duty questions ('Sở X phải làm gì?'): the agency's own section under 'Tổ chức thực hiện', as a short list of
its duties, plus the task rows it leads. An agency the plan assigns nothing to is said to have no section."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from index.agencies import MERGED_2025, agency_of_title, canonical, names_agency
from index.search import Filters
from index.store import PlanRecord

from .analysis import Question
from .compose import (
    Draft,
    Evidence,
    Part,
    abstain,
    agency_sections,
    duty_items,
    first_sentence,
    line_around,
    sentences,
    topic_terms,
    with_source,
    without_plural,
)
from .passages import ellipsis
from .terms import SYLLABLE, Term, folded_key, overlap

if TYPE_CHECKING:
    from .context import Context

MAX_ITEMS = 4


def duty_answer(ctx: "Context", q: Question, scope: Filters) -> Draft:
    q = _without_objects(q)
    terms = _duty_terms(ctx, q)
    found: list[tuple[float, int, Part]] = []
    seen: set[tuple[str, str]] = set()
    for doc in scope.docs or tuple(ctx.plans):
        plan = ctx.plans[doc]
        for agency in agencies_in(plan, q.agencies):
            for path in agency_sections(plan, agency)[:1]:
                if (doc, path) in seen:  # two names the question may mean, one section ('sở nông nghiệp')
                    continue
                seen.add((doc, path))
                duty = _duty_part(ctx, terms, plan, agency, path)
                if duty:
                    found.append((duty[0], len(found), duty[1], (plan, agency, path)))
    if found and len(scope.docs or ctx.plans) > 1 and max(f[0] for f in found) < TOPIC_MIN_OVERLAP:
        # the agency's duties elsewhere do not match the topic: read the plan the topic points to instead (ninth
        # blind round: Bộ Tài chính's duties in a Thông báo given for a culture ministry's planning decision)
        hits = ctx.search(q, scope)
        top = hits[0].chunk.doc_id if hits else ""
        if top and top not in {where[0].doc_id for *_, where in found}:
            return _not_assigned(ctx, q, Filters(docs=(top,)))
        found = [f for f in found if f[3][0].doc_id == top] or found  # no topic: the plan retrieval points to
    if found:  # the plans whose duties for the agency match the question's topic best, first and alone
        best = max(f[0] for f in found)
        kept = sorted(
            (x for x in found if best < TOPIC_MIN_OVERLAP or x[0] >= best - TOPIC_MARGIN), key=lambda x: (-x[0], x[1])
        )[:3]
        # the asked duty is quoted whole in the best-fitting plan only: the others add their first sentences
        rest = [_duty_part(ctx, terms, *where, whole=False) for _, _, _, where in kept[1:]]
        parts, size = [kept[0][2]], len(kept[0][2].text)
        for d in rest:  # other plans' duties while the answer stays readable (the citations hold the rest)
            if d and size + len(d[1].text) <= ANSWER_DUTIES_MAX:
                parts.append(d[1])
                size += len(d[1].text)
        return Draft(parts)
    return _not_assigned(ctx, q, scope)


# 'Sở X có trách nhiệm gì đối với các Sở, ban, ngành …': the agencies after 'đối với' are whom the duty concerns, not
# who does it (Hà Nội KH 308's Sở KH&CN 'theo dõi, đôn đốc các Sở, ban, ngành'; Sơn La's Sở Công Thương toward the
# departments reporting to it)
_TOWARD = re.compile(r"\b(?:doi voi|cho|voi)\b")


def _without_objects(q: Question) -> Question:
    """The question with only the agencies it names before 'đối với/cho/với', when it names some there."""
    m = _TOWARD.search(q.folded)
    if m is None or len(q.agencies) < 2:
        return q
    before = canonical(q.folded[: m.start()])
    doers = tuple(x for x in q.agencies if names_agency(canonical(x), before))
    return replace(q, agencies=doers) if doers and len(doers) < len(q.agencies) else q


def _duty_terms(ctx: "Context", q: Question) -> tuple[Term, ...]:
    """The question's topic among an agency's duties. The asked agency's own name is no topic: 'Sở <Văn hóa, Thể
    thao> … làm gì về vốn đối ứng' in a plan on culture and sport facilities would pick the duties that repeat the
    sector's name (QĐ 4385; Hà Tĩnh KH 624 on schools)."""
    named = {folded_key(w) for x in q.agencies for w in SYLLABLE.findall(x)}
    return tuple(t for t in topic_terms(q, ctx.stop_terms(q)) if not set(t.folded.split()) <= _AGENCY_WORDS | named)


def agencies_in(plan: PlanRecord, named: tuple[str, ...]) -> list[str]:
    """The named agencies that have a section in this plan; else their 2025 predecessors/successors that do."""
    direct = [x for x in named if agency_sections(plan, x)]
    if direct:
        return direct[:2]
    related = [old for x in named for old in MERGED_2025.get(x, ())]
    related += [new for x in named for new, olds in MERGED_2025.items() if x in olds]
    return [x for x in related if agency_sections(plan, x)][:2]


def _duty_part(
    ctx: "Context", terms: tuple[Term, ...], plan: PlanRecord, agency: str, path: str, whole: bool = True
) -> tuple[float, Part] | None:
    """(how well the agency's duties here match the question's topic, the answer part listing them)."""
    every = duty_items(plan, path)
    scores = [overlap(terms, plan.text[s:e], ctx.vocab) for s, e in every]
    best = max(scores, default=0.0)
    items = _asked_items(every, scores, best)
    if not items:
        return None
    asked = {every[n] for n, sc in enumerate(scores) if whole and best >= TOPIC_MIN_OVERLAP and sc == best}
    widest = ASKED_ITEM_MAX
    if whole and len(every) <= 2:  # one or two duties: each whole ('Xây dựng kế hoạch …; tuyên truyền, hướng dẫn …')
        asked = set(every)
        if best < TOPIC_MIN_OVERLAP:
            # no topic asked ('Báo và PT-TH Cần Thơ được giao làm gì'): all the agency is given, one paragraph of
            # clauses joined by ';' in Cần Thơ KH 153's and CT 09's sections, QĐ 2623's, NQ 380's
            widest = DUTIES_MAX // len(every)
    spans = [
        _whole_item(plan, s, terms, ctx.vocab, widest) if s in asked else first_sentence(plan, s, 300) for s in items
    ]
    room = DUTIES_MAX - sum(y - x for (x, y), s in zip(spans, items) if s in asked)
    kept = []
    for span, item in zip(spans, items):  # the asked duty always; the others while they fit
        if item in asked or (room := room - (span[1] - span[0])) >= 0:
            kept.append((span, item))
    spans, items = [sp for sp, _ in kept], [it for _, it in kept]
    bullets = "\n".join(
        f"- {_cut_before(plan, span, item)}{ellipsis(plan, span, item)}" for span, item in zip(spans, items)
    )
    title = agency_of_title(path.split(" > ")[-1])
    text = f"{title} ({plan.meta.citation_title()}, mục {path}):\n{bullets}"
    key = canonical(agency)
    led = [r for r in ctx.task_rows if r.doc_id == plan.doc_id and key in canonical(r.lead)]
    if led:
        text += f"\nNgoài ra chủ trì {len(led)} nhiệm vụ trong phụ lục, ví dụ: {led[0].name}."
    return best, Part(text, tuple(Evidence(plan.doc_id, path, s, e, 1.0) for s, e in spans))


def _whole_item(
    plan: PlanRecord, span: tuple[int, int], terms: tuple[Term, ...], vocab, widest: int = 0
) -> tuple[int, int]:
    """The duty the question is about, whole when it is short enough: its matching clause is often after the
    first ';' ('Đẩy mạnh … vùng sản xuất …; Nghiên cứu, tham mưu … hỗ trợ doanh nghiệp đạt chứng nhận quốc tế',
    Sơn La; '… cơ sở dữ liệu quản lý …; thúc đẩy kết nối, chia sẻ dữ liệu', Đồng Tháp). A longer one from its
    clause that matches the question best through the clause after it: the question names what the work is about
    and asks what is done with it ('… diện tích rừng bị phá … chưa được xử lý; lập hồ sơ cụ thể …': Quảng Trị CT 06;
    Hà Nội KH 310 and Sơn La QĐ 2954 list their duties so)."""
    a, b = span
    text = plan.text[a:b]
    a += len(text) - len(text.lstrip("-–+ "))
    b = a + len(plan.text[a:b].rstrip())
    if b - a <= max(widest, ASKED_ITEM_MAX):
        return a, b
    cuts = [a] + [a + m.end() for m in re.finditer(r";\s+", plan.text[a:b])] + [b]
    clauses = list(zip(cuts, cuts[1:]))
    if len(clauses) < 2 or not terms:
        return first_sentence(plan, (a, b), ASKED_ITEM_MAX)
    scores = [overlap(terms, plan.text[x:y], vocab) for x, y in clauses]
    i = scores.index(max(scores))
    start, end = clauses[i][0], clauses[min(i + 1, len(clauses) - 1)][1]
    if end - start > ASKED_ITEM_MAX:
        end = clauses[i][1]
    end = start + len(plan.text[start:end].rstrip())
    return (start, end) if end - start <= ASKED_ITEM_MAX else first_sentence(plan, (start, end), ASKED_ITEM_MAX)


def _cut_before(plan: PlanRecord, shown: tuple[int, int], item: tuple[int, int]) -> str:
    """'… ' when the quote starts after the item does (its clause that the question is about)."""
    return "… " if plan.text[item[0] : shown[0]].strip("-–+ \n") else ""


ASKED_ITEM_MAX = 420  # characters of the duty asked about shown whole (others: their first sentence, <= 300)
DUTIES_MAX = 1000  # characters of duties quoted per plan: the asked one, then the agency's first ones that fit
# characters of a whole duty answer over several plans: an agency with sections in three plans ran to 2,000-2,500
# (Sở Tài chính, Sở KH&CN, Sở VHTTDL asked without naming the plan: rounds 7, 11, 13, 15)
ANSWER_DUTIES_MAX = 1500


def _asked_items(items: list[tuple[int, int]], scores: list[float], best: float) -> list[tuple[int, int]]:
    """The agency's first duties, and the one the question is about (score `best`) when it comes later ('Sở Tài
    chính … trách nhiệm gì đối với nguồn kinh phí'); the first duties alone when the question names no topic."""
    first = items[:MAX_ITEMS]
    if best < TOPIC_MIN_OVERLAP:
        return first
    asked = items[scores.index(best)]
    return first if asked in first else first + [asked]  # the item asked about, after the agency's first duties


TOPIC_MIN_OVERLAP = 0.3  # below this, the question names no topic among the agency's duties
TOPIC_MARGIN = 0.15  # another plan's duties for the same agency are shown when they match nearly as well
_AGENCY_WORDS = frozenset("so bo ban nganh co quan don vi tinh thanh pho trach nhiem nhiem vu phai lam gi".split())


def _not_assigned(ctx: "Context", q: Question, scope: Filters) -> Draft:
    """No section for the agency: say so, and quote where the plan mentions it (e.g. as a coordinating unit)."""
    docs = scope.docs or tuple(ctx.plans)
    names = ", ".join(q.agencies[:2])
    led = [r for r in ctx.task_rows if r.doc_id in docs and any(canonical(x) in canonical(r.lead) for x in q.agencies)]
    if led:
        return _rows_led(ctx, led)
    if said := _named_duty(ctx, q, docs):
        return said
    mentions = []
    for doc in docs:
        plan = ctx.plans[doc]
        for x in q.agencies[:2]:
            m = re.search(r"\b" + re.escape(x) + r"\b", plan.text, re.IGNORECASE)
            if m:
                mentions.append((plan, m.start(), m.end()))
    titles = "; ".join(ctx.plans[d].meta.citation_title() for d in docs)
    text = f"{titles} không có mục giao nhiệm vụ riêng cho {names}."
    if not mentions:
        return abstain(text)
    plan, s, e = mentions[0]
    line = line_around(plan.text, s, e)
    span = next(((x, y) for x, y in sentences(plan.text[line[0] : line[1]], line[0]) if x <= s < y), line)
    ev = Evidence(plan.doc_id, ctx.section_at(plan, s), span[0], span[1], 0.5)
    return abstain(f"{text} Văn bản có nhắc tới {names} ở mục {ev.section}.", (ev,))


# an agency with no section of its own may still be given duties in a sentence that names it as the doer, or in a
# section it shares ('7. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường': Đồng Tháp KH 617; '… các sở,
# ngành và Ủy ban nhân dân các xã, phường được phân công … có trách nhiệm xây dựng kế hoạch chi tiết': Lai Châu KH
# 7360; '… Ủy ban nhân dân xã, phường và các đơn vị liên quan có trách nhiệm xây dựng kế hoạch': Đồng Tháp KH 552)
_DOER_AFTER = re.compile(  # on the folded key of the sentence
    # 'X, Y … chịu trách nhiệm thi hành Quyết định này': a decision's closing article is the work of each it names
    # (QĐ 2634's Chủ tịch UBND các tỉnh; every decision ends so)
    r"^[^.;]{0,160}?\b(?:co trach nhiem|chiu trach nhiem|can cu|chu dong|to chuc|xay dung|trien khai|duoc phan cong"
    r"|thuc hien)\b"
)


def _named_duty(ctx: "Context", q: Question, docs: tuple[str, ...]) -> Draft | None:
    """The sentence that gives the agency its work when it has no section of its own."""
    keys = [k for k in (without_plural(canonical(x)) for x in q.agencies[:2]) if k]
    if not keys:
        return None
    terms = _duty_terms(ctx, q)
    best: tuple[float, PlanRecord, str, int, int] | None = None
    for doc in docs:
        plan = ctx.plans[doc]
        for path, kind, spans in plan.sections:
            if kind != "body":
                continue
            shared = any(k in without_plural(canonical(path.split(" > ")[-1])) for k in keys)
            for x, y in spans:
                for s0, s1 in sentences(plan.text[x:y], x, True):
                    s = plan.text[s0:s1]
                    folded = without_plural(canonical(s))
                    at = min((folded.find(k) for k in keys if k in folded), default=-1)
                    doer = at >= 0 and _DOER_AFTER.search(folded[at:]) is not None
                    if not (doer or (shared and len(s) > 40)):
                        continue
                    score = overlap(terms, s, ctx.vocab) + 0.2 * shared + 0.2 * doer
                    if best is None or score > best[0]:
                        best = (score, plan, path, s0, s1)
    if best is None:
        return None
    _, plan, path, s0, s1 = best
    ev = Evidence(plan.doc_id, path, s0, s1, 1.0)
    text = f"{q.agencies[0]} ({plan.meta.citation_title()}, mục {path}):\n- {ellipsis(plan, (s0, s1), (s0, s1))}"
    return Draft([Part(text, (ev,))], confidence=0.5)


def _rows_led(ctx: "Context", rows: list) -> Draft:
    """An agency with no section of its own but leading appendix tasks: those tasks."""
    parts = []
    for row in rows[:MAX_ITEMS]:
        plan = ctx.plans[row.doc_id]
        text = f"Chủ trì nhiệm vụ: {row.name}" + (f" (thời gian: {row.time})" if row.time else "")
        text = with_source(text, plan, row.section_path)
        parts.append(Part(text, ctx.row_evidence(row, ("lead", "time"))))
    return Draft(parts)

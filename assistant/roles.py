"""Role questions (who leads, who coordinates, when, how much) answered from the appendix task rows, or from the
sentence that assigns the task when a plan has no table. The asked role comes first and plainly; a row that does
not give the asked field, or not as precisely as asked, is not stretched into an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.agencies import MERGED_2025, canonical
from index.search import Filters, Hit
from index.tasks import TaskRow
from index.text import fold

from .analysis import Question
from .asks import CURRENCY, time_satisfies
from .compose import (
    ANSWER_MAX,
    OTHER_PLANS_MAX,
    ROLE_LABEL,
    Draft,
    Evidence,
    Part,
    abstain,
    agency_sections,
    describe_row,
    topic_terms,
)
from .passages import (
    COORDINATES,
    Scored,
    TitleDamped,
    amount_passage,
    closest,
    lead_sentence,
    need_for,
    passage_answer,
    plan_coordinator,
    score_sentences,
)
from .scope import own_words, title_words
from .terms import joined_pairs, overlap

if TYPE_CHECKING:
    from .context import Context

FIELD_NAMES = {role: label.lower() for role, label in ROLE_LABEL.items()}  # 'kinh phí', 'cơ quan chủ trì' …


@dataclass(frozen=True)
class RowCandidate:
    score: float
    ov: float
    row: TaskRow
    hit: Hit


def rank_rows(ctx: "Context", q: Question, hits: list[Hit]) -> list[RowCandidate]:
    """Task rows among the hits, by topic overlap with the row (+ retrieval score, + the named agency's rows)."""
    terms = topic_terms(q, ctx.stop_terms(q))
    places = ctx.places_asked(q)
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    out = []
    damped: dict[str, TitleDamped] = {}
    for h in hits:
        row = ctx.rows.get((h.chunk.doc_id, h.chunk.section)) if h.chunk.kind == "row" else None
        if row is None or (places and not all(p in fold(h.chunk.text) for p in places)):
            continue
        # the words of the row's plan's title tell its rows apart less (TitleDamped): 'kiểm tra việc thi hành <Luật
        # Tiêu chuẩn …>' is the row on kiểm tra, not the one that restates the law (Lai Châu KH 7360)
        vocab = TitleDamped.of(ctx, ctx.plans[row.doc_id], damped)
        ov = overlap(terms, row_text(row), vocab)
        bonus = 0.0
        if q.agencies and q.intent != "lead":
            lead = canonical(row.lead)
            bonus = 0.2 if any(canonical(x) and canonical(x) in lead for x in q.agencies) else -0.1
        out.append(RowCandidate(ov + 0.4 * h.score / top + bonus, ov, row, h))
    return sorted(out, key=lambda c: -c.score)


def row_text(row: TaskRow) -> str:
    """What a row's topic is read from."""
    return f"{row.name} {row.details} {row.group} {row.lead} {row.coordinate}"


def task_budget(ctx: "Context", q: Question, scope: Filters) -> bool:
    """Whether a 'tổng kinh phí / nguồn nào' question is about one task of the appendix rather than the plan."""
    terms = tuple(
        t for t in topic_terms(q, ctx.stop_terms(q)) if not set(t.folded.split()) <= _MONEY_WORDS | _APPENDIX_WORDS
    )
    if sum(ctx.vocab.weight(t) for t in terms) < _TASK_MIN_WEIGHT:
        return False  # nothing left to name a task once the plan's own description is set aside
    ranked = rank_rows(ctx, q, ctx.search(q, scope))
    if not ranked or ranked[0].ov < ctx.cfg.row_min_overlap:
        return False
    # the row's own plan's name is no task ('kinh phí thực hiện Kế hoạch <triển khai thi hành Luật Bảo vệ dữ liệu cá
    # nhân> … từ những nguồn nào' among plans that kept those words in the topic)
    own = title_words(ctx.plans[ranked[0].row.doc_id])
    task_terms = tuple(t for t in terms if not set(t.folded.split()) <= own)
    return sum(ctx.vocab.weight(t) for t in task_terms) >= _TASK_MIN_WEIGHT


_TASK_MIN_WEIGHT = 4.0  # IDF weight of the words that could name one task (a rare word or two)


# what a budget question asks about, not the task it may name ('lấy nguồn lực từ đâu', 'kinh phí bao nhiêu'), with
# the verbs plans put money with ('kinh phí bảo đảm thực hiện', 'bố trí kinh phí': QĐ 2623, Cà Mau 211, Hưng Yên, KH 310, …)
_MONEY_WORDS = frozenset("nguon luc kinh phi von tien ngan sach bao dam bo tri".split())
# words that name a task appendix as a whole ('tổng kinh phí dự kiến của danh mục nhiệm vụ kèm theo'), not one of
# its tasks (plans with task appendices: Cà Mau 211 and 64, Hưng Yên 56, QĐ 2629, TP.HCM 2820)
_APPENDIX_WORDS = frozenset("danh muc nhiem vu kem theo phu luc du kien bang".split())
_COMMITTEE = re.compile(r"uy ban nhan dan \w")


def named_doers(ctx: "Context", q: Question, docs: tuple[str, ...] = ()) -> list[str]:
    """The agencies a question names as doing something: the People's Committee that issued a document ('Kế hoạch
    310 của UBND thành phố Hà Nội', 'văn bản của UBND Thành phố Hà Nội') names the document, not a doer; so does
    any issuer of a document in `docs` that no document there gives a section ('Công văn 5095 của Sở GD&ĐT Hà Nội yêu
    cầu các trường làm gì': the letter's Sở asks, the schools do; QĐ 4385's and CV 6225's Bộ VHTTDL)."""
    issuers = {canonical(p.meta.issuer) for p in ctx.plans.values()}
    scoped = [ctx.plans[d] for d in docs if d in ctx.plans]

    def issuer_only(x: str) -> bool:
        k = canonical(x)
        issued = any(canonical(p.meta.issuer).startswith(k) for p in scoped)
        return issued and not any(agency_sections(p, x) for p in scoped)

    return [
        x
        for x in q.agencies
        if not (_COMMITTEE.match(canonical(x)) and any(i.startswith(canonical(x)) for i in issuers))
        and not issuer_only(x)
    ]


def _done_by_named(ctx: "Context", q: Question, ranked: list[RowCandidate]) -> list[RowCandidate]:
    """When the question names who does the task ('Sở X … bao nhiêu tiền'), only rows that agency leads or
    coordinates (or its 2025 predecessor/successor) can answer it."""
    doers = named_doers(ctx, q)
    if not doers or q.intent == "lead":
        return ranked
    keys = {canonical(x) for x in doers}
    keys |= {canonical(o) for x in doers for o in MERGED_2025.get(x, ())}
    keys |= {canonical(n) for x in doers for n, olds in MERGED_2025.items() if x in olds}
    return [
        c for c in ranked if any(k and (k in canonical(c.row.lead) or k in canonical(c.row.coordinate)) for k in keys)
    ]


# what a plan's focal point does; 'giữ vai trò (đầu mối)', 'kết quả (thực hiện)' phrase the same question (Cà Mau
# KH 64, Đồng Tháp KH 617, Cần Thơ KH 153)
_OVERSIGHT_WORDS = frozenset(
    "theo doi don doc tong hop giam sat kiem tra trien khai chu tri bao cao huong dan to chuc chung toan bo "
    "giu vai tro ket qua".split()
)


def weak_topic(ctx: "Context", q: Question) -> bool:
    """Nothing but follow-up words left ('sở nào làm đầu mối, tổng hợp việc thực hiện?'): a plan-level question."""
    words = [t for t in topic_terms(q, ctx.stop_terms(q)) if not set(t.folded.split()) <= _OVERSIGHT_WORDS]
    return sum(ctx.vocab.weight(t) for t in words) < 3.0


def role_answer(ctx: "Context", q: Question, scope: Filters) -> Draft:
    if q.intent == "lead" and weak_topic(ctx, q):
        found = plan_coordinator(ctx, q, scope.docs or tuple(sorted(ctx.plans)))
        if not found.abstained:
            return found
        # no sentence puts anyone in charge of the plan as a whole (a Chỉ thị's agency sections: Quảng Trị CT 06's
        # 'Theo dõi, đôn đốc …, tổng hợp báo cáo' under its Sở): the sentences about the follow-up work answer it
    hits = ctx.search(q, scope)
    ranked = _done_by_named(ctx, q, rank_rows(ctx, q, hits))
    row_ov = ranked[0].ov if ranked else 0.0
    if q.intent == "lead" and not q.asks.place:
        found = lead_sentence(ctx, q, hits)
        if found and found[0] >= max(ctx.cfg.sentence_min_overlap, row_ov + 0.05):
            return found[1]
    if q.intent == "coordinate" and not q.asks.place:  # the same choice for 'phối hợp với ai' (plans with prose)
        said = score_sentences(ctx, q, hits, need=COORDINATES.search, top_hits=8)
        if said and _sentence_first(ctx, q, said[0], ranked):
            return passage_answer(ctx, q, hits)
    if q.intent == "time" and ranked:  # and for 'khi nào': a sentence that states the time of the asked thing
        # need_for reads a time of its own, not a cited document's date ('sơ kết vào năm 2030, tổng kết …')
        said = score_sentences(ctx, q, hits, need=need_for(q), top_hits=8)
        if said and _sentence_first(ctx, q, said[0], ranked):
            return passage_answer(ctx, q, hits)
    if q.asks.place or (
        q.intent == "budget" and q.asks.unit not in ("", CURRENCY) and not q.asks.counted
    ):  # 'bao nhiêu đồng mỗi kg'
        return passage_answer(ctx, q, hits)
    if q.intent == "budget" and ranked and row_ov >= ctx.cfg.row_min_overlap:
        # and for 'bao nhiêu tiền': a sentence that describes the task asked better than the best row does means the
        # row is another task's (Cà Mau KH 211's Sổ tay told in Sở TN&MT's section, not the row on tài liệu tuyên
        # truyền; Đắk Lắk KH 0134's fines; QĐ 4385's investment need): the sentences answer, or nothing does
        said = score_sentences(ctx, q, hits, top_hits=8)
        if said and said[0].ov >= row_ov + OTHER_TASK_MARGIN and said[0].ev.section != ranked[0].row.section_path:
            return passage_answer(ctx, q, hits)
    if ranked and row_ov >= ctx.cfg.row_min_overlap:
        return row_answer(ctx, q, ranked, hits, restricted=bool(q.provinces or q.plan_numbers))
    if q.intent == "budget":  # no task row: an amount stated in the text ('- Thuê dịch vụ tin nhắn: 50.000.000 đồng')
        return amount_passage(ctx, q, hits) or missing(ctx, q, ranked, hits, "kinh phí")
    if q.intent == "lead":
        said = score_sentences(ctx, q, hits, top_hits=8)
        if (
            said
            and said[0].ov >= WHO_SENTENCE_MIN
            and DOER.search(ctx.plans[said[0].ev.doc_id].text[said[0].ev.start : said[0].ev.end])
        ):
            # no sentence assigns the work, but one tells it nearly word for word and names who is in it: 'ai chủ
            # động tạm dừng …' (Hà Nội SGDĐT CV 5095's 'các đơn vị, trường học chủ động tạm dừng'), 'cập nhật lên hệ
            # thống của cơ quan nào' (Đắk Lắk KH 0134's Cục), 'chi cục nào cử đại diện' (its participants): quoted
            # from the same sentences that were checked
            return passage_answer(ctx, q, hits, top_hits=8)
        return abstain("Các kế hoạch hiện có không nêu cơ quan nào được giao việc này." + closest(ctx, hits))
    return passage_answer(ctx, q, hits)


# how closely a sentence must tell the asked work for a 'who' question to be answered by quoting it when no sentence
# or row assigns the work to an agency
WHO_SENTENCE_MIN = 0.6
# and the sentence must name someone: an agency's head word or a group of doers ('các đơn vị, trường học'), not only a
# project and its figures (QĐ 2634's 'NMNĐ LNG Hải Phòng giai đoạn I 1.600' for 'ai làm chủ đầu tư') or a duty of
# nobody named (Cần Thơ KH 153's 'duy trì … đường dây nóng' for 'số đường dây nóng là số nào')
DOER = re.compile(
    r"\b(?:Sở|Bộ|Cục|Chi cục|Ban|UBND|Ủy ban|Uỷ ban|Công an|Trung tâm|Viện|Quỹ|Ngân hàng|Tổng công ty|Công ty|Văn phòng"
    r"|Vụ|(?<!Hải )Phòng|[Cc]ơ quan|[Đđ]ơn vị|[Tt]rường|[Dd]oanh nghiệp|[Hh]ợp tác xã)\b"
)


# how much better a sentence must match than the best row; calibrated on the budget and unanswerable questions of
# every set (0.1: 1,310 of 1,458 right; 0.25: 1,308; none: 1,304)
OTHER_TASK_MARGIN = 0.1


def _sentence_first(ctx: "Context", q: Question, best: Scored, ranked: list[RowCandidate]) -> bool:
    """Whether the best sentence answers before the best row: it matches the topic better, or as well and holds
    more of the question's two-syllable words whole (the sentence's 'Kế hoạch hành động' against the row's 'ban
    hành … chủ động': QĐ 2629; 'rà soát … báo cáo Thủ tướng' told whole in QĐ 2623's sentence, in pieces in another
    plan's row). Words of the plan's own name and issuer count for neither."""
    if best.ov < ctx.cfg.sentence_min_overlap:
        return False
    row_ov = ranked[0].ov if ranked else 0.0
    if best.ov >= row_ov + 0.05 or not ranked:
        return True
    if best.ov < row_ov:
        return False
    plan = ctx.plans[best.ev.doc_id]
    terms = tuple(t for t in topic_terms(q, ctx.stop_terms(q)) if t.folded not in own_words(plan))
    sentence = plan.text[best.ev.start : best.ev.end]
    return joined_pairs(terms, sentence) > joined_pairs(terms, row_text(ranked[0].row))


def row_answer(ctx: "Context", q: Question, ranked: list[RowCandidate], hits: list[Hit], restricted: bool) -> Draft:
    best = ranked[0]
    chosen = [best]
    for c in ranked[1:]:
        sibling = c.row.doc_id == best.row.doc_id and c.row.number == best.row.number and c.row.part != best.row.part
        other_plan = (
            not restricted
            and len({x.row.doc_id for x in chosen}) < OTHER_PLANS_MAX + 1
            and c.row.doc_id not in {x.row.doc_id for x in chosen}
            and c.ov >= max(ctx.cfg.other_plan_min_overlap, best.ov - 0.05)
            and c.score >= best.score - 0.1
        )
        if sibling or other_plan:
            chosen.append(c)
    field = q.intent if q.intent in FIELD_NAMES else "lead"
    if field == "time" and q.asks.time_grain in ("day", "month"):
        if not any(time_satisfies(q.asks.time_grain, c.row.time) for c in chosen):
            return _time_from_text(ctx, q, hits, chosen[0])
    if len(chosen) > 1 and any(getattr(c.row, field) for c in chosen):
        # another plan's row that lacks the asked field adds only 'không nêu' beside the row that states it (QĐ
        # 2623's partners beside TB 624's row with no partner column; Đồng Tháp KH 617's, Hưng Yên KH 56's, QĐ 2820's)
        chosen = [c for c in chosen if getattr(c.row, field)]
    parts = []
    many_docs = len({c.row.doc_id for c in chosen}) > 1
    for c in chosen:
        plan = ctx.plans[c.row.doc_id]
        if not getattr(c.row, field):
            if len(chosen) == 1 and c.row.layout == "labelled":
                return passage_answer(ctx, q, hits)  # a prose item has no such field: its sentences may say it
            if len(chosen) == 1 and (told := _told_in_row(ctx, q, c)):
                return told
            parts.append(_lacks(ctx, c.row, field, round(c.hit.score, 3)))
            if len(chosen) == 1:
                return Draft(parts, abstained=True, confidence=0.0)
            continue
        fields = ("lead", "coordinate", "time") if field != "budget" else ("lead", "time")
        prefix = (
            f"Theo {plan.meta.citation_title()} (mục {c.row.section_path}):\n"
            if many_docs
            else f"Mục {c.row.section_path}:\n"
            if len(chosen) > 1
            else ""
        )
        note = (
            f"\n(Lưu ý: {'; '.join(c.row.ambiguous)})" if c.row.ambiguous and field in ("budget", "coordinate") else ""
        )
        # several rows share the answer's room: each with a shorter task name, so the answer stays readable
        shared = ANSWER_MAX * (len(chosen) - 1) // len(chosen)
        text = describe_row(c.row, field, shown_fields(q), reserve=len(note) + len(prefix) + shared)
        parts.append(Part(prefix + text + note, _row_evidence(ctx, c, fields)))
    return Draft(parts, confidence=best.ov)


_BUDGET_WORDS = re.compile(r"\b(?:kinh phi|ngan sach|tien|du tru|nguon von|von)\b")


def shown_fields(q: Question) -> tuple[str, ...]:
    """The row fields an answer shows: the ones asked, both agency fields for a 'who' question (users often
    ask one and mean the other), the budget when money is mentioned; the rest stays in the citation."""
    fields = set(q.roles) | {q.intent}
    if fields & {"lead", "coordinate", "general"}:
        fields |= {"lead", "coordinate"}
    if _BUDGET_WORDS.search(q.folded):
        fields.add("budget")
    return tuple(sorted(fields))


def _row_evidence(ctx: "Context", c: RowCandidate, fields: tuple[str, ...]) -> tuple[Evidence, ...]:
    return ctx.row_evidence(c.row, fields, round(c.hit.score, 3))


def _told_in_row(ctx: "Context", q: Question, c: RowCandidate) -> Draft | None:
    """A table without the asked column may say it in the row's own words: 'Chủ trì, phối hợp với Bộ Tài chính …'
    in a row with no 'phối hợp' column (TB 624's Phụ lục I), 'Ngân sách trung ương đảm bảo …' or 'Chương trình tín
    dụng 500 nghìn tỷ đồng' in a row with no budget column (QĐ 2629, TB 624's Phụ lục II): that clause of the row
    answers, with the row cited; a sentence from elsewhere would be another task's."""
    said = _SAID_IN_CELL.get(q.intent)
    if said is None or (q.intent == "budget" and c.ov < ROW_TELLS_MONEY_MIN):
        return None
    row = c.row
    for cell in (row.name, row.lead, row.details):
        found = list(said.finditer(cell))
        if not found:
            continue
        # partners named in several clauses ('phối hợp với Bộ Tài chính …; cần phối hợp chặt chẽ với Bộ Giáo dục và
        # Đào tạo …; phối hợp với Bộ Ngoại giao …'): each partner's clause, short; else the one clause that says it
        body = "; ".join(_partner_clause(cell, x) for x in found) if len(found) > 1 else _clause(cell, found[0])
        lead = f" (cơ quan chủ trì: {row.lead})" if row.lead and cell is not row.lead and len(row.lead) <= 120 else ""
        text = f"Theo nội dung nhiệm vụ{lead}: {body}"
        fields = ("lead", "time", "details") if cell is row.details else ("lead", "time")  # the clause is quoted
        return Draft([Part(text, _row_evidence(ctx, c, fields))], confidence=0.5)
    return None


def _clause(cell: str, m: re.Match[str]) -> str:
    """The clause of a cell that holds a match, from its start ('… ' when the cell goes before it), cut at CLAUSE_MAX."""
    start = max(cell.rfind(sep, 0, m.start()) for sep in (". ", "; ", ": "))
    start = start + 2 if start >= 0 else 0
    clause = cell[start:]
    shown = clause if len(clause) <= CLAUSE_MAX else clause[:CLAUSE_MAX].rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + shown


def _partner_clause(cell: str, m: re.Match[str]) -> str:
    """'phối hợp với Bộ Ngoại giao' up to what the partner is for ('để …', 'xây dựng …') or the clause's end."""
    end = min([i for i in (cell.find(x, m.end()) for x in _PARTNER_END) if i >= 0] + [len(cell)])
    piece = cell[m.start() : end].rstrip(" ,")
    return piece if len(piece) <= PARTNER_MAX else piece[:PARTNER_MAX].rsplit(" ", 1)[0] + " …"


_PARTNER_END = (". ", "; ", " để ", " xây dựng", " nhằm ", " trong ", " chỉ đạo ", " thực hiện ", " triển khai ")
PARTNER_MAX = 90


# the clause of a task's own words that states the field its table has no column for (TB 624, QĐ 2629)
_SAID_IN_CELL = {
    "coordinate": re.compile(
        r"phối hợp (?:chặt chẽ )?(?:với |cùng )?(?:các |với các )?"
        r"(?:Bộ|Sở|Ủy ban|UBND|Cơ quan|Ban|Văn phòng|Tổng|Ngân hàng|Đài|Viện)"
    ),
    "budget": re.compile(r"(?i)ngân sách (?:trung ương|địa phương|nhà nước)|\d[\d.,]*\s*(?:nghìn tỷ|tỷ|triệu)?\s*đồng"),
}
CLAUSE_MAX = 240
# an amount in a row that tells the asked task only in part is another task's money: TB 624's questions on Starlink or
# on credit for flooded areas meet its 500-trillion credit row at 0.54-0.63, the ones on that row itself at 0.8-0.9
# (QĐ 2629's central-budget row likewise)
ROW_TELLS_MONEY_MIN = 0.75


def _lacks(ctx: "Context", row: TaskRow, field: str, score: float) -> Part:
    plan = ctx.plans[row.doc_id]
    text = (
        f"{plan.meta.citation_title()} không nêu {FIELD_NAMES[field]} cho nhiệm vụ này "
        f"(mục {row.section_path}). Thông tin bảng có:\n" + describe_row(row, "lead")
    )
    return Part(text, ctx.row_evidence(row, ("lead", "time"), score))


def _time_from_text(ctx: "Context", q: Question, hits: list[Hit], c: RowCandidate) -> Draft:
    """A day or month was asked but the row only gives years: a sentence may give the date, else say so."""
    best = score_sentences(ctx, q, hits, need_for(q))
    if best and best[0].ov >= ctx.cfg.sentence_min_overlap:
        return passage_answer(ctx, q, hits)
    plan = ctx.plans[c.row.doc_id]
    text = (
        f"Các kế hoạch hiện có không nêu ngày/tháng cụ thể cho việc này. Gần nhất: {plan.meta.citation_title()}, "
        f"mục {c.row.section_path} ghi thời gian thực hiện: {c.row.time or 'không nêu'}."
    )
    return abstain(text, _row_evidence(ctx, c, ("time",)))


def missing(ctx: "Context", q: Question, ranked: list[RowCandidate], hits: list[Hit], what: str) -> Draft:
    """The asked field is not in the plans: say so, and point to the closest task the plans do describe."""
    if ranked and ranked[0].ov >= 0.34:
        c = ranked[0]
        plan = ctx.plans[c.row.doc_id]
        text = (
            f"Các kế hoạch hiện có không nêu {what} cho việc này. Gần nhất: {plan.meta.citation_title()}, "
            f"mục {c.row.section_path}:\n" + describe_row(c.row, "lead")
        )
        return abstain(text, _row_evidence(ctx, c, ("lead", "time")))
    return abstain(f"Các kế hoạch hiện có không nêu {what} cho việc này." + closest(ctx, hits))


def row_by_number(ctx: "Context", q: Question, scope: Filters) -> Draft:
    """A question that names an appendix row ('nhiệm vụ 3.4.2'): that row, or a plain 'there is no such row'."""
    number = q.asks.row_ref
    docs = set(scope.docs or ctx.plans)
    rows = [r for r in ctx.task_rows if r.doc_id in docs and r.number == number]
    if not rows:
        names = ", ".join(sorted(ctx.plans[d].meta.citation_title() for d in docs))
        return abstain(f"Phụ lục của {names} không có nhiệm vụ số {number}.")
    field = q.intent if q.intent in FIELD_NAMES else "lead"
    parts, lacking = [], 0
    for row in rows[:3]:
        plan = ctx.plans[row.doc_id]
        if not getattr(row, field):
            parts.append(_lacks(ctx, row, field, 1.0))
            lacking += 1
            continue
        head = f"Theo {plan.meta.citation_title()} (mục {row.section_path}):\n"
        text = describe_row(row, field, shown_fields(q))  # the asked fields; the whole row is in the citation
        parts.append(Part(head + text, ctx.row_evidence(row, ("lead", "coordinate", "time"))))
    return Draft(parts, abstained=lacking == len(parts))

"""The assistant: question -> analysis -> scope -> hybrid retrieval (+ structure) -> composed answer -> verified
citations. Composition lives in roles / passages / facts / duties / crossplan; this module routes and cites."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from index.agencies import KNOWN_AGENCIES, agency_of_title, canonical
from index.search import Filters, Hit, PlanIndex, SearchConfig
from index.store import PlanRecord
from index.text import collapse_ws, fold

from .analysis import Analyzer, Question
from .asks import asked_years
from .cite import SourceTexts
from .compose import (
    ComposeConfig,
    Draft,
    Evidence,
    Part,
    abstain,
    section_agency,
    topic_terms,
    without_source,
)
from .concise import fit
from .context import Context
from .crossplan import across_plans, answer_parts
from .datatables import data_table_answer, table_total
from .duties import duty_answer
from .facts import (
    ADDRESSEES_ASKED,
    EXECUTORS_ASKED,
    PHONE_ASKED,
    addressees_answer,
    cited_date,
    cited_subject,
    effective_answer,
    executors_answer,
    fact_answer,
    no_email,
    own_effect_asked,
    phone_answer,
    plan_period,
    plan_period_asked,
)
from .initialisms import Initialisms
from .kinds import EMAIL_ASKED, checked
from .passages import (
    LABEL_CONTEXT,
    NOT_FOUND,
    YEAR,
    budget_sources,
    budget_total,
    is_labelled,
    passage_answer,
)
from .restore import DiacriticsRestorer
from .roles import named_doers, role_answer, row_by_number, task_budget
from .scope import resolve_scope
from .terms import (
    term_matches,
    text_keys,
)

log = logging.getLogger(__name__)
ROLE_INTENTS = ("lead", "coordinate", "time", "budget")


@dataclass(frozen=True)
class Citation:
    doc: str
    plan: str
    section: str
    quote: str
    score: float


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    intent: str = ""

    def to_json(self) -> dict:
        """The answer JSON of DESIGN.md, exactly these keys."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.__dict__.copy() for c in self.citations],
            "latency_ms": self.latency_ms,
        }


_ATTRIBUTION = re.compile(r"\n\(Theo [^\n]*\)\s*$")
# an answer that already says who does it ('Cơ quan được giao: Sở X'): another agency before it would contradict it
_ROLE_LABEL = re.compile(r"Cơ quan (?:được giao|chủ trì|phối hợp|đầu mối)")


def _one_plan(citations: list[Citation]) -> bool:
    return len({c.doc for c in citations}) == 1


def _without_attribution(part: Part) -> str:
    """An answer drawn from one plan reads without its '(Theo <plan>, mục …)' line: the citation names the plan
    and section beside it (a source list does not belong in the answer; answers over several plans keep it).
    A quote from an agency's own section then says whose duty it is."""
    text = _ATTRIBUTION.sub("", part.text)
    if text == part.text or not part.evidence:
        return text
    agency = section_agency(part.evidence[0].section)
    if agency and canonical(agency) not in canonical(text) and not _ROLE_LABEL.match(text):
        text = f"{agency}: {text}"
    return text


# a budget level asked of a figure, and how a plan says that level ('ngân sách tỉnh' is its 'ngân sách địa phương')
_SOURCE_ASKED = re.compile(r"(?<!ngoai )\b(ngan sach|von|nguon)\s+(trung uong|dia phuong|tinh|huyen)\b")
_AMOUNT_ASKED = re.compile(r"\b(?:bao nhieu|may)\b")
_SPELLED = {
    "ngan sach": "ngân sách",
    "von": "vốn",
    "nguon": "nguồn",
    "trung uong": "trung ương",
    "dia phuong": "địa phương",
    "tinh": "tỉnh",
    "huyen": "huyện",
}
_SOURCE_SAID = {
    "trung uong": ("trung uong",),
    "dia phuong": ("dia phuong", "ngan sach tinh", "ngan sach huyen"),
    "tinh": ("ngan sach tinh", "dia phuong"),
    "huyen": ("ngan sach huyen", "dia phuong"),
}


class Assistant:
    def __init__(self, index: PlanIndex, cfg: ComposeConfig = ComposeConfig(), corpus_dir: Path | None = None) -> None:
        self.index, self.cfg = index, cfg
        self.plans: dict[str, PlanRecord] = index.plans
        self.sources = SourceTexts(self.plans, corpus_dir)
        names = list(KNOWN_AGENCIES)
        for p in self.plans.values():
            names += [
                x
                for path, kind, _ in p.sections
                if kind == "body" and (x := agency_of_title(path.split(" > ")[-1])) and len(x) < 80
            ]
        names += [r.lead for r in index.rows if r.lead and len(r.lead) < 60 and not r.lead.startswith("-")]
        numbers = {p.meta.number.split("/")[0]: d for d, p in self.plans.items() if p.meta.number != "unknown"}
        texts = [p.text for p in self.plans.values()]
        self.analyzer = Analyzer(
            DiacriticsRestorer(texts),
            names,
            sorted({p.meta.province for p in self.plans.values()} - {"unknown"}),
            numbers,
            Initialisms(texts),
        )
        # what the composers read; they get this, never the router
        self.ctx = Context.build(index, cfg, self.sources, self.analyzer)

    @classmethod
    def load(
        cls, index_dir: Path, corpus_dir: Path | None = None, search: SearchConfig = SearchConfig(), warm: bool = True
    ) -> "Assistant":
        assistant = cls(PlanIndex.load(index_dir, corpus_dir, config=search), corpus_dir=corpus_dir)
        if warm:  # load the segmenter and the embedder now, not on the first question
            assistant.index.search("khởi động", k=1)
        return assistant

    # ---- entry point --------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        plan: str | None = None,
        province: str | None = None,
        qid: str = "",
        previous: str | None = None,
    ) -> Answer:
        """Answer one question. `previous`: the preceding question of a conversation, for follow-ups such as
        "còn phối hợp với ai?" that name no task of their own."""
        t0 = time.perf_counter()
        q = self.analyzer.analyze(question)
        if previous and self._is_follow_up(q):
            q = self._with_context(q, self.analyzer.analyze(previous))
        resolved = resolve_scope(self.plans, q, plan, province)  # once: the composers and the fallbacks share it
        first = resolved if isinstance(resolved, Draft) else self._answer(*resolved, plan, province)
        draft = checked(q, first, self._pointer, self.plans)
        if draft.abstained and not first.abstained:
            draft = self._second_candidate(q, resolved) or draft
        citations = self._citations(draft.parts)
        if not citations and not draft.abstained:
            draft = abstain(NOT_FOUND)  # every quote failed verification (a table the PDF text mangled)
        if (draft.abstained or _year_not_answered(q, draft)) and (table := self._table_candidate(q, resolved)):
            draft, citations = table, self._citations(table.parts)
        elif total := self._total_candidate(q, resolved, draft):
            draft, citations = total, self._citations(total.parts)
        elif not draft.abstained and (why := self._figure_unanswered(q, draft) or self._province_unanswered(q, draft)):
            draft, citations = abstain(why + self._pointer(draft)), []
        texts = [_without_attribution(p) if _one_plan(citations) else p.text for p in draft.parts]
        if not draft.abstained and _one_plan(citations):  # answers over several plans give one field per plan
            texts = fit(texts, q.intent, self.ctx.agencies_named)
        text = "\n\n".join(texts)
        return Answer(
            qid,
            q.shown or q.text,
            text,
            draft.abstained,
            tuple(citations),
            round((time.perf_counter() - t0) * 1000, 1),
            q.intent,
        )

    def _second_candidate(self, q: Question, resolved: tuple[Filters, Question] | Draft) -> Draft | None:
        """When the routed composer's answer lacks what is asked (a task row's one-off date for 'trước ngày mấy
        hàng tháng', a sentence naming no place), the best sentences of the plans are the other candidate; it
        stands only if it carries what is asked."""
        if q.intent not in ROLE_INTENTS + ("target",) or q.asks.row_ref or isinstance(resolved, Draft):
            return None
        scope, q = resolved
        return self._standing(q, passage_answer(self.ctx, q, self.ctx.search(q, scope)))

    def _table_candidate(self, q: Question, resolved: tuple[Filters, Question] | Draft) -> Draft | None:
        """A refused question may name one row of a data table (a project list, a target table): that row's asked
        cell, if one row stands out and the answer carries what is asked."""
        if q.intent not in ("time", "target", "budget", "general", "fact") or q.asks.fact or q.agencies:
            return None
        if isinstance(resolved, Draft):
            return None
        scope, q = resolved
        return self._standing(q, data_table_answer(self.ctx, q, scope.docs or tuple(self.plans)))

    def _total_candidate(self, q: Question, resolved: tuple[Filters, Question] | Draft, draft: Draft) -> Draft | None:
        """'Tổng số … bao nhiêu' that the routed answer gives no total for: the total row of the appendix table the
        question describes, when one fits (a sentence's '06 mẫu/năm' is one item's, not the table's total)."""
        if q.intent not in ("target", "budget", "general") or isinstance(resolved, Draft):
            return None
        if not draft.abstained and "tong" in fold(" ".join(p.text for p in draft.parts)).lower():
            return None
        scope, q = resolved
        return self._standing(q, table_total(self.ctx, q, scope.docs or tuple(self.plans)))

    def _standing(self, q: Question, found: Draft | None) -> Draft | None:
        """Another candidate, if it carries what is asked (kinds.checked); None otherwise."""
        if found is None:
            return None
        alt = checked(q, found, self._pointer, self.plans)
        return None if alt.abstained else alt

    def _figure_unanswered(self, q: Question, draft: Draft) -> str:
        """Why an answer's figure is not the one asked ('' when it is): another item's, or another year's."""
        if missing := self._subject_unanswered(q, draft):
            return (
                "Các văn bản hiện có không nêu con số riêng cho nội dung được hỏi (đoạn gần nhất không nói đến "
                f"“{missing}”)."
            )
        if year := self._year_unanswered(q, draft):
            return f"Các văn bản hiện có không nêu con số cho năm {year}."
        return ""

    def _province_unanswered(self, q: Question, draft: Draft) -> str:
        """Why a national document's answer is not the province's (it is quoted from a passage that does not name
        the province asked: '3.515 tỷ đồng cho 08 tỉnh' for 'Đắk Lắk được bao nhiêu'), '' when it is."""
        evidence = self._known_evidence(draft)
        if not q.provinces or not evidence or any(self.plans[e.doc_id].meta.province != "unknown" for e in evidence):
            return ""
        said = fold(" ".join([p.text for p in draft.parts] + [e.section for e in evidence])).lower()
        if any(fold(p).lower() in said for p in q.provinces):
            return ""
        return f"Văn bản hiện có không nêu riêng cho {q.provinces[0]}."

    def _subject_unanswered(self, q: Question, draft: Draft) -> str:
        """The rare word a target question asks its figure for ('xuất khẩu <mận, mơ> bao nhiêu tấn', 'tỷ trọng xuất
        khẩu chính <ngạch>', '<ngưỡng> pH cho phép') when the plan uses it elsewhere but the answer, its headings and
        its plan's title do not: the figure is a sibling item's (the plan's chanh leo and chuối targets; Sơn La QĐ
        2954, Thanh Hóa KH 235). A word the plan never uses is the user's own wording and decides nothing."""
        if q.intent not in ("target", "budget") or draft.abstained or q.compare:
            return ""
        evidence = self._known_evidence(draft)
        context = self._figure_context(draft, evidence)
        # a label the user quotes ('mức “Xấu” là AQI bao nhiêu') names the item asked when the plan uses it
        for label in _QUOTED.findall(q.raw):
            key = fold(label).lower()
            if (
                any(key in fold(self.plans[e.doc_id].text).lower() for e in evidence)
                and key not in fold(context).lower()
            ):
                return label
        terms = topic_terms(q, self.ctx.stop_terms(q))
        if not terms:
            return ""
        if source := self._source_unanswered(q, evidence, context):
            return source
        if name := self._name_unanswered(terms, evidence, context):
            return name
        if q.intent != "target":
            return ""
        top = max(terms, key=self.ctx.vocab.weight)
        if self.ctx.vocab.weight(top) < RARE_SUBJECT * self.ctx.vocab.unseen:
            return ""
        if not any(term_matches(top, text_keys(self.plans[d].text)) for d in {e.doc_id for e in evidence}):
            return ""
        return "" if term_matches(top, text_keys(context)) else top.text

    def _figure_context(self, draft: Draft, evidence: list[Evidence]) -> str:
        """What a figure is said of: the answer, the headings it is quoted from, its plan's title, and for a field of
        an item described over several lines the lines above it."""
        titles = [self.plans[e.doc_id].meta.title for e in evidence]
        # a field of an item described over several lines ('- Số lượng: 5.000 cuốn.') is that item's figure
        above = [
            self.plans[e.doc_id].text[max(0, e.start - LABEL_CONTEXT) : e.start]
            for e in evidence
            if is_labelled(self.plans[e.doc_id].text[e.start : e.end])
        ]
        return " ".join([p.text for p in draft.parts] + [e.section for e in evidence] + titles + above)

    def _source_unanswered(self, q: Question, evidence: list[Evidence], context: str) -> str:
        """The level of budget a figure is asked of ('ngân sách trung ương hỗ trợ bao nhiêu', 'ngân sách tỉnh cấp
        thêm bao nhiêu') when the answer, its row and its headings name no such source: the figure is the whole's
        or another source's (Đắk Lắk KH 0134's yearly estimate; Cà Mau KH 211's and QĐ 4385's figures name theirs)."""
        m = _SOURCE_ASKED.search(q.folded)
        if not m or not _AMOUNT_ASKED.search(q.folded):
            return ""  # 'ngoài ngân sách tỉnh, huy động vốn từ đâu' asks other sources, no figure
        said = fold(f"{context} {self._quoted_whole(evidence)}").lower()
        kind, level = m.groups()
        if any(re.search(rf"\b{a}\b", said) for a in _SOURCE_SAID[level]):
            return ""
        return f"{_SPELLED[kind]} {_SPELLED[level]}"

    def _quoted_whole(self, evidence: list[Evidence]) -> str:
        """The quoted text, a task row said whole (its budget cells name their sources: 'vốn sự nghiệp CTMTQG')."""
        rows = [self.ctx.rows.get((e.doc_id, e.section)) for e in evidence]
        return " ".join(
            self.plans[e.doc_id].text[r.start : r.end] if r else self.plans[e.doc_id].text[e.start : e.end]
            for e, r in zip(evidence, rows)
        )

    def _name_unanswered(self, terms: tuple, evidence: list[Evidence], context: str) -> str:
        """A name the question asks its figure for ('xuất sang <Nhật Bản>', 'vốn <ODA>', 'thị trường <Hàn Quốc>')
        that the plan writes as a name elsewhere but neither the quoted passages nor their headings say: the figure
        is the whole's, not that market's or source's (Sơn La QĐ 2954's export markets, QĐ 4385's ODA; rounds 21,
        24, 27)."""
        plans = {e.doc_id for e in evidence}
        # a task row is said whole (its budget cell names the source: 'vốn sự nghiệp CTMTQG'), a sentence alone
        said = text_keys(f"{context} {self._quoted_whole(evidence)}")
        for t in terms:
            if term_matches(t, said) or not t.text[:1].isalpha():
                continue
            if not any(_written_as_name(t.text, self.plans[d].text) for d in plans):
                continue
            # a name many plans write ('Việt Nam' in each header) is the setting, not an item
            if sum(_cased(t.text) in p.text for p in self.plans.values()) <= max(1, NAME_RARE * len(self.plans)):
                return t.text
        return ""

    def _year_unanswered(self, q: Question, draft: Draft) -> str:
        """The year a 'bao nhiêu' question asks its figure for, when neither the answer, the headings it is quoted
        from nor its plan's title (a plan 'giai đoạn 2026 - 2030' sets its targets for 2030) state it: the figure
        is another year's ('năm 2025 … xuất khẩu bao nhiêu' answered with the 2030 target, '… đến năm 2030 bao
        nhiêu trạm' with today's count)."""
        if not _year_not_answered(q, draft):
            return ""
        if other := _other_deadline(q, draft):
            return other
        evidence = self._known_evidence(draft)
        context = " ".join(e.section for e in evidence)
        # the plan's title speaks for a figure whose heading names no year of its own ('Mục tiêu đến năm 2030' is
        # 2030's even in a plan 'đến năm 2030, tầm nhìn 2035'), nor says it is today's ('Hiện nay, tổng số trạm …')
        # — unless the answer names its own year ('… đến năm 2030 dự kiến là 43.346.068 m2' for '2045 bao nhiêu m2':
        # QĐ 4385's 2030 figure in a plan 'tầm nhìn đến năm 2045'; Sơn La's 2030 targets in its 2026 plan)
        shown = " ".join(without_source(p.text) for p in draft.parts)
        own = asked_years(fold(shown).lower())  # the years the quote states, not its plan's date nor a cited one
        if not YEAR.search(context) and not own and not _PRESENT.search(shown):
            context += " ".join(self.plans[e.doc_id].meta.title for e in evidence)
        return next((y for y in sorted(asked_years(q.folded)) if y not in context), "")

    def _known_evidence(self, draft: Draft) -> list[Evidence]:
        return [e for p in draft.parts for e in p.evidence if e.doc_id in self.plans]

    def _pointer(self, draft: Draft) -> str:
        """' Nội dung gần nhất: <document>, mục <section>.' for the first evidence of a draft ('' without one)."""
        ev = next((e for p in draft.parts for e in p.evidence), None)
        if ev is None:
            return ""
        return f" Nội dung gần nhất: {self.plans[ev.doc_id].meta.citation_title()}, mục {ev.section}."

    def _is_follow_up(self, q: Question) -> bool:
        """A short question with a role but no topic of its own ("còn phối hợp với ai?", "khi nào xong?")."""
        return (
            len(topic_terms(q, self.ctx.stop_terms(q))) <= 1
            and not q.agencies
            and (q.intent in ROLE_INTENTS or q.intent == "general")
        )

    def _with_context(self, q: Question, prev: Question) -> Question:
        """The follow-up's role, the previous question's topic, agencies and scope."""
        intent = q.intent if q.intent != "general" else prev.intent
        return replace(
            q,
            restored=f"{prev.restored} {q.restored}",
            folded=f"{prev.folded} {q.folded}",
            intent=intent,
            agencies=prev.agencies,
            provinces=q.provinces or prev.provinces,
            other_provinces=q.other_provinces or prev.other_provinces,
            plan_numbers=q.plan_numbers or prev.plan_numbers,
            plan_codes=q.plan_codes or prev.plan_codes,
            compare=False,
            content=f"{prev.content} {q.content}".strip(),
            terms=tuple(dict.fromkeys(prev.terms + q.terms)),
        )

    def retrieve(self, question: str, k: int = 10, plan: str | None = None, province: str | None = None) -> list[Hit]:
        """The passages the assistant reads for a question (analysis + scope + hybrid search)."""
        resolved = resolve_scope(self.plans, self.analyzer.analyze(question), plan, province)
        return [] if isinstance(resolved, Draft) else self.ctx.search(resolved[1], resolved[0], k=k)

    # ---- routing --------------------------------------------------------------------------------------
    def _answer(self, scope: Filters, q: Question, plan: str | None, province: str | None) -> Draft:
        """The routed composer's answer for a question already scoped (resolve_scope)."""
        if q.english:
            return abstain(
                "Xin đặt câu hỏi bằng tiếng Việt (please ask in Vietnamese), ví dụ: "
                "“Ai chủ trì nhiệm vụ phát triển hầm biogas?”"
            )
        if not plan and not province:
            parts = answer_parts(self.ctx, q, scope, self.single)
            if parts is not None:
                return parts
        if q.compare and not q.provinces and len(scope.docs) > 1 and q.intent not in ("duty", "fact"):
            return across_plans(self.ctx, q, scope, self.single)
        return self.single(q, scope)

    def single(self, q: Question, scope: Filters) -> Draft:
        """One question over one scope (one or more plans), routed by what it asks."""
        if q.asks.row_ref and q.intent != "fact":
            return row_by_number(self.ctx, q, scope)
        if EXECUTORS_ASKED.search(q.folded) and (executors := executors_answer(self.ctx, q, scope)):
            return executors
        if ADDRESSEES_ASKED.search(q.folded) and (addressees := addressees_answer(self.ctx, q, scope)):
            return addressees
        if (q.intent == "fact" or q.intent == "time") and (dated := cited_date(self.ctx, q, scope)):
            return dated  # the date of a document the plan cites, asked by its number
        if subject := cited_subject(self.ctx, q, scope):
            return subject  # what a document the plan cites is about, asked by its number
        if PHONE_ASKED.search(q.folded):
            return phone_answer(self.ctx, q, scope)
        if EMAIL_ASKED.search(q.folded) and (refused := no_email(self.ctx, q, scope)):
            return refused
        if q.intent == "fact":
            return fact_answer(self.ctx, q, scope)
        if own_effect_asked(q.folded) and (effective := effective_answer(self.ctx, q, scope)):
            return effective
        if plan_period_asked(self.ctx, q, scope.docs) and (period := plan_period(self.ctx, q, scope)):
            return period
        if q.intent == "duty" and named_doers(self.ctx, q, scope.docs):
            return duty_answer(self.ctx, q, scope)
        # 'lấy nguồn lực từ đâu' names no budget word the intent reads, yet asks for the funding sources
        sources = q.intent == "general" and q.asks.budget == "sources"
        if (q.intent == "budget" or sources) and q.asks.budget and not task_budget(self.ctx, q, scope):
            if q.asks.budget == "total":
                return budget_total(self.ctx, q, scope)
            return budget_sources(self.ctx, q, scope)
        if q.intent in ROLE_INTENTS:
            return role_answer(self.ctx, q, scope)
        return passage_answer(self.ctx, q, self.ctx.search(q, scope))

    # ---- citations --------------------------------------------------------------------------------------
    def _citations(self, parts: list[Part]) -> list[Citation]:
        """Every evidence span, quoted from the plan and verified against the plan's corpus file; unverifiable
        spans are dropped (and logged), never shown."""
        out, seen = [], set()
        for part in parts:
            for ev in part.evidence:
                plan = self.plans.get(ev.doc_id)
                if plan is None or ev.end <= ev.start:
                    continue
                quote = collapse_ws(plan.text[ev.start : ev.end])
                if not self.sources.verified(ev.doc_id, quote):
                    log.warning("dropped unverifiable citation %s %s", ev.doc_id, ev.section)
                    continue
                if (ev.doc_id, quote) not in seen:
                    seen.add((ev.doc_id, quote))
                    out.append(Citation(ev.doc_id, plan.meta.citation_title(), ev.section, quote, ev.score))
        return out


# a label quoted in the question ('mức “Xấu”', 'mức "Rất xấu"'): letters, not a numeral or a roman one ('“0”', '"II"')
_QUOTED = re.compile(r"[“\"](?![\dIVXL]+[”\"])([^”\"]{2,60})[”\"]")
RARE_SUBJECT = 0.75  # of the weight of a word no chunk has: a word few chunks use names one item
_YEAR_RANGE = re.compile(r"\b20\d\d\s*[-–]\s*20\d\d\b")
_DEADLINE_YEAR = re.compile(r"\b(?:den|toi|vao)\s+(?:het\s+)?(?:nam\s+)?(20\d\d)\b")  # 'đến (hết) năm 2025'
_PRESENT = re.compile(r"(?i)\b(?:hiện nay|hiện tại|đến nay)\b")  # a figure of today, not of a year to come


NAME_RARE = 0.25  # of the plans: a name written in more of them is no one plan's item
_ROMAN = re.compile(r"[IVXL]+")  # 'ký hiệu “II”': a column's numeral, not a name


def _acronym(word: str) -> bool:
    """A word that may stand for an acronym ('oda' for 'ODA'): one short unaccented word, not a Roman numeral."""
    return " " not in word and 3 <= len(word) <= 5 and word.isascii() and not _ROMAN.fullmatch(word.upper())


def _cased(word: str) -> str:
    """The word as a name is written: an acronym upper-case, other words capitalised ('oda' -> 'ODA', 'hàn' -> 'Hàn')."""
    return word.upper() if _acronym(word) else " ".join(w[:1].upper() + w[1:] for w in word.split())


def _written_as_name(word: str, text: str) -> bool:
    """Whether a plan writes the word as a name: capitalised inside sentences (after a lower-case word), nearly
    every time it uses it ('Nhật Bản', 'Hàn Quốc', 'ODA'), and not as a heading's or a title's first word."""
    cased = re.escape(_cased(word))
    if _acronym(word):
        named = len(re.findall(rf"(?<![\w]){cased}(?![\w])", text))  # an acronym: 'ODA'
    else:
        named = len(re.findall(rf"(?<=[a-zà-ỹđ,] ){cased}(?![\w])", text))
    every = len(re.findall(rf"(?i)(?<![\w]){re.escape(word)}(?![\w])", text))
    return named >= 1 and named >= 0.8 * every


def _year_not_answered(q: Question, draft: Draft) -> bool:
    """The question asks for one year's figure ('năm 2026 … bao nhiêu') and the answer states none for it: a
    target table's column for that year may hold it (Sơn La: a 2030 sentence given for a 2026 question)."""
    if q.intent not in ("target", "budget", "general") or (not q.asks.unit and "bao nhieu" not in q.folded):
        return False
    years = asked_years(q.folded)
    shown = " ".join(p.text for p in draft.parts)
    return bool(years) and (not years & set(YEAR.findall(shown)) or bool(_other_deadline(q, draft)))


def _other_deadline(q: Question, draft: Draft) -> str:
    """The year asked when the quote sets its figure for other years ('Phấn đấu đến năm 2025, … trên 50%' for '… đến
    năm 2030 bao nhiêu phần trăm': Bến Tre; '… đến năm 2030 đạt 400 triệu USD' for 2025's export value: Sơn La QĐ
    2954), whatever the heading above it says; a year asked alone beside a period that describes the plan ('Kế
    hoạch xuất khẩu giai đoạn 2026 - 2030 … ước thực hiện năm 2025') is the one asked. '' otherwise."""
    asked = asked_years(q.folded)
    alone = asked - set(re.findall(r"20\d\d", " ".join(_YEAR_RANGE.findall(q.folded))))
    shown = fold(" ".join(without_source(p.text) for p in draft.parts)).lower()
    deadlines = set(_DEADLINE_YEAR.findall(shown))
    return min(alone or asked) if asked and deadlines and not deadlines & (alone or asked) else ""

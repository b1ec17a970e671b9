"""The assistant: question -> analysis -> scope -> hybrid retrieval (+ structure) -> composed answer -> verified
citations. Composition lives in roles / passages / facts / duties / crossplan; this module routes and cites."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from index.agencies import KNOWN_AGENCIES, agency_of_title, canonical, names_agency
from index.search import Filters, Hit, PlanIndex, SearchConfig
from index.store import PlanRecord
from index.tasks import TaskRow
from index.text import collapse_ws, fold

from .analysis import Analyzer, Question
from .cite import SourceTexts
from .compose import (
    ComposeConfig,
    Draft,
    Evidence,
    Part,
    abstain,
    is_agency_section,
    row_quote_spans,
    section_agency,
    topic_terms,
)
from .concise import fit
from .crossplan import across_plans, answer_parts
from .datatables import data_table_answer
from .duties import duty_answer
from .facts import (
    ADDRESSEES_ASKED,
    EXECUTORS_ASKED,
    addressees_answer,
    cited_date,
    effective_answer,
    executors_answer,
    fact_answer,
    own_effect_asked,
)
from .kinds import checked
from .passages import (
    FUNDING_SECTION,
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
    Vocabulary,
    folded_words_expanded,
    place_names,
    places_named,
    synonym_expansion,
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


class Assistant:
    def __init__(self, index: PlanIndex, cfg: ComposeConfig = ComposeConfig(), corpus_dir: Path | None = None) -> None:
        self.index, self.cfg = index, cfg
        self.plans: dict[str, PlanRecord] = index.plans
        self.sources = SourceTexts(self.plans, corpus_dir)
        self.rows = {(r.doc_id, r.section_path): r for r in index.rows}
        names = list(KNOWN_AGENCIES)
        for p in self.plans.values():
            names += [
                x
                for path, kind, _ in p.sections
                if kind == "body" and (x := agency_of_title(path.split(" > ")[-1])) and len(x) < 80
            ]
        names += [r.lead for r in index.rows if r.lead and len(r.lead) < 60 and not r.lead.startswith("-")]
        self.vocab = Vocabulary([c.text for c in index.chunks])
        self.places = place_names([p.text for p in self.plans.values()])
        with_rows = {(r.doc_id, r.appendix) for r in index.rows}
        self._content_appendices = {
            (c.doc_id, c.section)
            for c in index.chunks
            if c.kind == "text"
            and " > " not in c.section
            and c.section.startswith("PHỤ LỤC")
            and (c.doc_id, c.section) not in with_rows
        }
        numbers = {p.meta.number.split("/")[0]: d for d, p in self.plans.items() if p.meta.number != "unknown"}
        self.analyzer = Analyzer(
            DiacriticsRestorer([p.text for p in self.plans.values()]),
            names,
            sorted({p.meta.province for p in self.plans.values()} - {"unknown"}),
            numbers,
        )

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
        elif not draft.abstained and (why := self._figure_unanswered(q, draft) or self._province_unanswered(q, draft)):
            draft, citations = abstain(why + self._pointer(draft)), []
        texts = [_without_attribution(p) if _one_plan(citations) else p.text for p in draft.parts]
        if not draft.abstained and _one_plan(citations):  # answers over several plans give one field per plan
            texts = fit(texts, q.intent, self.agencies_named)
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
        alt = checked(q, passage_answer(self, q, self.search(q, scope)), self._pointer, self.plans)
        return None if alt.abstained else alt

    def _table_candidate(self, q: Question, resolved: tuple[Filters, Question] | Draft) -> Draft | None:
        """A refused question may name one row of a data table (a project list, a target table): that row's asked
        cell, if one row stands out and the answer carries what is asked."""
        if q.intent not in ("time", "target", "budget", "general", "fact") or q.asks.fact or q.agencies:
            return None
        if isinstance(resolved, Draft):
            return None
        scope, q = resolved
        found = data_table_answer(self, q, scope.docs or tuple(self.plans))
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
        if q.intent != "target" or draft.abstained or q.compare:
            return ""
        terms = topic_terms(q, self.stop_terms(q))
        if not terms:
            return ""
        top = max(terms, key=self.vocab.weight)
        if self.vocab.weight(top) < RARE_SUBJECT * self.vocab.unseen:
            return ""
        evidence = self._known_evidence(draft)
        if not any(term_matches(top, text_keys(self.plans[d].text)) for d in {e.doc_id for e in evidence}):
            return ""
        titles = [self.plans[e.doc_id].meta.title for e in evidence]
        # a field of an item described over several lines ('- Số lượng: 5.000 cuốn.') is that item's figure
        above = [
            self.plans[e.doc_id].text[max(0, e.start - LABEL_CONTEXT) : e.start]
            for e in evidence
            if is_labelled(self.plans[e.doc_id].text[e.start : e.end])
        ]
        context = " ".join([p.text for p in draft.parts] + [e.section for e in evidence] + titles + above)
        return "" if term_matches(top, text_keys(context)) else top.text

    def _year_unanswered(self, q: Question, draft: Draft) -> str:
        """The year a 'bao nhiêu' question asks its figure for, when neither the answer, the headings it is quoted
        from nor its plan's title (a plan 'giai đoạn 2026 - 2030' sets its targets for 2030) state it: the figure
        is another year's ('năm 2025 … xuất khẩu bao nhiêu' answered with the 2030 target, '… đến năm 2030 bao
        nhiêu trạm' with today's count)."""
        if not _year_not_answered(q, draft):
            return ""
        evidence = self._known_evidence(draft)
        context = " ".join(e.section for e in evidence)
        # the plan's title speaks for a figure whose heading names no year of its own ('Mục tiêu đến năm 2030' is
        # 2030's even in a plan 'đến năm 2030, tầm nhìn 2035'), nor says it is today's ('Hiện nay, tổng số trạm …')
        if not YEAR.search(context) and not _PRESENT.search(" ".join(p.text for p in draft.parts)):
            context += " ".join(self.plans[e.doc_id].meta.title for e in evidence)
        return next((y for y in sorted(set(YEAR.findall(q.text))) if y not in context), "")

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
            len(topic_terms(q, self.stop_terms(q))) <= 1
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
        return [] if isinstance(resolved, Draft) else self.search(resolved[1], resolved[0], k=k)

    # ---- routing --------------------------------------------------------------------------------------
    def _answer(self, scope: Filters, q: Question, plan: str | None, province: str | None) -> Draft:
        """The routed composer's answer for a question already scoped (resolve_scope)."""
        if q.english:
            return abstain(
                "Xin đặt câu hỏi bằng tiếng Việt (please ask in Vietnamese), ví dụ: "
                "“Ai chủ trì nhiệm vụ phát triển hầm biogas?”"
            )
        if not plan and not province:
            parts = answer_parts(self, q, scope)
            if parts is not None:
                return parts
        if q.compare and not q.provinces and len(scope.docs) > 1 and q.intent not in ("duty", "fact"):
            return across_plans(self, q, scope)
        return self.single(q, scope)

    def single(self, q: Question, scope: Filters) -> Draft:
        """One question over one scope (one or more plans), routed by what it asks."""
        if q.asks.row_ref and q.intent != "fact":
            return row_by_number(self, q, scope)
        if EXECUTORS_ASKED.search(q.folded) and (executors := executors_answer(self, q, scope)):
            return executors
        if ADDRESSEES_ASKED.search(q.folded) and (addressees := addressees_answer(self, q, scope)):
            return addressees
        if (q.intent == "fact" or q.intent == "time") and (dated := cited_date(self, q, scope)):
            return dated  # the date of a document the plan cites, asked by its number
        if q.intent == "fact":
            return fact_answer(self, q, scope)
        if own_effect_asked(q.folded) and (effective := effective_answer(self, q, scope)):
            return effective
        if q.intent == "duty" and named_doers(self, q):
            return duty_answer(self, q, scope)
        # 'lấy nguồn lực từ đâu' names no budget word the intent reads, yet asks for the funding sources
        sources = q.intent == "general" and q.asks.budget == "sources"
        if (q.intent == "budget" or sources) and q.asks.budget and not task_budget(self, q, scope):
            if q.asks.budget == "total":
                return budget_total(self, q, scope)
            return budget_sources(self, q, scope)
        if q.intent in ROLE_INTENTS:
            return role_answer(self, q, scope)
        return passage_answer(self, q, self.search(q, scope))

    # ---- retrieval ------------------------------------------------------------------------------------
    def search(self, q: Question, scope: Filters, k: int = 20) -> list[Hit]:
        """Hybrid search, then the structure the question names: the named agency's own section and the task
        rows it leads; the signature block or the plan's header for document facts."""
        synonyms = synonym_expansion(q.terms)
        hits = self.index.search(
            q.restored,
            k=max(k, 40),
            filters=scope,
            lexical_query=f"{_without_title(q.restored, q)} {synonyms}",
            folded_query=f"{_without_title(q.text, q)} {synonyms}",
            dense_query=_dense_query(q, self.cfg.dense_query_words),
        )
        floor = hits[-1].score if hits else 0.0
        seen = {h.chunk.chunk_id for h in hits}
        hits += [Hit(c, floor) for c in self._structural_chunks(q, scope) if c.chunk_id not in seen]
        boosted = [Hit(h.chunk, h.score + self._structure_boost(q, h), h.dense, h.bm25, h.folded) for h in hits]
        boosted.sort(key=lambda h: -h.score)
        return boosted[:k]

    def _structural_chunks(self, q: Question, scope: Filters) -> list:
        docs = set(scope.docs or self.plans)
        out = []
        for c in self.index.chunks:
            if c.doc_id not in docs or c.kind != "text":
                continue
            agency = is_agency_section(c.section)
            if q.agencies and agency and any(canonical(x) in canonical(agency) for x in q.agencies):
                out.append(c)
            elif q.intent == "fact" and (c.section.startswith(("TM.", "KT.")) or c.section == "Phần mở đầu"):
                out.append(c)
            elif q.asks.budget == "sources" and FUNDING_SECTION.search(c.section):
                out.append(c)
            elif _plan_period_section(q, c.section):
                out.append(c)
        return out

    def _structure_boost(self, q: Question, h: Hit) -> float:
        c = h.chunk
        if q.asks.appendix and re.match(rf"PHỤ LỤC {q.asks.appendix}\b", c.section):
            return 0.3
        if _plan_period_section(q, c.section):
            return 0.3
        if q.agencies:
            keys = [canonical(x) for x in q.agencies]
            if c.kind == "row":
                row = self.rows.get((c.doc_id, c.section))
                if row and any(k and k in canonical(row.lead) for k in keys):
                    return 0.15
            elif (agency := is_agency_section(c.section)) and any(k and k in canonical(agency) for k in keys):
                return 0.3 if q.intent == "duty" else 0.15
        return 0.0

    def stop_terms(self, q: Question) -> set[str]:
        """Words that scope the question rather than describe its topic: provinces and plan numbers."""
        words = set(q.plan_numbers)
        for name in q.provinces:
            words |= set(fold(name).split())
        return words

    # ---- shared helpers for the composers ---------------------------------------------------------------
    def is_content_appendix(self, chunk) -> bool:
        """An appendix that is a list of content (no task rows under it), not a task table's caption."""
        return (chunk.doc_id, chunk.section) in self._content_appendices

    def places_asked(self, q: Question) -> tuple[str, ...]:
        """Districts/communes the question names: evidence that does not name them is about another place."""
        return places_named(q.text, self.places)

    def agencies_named(self, text: str) -> list[str]:
        """Known agencies a text names, longest names first, without names contained in another found."""
        key = canonical(text)
        found: list[tuple[str, str]] = []
        for name, k in self.analyzer.agency_keys:
            if names_agency(k, key) and not any(k in f for _, f in found):
                found.append((name, k))
        return [n for n, _ in found]

    def section_at(self, plan: PlanRecord, pos: int) -> str:
        for path, _, spans in plan.sections:
            if any(x <= pos < y for x, y in spans):
                return path
        return ""

    def heading_evidence(self, plan: PlanRecord, path: str, score: float) -> Evidence:
        for p, _, spans in plan.sections:
            if p == path and spans:
                x, y = spans[0]
                m = re.match(r"^[^:]{3,120}:", plan.text[x:y])
                return Evidence(plan.doc_id, path, x, x + m.end() - 1 if m else y, score)
        return Evidence(plan.doc_id, path, 0, 0, score)

    def row_evidence(self, row: TaskRow, fields: tuple[str, ...], score: float = 1.0) -> tuple[Evidence, ...]:
        spans = row_quote_spans(self.plans[row.doc_id], row, fields, self.cfg.quote_max_chars)
        return tuple(Evidence(row.doc_id, row.section_path, s, e, score) for s, e in spans)

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


RARE_SUBJECT = 0.75  # of the weight of a word no chunk has: a word few chunks use names one item
_PRESENT = re.compile(r"(?i)\b(?:hiện nay|hiện tại|đến nay)\b")  # a figure of today, not of a year to come


def _year_not_answered(q: Question, draft: Draft) -> bool:
    """The question asks for one year's figure ('năm 2026 … bao nhiêu') and the answer states none for it: a
    target table's column for that year may hold it (Sơn La: a 2030 sentence given for a 2026 question)."""
    if q.intent not in ("target", "budget", "general") or (not q.asks.unit and "bao nhieu" not in q.folded):
        return False
    years = set(YEAR.findall(q.text))
    shown = " ".join(p.text for p in draft.parts)
    return bool(years) and not years & set(YEAR.findall(shown))


# The plan's own period under a heading near its top ('3. Thời gian thực hiện: Từ năm 2026 - 2030' in Đắk Lắk KH
# 0134, '3. Thời gian thực hiện Chương trình: Từ năm 2025 đến hết năm 2030' in Cần Thơ KH 153): 'thực hiện từ năm nào
# tới năm nào' shares no topic word with it
_PERIOD_HEADING = re.compile(r"(?i)^(?:[IVX]+|\d{1,2})[.)]\s*thời gian thực hiện\b")


def _plan_period_section(q: Question, section: str) -> bool:
    return (
        q.intent == "time"
        and q.asks.time_grain == "period"
        and section.count(" > ") <= 1
        and bool(_PERIOD_HEADING.match(section.split(" > ")[-1]))
    )


def _without_title(text: str, q: Question) -> str:
    """The question without the words that describe its plan: inside that plan they match every chunk, and their
    corpus-wide weight grows as unrelated plans are added ('kế hoạch KTTH của Hưng Yên sơ kết khi nào')."""
    if not q.title_terms:
        return text
    drop = {w for t in q.title_terms for w in t.folded.split()}
    return " ".join(w for w in text.split() if not set(folded_words_expanded(w)) <= drop)


def _dense_query(q: Question, max_words: int) -> str:
    """The topic words for the embedder, capped: its cost grows ~1.5 ms per token on this machine. The words
    that describe the plan are left out, as in the lexical queries: they would fill the cap ('Quan trắc môi
    trường nuôi thủy sản Thanh Hóa năm 2026 thì sở nào lo trình duyệt kinh phí …' embedded its first six words)."""
    topic = q.content or q.restored
    words = _without_title(topic, q).split() or topic.split()
    return " ".join(words[:max_words])

"""The assistant: question -> analysis -> hybrid retrieval (+ task rows) -> composed answer -> verified citations."""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import math
from collections import Counter

from index.agencies import KNOWN_AGENCIES, MERGED_2025, agency_of_title, canonical
from index.errors import QuestionError
from index.search import Filters, Hit, PlanIndex, SearchConfig
from index.store import PlanRecord
from index.tasks import TaskRow
from index.text import collapse_ws, fold

from .analysis import MERGED_PROVINCES, Analyzer, Question
from .compose import (ComposeConfig, Evidence, Part, agency_sections, best_sentences, describe_row, duty_items,
                      first_sentence, is_agency_section, overlap, row_quote_spans, topic_terms)
from .restore import DiacriticsRestorer

log = logging.getLogger(__name__)
ROLE_INTENTS = ("lead", "coordinate", "time", "budget")
NOT_FOUND = "Các kế hoạch hiện có không nêu thông tin này."


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
        return {"id": self.id, "question": self.question, "answer": self.answer, "abstained": self.abstained,
                "citations": [c.__dict__.copy() for c in self.citations], "latency_ms": self.latency_ms}


@dataclass
class Draft:
    parts: list[Part] = field(default_factory=list)
    abstained: bool = False
    header: str = ""


class Assistant:
    def __init__(self, index: PlanIndex, cfg: ComposeConfig = ComposeConfig()) -> None:
        self.index, self.cfg = index, cfg
        self.plans: dict[str, PlanRecord] = index.plans
        self.rows = {(r.doc_id, r.section_path): r for r in index.rows}
        names = list(KNOWN_AGENCIES)
        for p in self.plans.values():
            names += [a for path, kind, _ in p.sections if kind == "body" and (a := agency_of_title(path.split(" > ")[-1]))
                      and len(a) < 80]
        names += [r.lead for r in index.rows if r.lead and len(r.lead) < 60 and not r.lead.startswith("-")]
        self.idf = _idf([c.text for c in index.chunks])
        self._collapsed = {d: collapse_ws(p.text) for d, p in self.plans.items()}
        numbers = {p.meta.number.split("/")[0]: d for d, p in self.plans.items() if p.meta.number != "unknown"}
        self.analyzer = Analyzer(DiacriticsRestorer([p.text for p in self.plans.values()]), names,
                                 sorted({p.meta.province for p in self.plans.values()}), numbers)

    @classmethod
    def load(cls, index_dir: Path, corpus_dir: Path | None = None, search: SearchConfig = SearchConfig(),
             warm: bool = True) -> "Assistant":
        assistant = cls(PlanIndex.load(index_dir, corpus_dir, config=search))
        if warm:  # load the segmenter and the embedder now, not on the first question
            assistant.index.search("khởi động", k=1)
        return assistant

    # ---- entry point --------------------------------------------------------------------------------
    def ask(self, question: str, plan: str | None = None, province: str | None = None, qid: str = "",
            previous: str | None = None) -> Answer:
        """Answer one question. `previous`: the preceding question of a conversation, for follow-ups such as
        "còn phối hợp với ai?" that name no task of their own."""
        t0 = time.perf_counter()
        q = self.analyzer.analyze(question)
        if previous and self._is_follow_up(q):
            q = self._with_context(q, self.analyzer.analyze(previous))
        draft = self._answer(q, plan, province)
        citations = self._citations(draft.parts)
        if not citations and not draft.abstained:
            draft = Draft([Part(NOT_FOUND, ())], abstained=True)
        text = self._render(draft)
        return Answer(qid, q.text, text, draft.abstained, tuple(citations),
                      round((time.perf_counter() - t0) * 1000, 1), q.intent)

    def _is_follow_up(self, q: Question) -> bool:
        """A short question with a role but no topic of its own ("còn phối hợp với ai?", "khi nào xong?")."""
        topic = topic_terms(q, self._stop_terms(q))
        return len(topic) <= 1 and not q.agencies and (q.intent in ROLE_INTENTS or q.intent == "general")

    def _with_context(self, q: Question, prev: Question) -> Question:
        """The follow-up's role, the previous question's topic, agencies and scope."""
        intent = q.intent if q.intent != "general" else prev.intent
        return Question(q.raw, q.text, f"{prev.restored} {q.restored}", f"{prev.folded} {q.folded}", intent,
                        q.roles, prev.agencies, q.provinces or prev.provinces,
                        q.other_provinces or prev.other_provinces, q.plan_numbers or prev.plan_numbers, False,
                        f"{prev.content} {q.content}".strip(), q.accented, q.english)

    def retrieve(self, question: str, k: int = 10, plan: str | None = None, province: str | None = None) -> list[Hit]:
        """The passages the assistant reads for a question (analysis + scope + hybrid search)."""
        q = self.analyzer.analyze(question)
        scope = self._scope(q, plan, province)
        return [] if isinstance(scope, Draft) else self._search(q, scope, k=k)

    def _answer(self, q: Question, plan: str | None, province: str | None) -> Draft:
        scope = self._scope(q, plan, province)
        if isinstance(scope, Draft):
            return scope
        if q.english:
            return _abstain("Xin đặt câu hỏi bằng tiếng Việt (please ask in Vietnamese), ví dụ: "
                            "“Ai chủ trì nhiệm vụ phát triển hầm biogas?”")
        if q.compare and len(scope.docs or self.plans) > 1 and q.intent != "duty":
            return self._compare(q, scope)
        return self._single(q, scope)

    def _single(self, q: Question, scope: Filters) -> Draft:
        if q.intent == "fact":
            return self._fact(q, scope)
        if q.intent == "duty" and q.agencies:
            return self._duty(q, scope)
        if q.intent in ROLE_INTENTS:
            return self._role(q, scope)
        return self._passage(q, scope, want_number=q.intent == "target")

    # ---- scope ----------------------------------------------------------------------------------------
    def _scope(self, q: Question, plan: str | None, province: str | None) -> Filters | Draft:
        docs: set[str] = set(self.plans)
        if plan:
            if plan not in self.plans:
                raise QuestionError(f"không có văn bản '{plan}'", "--plan", "chọn một trong: " + ", ".join(sorted(self.plans)))
            docs = {plan}
        if province:
            hit = {d for d in docs if fold(self.plans[d].meta.province) == fold(province)}
            if not hit:
                return _abstain(self._no_province(province))
            docs = hit
        if q.provinces and not province:
            docs = {d for d in docs if self.plans[d].meta.province in q.provinces}
        elif q.other_provinces and not province:
            return _abstain(self._no_province(q.other_provinces[0]))
        if q.plan_numbers and not plan:
            known = {d for n in q.plan_numbers for d in docs if self.plans[d].meta.number.split("/")[0] == n}
            if known:
                docs = known
            elif not q.provinces:
                return _abstain(f"Kho văn bản không có kế hoạch/văn bản số {q.plan_numbers[0]}. "
                                f"Các văn bản hiện có: {self._catalogue()}.")
        if not docs:
            return _abstain(f"Không có văn bản phù hợp phạm vi đã chọn. Các văn bản hiện có: {self._catalogue()}.")
        return Filters(docs=tuple(sorted(docs)))

    def _no_province(self, name: str) -> str:
        provinces = sorted({p.meta.province for p in self.plans.values()})
        msg = f"Các kế hoạch hiện có không có văn bản của {name}; kho hiện có văn bản của: {', '.join(provinces)}."
        old = MERGED_PROVINCES.get(name)
        if old and old in provinces:
            msg += f" (Từ 2025, {old} đã hợp nhất vào {name}: có thể tham khảo kế hoạch của {old}.)"
        return msg

    def _catalogue(self) -> str:
        return "; ".join(p.meta.citation_title() for p in self.plans.values())

    # ---- role questions (lead / coordinate / time / budget) ---------------------------------------------
    def _search(self, q: Question, scope: Filters, k: int = 20) -> list[Hit]:
        """Hybrid search, then the structure the question names: the named agency's own section and the task
        rows it leads; the signature block or the plan's header for document facts."""
        # The embedder's cost grows with the query's length (~1.5 ms a token here): it reads the topic words only.
        hits = self.index.search(q.restored, k=max(k, 40), filters=scope, lexical_query=q.restored,
                                 folded_query=q.text, dense_query=_dense_query(q, self.cfg.dense_query_words))
        floor = hits[-1].score if hits else 0.0
        seen = {h.chunk.chunk_id for h in hits}
        hits += [Hit(c, floor) for c in self._structural_chunks(q, scope) if c.chunk_id not in seen]
        boosted = [Hit(h.chunk, h.score + self._structure_boost(q, h), h.dense, h.bm25, h.folded) for h in hits]
        boosted.sort(key=lambda h: -h.score)
        return boosted[:k]

    def _structural_chunks(self, q: Question, scope: Filters) -> list:
        """Chunks the question points at by structure, whatever their text scores: the named agency's section,
        the signature block (who signed), the header (number, date)."""
        docs = set(scope.docs or self.plans)
        out = []
        for c in self.index.chunks:
            if c.doc_id not in docs or c.kind != "text":
                continue
            agency = is_agency_section(c.section)
            if q.agencies and agency and any(canonical(a) in canonical(agency) for a in q.agencies):
                out.append(c)
            elif q.intent == "fact" and (c.section.startswith(("TM.", "KT.")) or c.section == "Phần mở đầu"):
                out.append(c)
        return out

    def _structure_boost(self, q: Question, h: Hit) -> float:
        c = h.chunk
        if q.agencies:
            keys = [canonical(a) for a in q.agencies]
            if c.kind == "row":
                row = self.rows.get((c.doc_id, c.section))
                if row and any(k and k in canonical(row.lead) for k in keys):
                    return 0.15
            elif (agency := is_agency_section(c.section)) and any(k and k in canonical(agency) for k in keys):
                return 0.3 if q.intent == "duty" else 0.15
        if q.intent == "fact":
            if re.search(r"\bky\b", q.folded) and c.section.startswith(("TM.", "KT.")):
                return 0.4
            if re.search(r"so hieu|ngay ban hanh|so may", q.folded) and (
                    c.section == "Phần mở đầu" or (c.section.startswith("PHỤ LỤC") and " > " not in c.section)):
                return 0.3
        return 0.0

    def _stop_terms(self, q: Question) -> set[str]:
        """Words that scope the question rather than describe its topic: provinces and plan numbers."""
        words = set(q.plan_numbers)
        for name in q.provinces:
            words |= set(fold(name).split())
        return words

    def _rank_rows(self, q: Question, hits: list[Hit]) -> list[tuple[float, float, TaskRow, Hit]]:
        terms = topic_terms(q, self._stop_terms(q))
        top = hits[0].score if hits and hits[0].score > 0 else 1.0
        ranked = []
        for h in hits:
            row = self.rows.get((h.chunk.doc_id, h.chunk.section)) if h.chunk.kind == "row" else None
            if row is None:
                continue
            ov = overlap(terms, f"{row.name} {row.details} {row.group} {row.lead} {row.coordinate}", self.idf)
            bonus = 0.0
            if q.agencies and q.intent != "lead":
                lead = canonical(row.lead)
                bonus = 0.2 if any(canonical(a) and canonical(a) in lead for a in q.agencies) else -0.1
            ranked.append((ov + 0.4 * h.score / top + bonus, ov, row, h))
        ranked.sort(key=lambda x: -x[0])
        return ranked

    def _role(self, q: Question, scope: Filters) -> Draft:
        hits = self._search(q, scope)
        ranked = self._rank_rows(q, hits)
        row_ov = ranked[0][1] if ranked else 0.0
        if q.intent == "lead":
            passage = self._agency_passage(q, hits, better_than=row_ov)
            if passage:
                return passage
        if ranked and row_ov >= self.cfg.row_min_overlap:
            return self._row_answer(q, ranked, restricted=bool(q.provinces or q.plan_numbers))
        if q.intent == "budget":
            return self._missing(q, hits, "kinh phí")
        return self._passage(q, scope, hits=hits, want_number=q.intent == "time")

    def _row_answer(self, q: Question, ranked: list, restricted: bool = False) -> Draft:
        score, ov, row, hit = ranked[0]
        chosen = [(row, hit)]
        for s2, ov2, row2, hit2 in ranked[1:]:
            sibling = row2.doc_id == row.doc_id and row2.number == row.number and row2.part != row.part
            other_plan = (not restricted and row2.doc_id not in {r.doc_id for r, _ in chosen}
                          and ov2 >= max(self.cfg.other_plan_min_overlap, ov - 0.05) and s2 >= score - 0.1)
            if sibling or other_plan:
                chosen.append((row2, hit2))
        field_name = {"lead": "lead", "coordinate": "coordinate", "time": "time", "budget": "budget"}[q.intent]
        parts = []
        for r, h in chosen:
            plan = self.plans[r.doc_id]
            if not getattr(r, field_name):
                what = {"budget": "kinh phí", "time": "thời gian thực hiện", "coordinate": "cơ quan phối hợp",
                        "lead": "cơ quan chủ trì"}[field_name]
                text = (f"{plan.meta.citation_title()} không nêu {what} cho nhiệm vụ này "
                        f"(mục {r.section_path}). Thông tin bảng có:\n" + describe_row(r, "lead"))
                spans = row_quote_spans(plan, r, ("lead", "time"), self.cfg.quote_max_chars)
                parts.append(Part(text, tuple(Evidence(r.doc_id, r.section_path, a, b, round(h.score, 3)) for a, b in spans)))
                if len(chosen) == 1:
                    return Draft(parts, abstained=True)
                continue
            fields = ("lead", "coordinate", "time") if field_name != "budget" else ("lead", "time")
            spans = row_quote_spans(plan, r, fields, self.cfg.quote_max_chars)
            prefix = (f"Theo {plan.meta.citation_title()} (mục {r.section_path}):\n"
                      if len({c.doc_id for c, _ in chosen}) > 1 else f"Mục {r.section_path}:\n" if len(chosen) > 1 else "")
            note = f"\n(Lưu ý: {'; '.join(r.ambiguous)})" if r.ambiguous and field_name in ("budget", "coordinate") else ""
            parts.append(Part(prefix + describe_row(r, field_name) + note,
                              tuple(Evidence(r.doc_id, r.section_path, a, b, round(h.score, 3)) for a, b in spans)))
        return Draft(parts)

    def _agency_passage(self, q: Question, hits: list[Hit], better_than: float = 0.0) -> Draft | None:
        """A lead question answered by the department section that assigns the task (plans without tables)."""
        terms = topic_terms(q, self._stop_terms(q))
        best = best_sentences(q, [h for h in hits if is_agency_section(h.chunk.section)], self.plans, terms, False, 1,
                              self.idf)
        if not best or best[0][0] < max(self.cfg.sentence_min_overlap, better_than + 0.05):
            return None
        ov, ev = best[0]
        agency = is_agency_section(ev.section)
        plan = self.plans[ev.doc_id]
        text = f"Cơ quan được giao: {agency}\n(Theo {plan.meta.citation_title()}, mục {ev.section}.)"
        return Draft([Part(text, (self._heading_evidence(plan, ev.section, ev.score), ev))])

    def _heading_evidence(self, plan: PlanRecord, path: str, score: float) -> Evidence:
        for p, _, spans in plan.sections:
            if p == path and spans:
                a, b = spans[0]
                m = re.match(r"^[^:]{3,120}:", plan.text[a:b])
                return Evidence(plan.doc_id, path, a, a + m.end() - 1 if m else b, score)
        return Evidence(plan.doc_id, path, 0, 0, score)

    def _missing(self, q: Question, hits: list[Hit], what: str) -> Draft:
        ranked = self._rank_rows(q, hits)
        if ranked and ranked[0][1] >= 0.34:
            row, h = ranked[0][2], ranked[0][3]
            plan = self.plans[row.doc_id]
            text = (f"Các kế hoạch hiện có không nêu {what} cho việc này. Gần nhất: {plan.meta.citation_title()}, "
                    f"mục {row.section_path}:\n" + describe_row(row, "lead"))
            spans = row_quote_spans(plan, row, ("lead", "time"), self.cfg.quote_max_chars)
            return Draft([Part(text, tuple(Evidence(row.doc_id, row.section_path, a, b, round(h.score, 3)) for a, b in spans))],
                         abstained=True)
        return _abstain(f"Các kế hoạch hiện có không nêu {what} cho việc này.")

    # ---- duty questions ----------------------------------------------------------------------------------
    def _duty(self, q: Question, scope: Filters) -> Draft:
        parts: list[Part] = []
        for doc in scope.docs:
            plan = self.plans[doc]
            for agency in self._agencies_in(plan, q.agencies):
                for path in agency_sections(plan, agency)[:1]:
                    part = self._duty_part(plan, agency, path)
                    if part:
                        parts.append(part)
        if parts:
            return Draft(parts[:3])
        return self._role(Question(**{**q.__dict__, "intent": "lead"}), scope)

    def _agencies_in(self, plan: PlanRecord, named: tuple[str, ...]) -> list[str]:
        """The named agencies that have a section in this plan; else their 2025 predecessors/successors that do."""
        direct = [a for a in named if agency_sections(plan, a)]
        if direct:
            return direct[:2]
        related = [old for a in named for old in MERGED_2025.get(a, ())]
        related += [new for a in named for new, olds in MERGED_2025.items() if a in olds]
        return [a for a in related if agency_sections(plan, a)][:2]

    def _duty_part(self, plan: PlanRecord, agency: str, path: str) -> Part | None:
        items = duty_items(plan, path)[:4]
        if not items:
            return None
        spans = [first_sentence(plan, s, 220) for s in items]
        bullet = "\n".join(f"- {_ellipsis(plan, (a, b), s)}" for (a, b), s in zip(spans, items))
        title = agency_of_title(path.split(" > ")[-1])
        text = f"{title} ({plan.meta.citation_title()}, mục {path}):\n{bullet}"
        led = [r for r in self.index.rows if r.doc_id == plan.doc_id and canonical(agency) in canonical(r.lead)]
        if led:
            text += f"\nNgoài ra chủ trì {len(led)} nhiệm vụ trong phụ lục, ví dụ: {led[0].name}."
        return Part(text, tuple(Evidence(plan.doc_id, path, a, b, 1.0) for a, b in spans))

    # ---- facts ---------------------------------------------------------------------------------------------
    def _fact(self, q: Question, scope: Filters) -> Draft:
        docs = list(scope.docs)
        if len(docs) > 1:
            hits = self._search(q, scope, k=5)
            docs = [hits[0].chunk.doc_id] if hits else docs[:1]
        plan = self.plans[docs[0]]
        meta, f = plan.meta, q.folded
        if re.search(r"de xuat|de nghi|can cu", f) or (re.search(r"quyet dinh|de an|chuong trinh", f)
                                                      and not re.search(r"so hieu|ngay ban hanh", f)):
            return self._passage(q, Filters(docs=(plan.doc_id,)), want_number=True)
        if re.search(r"\bky\b|nguoi ky", f):
            return self._fact_value(plan, "người ký", meta.signer, meta.signer)
        if re.search(r"ngay|khi nao|nam nao|luc nao|bao gio", f) and not re.search(r"so hieu|so may", f):
            return self._fact_value(plan, "ngày ban hành", meta.date, meta.number if meta.number != "unknown" else meta.date)
        return self._fact_value(plan, "số hiệu", meta.number, meta.number)

    def _fact_value(self, plan: PlanRecord, what: str, value: str, needle: str) -> Draft:
        if value == "unknown":
            note = f" {plan.meta.note}" if plan.meta.note else ""
            return _abstain(f"{plan.meta.citation_title()}: văn bản không ghi {what}.{note}")
        span = _find_line(plan.text, needle)
        text = f"{what.capitalize()}: {value} ({plan.meta.citation_title()})."
        if span is None:
            return Draft([Part(text, ())])
        return Draft([Part(text, (Evidence(plan.doc_id, self._section_at(plan, span[0]), span[0], span[1], 1.0),))])

    def _section_at(self, plan: PlanRecord, pos: int) -> str:
        for path, _, spans in plan.sections:
            if any(a <= pos < b for a, b in spans):
                return path
        return ""

    # ---- passages (targets, general) ------------------------------------------------------------------
    def _passage(self, q: Question, scope: Filters, hits: list[Hit] | None = None, want_number: bool = False) -> Draft:
        hits = hits if hits is not None else self._search(q, scope)
        terms = topic_terms(q, self._stop_terms(q))
        best = best_sentences(q, hits, self.plans, terms, want_number, limit=2, idf=self.idf)
        if not best or best[0][0] < self.cfg.sentence_min_overlap:
            return _abstain(NOT_FOUND + self._closest(hits))
        keep = [best[0]] + [b for b in best[1:] if b[0] >= max(self.cfg.sentence_min_overlap, best[0][0] - 0.1)
                            and (not want_number or re.search(r"\d", self.plans[b[1].doc_id].text[b[1].start:b[1].end]))]
        parts = []
        for ov, ev in keep:
            plan = self.plans[ev.doc_id]
            a, b = first_sentence(plan, (ev.start, ev.end), self.cfg.quote_max_chars)
            ev = Evidence(ev.doc_id, ev.section, a, b, ev.score)
            parts.append(Part(f"{_ellipsis(plan, (a, b), (ev.start, ev.end))}\n(Theo {plan.meta.citation_title()}, mục {ev.section}.)", (ev,)))
        return Draft(parts)

    def _closest(self, hits: list[Hit]) -> str:
        if not hits:
            return ""
        h = hits[0].chunk
        return f" Nội dung gần nhất: {self.plans[h.doc_id].meta.citation_title()}, mục {h.section}."

    # ---- comparisons -------------------------------------------------------------------------------------
    def _compare(self, q: Question, scope: Filters) -> Draft:
        parts: list[Part] = []
        for doc in scope.docs or tuple(self.plans):
            sub = self._single(q, Filters(docs=(doc,)))
            if sub.abstained or not sub.parts:
                continue
            title = self.plans[doc].meta.citation_title()
            parts += [Part(f"{title}:\n{p.text}", p.evidence) for p in sub.parts[:1]]
        return Draft(parts) if parts else _abstain(NOT_FOUND)

    # ---- citations and rendering -------------------------------------------------------------------------
    def _citations(self, parts: list[Part]) -> list[Citation]:
        out, seen = [], set()
        for part in parts:
            for ev in part.evidence:
                plan = self.plans.get(ev.doc_id)
                if plan is None or ev.end <= ev.start:
                    continue
                quote = collapse_ws(plan.text[ev.start:ev.end])
                if not quote or quote not in self._collapsed[ev.doc_id]:
                    log.warning("dropped unverifiable citation %s %s", ev.doc_id, ev.section)
                    continue
                key = (ev.doc_id, quote)
                if key not in seen:
                    seen.add(key)
                    out.append(Citation(ev.doc_id, plan.meta.citation_title(), ev.section, quote, ev.score))
        return out

    def _render(self, draft: Draft) -> str:
        return "\n\n".join(p.text for p in draft.parts)


def _ellipsis(plan: PlanRecord, shown: tuple[int, int], full: tuple[int, int]) -> str:
    """The quoted text, with '…' when it stops before the end of its paragraph or sentence."""
    text = collapse_ws(plan.text[shown[0]:shown[1]])
    return text + " …" if collapse_ws(plan.text[shown[1]:full[1]]) and not text.endswith((".", ";")) else text


def _dense_query(q: Question, max_words: int) -> str:
    """The topic words for the embedder, capped: its cost grows ~1.5 ms per token on this machine."""
    words = (q.content or q.restored).split()
    return " ".join(words[:max_words])


def _idf(texts: list[str]) -> dict[str, float]:
    """Inverse document frequency of folded syllables over the chunks."""
    df: Counter[str] = Counter()
    for t in texts:
        df.update(set(re.findall(r"[\w%]+", fold(t))))
    n = len(texts)
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    return _Idf(idf, math.log((n + 1) / 0.5))


class _Idf(dict):
    """IDF with a high weight for words the plans never use: a question about them is likely unanswerable."""

    def __init__(self, values: dict[str, float], unseen: float) -> None:
        super().__init__(values)
        self.unseen = unseen

    def get(self, key, default=None):  # type: ignore[override]
        return super().get(key, self.unseen)


def _abstain(text: str) -> Draft:
    return Draft([Part(text, ())], abstained=True)


def _find_line(text: str, needle: str) -> tuple[int, int] | None:
    """Span of the line that contains `needle` (for metadata facts)."""
    if not needle or needle == "unknown":
        return None
    pattern = r"\s*".join(re.escape(c) for c in needle.replace(" ", ""))
    m = re.search(pattern, text)
    if not m:
        return None
    a = text.rfind("\n", 0, m.start()) + 1
    b = text.find("\n", m.end())
    return a, (b if b >= 0 else len(text))

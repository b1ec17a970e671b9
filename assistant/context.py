"""What a composer reads: the plans, their task rows and sections, the vocabulary and one search function, behind
a read-only context. Composers (roles, passages, facts, duties, data tables) take a Context and return drafts;
they never call back into the Assistant, which routes between them and cites."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from index.agencies import canonical, names_agency
from index.search import Filters, Hit, PlanIndex
from index.store import PlanRecord
from index.tasks import TaskRow
from index.text import fold

from .analysis import Analyzer, Question
from .cite import SourceTexts
from .compose import ComposeConfig, Evidence, is_agency_section, row_quote_spans
from .passages import FUNDING_SECTION, flat_folded, quoted_phrases
from .terms import Vocabulary, folded_words_expanded, place_names, places_named, synonym_expansion


@dataclass(frozen=True)
class Context:
    """Read-only: built once per index, shared by every question and thread."""

    index: PlanIndex
    plans: Mapping[str, PlanRecord]
    rows: Mapping[tuple[str, str], TaskRow]
    cfg: ComposeConfig
    vocab: Vocabulary
    places: frozenset[tuple[str, str]]
    sources: SourceTexts
    analyzer: Analyzer
    content_appendices: frozenset[tuple[str, str]]

    @classmethod
    def build(cls, index: PlanIndex, cfg: ComposeConfig, sources: SourceTexts, analyzer: Analyzer) -> "Context":
        with_rows = {(r.doc_id, r.appendix) for r in index.rows}
        appendices = frozenset(
            (c.doc_id, c.section)
            for c in index.chunks
            if c.kind == "text"
            and " > " not in c.section
            and c.section.startswith("PHỤ LỤC")
            and (c.doc_id, c.section) not in with_rows
        )
        return cls(
            index=index,
            plans=MappingProxyType(index.plans),
            rows=MappingProxyType({(r.doc_id, r.section_path): r for r in index.rows}),
            cfg=cfg,
            vocab=Vocabulary([c.text for c in index.chunks]),
            places=place_names([p.text for p in index.plans.values()]),
            sources=sources,
            analyzer=analyzer,
            content_appendices=appendices,
        )

    @property
    def task_rows(self) -> list[TaskRow]:
        return self.index.rows

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
            elif _quotes(q, c.text):
                out.append(c)
        return out

    def _structure_boost(self, q: Question, h: Hit) -> float:
        c = h.chunk
        if q.asks.appendix and re.match(rf"PHỤ LỤC {q.asks.appendix}\b", c.section):
            return 0.3
        if _plan_period_section(q, c.section):
            return 0.3
        if _quotes(q, c.text):
            return 0.3
        if q.intent == "time" and _TIME_HEADING.match(c.section.split(" > ")[-1]):
            return 0.2
        if q.agencies:
            keys = [canonical(x) for x in q.agencies]
            if c.kind == "row":
                row = self.rows.get((c.doc_id, c.section))
                if row and any(k and k in canonical(row.lead) for k in keys):
                    return 0.15
            elif (agency := is_agency_section(c.section)) and any(k and k in canonical(agency) for k in keys):
                return 0.3 if q.intent == "duty" else 0.15
        return 0.0

    # ---- what the composers share ---------------------------------------------------------------------
    def stop_terms(self, q: Question) -> set[str]:
        """Words that scope the question rather than describe its topic: provinces and plan numbers."""
        words = set(q.plan_numbers)
        for name in q.provinces:
            words |= set(fold(name).split())
        return words

    def is_content_appendix(self, chunk) -> bool:
        """An appendix that is a list of content (no task rows under it), not a task table's caption."""
        return (chunk.doc_id, chunk.section) in self.content_appendices

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


# The plan's own period under a heading near its top ('3. Thời gian thực hiện: Từ năm 2026 - 2030' in Đắk Lắk KH
# 0134, '3. Thời gian thực hiện Chương trình: Từ năm 2025 đến hết năm 2030' in Cần Thơ KH 153): 'thực hiện từ năm nào
# tới năm nào' shares no topic word with it
# a part headed by a time ('b) Thời gian hỗ trợ', '1. Thời gian', 'Thời hạn hoàn thành'): where a plan says when (NQ
# 380's support, TP.HCM QĐ 2853's and Đắk Lắk KH 0134's periods), read before the words of a time question outrank it
_TIME_HEADING = re.compile(r"(?i)^(?:[IVX]+|\d{1,2}|[a-zđ])?[.)]?\s*thời (?:gian|hạn)\b")
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


def _quotes(q: Question, text: str) -> bool:
    """Whether the text holds a phrase the question quotes (folded, whitespace collapsed)."""
    phrases = quoted_phrases(q)
    return bool(phrases) and any(p in flat_folded(text) for p in phrases)

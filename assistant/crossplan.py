"""Questions over several plans: 'ở Hưng Yên và Cà Mau (KH 64) ai chủ trì …', 'Kon Tum giao sở nào …, còn ở Cà Mau
thì …', 'tỉnh nào có …'. Each plan is answered on its own and the answers are set side by side, one per plan;
a plan that does not say is reported as such rather than filled from another plan. These combine answers rather
than compose them: each plan's answer comes from the router's `single` function, passed in explicitly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from index.search import Filters
from index.text import fold

from .analysis import Question
from .compose import Draft, Part, abstain
from .scope import focus

if TYPE_CHECKING:
    from .context import Context

_SPLIT = re.compile(r"[;,?.]\s*(?=con\b)|\s(?=con (?:o|tai|theo|ke hoach|kh|voi|thi|tinh|ben|cua)\b)")
_ANAPHOR = re.compile(r"\b(nay|do|nhu vay|tuong tu|thi sao|the nao)\b")
NOT_SAID = "không nêu thông tin này."
Single = Callable[[Question, Filters], Draft]  # the router's answer for one question over one scope


def scope_groups(ctx: "Context", q: Question, scope: Filters) -> list[tuple[str, ...]]:
    """One group of documents per plan or province the question names (in the order named)."""
    groups: list[tuple[str, ...]] = []
    allowed = set(scope.docs or ctx.plans)
    numbered = {n: d for d, p in ctx.plans.items() if d in allowed for n in [p.meta.number.split("/")[0]]}
    taken: set[str] = set()
    for n in q.plan_numbers:
        if n in numbered:
            groups.append((numbered[n],))
            taken.add(numbered[n])
    for prov in q.provinces:
        docs = tuple(sorted(d for d in allowed if ctx.plans[d].meta.province == prov))
        if docs and not set(docs) & taken:
            groups.append(docs)
    return groups


def split_question(text: str) -> list[str]:
    """'A …, còn B thì …?' -> ['A …', 'còn B thì …?'] (only at 'còn' that opens a new clause)."""
    folded = fold(text)
    cuts = [m.end() if folded[m.start()] in ";,?." else m.start() + 1 for m in _SPLIT.finditer(folded)]
    bounds = [0] + cuts + [len(text)]
    parts = [text[x:y].strip(" ;,") for x, y in zip(bounds, bounds[1:])]
    return [p for p in parts if len(p) > 8]


def answer_parts(ctx: "Context", q: Question, scope: Filters, single: Single) -> Draft | None:
    """A question that names several plans, or joins two questions with 'còn'; None when it is a single question."""
    pieces = split_question(q.text)
    if len(pieces) > 1:
        subs = [ctx.analyzer.analyze(p) for p in pieces]
        if sum(bool(s.provinces or s.plan_numbers) for s in subs) >= 2:
            jobs = [(_with_topic(s, subs[0]), scope_groups(ctx, s, scope) or [scope.docs]) for s in subs]
            return _combine(ctx, jobs, single)
    groups = scope_groups(ctx, q, scope)
    if len(groups) >= 2:
        return _combine(ctx, [(q, [g]) for g in groups], single)
    return None


def _with_topic(sub: Question, first: Question) -> Question:
    """A later clause ('còn ở Cà Mau thì mô hình này …') borrows the topic of the first one."""
    if sub is first or not (_ANAPHOR.search(sub.folded) or len(sub.terms) <= 3):
        return sub
    terms = tuple(dict.fromkeys(first.terms + sub.terms))
    return replace(
        sub,
        terms=terms,
        content=f"{first.content} {sub.content}".strip(),
        restored=f"{first.restored} {sub.restored}",
        agencies=sub.agencies or first.agencies,
    )


def _combine(ctx: "Context", jobs: list[tuple[Question, list[tuple[str, ...]]]], single: Single) -> Draft:
    parts: list[Part] = []
    answered = 0
    confidence = 1.0
    for sub, groups in jobs:
        for docs in groups:
            part_q = sub
            if docs:
                narrowed, part_q = focus(ctx.plans, sub, set(docs))
                docs = tuple(sorted(narrowed))
            title = "; ".join(ctx.plans[d].meta.citation_title() for d in docs) if docs else "Các kế hoạch"
            draft = single(part_q, Filters(docs=tuple(docs)) if docs else Filters())
            if draft.abstained or not draft.parts:
                parts.append(Part(f"{title}: {NOT_SAID}", ()))
                continue
            answered += 1
            confidence = min(confidence, draft.confidence)
            parts.append(_under_title(draft.parts[0], f"Theo {title}"))
    if not answered:
        return abstain("Các kế hoạch hiện có không nêu thông tin này.")
    return Draft(parts, confidence=confidence)


def across_plans(ctx: "Context", q: Question, scope: Filters, single: Single) -> Draft:
    """'Tỉnh nào / những kế hoạch nào …': every plan whose own answer is about as strong as the best one."""
    drafts = []
    for doc in scope.docs or tuple(ctx.plans):
        d = single(q, Filters(docs=(doc,)))
        if not d.abstained and d.parts:
            drafts.append((d.confidence, doc, d))
    if not drafts:
        return abstain("Các kế hoạch hiện có không nêu thông tin này.")
    best = max(c for c, _, _ in drafts)
    keep = [(c, doc, d) for c, doc, d in sorted(drafts, key=lambda x: -x[0]) if c >= max(best - 0.15, 0.5)]
    parts = []
    for _, doc, d in keep[:4]:
        title = ctx.plans[doc].meta.citation_title()
        parts.append(_under_title(d.parts[0], title))
    return Draft(parts, confidence=best)


def _under_title(part: Part, heading: str) -> Part:
    """A plan's answer set under its plan's title (unless it already opens with 'Theo <plan>')."""
    return part if part.text.startswith("Theo ") else Part(f"{heading}:\n{part.text}", part.evidence)

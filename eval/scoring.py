"""Pure scoring functions: answer correctness, retrieval hits, abstention, latency. No I/O, no models.

Matching folds case, Unicode form, tone placement, spacing, dash styles, leading zeros of dates and agency
abbreviations both ways ("PTNT" ~ "Phát triển nông thôn"), so an answer is not marked wrong for its spelling.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from index.agencies import expand_abbreviations
from index.text import collapse_ws

LENGTH_CAP = {
    "lead": 700,
    "coordinate": 700,
    "time": 700,
    "budget": 800,
    "fact": 500,
    "target": 800,
    "duty": 1600,
    "cross-plan": 2200,
    "general": 900,
}


def normalize_answer(text: str) -> str:
    """Comparison key: abbreviations expanded, lowercase, NFC, unified dashes/spaces/date zeros, no punctuation."""
    key = expand_abbreviations(text)
    key = re.sub(r"(?<![\d.])0(\d)(?=\s*/)", r"\1", key)  # 02/10/2024 -> 2/10/2024
    key = re.sub(r"(?<=/)\s*0(\d)\b", r"\1", key)
    key = re.sub(r"[^\w%/\-.,]+", " ", key)
    key = re.sub(r"(?<!\d)[.,](?!\d)", " ", key)  # keep 1.310 and 8,5 but drop sentence punctuation
    return collapse_ws(key)


def contains(answer: str, gold: str) -> bool:
    g = normalize_answer(gold)
    pattern = r"(?<![\w])(?<!\d[.,])" + re.escape(g) + r"(?![\w])(?![.,]\d)"
    return bool(g) and re.search(pattern, normalize_answer(answer)) is not None


def is_correct(question: dict, answer: str, abstained: bool) -> bool:
    """Unanswerable: correct iff abstained. Otherwise: not abstained, concise, and the gold is in the answer."""
    qtype = question.get("type", "general")
    if qtype == "unanswerable":
        return abstained
    if abstained or len(answer) > LENGTH_CAP.get(qtype, 900):
        return False
    golds = question.get("gold_answers") or []
    groups = question.get("must_all") or []
    if golds and not any(contains(answer, g) for g in golds):
        return False
    return all(any(contains(answer, g) for g in group) for group in groups) and bool(golds or groups)


def span_hit(chunk_span: tuple[int, int], evidence: tuple[int, int], min_share: float = 0.5) -> bool:
    """A retrieved span holds the evidence when it covers at least min_share of the evidence characters."""
    a = max(chunk_span[0], evidence[0])
    b = min(chunk_span[1], evidence[1])
    return b > a and (b - a) / max(1, evidence[1] - evidence[0]) >= min_share


def first_hit_rank(hits: list[bool]) -> int | None:
    """1-based rank of the first hit, or None."""
    return next((i + 1 for i, h in enumerate(hits) if h), None)


def retrieval_metrics(ranks: list[int | None]) -> dict[str, float]:
    """hit@1, hit@5 and MRR@10 over questions (rank None = evidence not retrieved)."""
    n = max(1, len(ranks))
    return {
        "hit@1": sum(r == 1 for r in ranks if r) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n,
    }


def abstention(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """pairs of (should_abstain, abstained) -> precision, recall."""
    tp = sum(s and a for s, a in pairs)
    fp = sum((not s) and a for s, a in pairs)
    fn = sum(s and not a for s, a in pairs)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "abstained": tp + fp,
        "should_abstain": tp + fn,
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[k - 1]


def breakdown(records: list[dict], key: str, value: str) -> dict[str, dict[str, float]]:
    """Mean of records[value] grouped by records[key], with counts."""
    groups: dict[str, list[float]] = defaultdict(list)
    for r in records:
        groups[r[key]].append(float(r[value]))
    return {k: {"n": len(v), value: sum(v) / len(v)} for k, v in sorted(groups.items())}

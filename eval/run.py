"""Run the evaluation: answers, citations and retrieval of planqa, and the retrieval baselines, in one run."""

from __future__ import annotations

import logging
import time
import unicodedata
from pathlib import Path

from assistant.answer import Assistant
from assistant.compose import SINGLE_FIELD
from index.errors import QuestionError
from index.text import collapse_ws

from .baselines import all_baselines
from .questionset import locate
from .scoring import abstention, breakdown, first_hit_rank, is_correct, percentile, retrieval_metrics, span_hit

log = logging.getLogger(__name__)
K = 10


def _raw_texts(corpus_dir: Path, doc_ids: list[str]) -> dict[str, str]:
    """Whitespace-collapsed source text of each plan, to check quotes independently of the index."""
    out = {}
    for d in doc_ids:
        path = corpus_dir / f"{d}.txt"
        if path.exists():
            out[d] = collapse_ws(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")))
    return out


def _evidence_span(assistant: Assistant, q: dict) -> tuple[str, int, int] | None:
    if not q.get("evidence") or not q.get("gold_docs"):
        return None
    doc = q["gold_docs"][0]
    plan = assistant.plans.get(doc)
    span = locate(plan.text, q["evidence"]) if plan else None
    return (doc, *span) if span else None


def _rank(spans: list[tuple[str, int, int]], ev: tuple[str, int, int]) -> int | None:
    return first_hit_rank([d == ev[0] and span_hit((a, b), (ev[1], ev[2])) for d, a, b in spans])


def evaluate(
    assistant: Assistant,
    questions: list[dict],
    corpus_dir: Path,
    baselines: bool = True,
    progress: bool = True,
    cache_dir: Path | None = None,
) -> dict:
    """Score every question; returns the full report (summary numbers and per-question records). The baselines'
    embeddings are cached in `cache_dir` (default: `cache` beside the index folder)."""
    from tqdm import tqdm

    raw = _raw_texts(corpus_dir, list(assistant.plans))
    cache_dir = cache_dir or assistant.index.folder.absolute().parent / "cache"
    retrievers = all_baselines(assistant.index, cache_dir) if baselines else {}
    records = []
    for q in tqdm(questions, desc="Đánh giá", unit="câu", disable=not progress, leave=False):
        records.append(_score_one(assistant, q, raw, retrievers))
    return summarize(records, list(retrievers))


def _score_one(assistant: Assistant, q: dict, raw: dict[str, str], retrievers: dict) -> dict:
    t = time.perf_counter()
    try:
        ans = assistant.ask(q["question"], qid=q["id"])
        answer, abstained, citations = ans.answer, ans.abstained, ans.to_json()["citations"]
    except QuestionError as exc:
        answer, abstained, citations = exc.message, True, []
    latency = (time.perf_counter() - t) * 1000
    ev = _evidence_span(assistant, q)
    ranks = {}
    if ev:
        ranks["planqa"] = _rank(
            [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in assistant.retrieve(q["question"], k=K)], ev
        )
        for name, run in retrievers.items():
            ranks[name] = _rank(run(q["question"], K), ev)
    first = citations[0] if citations else None
    answerable = q.get("type") != "unanswerable"
    return {
        "id": q["id"],
        "question": q["question"],
        "type": q.get("type", "general"),
        "style": q.get("style", "formal"),
        "expected": q.get("gold_answers", []),
        "must_all": q.get("must_all", []),
        "got": answer,
        "abstained": abstained,
        "correct": is_correct(q, answer, abstained),
        "answerable": answerable,
        "latency_ms": round(latency, 1),
        "ranks": ranks,
        "has_evidence": ev is not None,
        "citation_doc_ok": bool(first and first["doc"] in q.get("gold_docs", []))
        if answerable and not abstained
        else None,
        "citation_section_ok": (
            bool(first and first["section"] == q.get("gold_section"))
            if answerable and not abstained and q.get("gold_section")
            else None
        ),
        "quotes_verified": all(collapse_ws(c["quote"]) in raw.get(c["doc"], "") for c in citations),
        "citations": citations,
    }


CONCISE_CHARS = 300  # issue 12: single-field answers within 300 characters


def summarize(records: list[dict], baselines: list[str]) -> dict:
    n = len(records)
    with_ev = [r for r in records if r["has_evidence"]]
    systems = ["planqa"] + baselines
    retrieval = {s: retrieval_metrics([r["ranks"].get(s) for r in with_ev]) for s in systems}
    for style in ("formal", "informal", "no_diacritics"):
        subset = [r for r in with_ev if r["style"] == style]
        retrieval["planqa"][f"hit@5 {style}"] = retrieval_metrics([r["ranks"].get("planqa") for r in subset])["hit@5"]
    doc_ok = [r["citation_doc_ok"] for r in records if r["citation_doc_ok"] is not None]
    sec_ok = [r["citation_section_ok"] for r in records if r["citation_section_ok"] is not None]
    lat = [r["latency_ms"] for r in records]
    accented = [r for r in records if r["style"] != "no_diacritics"]
    unaccented = [r for r in records if r["style"] == "no_diacritics"]
    return {
        "questions": n,
        "accuracy": sum(r["correct"] for r in records) / max(1, n),
        "accuracy_answerable": _mean([r["correct"] for r in records if r["answerable"]]),
        "accuracy_accented": _mean([r["correct"] for r in accented]),
        "accuracy_no_diacritics": _mean([r["correct"] for r in unaccented]),
        "by_type": breakdown(records, "type", "correct"),
        "by_style": breakdown(records, "style", "correct"),
        "retrieval": retrieval,
        "retrieval_questions": len(with_ev),
        "abstention": abstention([(not r["answerable"], r["abstained"]) for r in records]),
        "citation_doc_accuracy": _mean(doc_ok),
        "citation_section_accuracy": _mean(sec_ok),
        "quotes_verified": _mean([r["quotes_verified"] for r in records]),
        "concise_single_field": _mean(
            [len(r["got"]) <= CONCISE_CHARS for r in records if r["type"] in SINGLE_FIELD and not r["abstained"]]
        ),
        "latency_ms": {"p50": percentile(lat, 50), "p95": percentile(lat, 95), "max": max(lat, default=0.0)},
        "failures": [
            {k: r[k] for k in ("id", "type", "style", "question", "expected", "must_all", "got", "abstained")}
            for r in records
            if not r["correct"]
        ],
        "records": records,
    }


def _mean(values: list) -> float:
    return sum(bool(v) for v in values) / len(values) if values else 0.0

"""Fusion settings compared on the same questions: weighted score fusion at several weights and reciprocal-rank
fusion, each scored on evidence retrieval (hit@1, hit@5, MRR@10) through the full planqa retrieval. This is how
the default in index.search.SearchConfig was chosen; `planqa eval --fusion` reprints the table."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer import Assistant
from index.search import SearchConfig

from .run import K, _evidence_span, _rank
from .scoring import retrieval_metrics

SETTINGS: tuple[tuple[str, SearchConfig], ...] = (
    ("weighted .45/.35/.20", SearchConfig(w_dense=0.45, w_bm25=0.35, w_folded=0.20)),
    ("weighted .30/.45/.25 (default)", SearchConfig()),
    ("weighted .20/.50/.30", SearchConfig(w_dense=0.20, w_bm25=0.50, w_folded=0.30)),
    ("weighted .00/.60/.40 (no dense)", SearchConfig(w_dense=0.0, w_bm25=0.60, w_folded=0.40)),
    ("RRF equal weights", SearchConfig(fusion="rrf", w_dense=1.0, w_bm25=1.0, w_folded=1.0)),
    ("RRF .30/.45/.25", SearchConfig(fusion="rrf")),
)


def compare_fusion(assistant: Assistant, questions: list[dict]) -> list[tuple[str, dict[str, float]]]:
    """Retrieval metrics of each fusion setting on the questions that have evidence."""
    with_evidence = [(q, ev) for q in questions if (ev := _evidence_span(assistant, q))]
    original = assistant.index.config
    out = []
    try:
        for name, cfg in SETTINGS:
            assistant.index.config = replace(cfg)
            ranks = [
                _rank(
                    [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in assistant.retrieve(q["question"], k=K)], ev
                )
                for q, ev in with_evidence
            ]
            out.append((name, retrieval_metrics(ranks)))
    finally:
        assistant.index.config = original
    return out

"""Retrieval baselines measured in the same run: whitespace BM25, BM25 and dense alone, hybrid without question
analysis, and the textbook LangChain pipeline (RecursiveCharacterTextSplitter 1000/200 + FAISS + the same e5 model).
Each returns, per question, the ranked (doc_id, start, end) spans of the normalized plan texts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import numpy as np

from index.embed import EmbeddingCache
from index.search import PlanIndex

log = logging.getLogger(__name__)
Span = tuple[str, int, int]
Retriever = Callable[[str, int], list[Span]]


def _spans(hits) -> list[Span]:
    return [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in hits]


def index_mode(index: PlanIndex, mode: str) -> Retriever:
    return lambda q, k: _spans(index.search(q, k=k, mode=mode))


def whitespace_bm25(index: PlanIndex) -> Retriever:
    from index.store import build_bm25

    bm25 = build_bm25([c.embed_text.lower().split() for c in index.chunks])

    def run(q: str, k: int) -> list[Span]:
        ids = bm25.get_tokens_ids(q.lower().split())
        if not ids:
            return []
        scores = bm25.get_scores_from_ids(ids)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(index.chunks[i].doc_id, index.chunks[i].start, index.chunks[i].end) for i in order if scores[i] > 0]

    return run


def langchain_textbook(index: PlanIndex, cache_dir: Path) -> Retriever:
    """RecursiveCharacterTextSplitter(1000, 200) over each plan's text, e5 passages in a flat FAISS index."""
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    spans: list[Span] = []
    texts: list[str] = []
    for doc_id, plan in sorted(index.plans.items()):
        for d in splitter.create_documents([plan.text]):
            start = d.metadata["start_index"]
            spans.append((doc_id, start, start + len(d.page_content)))
            texts.append(d.page_content)
    emb = index.embedder
    cache = EmbeddingCache(cache_dir, emb.id, emb.dim)
    vectors, missing = cache.get(texts)
    if missing:
        log.info("langchain baseline: embedding %d chunks", len(missing))
        for i in range(0, len(missing), 16):
            idx = missing[i : i + 16]
            vecs = emb.embed_passages([texts[j] for j in idx])
            vectors[idx] = vecs
            cache.put([texts[j] for j in idx], vecs)
        cache.save()
    flat = faiss.IndexFlatIP(emb.dim)
    flat.add(np.ascontiguousarray(vectors))

    def run(q: str, k: int) -> list[Span]:
        _, found = flat.search(emb.embed_queries([q]), k)
        return [spans[i] for i in found[0] if i >= 0]

    return run


def all_baselines(index: PlanIndex, cache_dir: Path) -> dict[str, Retriever]:
    return {
        "BM25 (whitespace tokens)": whitespace_bm25(index),
        "BM25 (underthesea, 2 fields)": index_mode(index, "bm25"),
        "Dense (e5) only": index_mode(index, "dense"),
        "Hybrid, no question analysis": index_mode(index, "hybrid"),
        "LangChain textbook (1000/200 + FAISS + e5)": langchain_textbook(index, cache_dir),
    }

"""`planqa bench`: build times (cold and cached), query latency p50/p95 per retriever, index size, and a scale
run at >= 100,000 chunks made by replicating the real plans under other province names (with random vectors).
Prints a table; measures speed here rather than in timed unit tests.
"""

from __future__ import annotations

import logging
import random
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .chunks import Chunk
from .search import PlanIndex, SearchConfig
from .store import BuildConfig, VectorConfig, build_bm25, build_index, build_vector_index, cache_folder
from .tokens import fold_tokens, tokenize

log = logging.getLogger(__name__)
SAMPLE_QUERIES = (
    "Ai chủ trì nhiệm vụ phát triển hầm biogas?",
    "ai chu tri ham biogas o ca mau",
    "Sở Tài chính Bến Tre có nhiệm vụ gì?",
    "kinh phí nuôi sò huyết VietGAP bao nhiêu",
    "tỷ lệ che phủ rừng Cà Mau năm 2025",
    "sở nào vận hành nền tảng chia sẻ dữ liệu ở Hưng Yên",
)


def _pcts(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def time_queries(fn, queries: list[str], repeat: int = 1) -> tuple[float, float]:
    fn(queries[0])  # warm
    lat = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            lat.append((time.perf_counter() - t) * 1000)
    return _pcts(lat)


def build_times(corpus: Path, cold: bool, warm_cache: Path) -> list[tuple[str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache" if cold else warm_cache
        cfg = BuildConfig(cache_dir=str(cache))
        if cold:
            t = time.perf_counter()
            m = build_index(corpus, Path(tmp) / "a", cfg, progress=False)
            rows.append(
                (
                    "build, cold (embeds every chunk)",
                    f"{time.perf_counter() - t:.1f} s ({m['counts']['chunks']} chunks)",
                )
            )
        t = time.perf_counter()
        m = build_index(corpus, Path(tmp) / "b", cfg, progress=False)
        rows.append(
            ("build, embedding cache warm", f"{time.perf_counter() - t:.1f} s ({m['counts']['embedded']} embedded)")
        )
        rows.append(("index folder size", f"{_dir_size(Path(tmp) / 'b') / 1e6:.2f} MB"))
    return rows


def query_latency(index_dir: Path, corpus: Path, queries: list[str]) -> list[tuple[str, str]]:
    from assistant.answer import Assistant

    assistant = Assistant.load(index_dir, corpus)
    idx = assistant.index
    rows = []
    for mode in ("bm25", "dense", "hybrid"):
        p50, p95 = time_queries(lambda q: idx.search(q, k=10, mode=mode), queries)
        rows.append((f"query {mode} (real corpus, {len(idx.chunks)} chunks)", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"))
    p50, p95 = time_queries(lambda q: assistant.retrieve(q, k=10), queries)
    rows.append(("planqa retrieval (analysis + hybrid + structure)", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"))
    p50, p95 = time_queries(lambda q: assistant.ask(q), queries)
    rows.append(("planqa ask, full answer (as --jsonl)", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"))
    return rows


def scale_run(index_dir: Path, target: int, queries: list[str]) -> list[tuple[str, str]]:
    """Replicate the real chunks under synthetic province names to `target` chunks; vectors are random."""
    base = PlanIndex.load(index_dir)
    tokens = [tokenize(c.embed_text) for c in base.chunks]
    copies = -(-target // len(base.chunks))
    chunks: list[Chunk] = []
    all_tokens: list[list[str]] = []
    for n in range(copies):
        for c, toks in zip(base.chunks, tokens):
            chunks.append(replace(c, chunk_id=f"{c.chunk_id}~{n}", doc_id=f"{c.doc_id}~{n}"))
            all_tokens.append(toks + [f"tinh_gia_lap_{n}"] if n else toks)
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(chunks), base.vectors.d)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    t = time.perf_counter()
    bm25, bm25f = build_bm25(all_tokens), build_bm25([fold_tokens(x) for x in all_tokens])
    t_bm25 = time.perf_counter() - t
    t = time.perf_counter()
    vindex, kind = build_vector_index(vectors, VectorConfig())
    t_vec = time.perf_counter() - t
    big = PlanIndex(index_dir, base.manifest, {}, [], chunks, bm25, bm25f, vindex, SearchConfig())
    big._embedder = base.embedder
    big._doc_of = np.array([c.doc_id for c in chunks])
    p50, p95 = time_queries(lambda q: big.search(q, k=10), queries)
    return [
        (f"scale: chunks (real plans x{copies}, random vectors)", f"{len(chunks):,}"),
        ("scale: BM25 build (2 fields)", f"{t_bm25:.1f} s"),
        (f"scale: vector index build ({kind})", f"{t_vec:.1f} s"),
        ("scale: hybrid query", f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"),
    ]


def run(
    index_dir: Path, corpus: Path, questions: Path | None, cold: bool, scale: int, cache_dir: str | None = None
) -> list[tuple[str, str]]:
    queries = list(SAMPLE_QUERIES)
    if questions and questions.exists():
        import json

        queries = [json.loads(x)["question"] for x in questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    random.Random(0).shuffle(queries)
    rows = build_times(corpus, cold, cache_folder(BuildConfig(cache_dir=cache_dir), index_dir))
    rows += query_latency(index_dir, corpus, queries)
    if scale:
        rows += scale_run(index_dir, scale, queries[:60])
    rows.append(("peak memory of this process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"))
    return rows


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    lines = [f"{'đo':<{width}}  kết quả", "-" * (width + 30)]
    lines += [f"{k:<{width}}  {v}" for k, v in rows]
    return "\n".join(lines)

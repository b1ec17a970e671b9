"""Hybrid retrieval over a loaded index: BM25 (accented and folded fields) + FAISS vectors, fused.

Filters (plan, province, year) are applied inside retrieval (a mask over all chunks; a FAISS ID selector),
never after truncating to top-k.
"""

from __future__ import annotations

import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunks import Chunk
from .embed import Embedder, EmbedderConfig, make_embedder
from .errors import IndexError_
from .store import REBUILD_HINT, PlanRecord, read_manifest, read_records, verify_index
from .tasks import TaskRow
from .text import fold
from .tokens import TokenizerConfig, fold_tokens, tokenize
from .txn import commit_in_progress, manifest_build_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchConfig:
    fusion: str = "weighted"  # "weighted" | "rrf"
    # Measured on eval/questions.jsonl (README): weighted .30/.45/.25 beats .45/.35/.20 and RRF on hit@5/MRR.
    w_dense: float = 0.30
    w_bm25: float = 0.45
    w_folded: float = 0.25
    rrf_k: int = 60
    ann_candidates: int = 400  # neighbours asked from an approximate (HNSW) index
    # a sharded index searched by Ray actors, one per shard, on this cluster ('auto', 'HOST:6379', or 'local' for
    # a Ray started here); '' = threads of this process. planqa's commands read it from PLANQA_RAY_ADDRESS.
    ray_address: str = ""


@dataclass(frozen=True)
class Filters:
    docs: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.docs or self.provinces or self.years)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense: float = 0.0
    bm25: float = 0.0
    folded: float = 0.0


@dataclass
class PlanIndex:
    """Everything the query side needs, loaded and verified from an index folder."""

    folder: Path
    manifest: dict
    plans: dict[str, PlanRecord]
    rows: list[TaskRow]
    chunks: list[Chunk]
    bm25: object
    bm25_folded: object
    vectors: object
    config: SearchConfig = field(default_factory=SearchConfig)
    _embedder: Embedder | None = None
    _doc_of: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def load(
        cls,
        folder: Path,
        corpus_dir: Path | None = None,
        embedder: Embedder | None = None,
        config: SearchConfig = SearchConfig(),
        embedder_cfg: EmbedderConfig | None = None,
        wait_s: float = 15.0,
    ) -> "PlanIndex":
        """Load and verify an index folder. While another process commits a change (a few renames) the corpus
        and index can disagree for a moment, or the folder can be swapped under the reader: wait and retry."""
        deadline = time.monotonic() + wait_s
        while True:
            before = manifest_build_id(folder)
            try:
                idx = cls._load_once(folder, corpus_dir, embedder, config, embedder_cfg)
            except (IndexError_, OSError):  # a file can vanish while a change is committed
                changing = commit_in_progress(folder) or manifest_build_id(folder) != before
                if not changing or time.monotonic() > deadline:
                    raise
            else:
                if manifest_build_id(folder) == idx.manifest.get("build_id", "") == before:
                    return idx
                if time.monotonic() > deadline:
                    raise IndexError_("chỉ mục liên tục bị thay trong lúc đọc", str(folder), "thử lại sau")
            time.sleep(0.1)

    @classmethod
    def _load_once(
        cls,
        folder: Path,
        corpus_dir: Path | None,
        embedder: Embedder | None,
        config: SearchConfig,
        embedder_cfg: EmbedderConfig | None,
    ) -> "PlanIndex":
        manifest = read_manifest(folder)
        verify_index(folder, manifest, corpus_dir, TokenizerConfig(), embedder_cfg)
        if manifest.get("layout") == "sharded":
            from .shards import ShardedIndex

            return ShardedIndex.load_shards(folder, manifest, embedder, config, embedder_cfg)
        try:
            import faiss

            from .store import _bm25s

            bm25s = _bm25s()
            idx = cls(
                folder,
                manifest,
                *read_records(folder),
                bm25s.BM25.load(str(folder / "bm25")),
                bm25s.BM25.load(str(folder / "bm25_folded")),
                faiss.read_index(str(folder / "vectors.faiss")),
                config,
                embedder,
            )
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            raise IndexError_(f"không đọc được chỉ mục ({type(exc).__name__})", str(folder), REBUILD_HINT) from None
        if idx.vectors.ntotal != len(idx.chunks) or idx.vectors.d != manifest["embedder"]["dim"]:
            raise IndexError_("số vector không khớp số đoạn văn", str(folder), REBUILD_HINT)
        idx._doc_of = np.array([c.doc_id for c in idx.chunks])
        return idx

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(EmbedderConfig(**self.manifest["embedder"]["config"]))
            if self._embedder.id != self.manifest["embedder"]["id"]:
                raise IndexError_(
                    f"bộ nhúng {self._embedder.id} khác bộ nhúng của chỉ mục {self.manifest['embedder']['id']}",
                    str(self.folder),
                    REBUILD_HINT,
                )
        return self._embedder

    # ---- filters -------------------------------------------------------------------------------------
    def allowed_docs(self, filters: Filters) -> set[str]:
        docs = set(self.plans)
        if filters.docs:
            docs &= set(filters.docs)
        if filters.provinces:
            wanted = {fold(p) for p in filters.provinces}
            docs = {d for d in docs if fold(self.plans[d].meta.province) in wanted}
        if filters.years:
            docs = {d for d in docs if self.plans[d].meta.year in filters.years}
        return docs

    def mask(self, filters: Filters) -> np.ndarray:
        if not filters:
            return np.ones(len(self.chunks), dtype=bool)
        return np.isin(self._doc_of, sorted(self.allowed_docs(filters)))

    # ---- scoring -------------------------------------------------------------------------------------
    def bm25_scores(self, tokens: list[str], folded: bool = False) -> np.ndarray:
        model = self.bm25_folded if folded else self.bm25
        ids = model.get_tokens_ids(tokens)  # type: ignore[attr-defined]
        if not ids:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(bm25_scores_of(model, ids), dtype=np.float32)

    def query_vector(self, query: str) -> np.ndarray:
        """Query embedding, remembered for the last few queries (a comparison asks once per plan)."""
        cache = self.__dict__.setdefault("_qcache", {})
        if query not in cache:
            if len(cache) > 64:
                cache.clear()
            cache[query] = self.embedder.embed_queries([query]).astype(np.float32)
        return cache[query]

    def dense_scores(self, query: str, mask: np.ndarray) -> np.ndarray:
        return self.vector_scores(self.query_vector(query), mask)

    def vector_scores(self, q: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Inner product of the query vector with every chunk the mask allows (0 elsewhere)."""
        import faiss

        out = np.zeros(len(self.chunks), dtype=np.float32)
        ids = np.flatnonzero(mask).astype(np.int64)
        if len(ids) == 0:
            return out
        params = None
        if len(ids) < len(self.chunks):
            selector = faiss.IDSelectorBatch(ids)
            if isinstance(self.vectors, faiss.IndexHNSWFlat):
                params = faiss.SearchParametersHNSW(sel=selector)
            elif isinstance(self.vectors, faiss.IndexIVF):  # the IVF shards of a national-scale index
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.vectors.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        k = len(ids) if isinstance(self.vectors, faiss.IndexFlat) else min(len(ids), self.config.ann_candidates)
        scores, found = self.vectors.search(q, k, params=params)  # type: ignore[attr-defined]
        valid = found[0] >= 0
        out[found[0][valid]] = scores[0][valid]
        return out

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters = Filters(),
        mode: str = "hybrid",
        lexical_query: str | None = None,
        folded_query: str | None = None,
        dense_query: str | None = None,
    ) -> list[Hit]:
        """Top-k chunks for a query. `lexical_query` / `folded_query` / `dense_query` default to the query."""
        mask = self.mask(filters)
        if not mask.any():
            return []
        n = len(self.chunks)
        zeros = np.zeros(n, dtype=np.float32)
        # The query embedding runs in C without the GIL: start it, then do the lexical side meanwhile.
        dense = (
            self._pool().submit(self.dense_scores, dense_query or query, mask) if mode in ("hybrid", "dense") else None
        )
        lex_tokens, fol_tokens = query_tokens(query, lexical_query, folded_query)
        lex = self.bm25_scores(lex_tokens) if mode in ("hybrid", "bm25") else zeros
        fol = self.bm25_scores(fol_tokens, folded=True) if mode in ("hybrid", "bm25") else zeros
        den = dense.result() if dense else zeros
        if mode == "dense":
            fused = den.copy()
        elif mode == "bm25":
            fused = lex + fol
        else:
            fused = self._fuse(den, lex, fol, mask)
        fused = np.where(mask, fused, -np.inf)
        order = top_k(fused, k)
        return [
            Hit(self.chunks[i], float(fused[i]), float(den[i]), float(lex[i]), float(fol[i]))
            for i in order
            if np.isfinite(fused[i])
        ]

    def _fuse(self, den: np.ndarray, lex: np.ndarray, fol: np.ndarray, mask: np.ndarray) -> np.ndarray:
        c = self.config
        if c.fusion == "rrf":
            out = np.zeros(len(den), dtype=np.float32)
            for w, s in ((c.w_dense, den), (c.w_bm25, lex), (c.w_folded, fol)):
                ranks = np.empty(len(s), dtype=np.float32)
                ranks[np.argsort(-np.where(mask, s, -np.inf), kind="stable")] = np.arange(1, len(s) + 1)
                out += w / (c.rrf_k + ranks) * (s > 0)
            return out
        return fuse_weighted(c, den, lex, fol, FusionStats.of(den, lex, fol, mask))

    def _pool(self) -> ThreadPoolExecutor:
        pool = self.__dict__.get("_executor")
        if pool is None:
            pool = self.__dict__["_executor"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planqa-embed")
        return pool

    def timed_search(self, query: str, **kw) -> tuple[list[Hit], float]:
        t = time.perf_counter()
        hits = self.search(query, **kw)
        return hits, (time.perf_counter() - t) * 1000


def query_tokens(query: str, lexical: str | None, folded: str | None) -> tuple[list[str], list[str]]:
    """The tokens of the accented and the folded BM25 field (the text is segmented once when they are the same)."""
    lex_text = lexical or query
    lex = tokenize(lex_text)
    fol_text = folded or lex_text
    return lex, fold_tokens(lex if fol_text == lex_text else tokenize(fol_text))


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """The first k of a stable descending sort (ties in index order), without sorting all the scores: the k
    best by partition, every score tied with the k-th added, then only those sorted."""
    neg = -scores
    if k <= 0 or k >= len(neg) // 4:
        return np.argsort(neg, kind="stable")[: max(k, 0)]
    kth = neg[np.argpartition(neg, k - 1)[:k]].max()
    candidates = np.flatnonzero(neg <= kth)
    return candidates[np.argsort(neg[candidates], kind="stable")][:k]


def bm25_scores_of(model, ids: list[int]) -> np.ndarray:
    """bm25s' `get_scores_from_ids` for its lucene scores, without `np.add.at`: a term's postings name each
    chunk once, so adding them term after term in the query's order performs the same float32 additions in the
    same order (identical scores, tested). With numba (the `scale` extra) the loop is compiled and releases the
    GIL, so shards score in parallel threads; other bm25s methods keep bm25s' own code."""
    if getattr(model, "nonoccurrence_array", None) is not None:
        return model.get_scores_from_ids(ids)
    sc = model.scores
    scores = np.zeros(sc["num_docs"], dtype=np.dtype(model.dtype))
    terms = np.asarray(ids, dtype=np.int64)
    kernel = _compiled_kernel()
    (kernel or _add_postings)(sc["data"], sc["indices"], sc["indptr"], terms, scores)
    return scores


def _add_postings(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, terms: np.ndarray, out: np.ndarray):
    for t in terms:
        start, end = indptr[t], indptr[t + 1]
        out[indices[start:end]] += data[start:end]


_KERNEL: list = []


def _compiled_kernel():
    """The posting loop compiled by numba when it is installed (None otherwise; compiled once, cached on disk)."""
    if not _KERNEL:
        try:
            import numba
        except ImportError:
            _KERNEL.append(None)
        else:

            def add(data, indices, indptr, terms, out):  # pragma: no cover - runs compiled
                for t in terms:
                    for j in range(indptr[t], indptr[t + 1]):
                        out[indices[j]] += data[j]

            _KERNEL.append(numba.njit(nogil=True, cache=True)(add))
    return _KERNEL[0]


@dataclass(frozen=True)
class FusionStats:
    """What the weighted fusion normalises by, over the chunks the mask allows: the highest BM25 score of each
    field, and the lowest and highest non-zero dense score. Computed per shard and combined, they give the
    same fused scores as one pass over all chunks."""

    lex_top: float = 0.0
    fol_top: float = 0.0
    den_lo: float = math.inf
    den_hi: float = -math.inf

    @classmethod
    def of(cls, den: np.ndarray, lex: np.ndarray, fol: np.ndarray, mask: np.ndarray) -> "FusionStats":
        if not mask.any():
            return cls()
        vals = den[mask & (den != 0)]
        lo, hi = (float(vals.min()), float(vals.max())) if len(vals) else (math.inf, -math.inf)
        return cls(float(lex[mask].max()), float(fol[mask].max()), lo, hi)

    @classmethod
    def combine(cls, parts: "list[FusionStats]") -> "FusionStats":
        return cls(
            max((p.lex_top for p in parts), default=0.0),
            max((p.fol_top for p in parts), default=0.0),
            min((p.den_lo for p in parts), default=math.inf),
            max((p.den_hi for p in parts), default=-math.inf),
        )


def fuse_weighted(c: SearchConfig, den: np.ndarray, lex: np.ndarray, fol: np.ndarray, st: FusionStats) -> np.ndarray:
    """Dense scores min-max normalised over their non-zero values, each BM25 field divided by its maximum."""
    return (
        c.w_dense * _minmax(den, st.den_lo, st.den_hi)
        + c.w_bm25 * _maxnorm(lex, st.lex_top)
        + c.w_folded * _maxnorm(fol, st.fol_top)
    )


def _maxnorm(s: np.ndarray, top: float) -> np.ndarray:
    return s / top if top > 0 else np.zeros_like(s)


def _minmax(s: np.ndarray, lo: float, hi: float) -> np.ndarray:
    if lo > hi:  # no non-zero score under the mask
        return np.zeros_like(s)
    return np.where(s != 0, (s - lo) / (hi - lo), 0.0).astype(np.float32) if hi > lo else (s != 0).astype(np.float32)

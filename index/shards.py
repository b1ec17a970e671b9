"""A sharded index: N ordinary index folders (`shard-000/` …) under one top-level manifest, searched as one.

Layout (written by index/raybuild.py):

    INDEX/manifest.json   layout "sharded": the shards with the sha256 of their manifests, the document ->
                          shard assignment (by the sha256 of the document's content, so adding a plan touches
                          one shard), the corpus hashes, the embedder and tokenizer, totals
    INDEX/shard-000/      an ordinary planqa index folder with its own manifest, plus bm25_tf.npz (the term
                          frequencies and document lengths under each BM25 field, aligned with bm25s' arrays)

Scores come out exactly as from one index: BM25 is re-scored at load with the statistics of the whole corpus
(document frequencies, document count, mean length: the shard-local ones would change IDF), vectors are
searched per shard and put back in place, and the fusion (search.PlanIndex._fuse) runs once over the merged
score arrays, so its normalisation sees the whole masked corpus. Plans, rows and chunks are ordered as the
single build orders them (by file name), so everything the answer layer reads is the same.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import IndexError_
from .search import Filters, FusionStats, Hit, PlanIndex, fuse_weighted, query_tokens
from .store import REBUILD_HINT, IndexParts, build_bm25, read_manifest, read_records, sha256_file
from .tokens import fold_tokens

log = logging.getLogger(__name__)
LAYOUT = "sharded"
TERM_STATS = "bm25_tf.npz"
FIELDS = ("bm25", "bm25_folded")


def is_sharded(manifest: dict) -> bool:
    return manifest.get("layout") == LAYOUT


def shard_name(n: int) -> str:
    return f"shard-{n:03d}"


def assign_shard(content_sha256: str, shards: int) -> int:
    """The shard of a document: its content hash modulo the shard count (stable as other plans come and go)."""
    return int(content_sha256[:16], 16) % shards


# ---- term statistics, written beside each shard's bm25s arrays ---------------------------------------------


def _bm25_tokens(tokens: list[list[str]]) -> list[list[str]]:
    return [t if t else [""] for t in tokens]  # as store.build_bm25 indexes them


def term_stats(bm25, tokens: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(term frequency of every posting, aligned with bm25.scores['data'], and every document's length)."""
    vocab = bm25.vocab_dict
    docs_tokens = _bm25_tokens(tokens)
    lengths = np.fromiter((len(t) for t in docs_tokens), dtype=np.int64, count=len(docs_tokens))
    ids = np.fromiter((vocab[t] for toks in docs_tokens for t in toks), dtype=np.int64, count=int(lengths.sum()))
    docs = np.repeat(np.arange(len(docs_tokens), dtype=np.int64), lengths)
    keys, tf = np.unique((ids << 32) | docs, return_counts=True)  # CSC order: by term, then by document
    if not np.array_equal(keys & 0xFFFFFFFF, np.asarray(bm25.scores["indices"], dtype=np.int64)):
        raise RuntimeError("term statistics do not line up with the bm25s arrays")
    return tf.astype(np.int32), lengths.astype(np.int32)


def write_term_stats(folder: Path, parts: IndexParts) -> None:
    """bm25_tf.npz for both BM25 fields (rebuilt from the same tokens bm25s indexed; no pickle)."""
    arrays = {}
    for name, toks in (("bm25", parts.tokens), ("bm25_folded", [fold_tokens(t) for t in parts.tokens])):
        tf, lengths = term_stats(build_bm25(toks), toks)
        arrays[f"{name}_tf"], arrays[f"{name}_len"] = tf, lengths
    with (folder / TERM_STATS).open("wb") as f:
        np.savez(f, **arrays)


# ---- global BM25 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldStats:
    """One BM25 field of one shard: its bm25s model, the term frequencies and the document lengths."""

    model: object
    tf: np.ndarray
    lengths: np.ndarray


def global_rescore(fields: list[FieldStats]) -> None:
    """Replace each shard's BM25 scores by the scores one index over all shards would hold: bm25s' lucene
    formula, computed in the same float types and order as bm25s computes it at index time."""
    n_docs = sum(len(f.lengths) for f in fields)
    total = sum(int(f.lengths.astype(np.int64).sum()) for f in fields)
    df: Counter[str] = Counter()
    for f in fields:
        df.update(field_df(f))
    for f in fields:
        rescore_field(f, n_docs, total, df)


def field_df(f: FieldStats) -> Counter[str]:
    """Document frequency of every token of one shard's field."""
    counts = np.diff(np.asarray(f.model.scores["indptr"]))  # type: ignore[attr-defined]
    return Counter(
        {tok: int(counts[tid]) for tok, tid in f.model.vocab_dict.items() if tid < len(counts)}  # type: ignore[attr-defined]
    )  # bm25s appends "" after indexing, without a column


def rescore_field(f: FieldStats, n_docs: int, total_length: int, df: Counter[str]) -> None:
    """One shard's field re-scored with the corpus-wide document count, mean length and document frequencies
    (the mean as numpy's mean of the lengths gives it: the exact sum divided once)."""
    m = f.model
    if m.method != "lucene" or m.idf_method != "lucene":  # type: ignore[attr-defined]
        raise IndexError_("chỉ mục phân mảnh cần BM25 kiểu lucene", "bm25", REBUILD_HINT)
    avg = np.float64(total_length) / n_docs
    vocab = m.vocab_dict  # type: ignore[attr-defined]
    idf = np.zeros(len(vocab), dtype=np.float32)
    for tok, tid in vocab.items():
        if df[tok]:
            idf[tid] = math.log(1 + (n_docs - df[tok] + 0.5) / (df[tok] + 0.5))
    indptr = np.asarray(m.scores["indptr"])  # type: ignore[attr-defined]
    term = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    doc = np.asarray(m.scores["indices"])  # type: ignore[attr-defined]
    k1, b = m.k1, m.b  # type: ignore[attr-defined]
    norm = k1 * ((1 - b) + (b * f.lengths.astype(np.float64)) / avg)
    tf = f.tf.astype(np.float64)
    tfc = tf / (norm[doc] + tf)
    m.scores["data"] = (idf[term].astype(np.float64) * tfc).astype(np.float32)  # type: ignore[attr-defined]


# ---- the sharded index ------------------------------------------------------------------------------------


@dataclass
class Shard:
    name: str
    index: object  # search.PlanIndex over the shard folder
    positions: np.ndarray  # global position of each of the shard's chunks


def _read_stats(folder: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(folder / TERM_STATS, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, KeyError):
        raise IndexError_(f"không đọc được {TERM_STATS}", str(folder), REBUILD_HINT) from None


@dataclass
class _Records:
    """What the answer layer reads of a shard (its plans, rows and chunks), without its BM25 and vectors."""

    plans: dict
    rows: list
    chunks: list


def _records(folder: Path) -> _Records:
    try:
        return _Records(*read_records(folder))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexError_(f"không đọc được phân mảnh ({type(exc).__name__})", str(folder), REBUILD_HINT) from None


def check_shard_list(folder: Path, manifest: dict) -> list[dict]:
    """The shards the top-level manifest lists, each with its manifest unchanged since the build."""
    shards = manifest.get("shards")
    if not isinstance(shards, list) or not shards:
        raise IndexError_("manifest.json không liệt kê phân mảnh nào", str(folder), REBUILD_HINT)
    present = []
    for s in shards:
        if not s.get("docs"):
            continue  # an empty shard has no folder
        path = folder / s["name"] / "manifest.json"
        if not path.is_file():
            raise IndexError_(f"thiếu phân mảnh {s['name']}", str(folder), REBUILD_HINT)
        if sha256_file(path) != s.get("manifest_sha256"):
            raise IndexError_(f"phân mảnh {s['name']} không khớp manifest.json", str(folder), REBUILD_HINT)
        present.append(s)
    return present


def verify_sharded(folder: Path, manifest: dict, tokenizer, embedder_cfg) -> None:
    """Every shard verified as an ordinary index (files, hashes, tokenizer, embedder); the corpus is checked
    once, against the top-level manifest, by the caller."""
    from .store import verify_index

    for s in check_shard_list(folder, manifest):
        sub = folder / s["name"]
        verify_index(sub, read_manifest(sub), None, tokenizer, embedder_cfg)


@dataclass
class ShardedIndex(PlanIndex):
    """A PlanIndex over the shards of a sharded folder: the same plans, rows, chunks and search() results as one
    index over the same corpus. Each shard is scored in a thread and its scores put back in global order."""

    shards: list[Shard] = field(default_factory=list)

    @classmethod
    def load_shards(cls, folder: Path, manifest: dict, embedder, config, embedder_cfg) -> "ShardedIndex":
        listed = check_shard_list(folder, manifest)
        if config.ray_address:  # the shards' BM25 and vectors are loaded by their actors, not here
            parts = [_records(folder / s["name"]) for s in listed]
        else:
            parts = [PlanIndex._load_once(folder / s["name"], None, embedder, config, embedder_cfg) for s in listed]
            stats = [_read_stats(folder / s["name"]) for s in listed]
            for name in FIELDS:
                global_rescore(
                    [FieldStats(getattr(p, name), st[f"{name}_tf"], st[f"{name}_len"]) for p, st in zip(parts, stats)]
                )
        plans = sorted((p for part in parts for p in part.plans.values()), key=lambda p: p.source)
        rank = {p.doc_id: n for n, p in enumerate(plans)}
        order = sorted((rank[c.doc_id], s, i) for s, part in enumerate(parts) for i, c in enumerate(part.chunks))
        positions = [np.zeros(len(part.chunks), dtype=np.int64) for part in parts]
        for g, (_, s, i) in enumerate(order):
            positions[s][i] = g
        rows = sorted((rank[r.doc_id], s, i) for s, part in enumerate(parts) for i, r in enumerate(part.rows))
        idx = cls(
            folder,
            manifest,
            {p.doc_id: p for p in plans},
            [parts[s].rows[i] for _, s, i in rows],
            [parts[s].chunks[i] for _, s, i in order],
            None,
            None,
            None,
            config,
            embedder,
            shards=[Shard(s["name"], part, pos) for s, part, pos in zip(listed, parts, positions)],
        )
        idx._doc_of = np.array([c.doc_id for c in idx.chunks])
        if config.ray_address:
            from .shardactors import RemoteShards

            idx.__dict__["_remote"] = RemoteShards.start(config.ray_address, folder, listed, positions, config)
        return idx

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
        """The hybrid search of one index, in two rounds over the shards, without corpus-long arrays: each shard
        scores its chunks and reports what the fusion normalises by; with the combined figures each shard fuses
        its scores and returns its best k (with every tie of its k-th); the merge orders them as one index would
        (score, then chunk order). The same hits and scores as PlanIndex.search over the gathered arrays."""
        if mode != "hybrid" or self.config.fusion != "weighted":
            return super().search(query, k, filters, mode, lexical_query, folded_query, dense_query)
        mask = self.mask(filters)
        if not mask.any() or k <= 0:
            return []
        qvec = self._pool().submit(self.query_vector, dense_query or query)  # runs while the lexical side does
        lex_tokens, fol_tokens = query_tokens(query, lexical_query, folded_query)
        remote = self.__dict__.get("_remote")
        if remote is not None:
            best = remote.best(lex_tokens, fol_tokens, qvec.result(), self._parts(mask), k)
        else:
            pool = self._shard_pool()
            scored = list(
                pool.map(
                    lambda s: _ShardScores.of(s, mask[s.positions], lex_tokens, fol_tokens, qvec.result), self.shards
                )
            )
            stats = FusionStats.combine([sc.stats for sc in scored])
            best = list(pool.map(lambda sc: sc.best(self.config, stats, k), scored))
        return self._merged(best, k)

    def _merged(self, best: list[tuple[np.ndarray, ...]], k: int) -> list[Hit]:
        """The shards' candidates in the order one index gives: score, then chunk order."""
        pos, fused, den, lex, fol = (np.concatenate([b[i] for b in best]) for i in range(5))
        order = np.lexsort((pos, -fused))[:k]
        return [
            Hit(self.chunks[pos[i]], float(fused[i]), float(den[i]), float(lex[i]), float(fol[i]))
            for i in order
            if np.isfinite(fused[i])
        ]

    def _parts(self, mask: np.ndarray) -> list[np.ndarray | None]:
        """Each shard's part of the filter mask (None when it allows every chunk: nothing to send)."""
        every = mask.all()
        return [None if every else mask[s.positions] for s in self.shards]

    def bm25_scores(self, tokens: list[str], folded: bool = False) -> np.ndarray:
        if "_remote" in self.__dict__:
            return self._place(self.__dict__["_remote"].raw(tokens, folded, None, None))
        return self._gather(lambda s: s.index.bm25_scores(tokens, folded))

    def dense_scores(self, query: str, mask: np.ndarray) -> np.ndarray:
        q = self.query_vector(query)
        if "_remote" in self.__dict__:
            return self._place(self.__dict__["_remote"].raw(None, False, q, self._parts(mask)))
        return self._gather(lambda s: s.index.vector_scores(q, mask[s.positions]))

    def _gather(self, fn) -> np.ndarray:
        return self._place(list(self._shard_pool().map(fn, self.shards)))

    def _place(self, per_shard: list[np.ndarray]) -> np.ndarray:
        out = np.zeros(len(self.chunks), dtype=np.float32)
        for shard, scores in zip(self.shards, per_shard):
            out[shard.positions] = scores
        return out

    def _shard_pool(self) -> ThreadPoolExecutor:
        pool = self.__dict__.get("_shard_executor")
        if pool is None:
            workers = max(1, len(self.shards))
            pool = self.__dict__["_shard_executor"] = ThreadPoolExecutor(workers, thread_name_prefix="planqa-shard")
        return pool


@dataclass
class _ShardScores:
    """One shard's raw scores for a query (its own chunk order), under its part of the filter mask."""

    shard: Shard
    mask: np.ndarray
    den: np.ndarray
    lex: np.ndarray
    fol: np.ndarray
    stats: FusionStats

    @classmethod
    def of(cls, shard: Shard, part: np.ndarray, lex_tokens: list[str], fol_tokens: list[str], qvec) -> "_ShardScores":
        """`part`: the shard's part of the filter mask; `qvec`: returns the query vector (the embedding runs
        while the lexical side is scored)."""
        index = shard.index
        lex = index.bm25_scores(lex_tokens)  # type: ignore[attr-defined]
        fol = index.bm25_scores(fol_tokens, folded=True)  # type: ignore[attr-defined]
        den = index.vector_scores(qvec(), part)  # type: ignore[attr-defined]
        return cls(shard, part, den, lex, fol, FusionStats.of(den, lex, fol, part))

    def best(self, config, stats: FusionStats, k: int) -> tuple[np.ndarray, ...]:
        """(global positions, fused, dense, bm25, folded) of this shard's k best chunks and every chunk tied
        with the k-th: whatever the other shards hold, the overall k best are among them."""
        fused = np.where(self.mask, fuse_weighted(config, self.den, self.lex, self.fol, stats), -np.inf)
        if k < len(fused):
            kth = -np.partition(-fused, k - 1)[k - 1]
            keep = np.flatnonzero(fused >= kth)
        else:
            keep = np.arange(len(fused))
        return self.shard.positions[keep], fused[keep], self.den[keep], self.lex[keep], self.fol[keep]

"""A sharded index searched by Ray actors, one per shard, anywhere on a Ray cluster.

The driver (planqa ask/serve/eval) holds what the answer layer reads: plans, rows and chunk texts. Each actor
loads one shard's BM25 fields and vectors from the index folder (which must be reachable at the same path on
every node: a shared or copied folder), re-scores its BM25 with the corpus-wide statistics the driver gathers
from all actors, and answers the two rounds of ShardedIndex.search: its raw scores and fusion normalisers, then
its best k under the combined normalisers. Scores and order are those of the threads of one process (tested).

Actors ask for no CPU (they wait for queries; a shard per CPU would leave shards unscheduled on small machines)
and are spread over the cluster's nodes.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from pathlib import Path

import numpy as np

from .errors import PlanqaError
from .search import FusionStats, PlanIndex, SearchConfig
from .shards import FIELDS, FieldStats, Shard, _read_stats, _ShardScores, field_df, rescore_field

log = logging.getLogger(__name__)
RAY_ADDRESS_ENV = "PLANQA_RAY_ADDRESS"


class ShardSearcher:
    """One shard, searched in a Ray actor."""

    def __init__(self, folder: str, name: str, positions: np.ndarray, config: SearchConfig) -> None:
        sub = Path(folder) / name
        self._shard = Shard(name, PlanIndex._load_once(sub, None, None, config, None), positions)
        st = _read_stats(sub)
        self._fields = {n: FieldStats(getattr(self._shard.index, n), st[f"{n}_tf"], st[f"{n}_len"]) for n in FIELDS}
        self._config = config
        self._pending: dict[int, _ShardScores] = {}

    def counts(self) -> dict[str, tuple[int, int, Counter]]:
        """Per BM25 field: (chunks, total length, document frequency of every token) of this shard."""
        return {
            n: (len(f.lengths), int(f.lengths.astype(np.int64).sum()), field_df(f)) for n, f in self._fields.items()
        }

    def rescore(self, totals: dict[str, tuple[int, int, Counter]]) -> None:
        for n, (docs, length, df) in totals.items():
            rescore_field(self._fields[n], docs, length, df)

    def score(self, qid: int, lex: list[str], fol: list[str], qvec: np.ndarray, part: np.ndarray | None) -> FusionStats:
        """Round 1: this shard's scores for query `qid` (kept for round 2) and what the fusion normalises by."""
        sc = _ShardScores.of(self._shard, self._part(part), lex, fol, lambda: qvec)
        self._pending[qid] = sc
        return sc.stats

    def best(self, qid: int, stats: FusionStats, k: int) -> tuple[np.ndarray, ...]:
        """Round 2: this shard's k best under the combined normalisers (with every tie of the k-th)."""
        return self._pending.pop(qid).best(self._config, stats, k)

    def raw(self, tokens: list[str] | None, folded: bool, qvec: np.ndarray | None, part: np.ndarray | None):
        """One kind of score over the whole shard (BM25 of one field, or dense under the mask)."""
        index = self._shard.index
        if tokens is not None:
            return index.bm25_scores(tokens, folded)  # type: ignore[attr-defined]
        return index.vector_scores(qvec, self._part(part))  # type: ignore[attr-defined]

    def _part(self, part: np.ndarray | None) -> np.ndarray:
        return np.ones(len(self._shard.positions), dtype=bool) if part is None else part


class RemoteShards:
    """The driver's handle on the shard actors."""

    def __init__(self, ray, actors: list) -> None:
        self._ray, self._actors = ray, actors
        self._ids = itertools.count()
        self._lock = threading.Lock()

    @classmethod
    def start(cls, address: str, folder: Path, listed: list[dict], positions: list[np.ndarray], config: SearchConfig):
        ray = _connect(address)
        actor = ray.remote(num_cpus=0, scheduling_strategy="SPREAD")(ShardSearcher)
        root = str(Path(folder).absolute())
        actors = [actor.remote(root, s["name"], pos, config) for s, pos in zip(listed, positions)]
        try:
            counts = ray.get([a.counts.remote() for a in actors])
        except Exception as exc:  # noqa: BLE001 - an actor that cannot load its shard: say which and how to fix
            raise PlanqaError(
                f"tác nhân Ray không nạp được phân mảnh ({type(exc).__name__})",
                root,
                "thư mục chỉ mục phải đọc được ở cùng đường dẫn trên mọi máy của cụm Ray",
            ) from None
        totals = {}
        for n in FIELDS:
            df: Counter[str] = Counter()
            for c in counts:
                df.update(c[n][2])
            totals[n] = (sum(c[n][0] for c in counts), sum(c[n][1] for c in counts), df)
        ray.get([a.rescore.remote(totals) for a in actors])
        log.info("%d shard actors ready on Ray (%s)", len(actors), address)
        return cls(ray, actors)

    def best(self, lex: list[str], fol: list[str], qvec: np.ndarray, parts: list, k: int) -> list[tuple]:
        with self._lock:
            qid = next(self._ids)
        ray, actors = self._ray, self._actors
        stats = ray.get([a.score.remote(qid, lex, fol, qvec, p) for a, p in zip(actors, parts)])
        combined = FusionStats.combine(stats)
        return ray.get([a.best.remote(qid, combined, k) for a in actors])

    def raw(self, tokens: list[str] | None, folded: bool, qvec: np.ndarray | None, parts: list | None) -> list:
        parts = parts or [None] * len(self._actors)
        return self._ray.get([a.raw.remote(tokens, folded, qvec, p) for a, p in zip(self._actors, parts)])


def _connect(address: str):
    """Ray, connected to `address` ('local': a Ray started in this process); an instance this process already
    started (tests, `planqa serve --replicas`) is used as it is."""
    try:
        import ray
    except ImportError:
        raise PlanqaError(
            "chưa cài Ray", RAY_ADDRESS_ENV, "pip install -e '.[scale]', hoặc bỏ biến PLANQA_RAY_ADDRESS"
        ) from None
    if not ray.is_initialized():
        try:
            if address == "local":
                ray.init(include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
            else:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
            raise PlanqaError(
                f"không kết nối được Ray ({type(exc).__name__})",
                f"{RAY_ADDRESS_ENV}={address}",
                "chạy 'ray start --head' rồi đặt PLANQA_RAY_ADDRESS=auto, hoặc PLANQA_RAY_ADDRESS=local",
            ) from None
    return ray

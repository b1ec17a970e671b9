"""Crash-safe changes to the corpus and the index: one writer at a time (a lock file beside the index), and a
journal that makes adding or removing plans all-or-nothing.

    prepare  journal {state: prepared}; new plan files staged in CORPUS/.planqa-tx-ID/; the new index built in
             INDEX_PARENT/.INDEX.tx-ID/ while the current corpus and index keep answering questions
    commit   journal {state: commit} (the commit point), then the corpus files are moved and the new index
             swapped in, then the journal is removed

After a kill at any point, the next command finds the journal: before the commit point the staged files and
the temporary index are deleted (nothing changed); after it the remaining steps are done again (each one can
be repeated). Leftover temporary folders are removed and `.INDEX.old` is put back when the index is missing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .faults import fault_point
from .safety import MANIFEST, fsync_dir, is_planqa_manifest, old_path, remove_owned, swap_in

log = logging.getLogger(__name__)
STAGING_PREFIX = ".planqa-tx-"


def lock_path(index_dir: Path) -> Path:
    return index_dir.with_name(f".{index_dir.name}.lock")


def journal_path(index_dir: Path) -> Path:
    return index_dir.with_name(f".{index_dir.name}.journal.json")


def temp_index_path(index_dir: Path, tx_id: str) -> Path:
    return index_dir.with_name(f".{index_dir.name}.tx-{tx_id}")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def writer_lock(index_dir: Path, blocking: bool = True) -> Iterator[bool]:
    """Hold the index's writer lock; yields False (without waiting) when `blocking` is off and it is taken."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not blocking:
                yield False
                return
            log.warning("another planqa command is changing %s; waiting for it to finish", index_dir)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)


# ---- the journal --------------------------------------------------------------------------------------------


@dataclass
class Journal:
    index: str
    corpus: str
    tx_id: str
    put: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of the new content
    delete: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of the content removed
    state: str = "prepared"  # "prepared" | "commit"
    build_id: str = ""

    @property
    def staging(self) -> Path:
        return Path(self.corpus) / f"{STAGING_PREFIX}{self.tx_id}"

    @property
    def new_index(self) -> Path:
        return temp_index_path(Path(self.index), self.tx_id)

    def write(self) -> None:
        """Atomically (temporary file, fsync, rename) so a kill never leaves half a journal."""
        path = journal_path(Path(self.index))
        tmp = path.with_name(path.name + f".{self.tx_id}.tmp")
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(self.__dict__, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)


def read_journal(index_dir: Path) -> Journal | None:
    path = journal_path(index_dir)
    if not path.exists():
        return None
    try:
        return Journal(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        log.error("unreadable journal %s: left in place", path)
        return None


def commit_in_progress(index_dir: Path) -> bool:
    """A writer passed the commit point and has not finished: the corpus and index may disagree for a moment."""
    j = read_journal(index_dir)
    return j is not None and j.state == "commit"


def manifest_build_id(index_dir: Path) -> str:
    try:
        return str(json.loads((index_dir / MANIFEST).read_text(encoding="utf-8")).get("build_id", ""))
    except (OSError, ValueError, AttributeError):
        return ""


# ---- steps, each safe to repeat -----------------------------------------------------------------------------


def stage(j: Journal, files: dict[str, bytes]) -> None:
    j.staging.mkdir(exist_ok=True)
    for name, data in files.items():
        with (j.staging / name).open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    fsync_dir(j.staging)


def apply(j: Journal) -> None:
    """Roll a committed change forward: move the corpus files, swap the index, remove the journal."""
    corpus, trash = Path(j.corpus), j.staging / "removed"
    for name, digest in j.delete.items():
        src = corpus / name
        if src.exists() and sha256_path(src) == digest:
            trash.mkdir(parents=True, exist_ok=True)
            os.replace(src, trash / name)
    for name in j.put:
        if (j.staging / name).exists():
            os.replace(j.staging / name, corpus / name)
    fsync_dir(corpus)
    fault_point("tx:corpus-applied")
    index = Path(j.index)
    if manifest_build_id(index) != j.build_id:
        if not is_planqa_manifest(j.new_index / MANIFEST):
            log.error("committed change %s has no new index at %s", j.tx_id, j.new_index)
        else:
            swap_in(j.new_index, index)
    fault_point("tx:index-swapped")
    journal_path(index).unlink(missing_ok=True)
    shutil.rmtree(j.staging, ignore_errors=True)


def rollback(j: Journal) -> None:
    """Undo a change that did not reach its commit point: the corpus and index were never touched."""
    shutil.rmtree(j.staging, ignore_errors=True)
    remove_owned(j.new_index)
    journal_path(Path(j.index)).unlink(missing_ok=True)


# ---- recovery -------------------------------------------------------------------------------------------------


def needs_recovery(index_dir: Path) -> bool:
    """Cheap check (no lock, no writes): a journal, an old index, or temporary folders left by a crash."""
    parent = index_dir.parent
    if not parent.is_dir():
        return False
    return (
        any(p.is_dir() or p.suffix == ".tmp" for p in parent.glob(f".{index_dir.name}.*"))
        or journal_path(index_dir).exists()
    )


def recover(index_dir: Path) -> list[str]:
    """Bring a crashed change to a consistent state; call with the writer lock held. Returns what was done."""
    index_dir = index_dir.absolute()
    done: list[str] = []
    j = read_journal(index_dir)
    if j is not None:
        if j.state == "commit":
            apply(j)
            done.append(f"completed the interrupted change {j.tx_id}")
        else:
            rollback(j)
            done.append(f"undid the interrupted change {j.tx_id}")
    done += _restore_old(index_dir)
    for p in sorted(index_dir.parent.glob(f".{index_dir.name}.*")) if index_dir.parent.is_dir() else []:
        if p.is_dir() and p != old_path(index_dir) and remove_owned(p):
            done.append(f"removed the temporary folder {p.name}")
        elif p.is_file() and p.name.startswith(journal_path(index_dir).name + ".") and p.name.endswith(".tmp"):
            p.unlink()  # a journal whose writing was interrupted (the journal itself is replaced atomically)
            done.append(f"removed {p.name}")
    for line in done:
        log.info("recovery: %s", line)
    return done


def _restore_old(index_dir: Path) -> list[str]:
    old = old_path(index_dir)
    if not old.is_dir():
        return []
    current_ok = is_planqa_manifest(index_dir / MANIFEST)
    if not current_ok and is_planqa_manifest(old / MANIFEST):
        if index_dir.exists() and not remove_owned(index_dir):
            return []
        os.replace(old, index_dir)
        return [f"restored the previous index from {old.name}"]
    if current_ok and remove_owned(old):
        return [f"removed {old.name}"]
    return []


def try_recover(index_dir: Path) -> None:
    """For readers: recover when something is left over and no writer is running; never fails the caller."""
    index_dir = index_dir.absolute()
    if not needs_recovery(index_dir):
        return
    try:
        with writer_lock(index_dir, blocking=False) as got:
            if got:
                recover(index_dir)
    except OSError as exc:  # a read-only deployment: answer from what is there
        log.info("recovery skipped for %s: %s", index_dir, exc)

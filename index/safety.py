"""What planqa may replace or delete, and the atomic swap of an index folder.

An index folder is replaced only when it does not exist, is empty, or holds a planqa index (manifest.json
and only the files an index is made of). Anything else (the corpus, a user's folder, a file) is refused with
one line, before any work starts. Temporary and old folders are deleted only when they hold index files only.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import shutil
from pathlib import Path

from .errors import IndexError_
from .faults import enabled, fault_point

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
# Every name that may appear at the top of an index folder (files and the two bm25 folders).
INDEX_ENTRIES = frozenset(
    {MANIFEST, "plans.json", "rows.jsonl", "chunks.jsonl", "vectors.faiss", "bm25", "bm25_folded", "bm25_tf.npz"}
)
SHARD_NAME = re.compile(r"shard-\d{3,}")  # the shard folders of a sharded index (index/shards.py)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def is_planqa_manifest(path: Path) -> bool:
    """A manifest.json written by planqa (it names its format version and its files)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "format_version" in data and "files" in data


def is_index_entry(name: str) -> bool:
    """A name that may appear at the top of an index folder: an index file, or a shard folder."""
    return name in INDEX_ENTRIES or SHARD_NAME.fullmatch(name) is not None


def holds_only_index_files(folder: Path) -> bool:
    """True for an empty folder or one whose entries are all index file names (a corrupt index included)."""
    try:
        return all(is_index_entry(p.name) for p in folder.iterdir())
    except OSError:
        return False


def check_replaceable(index_dir: Path, corpus_dir: Path | None = None) -> None:
    """Refuse, with one line, to write an index where something else than a planqa index lives."""
    fix = "chọn một thư mục chưa có hoặc thư mục chỉ mục của planqa cho --index, ví dụ artifacts/index"
    if corpus_dir is not None and _same_or_inside(index_dir, corpus_dir):
        raise IndexError_(
            "thư mục chỉ mục trùng hoặc nằm trong thư mục văn bản, planqa không ghi đè", str(index_dir), fix
        )
    if not index_dir.exists() and not index_dir.is_symlink():
        return
    if not index_dir.is_dir():
        raise IndexError_("đây là một tệp, không phải thư mục chỉ mục; planqa không ghi đè", str(index_dir), fix)
    entries = sorted(p.name for p in index_dir.iterdir())
    if not entries:
        return
    foreign = [n for n in entries if not is_index_entry(n)]
    if MANIFEST not in entries or not (is_planqa_manifest(index_dir / MANIFEST) or not foreign):
        raise IndexError_(
            "thư mục không phải chỉ mục planqa (không có manifest.json của planqa); planqa không ghi đè",
            str(index_dir),
            fix,
        )
    if foreign:
        raise IndexError_(
            f"thư mục chỉ mục chứa tệp không thuộc chỉ mục ({', '.join(foreign[:3])}); planqa không ghi đè",
            str(index_dir),
            "chuyển các tệp đó ra chỗ khác hoặc chọn thư mục khác cho --index",
        )


def _same_or_inside(a: Path, b: Path) -> bool:
    ra, rb = a.resolve(), b.resolve()
    return ra == rb or rb in ra.parents


def remove_owned(folder: Path) -> bool:
    """Delete a temporary/old index folder, only when it holds index files only; True when removed."""
    if not folder.is_dir() or folder.is_symlink() or not holds_only_index_files(folder):
        if folder.exists():
            log.warning("left %s in place: it holds files that are not index files", folder)
        return False
    shutil.rmtree(folder)
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the filesystem cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def old_path(index_dir: Path) -> Path:
    return index_dir.with_name(f".{index_dir.name}.old")


def swap_in(new: Path, index_dir: Path) -> None:
    """Put the complete index `new` at `index_dir`. With an atomic exchange there is never a moment without an
    index; otherwise the old one is moved to `.NAME.old` first and the recovery puts it back after a crash."""
    if not index_dir.exists():
        os.replace(new, index_dir)
        return
    if not enabled("swap:no-exchange") and _exchange(new, index_dir):
        fault_point("swap:exchanged")
        remove_owned(new)  # now holds the previous index
        return
    old = old_path(index_dir)
    if old.exists():
        remove_owned(old)
    os.replace(index_dir, old)
    try:
        fault_point("swap:moved-old")
        os.replace(new, index_dir)
    except BaseException:
        if not index_dir.exists():
            os.replace(old, index_dir)
        raise
    remove_owned(old)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Adding and removing plans, all or nothing (index/txn.py): files are validated first, a plan is never
overwritten (a name taken by another plan is refused, or the new plan gets a free name and the caller says so),
the new index is built while the current corpus and index keep answering, and one commit step changes both."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .embed import EmbedderConfig
from .errors import IndexError_, PlanLoadError, PlanqaError
from .faults import fault_point
from .parse import SIDECAR
from .readers import detect_kind, load_document
from .safety import check_replaceable
from .shardupdate import update_sharded_into_temp
from .store import REBUILD_HINT, BuildConfig, build_into_temp, corpus_view, read_manifest
from .text import fold
from .txn import Journal, apply, new_id, recover, rollback, sha256_bytes, sha256_path, stage, writer_lock

log = logging.getLogger(__name__)
EXTENSION = {"pdf": ".pdf", "docx": ".docx", "text": ".txt"}
DEFAULT_MAX_MB = 20


@dataclass(frozen=True)
class AddResult:
    added: tuple[str, ...]  # doc ids
    duplicates: tuple[tuple[str, str], ...]  # (file name, existing doc id)
    manifest: dict | None
    renamed: tuple[tuple[str, str], ...] = ()  # (file name, doc id): its own name was taken by another plan


def update_config(index_dir: Path, cache_dir: str | None = None) -> BuildConfig:
    """add/remove keep the embedder the index was built with (the default one when there is no index yet)."""
    try:
        embedder = EmbedderConfig(**read_manifest(index_dir)["embedder"]["config"])
    except IndexError_:
        embedder = EmbedderConfig()
    except TypeError:
        raise IndexError_("manifest.json ghi cấu hình bộ nhúng không hợp lệ", str(index_dir), REBUILD_HINT) from None
    return BuildConfig(embedder=embedder, cache_dir=cache_dir)


def _is_sharded(index_dir: Path) -> bool:
    """A sharded index (planqa index build --ray): add/remove rebuild only the shards whose documents change."""
    try:
        return read_manifest(index_dir).get("layout") == "sharded"
    except IndexError_:
        return False


def safe_name(stem: str) -> str:
    """A file name stem made only of a-z, 0-9 and '-' (never a path from the user)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    return slug[:80] or "van-ban"


def read_plan_file(src: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The bytes of a plan file to add, after every check (a regular file, within the size limit, readable as a
    plan); each failure is one PlanLoadError naming the file."""
    if src.is_dir():
        raise PlanLoadError(
            "đây là thư mục, không phải tệp", str(src), "chỉ định từng tệp, ví dụ: planqa index add thu-muc/*.docx"
        )
    if not src.exists():
        raise PlanLoadError("không tìm thấy tệp", str(src), "kiểm tra lại đường dẫn")
    if not src.is_file():
        raise PlanLoadError("không phải tệp thông thường", str(src), "chỉ định một tệp .docx, .pdf hoặc .txt")
    size = src.stat().st_size
    if size > max_mb * 1e6:
        raise PlanLoadError(
            f"tệp nặng {size / 1e6:.1f} MB, vượt giới hạn {max_mb:g} MB",
            str(src),
            "tách văn bản thành tệp nhỏ hơn, hoặc nâng giới hạn bằng --max-mb",
        )
    data = src.read_bytes()
    load_document(src, doc_id=src.stem)  # raises a clear PlanLoadError naming the file
    return data


def _view(corpus: Path) -> dict[str, Path]:
    """The corpus as it is now; an empty corpus folder is an empty view (plans can be added to it)."""
    try:
        return corpus_view(corpus)
    except PlanLoadError:
        sidecar = corpus / SIDECAR
        return {SIDECAR: sidecar} if sidecar.exists() else {}


def _free_stem(stem: str, taken: set[str]) -> str:
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def add_plans(
    corpus: Path,
    index_dir: Path,
    files: list[Path],
    names: list[str] | None = None,
    cfg: BuildConfig = BuildConfig(),
    progress: bool = False,
    on_conflict: str = "refuse",
    max_mb: float = DEFAULT_MAX_MB,
) -> AddResult:
    """Add plan files to the corpus under safe names and update the index. Same content as a plan already
    there: reported as a duplicate. A name already used by another plan: refused (`on_conflict="refuse"`) or
    stored under the next free name (`"rename"`). Any failure leaves the corpus and the index as they were."""
    corpus, index_dir = corpus.absolute(), index_dir.absolute()
    check_replaceable(index_dir, corpus)  # before the lock file is created beside it
    corpus.mkdir(parents=True, exist_ok=True)
    with writer_lock(index_dir):
        recover(index_dir)
        check_replaceable(index_dir, corpus)
        view = _view(corpus)
        plans = {n: p for n, p in view.items() if n != SIDECAR}
        digests = {sha256_path(p): Path(n).stem for n, p in plans.items()}
        stems = {Path(n).stem for n in plans}
        puts: dict[str, bytes] = {}
        added, duplicates, renamed = [], [], []
        for n, src in enumerate(files):
            data = read_plan_file(src, max_mb)
            digest = sha256_bytes(data)
            if digest in digests:
                duplicates.append((src.name, digests[digest]))
                continue
            stem = safe_name(names[n] if names else src.stem)
            if stem in stems:
                if on_conflict != "rename":
                    raise PlanqaError(
                        f"kho đã có văn bản '{stem}' với nội dung khác; planqa không ghi đè",
                        str(src),
                        f"đổi tên tệp, thêm --rename để lưu với tên mới, hoặc gỡ văn bản cũ trước: "
                        f"planqa index remove {stem}",
                    )
                renamed.append((src.name, stem := _free_stem(stem, stems)))
            puts[f"{stem}{EXTENSION[detect_kind(data)]}"] = data
            digests[digest] = stem
            stems.add(stem)
            added.append(stem)
        manifest = _change(corpus, index_dir, view, puts, [], cfg, progress) if puts else None
    return AddResult(tuple(added), tuple(duplicates), manifest, tuple(renamed))


def remove_plan(
    corpus: Path, index_dir: Path, doc_id: str, cfg: BuildConfig = BuildConfig(), progress: bool = False
) -> dict:
    """Remove one plan from the corpus and the index, together."""
    corpus, index_dir = corpus.absolute(), index_dir.absolute()
    check_replaceable(index_dir, corpus)
    with writer_lock(index_dir):
        recover(index_dir)
        check_replaceable(index_dir, corpus)
        view = corpus_view(corpus)
        names = [n for n in view if n != SIDECAR and Path(n).stem == doc_id]
        if not names:
            raise PlanqaError(
                f"không có văn bản '{doc_id}'",
                str(corpus),
                "chọn một trong: " + ", ".join(Path(n).stem for n in view if n != SIDECAR),
            )
        if len([n for n in view if n != SIDECAR]) == len(names):
            raise PlanqaError(
                f"'{doc_id}' là văn bản cuối cùng của kho, không gỡ được",
                str(corpus),
                "thêm văn bản khác trước khi gỡ văn bản này",
            )
        return _change(corpus, index_dir, view, {}, names, cfg, progress)


def _change(
    corpus: Path,
    index_dir: Path,
    view: dict[str, Path],
    puts: dict[str, bytes],
    deletes: list[str],
    cfg: BuildConfig,
    progress: bool,
) -> dict:
    """Stage, build, commit (see index/txn.py); before the commit point every failure undoes everything."""
    j = Journal(
        str(index_dir),
        str(corpus),
        new_id(),
        put={n: sha256_bytes(d) for n, d in puts.items()},
        delete={n: sha256_path(view[n]) for n in deletes},
    )
    j.write()
    try:
        fault_point("tx:prepared")
        stage(j, puts)
        fault_point("tx:staged")
        new_view = {n: p for n, p in view.items() if n not in deletes} | {n: j.staging / n for n in puts}
        build = update_sharded_into_temp if _is_sharded(index_dir) else build_into_temp
        _, manifest = build(new_view, index_dir, cfg, j.tx_id, progress=progress)
        j.state, j.build_id = "commit", manifest["build_id"]
        j.write()
    except BaseException:
        rollback(j)
        raise
    fault_point("tx:committed")
    apply(j)
    return manifest


__all__ = [
    "AddResult",
    "DEFAULT_MAX_MB",
    "PlanLoadError",
    "add_plans",
    "read_plan_file",
    "remove_plan",
    "safe_name",
    "update_config",
]

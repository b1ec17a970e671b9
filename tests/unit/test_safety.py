"""What planqa may replace or delete, the atomic swap, the journal's recovery, fault injection and the embedding
cache, on small folders made here (no model, no real index needed)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import numpy as np
import pytest

from index import faults
from index.embed import EmbeddingCache
from index.errors import IndexError_
from index.safety import check_replaceable, old_path, swap_in
from index.txn import Journal, journal_path, recover, sha256_bytes, stage, temp_index_path


def _index(folder: Path, build_id: str = "a") -> Path:
    folder.mkdir(parents=True)
    (folder / "plans.json").write_text(build_id, encoding="utf-8")
    (folder / "manifest.json").write_text(
        json.dumps({"format_version": 1, "files": {"plans.json": "x"}, "build_id": build_id}), encoding="utf-8"
    )
    return folder


def test_replaceable_only_when_missing_empty_or_a_planqa_index(tmp_path):
    check_replaceable(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty")
    check_replaceable(_index(tmp_path / "idx"))
    corrupt = _index(tmp_path / "corrupt")
    (corrupt / "manifest.json").write_text("{trunc", encoding="utf-8")
    check_replaceable(corrupt)  # a damaged index can be rebuilt over


@pytest.mark.parametrize(
    "case, message",
    [
        ("file", "là một tệp"),
        ("user-folder", "không phải chỉ mục planqa"),
        ("extra-file", "tệp không thuộc chỉ mục"),
        ("corpus", "thư mục văn bản"),
    ],
)
def test_everything_else_is_refused(tmp_path, case, message):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("kế hoạch", encoding="utf-8")
    target = {
        "file": tmp_path / "f",
        "user-folder": tmp_path / "docs",
        "extra-file": tmp_path / "idx",
        "corpus": corpus,
    }[case]
    if case == "file":
        target.write_text("x", encoding="utf-8")
    elif case == "user-folder":
        target.mkdir()
        (target / "bao-cao.docx").write_bytes(b"user data")
    elif case == "extra-file":
        _index(target)
        (target / "ghi-chu.txt").write_text("user data", encoding="utf-8")
    with pytest.raises(IndexError_, match=message):
        check_replaceable(target, corpus)


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_leaves_the_new_index_and_nothing_else(tmp_path, exchange):
    faults.install(None if exchange else "swap:no-exchange")
    try:
        live, new = _index(tmp_path / "index", "old"), _index(tmp_path / ".index.tx-1", "new")
        swap_in(new, live)
    finally:
        faults.install(None)
    assert (live / "plans.json").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def _journal(tmp_path: Path, state: str) -> Journal:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "old.txt").write_text("cũ", encoding="utf-8")
    index = _index(tmp_path / "index", "before")
    j = Journal(
        str(index),
        str(corpus),
        "t1",
        put={"new.txt": sha256_bytes("mới".encode())},
        delete={"old.txt": sha256_bytes("cũ".encode())},
        state=state,
        build_id="after",
    )
    j.write()
    stage(j, {"new.txt": "mới".encode()})
    _index(temp_index_path(index, "t1"), "after")
    return j


def test_recovery_before_the_commit_point_undoes_everything(tmp_path):
    j = _journal(tmp_path, "prepared")
    recover(Path(j.index))
    assert sorted(p.name for p in Path(j.corpus).iterdir()) == ["old.txt"]
    assert (Path(j.index) / "plans.json").read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "index"]


def test_recovery_after_the_commit_point_finishes_the_change(tmp_path):
    j = _journal(tmp_path, "commit")
    recover(Path(j.index))
    assert sorted(p.name for p in Path(j.corpus).iterdir()) == ["new.txt"]
    assert (Path(j.index) / "plans.json").read_text(encoding="utf-8") == "after"
    assert not journal_path(Path(j.index)).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "index"]


def test_recovery_puts_back_an_old_index_and_keeps_user_files(tmp_path):
    index = tmp_path / "index"
    _index(old_path(index), "previous")
    stray = tmp_path / ".index.abcd1234"  # a temporary folder of an interrupted build
    _index(stray, "half")
    mine = tmp_path / ".index.notes"
    mine.mkdir()
    (mine / "ghi-chu.txt").write_text("user data", encoding="utf-8")
    recover(index)
    assert (index / "plans.json").read_text(encoding="utf-8") == "previous"
    assert not old_path(index).exists() and not stray.exists()
    assert (mine / "ghi-chu.txt").exists()


def test_fault_actions():
    faults.install("a=enospc,b=erofs")
    try:
        with pytest.raises(OSError) as err:
            faults.fault_point("a")
        assert err.value.errno == errno.ENOSPC
        with pytest.raises(OSError) as err:
            faults.fault_point("b")
        assert err.value.errno == errno.EROFS
        faults.fault_point("c")  # not installed: nothing happens
    finally:
        faults.install(None)


def test_embedding_cache_round_trip_and_merge(tmp_path):
    a, b = EmbeddingCache(tmp_path, "e", 2), EmbeddingCache(tmp_path, "e", 2)
    a.put(["một"], np.array([[1, 0]], dtype=np.float32))
    a.save()
    b.put(["hai"], np.array([[0, 1]], dtype=np.float32))
    b.save()  # merges what `a` saved meanwhile
    c = EmbeddingCache(tmp_path, "e", 2)
    vectors, missing = c.get(["một", "hai", "ba"])
    assert missing == [2] and vectors[0].tolist() == [1, 0] and vectors[1].tolist() == [0, 1]
    assert EmbeddingCache(tmp_path, "other", 2).get(["một"])[1] == [0]  # another embedder's vectors are not used


def test_embedding_cache_keeps_one_entry_for_a_text_repeated_in_a_batch(tmp_path):
    # two chunks with the same text (a sentence repeated in two plans) once put keys and vectors out of step:
    # every vector added after them was filed under the wrong text, and the saved file no longer loaded
    a = EmbeddingCache(tmp_path, "e", 2)
    a.put(["một", "một", "hai"], np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32))
    a.put(["ba"], np.array([[1, 1]], dtype=np.float32))
    a.save()
    b = EmbeddingCache(tmp_path, "e", 2)
    vectors, missing = b.get(["một", "hai", "ba"])
    assert missing == [] and vectors.tolist() == [[1, 0], [0, 1], [1, 1]]

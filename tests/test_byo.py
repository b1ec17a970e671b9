"""Bring your own plan: Word and PDF files added from the command line and the chat, and every bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, build_config
from plan_files import write_docx, write_encrypted_pdf, write_pdf

from index.errors import PlanLoadError
from index.readers import load_document


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


@pytest.fixture()
def workspace(tmp_path, index_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    return corpus, index


def _still_answers(index: Path, corpus: Path) -> None:
    from assistant.answer import Assistant

    ans = Assistant.load(index, corpus).ask("Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    assert "Sở Nông nghiệp và PTNT" in ans.answer


def test_docx_table_cells_become_task_rows(tmp_path):
    doc = load_document(write_docx(tmp_path / "p.docx"))
    assert doc.tables and len(doc.tables[0].rows) == 3  # the header row and the two task rows, each cell a block
    from index.parse import parse_document

    plan = parse_document(doc, {})
    rows = {r.number: r for r in plan.rows}
    assert rows["1"].lead == "Sở Nông nghiệp và Môi trường" and rows["1"].time == "2026 - 2028"
    assert rows["2"].coordinate == "Hiệp hội Doanh nghiệp tỉnh" and rows["2"].section_path == "PHỤ LỤC > 2"
    assert plan.meta.citation_title() == "Kế hoạch số 15/KH-UBND ngày 10/2/2026 của UBND tỉnh Đồng Tháp"


def test_add_word_and_pdf_plans_and_ask_about_them(tmp_path, workspace):
    corpus, index = workspace
    n1, n2 = str(uuid.uuid4().int % 900 + 100), str(uuid.uuid4().int % 900 + 100)
    docx_file = write_docx(tmp_path / "Kế hoạch Đồng Tháp.docx", number=n1)
    pdf_file = write_pdf(tmp_path / "longan.pdf", number=n2)
    res = _cli("index", "add", str(docx_file), str(pdf_file), "--quiet", "--index", str(index), "--corpus", str(corpus))
    assert res.returncode == 0, res.stderr
    assert (corpus / "ke-hoach-dong-thap.docx").exists() and (corpus / "longan.pdf").exists()
    from assistant.answer import Assistant
    from index.store import read_manifest

    a = Assistant.load(index, corpus)
    new_chunks = [c for c in a.index.chunks if c.doc_id in ("ke-hoach-dong-thap", "longan")]
    assert read_manifest(index)["counts"]["embedded"] == len(new_chunks)  # only the new plans were embedded
    ans = a.ask("Ai chủ trì mô hình nuôi cá tra tuần hoàn nước khép kín?")
    assert "Sở Nông nghiệp và Môi trường" in ans.answer and "2026 - 2028" in ans.citations[0].quote
    assert ans.citations[0].doc == "ke-hoach-dong-thap" and ans.citations[0].section == "PHỤ LỤC > 1"
    assert ans.citations[0].plan == f"Kế hoạch số {n1}/KH-UBND ngày 10/2/2026 của UBND tỉnh Đồng Tháp"
    ans = a.ask("Ở Long An sở nào thí điểm đổi túi ni lông lấy túi vải ở chợ?")
    assert "Sở Công Thương" in ans.answer and ans.citations[0].doc == "longan"
    assert ans.citations[0].section == "II. TỔ CHỨC THỰC HIỆN > 1. Sở Công Thương"
    ans = a.ask("Long An muốn bao nhiêu phần trăm chợ truyền thống không dùng túi ni lông?")
    assert "90%" in ans.answer and ans.citations[0].doc == "longan"
    removed = _cli("index", "remove", "longan", "--quiet", "--index", str(index), "--corpus", str(corpus))
    assert removed.returncode == 0 and not (corpus / "longan.pdf").exists()
    assert "longan" not in Assistant.load(index, corpus).plans


@pytest.mark.parametrize(
    "case, expected",
    [
        ("scanned", "không có lớp chữ"),
        ("password", "có mật khẩu"),
        ("corrupt", "bị hỏng"),
        ("empty_docx", "không có nội dung chữ"),
        ("empty_file", "tệp rỗng"),
        ("xlsx", "không phải Word"),
    ],
)
def test_bad_files_are_refused_and_the_index_still_answers(tmp_path, workspace, case, expected):
    corpus, index = workspace
    before = sorted(p.name for p in corpus.iterdir())
    if case == "scanned":
        bad = write_pdf(tmp_path / "scan.pdf", scanned=True)
    elif case == "password":
        bad = write_encrypted_pdf(tmp_path / "secret.pdf", write_pdf(tmp_path / "src.pdf"))
    elif case == "corrupt":
        bad = tmp_path / "broken.pdf"
        bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    elif case == "empty_docx":
        bad = write_docx(tmp_path / "empty.docx", empty=True)
    elif case == "empty_file":
        bad = tmp_path / "nothing.pdf"
        bad.write_bytes(b"")
    else:
        bad = tmp_path / "table.xlsx"
        bad.write_bytes(b"PK\x03\x04 not really")
    res = _cli("index", "add", str(bad), "--quiet", "--index", str(index), "--corpus", str(corpus))
    assert res.returncode == 1 and expected in res.stderr and bad.name in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert sorted(p.name for p in corpus.iterdir()) == before
    _still_answers(index, corpus)


def test_type_is_read_from_the_content_not_the_name(tmp_path):
    disguised = write_docx(tmp_path / "plan.docx")
    renamed = disguised.rename(tmp_path / "plan.pdf")
    assert load_document(renamed).tables  # a Word file named .pdf is read as Word
    pdf_as_txt = write_pdf(tmp_path / "x.pdf").rename(tmp_path / "x.txt")
    assert "Sở Công Thương" in load_document(pdf_as_txt).text
    with pytest.raises(PlanLoadError):
        load_document(tmp_path / "missing.docx")


def test_failure_mid_build_leaves_corpus_and_index_unchanged(tmp_path, workspace, monkeypatch):
    """A failure while embedding (simulated: the embedding step raises) must not leave a half-added plan, a
    staged file, a temporary index folder or a journal."""
    corpus, index = workspace
    from index import manage, store
    from index.store import read_manifest

    before_files, before_manifest = sorted(p.name for p in corpus.iterdir()), read_manifest(index)
    (tmp_path / "in").mkdir()
    before_around = sorted(p.name for p in index.parent.iterdir())

    def crash(*a, **k):
        raise RuntimeError("simulated crash during embedding")

    monkeypatch.setattr(store, "embed_chunks", crash)
    with pytest.raises(RuntimeError):
        manage.add_plans(corpus, index, [write_pdf(tmp_path / "in" / "new.pdf", number="931")], cfg=build_config())
    assert sorted(p.name for p in corpus.iterdir()) == before_files
    assert read_manifest(index) == before_manifest
    assert sorted(p.name for p in index.parent.iterdir() if p.name != ".index.lock") == before_around
    _still_answers(index, corpus)

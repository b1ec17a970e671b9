"""Shared fixtures: the real corpus, parsed once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def plans():
    from index.parse import load_corpus
    return {p.doc_id: p for p in load_corpus(CORPUS)}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """A real index of the real corpus, built once (embeddings cached under artifacts/cache)."""
    from index.store import build_index
    folder = tmp_path_factory.mktemp("index") / "index"
    build_index(CORPUS, folder, progress=False)
    return folder


@pytest.fixture(scope="session")
def assistant(index_dir):
    from assistant.answer import Assistant
    return Assistant.load(index_dir, CORPUS)

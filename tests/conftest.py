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

"""Fixtures for the unit tests: the real plan texts read raw (no parsing, no index, no model), so every test in
this folder runs in milliseconds after a ~1 s setup."""
from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PROVINCES_IN_CORPUS = ["Bến Tre", "Cà Mau", "Hưng Yên", "Kon Tum"]
PLAN_NUMBERS = {"64": "camau-kh64-2023-kinh-te-tuan-hoan", "211": "camau-kh211-2024-san-xuat-tieu-dung-ben-vung",
                "56": "hungyen-kh56-2025-kinh-te-tuan-hoan"}


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

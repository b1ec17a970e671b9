"""Diacritics restoration from the corpus vocabulary: unambiguous n-grams only, the user's own accents kept."""

from __future__ import annotations

import pytest

from assistant.restore import DiacriticsRestorer


@pytest.mark.parametrize(
    "typed, restored",
    [
        ("ai chu tri ham biogas", "ai chủ trì hầm biogas"),
        ("kinh phi nuoi so huyet theo vietgap", "kinh phí nuôi sò huyết theo vietgap"),
        ("so tai chinh ben tre", "sở tài chính bến tre"),
    ],
)
def test_restores_unambiguous_words_from_the_plans(restorer, typed, restored):
    assert restorer.restore(typed) == restored


def test_ambiguous_single_syllables_stay_as_typed(restorer):
    assert restorer.restore("ca") == "ca"  # cà, cá, các ... : no clear majority


def test_accented_words_and_capitals_are_kept(restorer):
    assert restorer.restore("Sở Tai chinh") == "Sở Tài chính"
    assert restorer.restore("SO TAI CHINH") == "SỞ TÀI CHÍNH"


def test_a_phrase_beats_its_words():
    r = DiacriticsRestorer(["an toàn thực phẩm", "an toàn thực phẩm", "Long An", "long an toàn"])
    assert r.restore("an toan thuc pham") == "an toàn thực phẩm"
    assert r.knows("an toan") and not r.knows("xyz")


def test_unknown_words_are_left_alone(restorer):
    assert restorer.restore("blockchain zzz") == "blockchain zzz"

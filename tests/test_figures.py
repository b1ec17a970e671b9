"""Figures asked of layouts the five plans do not have: tables the PDF flattened one cell per line (QĐ
2634's project lists), over a small index of that decision and one letter, built with the real models as the other answer tests do."""

import pytest
from conftest import asker_over
from test_more_documents import DEV, _quoted

DOCS = ("qd2634-ttg-2025-du-an-nang-luong", "hanoi-cv-2025-o-nhiem-khong-khi")
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="shared/corpus-dev is not beside the checkout")


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    with asker_over(tmp_path_factory.mktemp("figures"), DEV, DOCS) as ask:
        yield ask


def test_a_table_row_reads_through_its_cells(ask):
    """A table flattened one cell per line: the row's name, its label and its figure on their own lines are one
    answer; a row the table does not tell apart from another is no answer."""
    answer = ask("mấy nhà máy điện khí Lô B Ô Môn trong QĐ 2634 tổng cộng công suất là bao nhiêu MW?")
    assert not answer.abstained and "3.810 MW" in answer.answer and "3.750" not in answer.answer, answer.answer
    _quoted(answer)
    other = ask("Theo QĐ 2634, cụm nhà máy điện dùng khí Cá Voi Xanh có tổng công suất bao nhiêu?")
    assert not other.abstained and "3.750 MW" in other.answer and "3.810" not in other.answer, other.answer
    unsure = ask("Thủy điện Sơn La mở rộng trong danh mục dự án năng lượng của QĐ 2634 có công suất bao nhiêu MW?")
    assert "3.810" not in unsure.answer and "3.750" not in unsure.answer, unsure.answer


def test_an_investor_or_a_number_of_years_is_not_a_project_row(ask):
    """The project list names each plant, its capacity, place and years, never its investor: 'chủ đầu tư là doanh
    nghiệp nào' has no answer there; nor has 'vận hành trong bao nhiêu năm' (a number of years, not a year)."""
    investor = ask(
        "Theo Quyết định 2634/QĐ-TTg, chủ đầu tư của dự án Nhà máy nhiệt điện LNG Quảng Ninh là doanh nghiệp nào?"
    )
    assert investor.abstained and "chủ đầu tư" in investor.answer, investor.answer
    phase = ask("NMNĐ LNG Hải Phòng giai đoạn 2 trong QĐ 2634 công suất bao nhiêu MW?")
    assert not phase.abstained and "3.200" in phase.answer and "1.600" not in phase.answer, phase.answer
    _quoted(phase)


def test_what_a_decision_replaces_and_its_closing_article(ask):
    """'thay cho quyết định nào' is users' 'thay thế'; the closing article ('… Chủ tịch Ủy ban nhân dân các tỉnh …
    chịu trách nhiệm thi hành quyết định này') is the work of each body it names."""
    replaced = ask("Cái QĐ danh mục dự án năng lượng trọng điểm của Thủ tướng thay cho quyết định nào cũ vậy?")
    assert not replaced.abstained and "270/QĐ-TTg" in replaced.answer, replaced.answer
    duty = ask("Quyết định 2634/QĐ-TTg quy định trách nhiệm gì đối với Chủ tịch Ủy ban nhân dân các tỉnh?")
    assert not duty.abstained and "chịu trách nhiệm thi hành" in duty.answer, duty.answer
    _quoted(duty)

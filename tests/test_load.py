"""Loading and normalization on the real plans, and clear errors for bad files."""

from __future__ import annotations

import unicodedata

import pytest

from index.errors import PlanLoadError
from index.load import load_plan, normalize
from index.text import collapse_ws, fold, match_key, normalize_tones


def test_all_five_plans_load(plans):
    assert sorted(plans) == [
        "bentre-kh-kinh-te-tuan-hoan",
        "camau-kh211-2024-san-xuat-tieu-dung-ben-vung",
        "camau-kh64-2023-kinh-te-tuan-hoan",
        "hungyen-kh56-2025-kinh-te-tuan-hoan",
        "kontum-cv-2022-kinh-te-tuan-hoan",
    ]
    for plan in plans.values():
        assert plan.doc.text == unicodedata.normalize("NFC", plan.doc.text)
        for b in plan.doc.blocks:
            assert plan.doc.text[b.start : b.end] == b.text


def test_normalized_text_keeps_every_word_of_the_source(corpus_dir, plans):
    """Unwrapping only drops line breaks and page numbers: the words stay in order."""
    for doc_id, plan in plans.items():
        raw = unicodedata.normalize("NFC", (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8"))
        assert collapse_ws(plan.doc.text).split() == collapse_ws(raw).split()


def test_pdf_wraps_are_unwrapped_into_paragraphs(plans):
    kh64 = [b.text for b in plans["camau-kh64-2023-kinh-te-tuan-hoan"].doc.blocks if b.region == "body"]
    assert "1. Sở Kế hoạch và Đầu tư" in kh64
    para = next(t for t in kh64 if t.startswith("Làm đầu mối theo dõi"))
    assert para.endswith("của Thủ tướng Chính phủ và Kế hoạch này.")
    kontum = [b.text for b in plans["kontum-cv-2022-kinh-te-tuan-hoan"].doc.blocks]
    assert "7. Sở Nông nghiệp và Phát triển nông thôn:" in kontum
    assert any(
        t.startswith("- Tham mưu triển khai thực hiện có hiệu quả Quyết định 150/QĐ-TTg ngày 28 tháng 01 năm 2022")
        for t in kontum
    )


def test_a_heading_cut_after_ubnd_goes_on_to_its_level():
    # 'UBND' needs its level: the capitals of '8. UBND' do not make it a heading in capitals (Hà Nội's letter)
    doc = normalize(
        "x",
        "7. Sở Y tế:\n\n- Hướng dẫn người dân.\n\n8. UBND\ncác xã, phường:\n\n- Chủ tịch UBND các phường,\nxã chịu trách nhiệm.\n",
    )
    assert "8. UBND các xã, phường:" in [b.text for b in doc.blocks]
    doc = normalize("x", "IV. NHIỆM\nVỤ CỤ THỂ\n\n8. UBND tỉnh\n\nChỉ đạo các sở.\n")
    assert [b.text for b in doc.blocks][:2] == ["IV. NHIỆM VỤ CỤ THỂ", "8. UBND tỉnh"]


def test_a_heading_cut_inside_a_province_name_goes_on():
    # 'd) Ủy ban nhân dân thành phố Hà' / 'Nội, thành phố Hồ Chí Minh …' (NQ 380): no heading ends inside a place name;
    # a heading that ends on a whole name stays a heading
    doc = normalize("x", "d) Ủy ban nhân dân thành phố Hà\nNội, thành phố Hải Phòng hỗ trợ các tỉnh.\n")
    assert doc.blocks[0].text.startswith("d) Ủy ban nhân dân thành phố Hà Nội, thành phố Hải Phòng")
    doc = normalize("x", "3. Sở Xây dựng tỉnh Sơn La\nChủ trì rà soát quy hoạch.\n")
    assert [b.text for b in doc.blocks] == ["3. Sở Xây dựng tỉnh Sơn La", "Chủ trì rà soát quy hoạch."]


def test_headings_and_list_items_are_not_merged(plans):
    kh64 = [b.text for b in plans["camau-kh64-2023-kinh-te-tuan-hoan"].doc.blocks]
    assert "14. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các huyện, thành phố" in kh64
    assert "IV. Tổ chức thực hiện" in kh64
    items = [t for t in kh64 if t.startswith("- Tái sử dụng, tái chế, xử lý 85%")]
    assert items and "giảm thiểu 50% rác thải nhựa" in items[0]


def test_decomposed_unicode_is_composed(plans):
    text = plans["hungyen-kh56-2025-kinh-te-tuan-hoan"].doc.text
    assert "Sở Nông nghiệp và Môi trường" in text


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "tệp rỗng"),
        (b"   \n\n", "tệp rỗng"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "tệp nhị phân"),
        ("Kế hoạch số 1".encode("cp1258", errors="replace") + b"\xff\xfe\xfa", "không phải mã UTF-8"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path, content, expected):
    path = tmp_path / "bad-plan.txt"
    path.write_bytes(content)
    with pytest.raises(PlanLoadError) as err:
        load_plan(path)
    assert expected in err.value.message and "bad-plan.txt" in err.value.message


def test_unsupported_extension(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(PlanLoadError, match="chưa được hỗ trợ"):
        load_plan(path)


def test_text_keys():
    assert fold("Sở Nông nghiệp và Phát triển nông thôn") == "so nong nghiep va phat trien nong thon"
    assert normalize_tones("hoà thuỷ Uỷ ban quý") == "hòa thủy Ủy ban quý"
    assert match_key("2025-2030") == match_key("2025 – 2030") == match_key("2025 - 2030")
    assert match_key("hằng năm") == match_key("Hàng năm")
    assert match_key(unicodedata.normalize("NFD", "Sở Tài chính")) == match_key("sở tài chính")


def test_wrapped_paragraph_normalization_is_local():
    doc = normalize(
        "x",
        "I. Mục tiêu\n\nPhát triển kinh tế tuần hoàn nhằm tạo động lực cho đổi mới sáng tạo và cải \n\n"
        "thiện năng suất lao động.\n\n1. Sở Tài chính\nChủ trì bố trí kinh phí.\n",
    )
    assert [b.text for b in doc.blocks] == [
        "I. Mục tiêu",
        "Phát triển kinh tế tuần hoàn nhằm tạo động lực cho đổi mới sáng tạo và cải thiện năng suất lao động.",
        "1. Sở Tài chính",
        "Chủ trì bố trí kinh phí.",
    ]

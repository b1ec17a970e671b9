"""Section tree and task rows recovered from the flattened appendix tables (real corpus)."""

from __future__ import annotations

import pytest

from index.text import collapse_ws


def _row(plan, number, part=1):
    return next(r for r in plan.rows if r.number == number and r.part == part)


def test_camau_2023_has_31_rows_and_biogas_row(plans):
    plan = plans["camau-kh64-2023-kinh-te-tuan-hoan"]
    assert [r.number for r in plan.rows] == [str(n) for n in range(1, 32)]
    row = _row(plan, "17")
    assert "hầm biogas (05 công trình)" in row.name
    assert row.lead == "Sở Nông nghiệp và PTNT"
    assert row.time == "2025 - 2030"
    assert row.section_path == "PHỤ LỤC > 17"
    assert "Các Sở, ban, ngành" in row.coordinate and not row.ambiguous


@pytest.mark.parametrize(
    "number, lead, coordinate, time",
    [
        (
            "1",
            "Sở Kế hoạch và Đầu tư",
            "Các Sở, ban, ngành có liên quan và UBND các huyện, thành phố",
            "Kế hoạch trung hạn và hàng năm",
        ),
        ("2", "Sở Tài nguyên và Môi trường", "UBND các huyện, thành phố", "Hàng năm"),
        ("4", "Sở Tài nguyên và Môi trường", "Sở Xây dựng; UBND các huyện, thành phố", "2024 - 2030"),
        ("6", "Sở Nông nghiệp và PTNT", "Các đơn vị có liên quan", "2024 - 2025"),
        (
            "26",
            "Viện Môi trường và Tài nguyên thành phố Hồ Chí Minh; Sở Khoa học và Công nghệ",
            "- Trạm Khảo Kiểm nghiệm Phân bón Miền Nam. - Trung tâm Công nghệ Môi trường.",
            "2024",
        ),
        ("29", "Sở Lao động, Thương binh và xã hội", "Các đơn vị có liên quan", "2023 - 2025"),
    ],
)
def test_camau_2023_wrapped_and_merged_cells(plans, number, lead, coordinate, time):
    row = _row(plans["camau-kh64-2023-kinh-te-tuan-hoan"], number)
    assert (row.lead, row.coordinate, row.time) == (lead, coordinate, time)


@pytest.mark.parametrize(
    "number, lead, coordinate_part, time",
    [
        (
            "1.1.2",
            "- Các sở, ban, ngành - Ủy ban nhân dân các huyện, thị xã, thành phố - Đài Phát thanh và Truyền hình, báo chí",
            "Các cơ quan, tổ chức có liên quan",
            "2025 - 2035",
        ),
        ("1.3.1", "Sở Nông nghiệp và Môi trường", "Liên minh Hợp tác xã", "2025 - 2026"),
        (
            "3.2.1",
            "- Các sở, ban, ngành - Ủy ban nhân dân các huyện, thị xã, thành phố",
            "cơ quan, tổ chức có liên quan",
            "2025 - 2035",
        ),
        ("4.1.1", "Ngân hàng Nhà nước Việt Nam khu vực 6", "Cơ quan, tổ chức có liên quan", "2025 - 2035"),
        ("5.2.1", "Sở Nông nghiệp và Môi trường", "Các sở, ban, ngành", "2025 - 2030"),
    ],
)
def test_hungyen_rows(plans, number, lead, coordinate_part, time):
    row = _row(plans["hungyen-kh56-2025-kinh-te-tuan-hoan"], number)
    assert row.lead == lead and coordinate_part in row.coordinate and row.time == time
    assert row.section_path == f"PHỤ LỤC I > {number}"


def test_hungyen_merged_lead_cells_become_two_parts(plans):
    plan = plans["hungyen-kh56-2025-kinh-te-tuan-hoan"]
    assert _row(plan, "3.2.2").lead == "Ban quản lý các khu công nghiệp tỉnh"
    second = _row(plan, "3.2.2", part=2)
    assert second.lead == "Sở Công Thương" and second.time == "2025 - 2035" and second.ambiguous


def test_hungyen_group_rows_give_context(plans):
    row = _row(plans["hungyen-kh56-2025-kinh-te-tuan-hoan"], "1.3.1")
    assert row.group.startswith("1. NÂNG CAO NHẬN THỨC") and "1.3. Xây dựng, vận hành nền tảng" in row.group


def test_camau_2024_budgets(plans):
    plan = plans["camau-kh211-2024-san-xuat-tieu-dung-ben-vung"]
    assert len(plan.rows) == 21
    r11 = _row(plan, "11")
    assert r11.number_inferred
    assert dict(r11.budget) == {"Ngân sách địa phương": "1.375", "Ngân sách Trung ương": "550", "Nguồn khác": "3.313"}
    assert dict(_row(plan, "12").budget) == {"Ngân sách Trung ương": "2.400", "Ngân sách địa phương": "3.600"}
    assert dict(_row(plan, "10").budget) == {"Ngân sách Trung ương": "1.310"}
    r8 = _row(plan, "8")  # one amount, no note: the column cannot be told from the text
    assert r8.budget == (("Không rõ nguồn", "840"),) and r8.ambiguous
    assert r8.lead == "Sở Nông nghiệp và Phát triển nông thôn (Trung tâm Khuyến nông)"
    assert _row(plan, "6").lead.endswith("(thuộc Sở Khoa học và Công nghệ)")


def test_row_spans_quote_the_source(plans):
    for plan in plans.values():
        for row in plan.rows:
            span = collapse_ws(plan.doc.text[row.start : row.end])
            assert (row.part > 1 or row.name in span) and (not row.lead or row.lead in span)
            assert not row.time or row.time in span


def test_every_department_under_implementation_is_its_own_section(plans):
    expected = {
        "camau-kh64-2023-kinh-te-tuan-hoan": ("IV. Tổ chức thực hiện", 14, "2. Sở Tài nguyên và Môi trường"),
        "bentre-kh-kinh-te-tuan-hoan": ("V. TỔ CHỨC THỰC HIỆN", 15, "7. Sở Thông tin và Truyền thông"),
        "camau-kh211-2024-san-xuat-tieu-dung-ben-vung": ("V. TỔ CHỨC THỰC HIỆN", 11, "7. Ban Quản lý Khu Kinh tế"),
        "hungyen-kh56-2025-kinh-te-tuan-hoan": ("VI. TỔ CHỨC THỰC HIỆN", 4, "2. Sở Tài chính"),
    }
    for doc_id, (parent, count, example) in expected.items():
        children = [s for s in plans[doc_id].sections if len(s.path) == 2 and s.path[0] == parent]
        assert len(children) == count, doc_id
        assert example in [s.title for s in children]
    kontum = [s.title for s in plans["kontum-cv-2022-kinh-te-tuan-hoan"].sections]
    for n, name in enumerate(
        [
            "Các sở, ban, ngành thuộc tỉnh, Ủy ban nhân dân các huyện, thành phố",
            "Sở Kế hoạch và Đầu tư",
            "Sở Tài nguyên và Môi trường",
            "Sở Tài chính",
            "Sở Công Thương",
        ],
        1,
    ):
        assert f"{n}. {name}" in kontum
    assert "9. Ngân hàng Nhà nước - Chi nhánh tỉnh Kon Tum" in kontum


def test_chunks_are_section_bounded_and_verbatim(plans):
    from index.chunks import build_chunks

    for plan in plans.values():
        chunks = build_chunks(plan)
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        spans = {}
        for s in plan.sections:
            for i in s.blocks:
                spans.setdefault(i, s.path_str)
        for c in chunks:
            assert c.text == collapse_ws(plan.doc.text[c.start : c.end])
            if c.kind == "text":
                inside = {spans[i] for i, b in enumerate(plan.doc.blocks) if b.start < c.end and b.end > c.start}
                assert inside == {c.section}
                assert len(c.text) <= 900
    assert sum(c.kind == "row" for p in plans.values() for c in build_chunks(p)) == sum(
        len(p.rows) for p in plans.values()
    )

"""Any plan: documents of many kinds, issuers and layouts parsed and checked against facts a person verified in
their text (eval/documents.jsonl), in both their text and Word versions; the shapes that broke before each
have a test of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from eval.docfacts import META_FIELDS, check, load_facts
from index.agencies import agency_of_title
from index.load import normalize
from index.metadata import UNKNOWN, extract_metadata
from index.parse import parse_plan
from index.provinces import canonical_province, current_province, same_province

DEV = ROOT.parent / "shared" / "corpus-dev"
FACTS = load_facts()
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="shared/corpus-dev is not beside the checkout")


def _sources(doc: str) -> list[Path]:
    cands = [CORPUS / f"{doc}.txt", DEV / f"{doc}.txt", DEV / "docx" / f"{doc}.docx"]
    return [p for p in cands if p.exists()]


@pytest.fixture(scope="module")
def checks():
    out = []
    for facts in FACTS:
        for src in _sources(facts["doc"]):
            out += [(src.suffix, c) for c in check(parse_plan(src, {}), facts)]
    return out


def test_every_document_of_the_record_is_found():
    assert len(FACTS) >= 29
    assert all(
        _sources(f["doc"])
        for f in FACTS
        if not f["doc"].startswith(("camau", "hungyen", "bentre", "kontum")) or (CORPUS / f"{f['doc']}.txt").exists()
    )


@needs_dev
def test_metadata_fields_at_least_95_percent_right(checks):
    meta = [c for _, c in checks if c.field in META_FIELDS + ("also", "title")]
    right = sum(c.ok for c in meta)
    wrong = [f"{c.doc} {c.field}: {c.expected!r} != {c.got!r}" for c in meta if not c.ok]
    assert right / len(meta) >= 0.95, "\n".join(wrong)


@needs_dev
def test_task_row_counts_right_for_every_table(checks):
    wrong = [
        f"{s} {c.doc}: {c.expected} rows expected, {c.got} parsed"
        for s, c in checks
        if c.field == "task_rows" and not c.ok
    ]
    assert not wrong, "\n".join(wrong)


@needs_dev
def test_listed_rows_right_in_every_field(checks):
    wrong = [
        f"{s} {c.doc} {c.field}: {c.expected!r} != {c.got!r}"
        for s, c in checks
        if c.field.startswith("row ") and not c.ok
    ]
    assert not wrong, "\n".join(wrong)


@needs_dev
def test_listed_agency_sections_found(checks):
    wrong = [f"{s} {c.doc} {c.field}" for s, c in checks if c.field.startswith("section ") and not c.ok]
    assert not wrong, "\n".join(wrong)


@needs_dev
@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_decision_of_the_prime_minister(suffix):
    """A Quyết định of the Thủ tướng: number with its 'g', issuer from the header not the place line, whole
    title, signer block 'KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG / name', no province."""
    path = DEV / ("docx" if suffix == ".docx" else "") / f"qd2629-ttg-2025-chinh-phu-so{suffix}"
    plan = parse_plan(path, {})
    m = plan.meta
    assert (m.kind, m.number, m.date, m.issuer, m.province) == (
        "Quyết định",
        "2629/QĐ-TTg",
        "1/12/2025",
        "Thủ tướng Chính phủ",
        UNKNOWN,
    )
    assert "PHÊ DUYỆT CHƯƠNG TRÌNH PHÁT TRIỂN CHÍNH PHỦ SỐ" in m.title
    assert (m.signer, m.signer_title) == ("Nguyễn Chí Dũng", "Phó Thủ tướng")
    assert len(plan.rows) > 90  # two appendix tables, groups I, I.1, II …


@needs_dev
def test_lost_header_number_from_the_appendix_caption():
    m = parse_plan(DEV / "bvhttdl-cv6225-2025-nhiem-vu-trong-tam.txt", {}).meta
    assert (m.kind, m.number, m.date) == ("Công văn", "6225/BVHTTDL-VP", "18/11/2025")
    assert m.issuer == "Bộ Văn hóa, Thể thao và Du lịch"


@needs_dev
def test_agency_sections_under_any_parent():
    """'IV. PHÂN CÔNG NHIỆM VỤ' > '1.' / 'Công an thành phố' and '9. Ban' / 'Chỉ huy …' (wrapped), and letter
    items 'b) Bộ Tài chính tiếp tục …' in a Nghị quyết."""
    plan = parse_plan(DEV / "cantho-kh153-2025-phong-chong-ma-tuy.txt", {})
    agencies = {agency_of_title(s.title) for s in plan.sections if s.kind == "body"}
    assert {"Công an thành phố", "Ban Chỉ huy Bộ đội Biên phòng thành phố", "Sở Y tế"} <= agencies
    assert not [a for a in agencies if "chịu trách nhiệm" in a], agencies  # 'Chủ tịch UBND xã … chịu trách nhiệm …'
    assert any(s.path_str.startswith("IV. PHÂN CÔNG NHIỆM VỤ > ") for s in plan.sections)
    nq = parse_plan(DEV / "nq380-cp-2025-khac-phuc-thien-tai.txt", {})
    assert "Bộ Tài chính" in {agency_of_title(s.title) for s in nq.sections}
    assert any(s.title == "II. CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM" for s in nq.sections)  # not cut to 'II. CÁC NHIỆM'


@needs_dev
def test_an_agency_heading_ends_where_its_duty_starts():
    """'5. Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương tổng hợp, trình …' names the committees only."""
    plan = parse_plan(DEV / "qd2623-ttg-2025-bao-ve-du-lieu-ca-nhan.txt", {})
    agencies = {agency_of_title(s.title) for s in plan.sections if s.kind == "body"}
    assert "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương" in agencies
    assert not [a for a in agencies if "tổng hợp" in a], agencies


def test_header_variants_in_a_new_plan():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THANH HOÁ\nSố 12/KH-UBND\nThanh Hoá, ngày 05/01/2026\nKẾ HOẠCH\n"
        "Phát triển kinh tế tuần hoàn\nI. MỤC TIÊU\nĐạt 50%.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn An\n"
    )
    m = extract_metadata(normalize("th-kh12", text))
    assert (m.number, m.date, m.province, m.issuer) == ("12/KH-UBND", "5/1/2026", "Thanh Hóa", "UBND tỉnh Thanh Hoá")
    assert (m.signer, m.signer_title) == ("Lê Văn An", "Phó Chủ tịch")


def test_word_table_with_a_two_level_header(tmp_path):
    """'Cơ quan thực hiện' over 'Chủ trì' / 'Phối hợp', a group row that names the lead, bullet cells."""
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("PHỤ LỤC")
    t = d.add_table(rows=5, cols=5)
    top = ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Tiến độ"]
    for c, text in enumerate(top):
        t.cell(0, c).text = text
    t.cell(0, 2).merge(t.cell(0, 3))
    for c, text in enumerate(["", "", "Chủ trì", "Phối hợp", ""]):
        if text:
            t.cell(1, c).text = text
    group = t.cell(2, 0).merge(t.cell(2, 4))
    group.text = "A. BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    for r, row in enumerate(
        [
            ["1", "Xây dựng cơ sở dữ liệu đất đai", "Sở Tài chính", "- Sở Xây dựng\n- UBND các xã", "Quý IV/2026"],
            ["2", "Rà soát quy hoạch", "", "Sở Nội vụ", "Năm 2027"],
        ],
        start=3,
    ):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    path = tmp_path / "hai-tang.docx"
    d.save(path)
    rows = parse_plan(path, {}).rows
    assert [(r.number, r.lead, r.time) for r in rows] == [
        ("1", "Sở Tài chính", "Quý IV/2026"),
        ("2", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Năm 2027"),
    ]
    assert "Sở Xây dựng" in rows[0].coordinate and "UBND các xã" in rows[0].coordinate


def test_provinces_any_spelling_and_the_2025_mergers():
    for name in ("Thanh Hoá", "thanh hoa", "Đăk Lăk", "Bà Rịa – Vũng Tàu", "TP. Hồ Chí Minh", "Thừa Thiên - Huế"):
        assert canonical_province(name), name
    assert canonical_province("Đăk Lăk") == "Đắk Lắk"
    assert current_province("Bà Rịa-Vũng Tàu") == "Hồ Chí Minh" and current_province("Kon Tum") == "Quảng Ngãi"
    assert same_province("Bạc Liêu", "Cà Mau") and not same_province("Bạc Liêu", "Kon Tum")
    assert canonical_province("Long An toàn") is None


def test_five_plans_keep_their_rows(plans):
    counts = {d: len(p.rows) for d, p in plans.items()}
    assert counts == {
        "bentre-kh-kinh-te-tuan-hoan": 0,
        "camau-kh211-2024-san-xuat-tieu-dung-ben-vung": 21,
        "camau-kh64-2023-kinh-te-tuan-hoan": 31,
        "hungyen-kh56-2025-kinh-te-tuan-hoan": 26,
        "kontum-cv-2022-kinh-te-tuan-hoan": 0,
    }


@needs_dev
def test_every_document_replaced_and_carried_out_is_listed():
    """'Thay thế Quyết định số 3089 …;' then one replaced decision per line; an upper-case title naming two
    decisions it carries out ('… TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG … VÀ QUYẾT ĐỊNH SỐ 3103/QĐ-BTC …')."""
    meta = extract_metadata(parse_plan(DEV / "hcm-qd2853-2025-rui-ro-thien-tai.txt", {}).doc)
    assert all(n in meta.replaces for n in ("3089/QĐ-UBND", "1397/QĐ-UBND", "1179/QĐ-UBND")), meta.replaces
    meta = extract_metadata(parse_plan(DEV / "hcm-qd2820-2025-ke-hoach.txt", {}).doc)
    assert "06/QĐ-TTg" in meta.implements and "3103/QĐ-BTC" in meta.implements, meta.implements
    assert meta.implements.endswith("của Bộ Tài chính"), meta.implements  # who issued it, not its subject

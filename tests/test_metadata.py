"""Metadata: extraction from the text, the sidecar overriding it, and UNKNOWN where the text is silent."""

from __future__ import annotations

from index.load import normalize
from index.metadata import UNKNOWN, extract_metadata, plan_metadata


def test_extracted_from_the_real_plans(plans):
    hy = extract_metadata(plans["hungyen-kh56-2025-kinh-te-tuan-hoan"].doc)
    assert (hy.number, hy.date, hy.province, hy.signer) == ("56/KH-UBND", "12/3/2025", "Hưng Yên", "Nguyễn Lê Huy")
    cm = extract_metadata(plans["camau-kh64-2023-kinh-te-tuan-hoan"].doc)  # number only in the appendix caption
    assert (cm.number, cm.date, cm.province) == ("64/KH-UBND", "13/3/2023", "Cà Mau")
    bt = extract_metadata(plans["bentre-kh-kinh-te-tuan-hoan"].doc)
    assert (bt.number, bt.date, bt.province) == (UNKNOWN, UNKNOWN, "Bến Tre")
    assert "687/QĐ-TTg" in bt.implements


def test_citation_titles(plans):
    assert (
        plans["camau-kh64-2023-kinh-te-tuan-hoan"].meta.citation_title()
        == "Kế hoạch số 64/KH-UBND ngày 13/3/2023 của UBND tỉnh Cà Mau"
    )
    assert (
        plans["kontum-cv-2022-kinh-te-tuan-hoan"].meta.citation_title()
        == "Công văn của UBND tỉnh Kon Tum năm 2022 (không rõ số hiệu, ngày ban hành)"
    )


def test_new_plan_without_sidecar_gets_a_title():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nSố: 12/KH-UBND\nĐồng Tháp, ngày 05 tháng 01 năm 2026\nKẾ HOẠCH\n"
        "Phát triển kinh tế tuần hoàn\nI. MỤC TIÊU\nĐạt 50%.\n"
    )
    meta = plan_metadata(normalize("dongthap-kh12", text), {})
    assert meta.citation_title() == "Kế hoạch số 12/KH-UBND ngày 5/1/2026 của UBND tỉnh Đồng Tháp"
    override = plan_metadata(normalize("dongthap-kh12", text), {"dongthap-kh12": {"number": "13/KH-UBND"}})
    assert override.number == "13/KH-UBND" and override.date == "5/1/2026"

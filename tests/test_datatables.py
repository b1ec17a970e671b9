"""Data tables (a decision's project list, a plan's target table) read from the real development documents: rows
under their header's columns, a two-level header named leaf by leaf, and each looked-up cell quoted from the
index's copy of the plan verbatim (the copy drops lone figures and joins a row's lines). Nothing is mocked."""

from __future__ import annotations

import pytest
from conftest import ROOT

from assistant.datatables import _located, data_rows
from index.parse import parse_plan
from index.text import collapse_ws, nfc

DEV = ROOT.parent / "shared" / "corpus-dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="shared/corpus-dev is not beside the checkout")


def _plan(doc_id: str) -> tuple[str, str]:
    path = DEV / f"{doc_id}.txt"
    return nfc(path.read_text(encoding="utf-8")), parse_plan(path).doc.text


def _row(rows, name: str, context: str = ""):
    found = [r for r in rows if r.name == name and context in r.context]
    assert found, f"no row {name!r} ({context}) among {[r.name for r in rows][:20]}"
    return found[0]


def _quoted(raw: str, text: str, row, column: str) -> str:
    col = row.columns.index(column)
    spans = _located(text, row, col)
    assert spans, f"{row.name}: not found in the index's copy"
    source = collapse_ws(raw)
    for x, y in spans:
        assert collapse_ws(text[x:y]) in source, "a quote must be a verbatim span of the source"
    return row.cells[col][0]


def test_project_list_rows_and_their_time_column():
    raw, text = _plan("qd2634-ttg-2025-du-an-nang-luong")
    rows = data_rows("qd2634", raw)
    row = _row(rows, "NMNĐ Long Phú 1")
    assert row.columns[:2] == ("TT", "Dự án") and "Dự kiến thời gian vận hành" in row.columns
    assert _quoted(raw, text, row, "Dự kiến thời gian vận hành") == "2027"
    # the capacity '200' stands alone on its line and is not in the index's copy: the quote goes around it
    trian = _row(rows, "NMTĐ Trị An mở rộng (MR)")
    assert _quoted(raw, text, trian, "Dự kiến thời gian vận hành") == "2027"
    assert len(_located(text, trian, trian.columns.index("Dự kiến thời gian vận hành"))) == 2
    bac_lieu = _row(rows, "NMNĐ LNG Bạc Liêu")
    assert _quoted(raw, text, bac_lieu, "Công suất (MW)") == "3.200"
    assert _quoted(raw, text, _row(rows, "NMNĐ LNG Thái Bình"), "Địa điểm") == "Hưng Yên"
    # a name wrapped before its number ('… - Giai đoạn' / '1') is one cell
    assert _row(rows, "Kho LNG Bắc Trung Bộ (Kho LNG Vũng Áng) - Giai đoạn 1")


def test_target_table_sub_rows_read_with_their_group():
    raw, text = _plan("sonla-qd2954-2025-xuat-khau")
    rows = data_rows("sonla", raw)
    coffee = _row(rows, "Diện tích", "Cà Phê")
    tea = _row(rows, "Diện tích", "Chè")
    assert "Cà Phê" not in tea.context, "a numbered group row ends the one before it"
    assert "GIAI ĐOẠN 2026 - 2030" not in coffee.columns, "a spanning header cell is not a column"
    assert "ĐỊNH HƯỚNG PHÁT TRIỂN VÙNG NGUYÊN LIỆU" in tea.title, "group rows do not replace the table's title"
    assert _quoted(raw, text, coffee, "Năm 2030") == "30.000"


def test_two_level_header_named_leaf_by_leaf():
    raw, text = _plan("sonla-qd2954-2025-xuat-khau")
    row = _row(data_rows("sonla", raw), "Cà phê", "Mặt hàng nông sản")
    column = "Giá trị tham gia xuất khẩu (Nghìn USD) Kế hoạch 2026"
    assert column in row.columns
    assert _quoted(raw, text, row, column) == "104.360"
    assert _quoted(raw, text, row, "Lượng (Tấn) Kế hoạch 2026") == "34.500"


def test_wrapped_cells_and_a_last_row_beside_the_next_tables_title():
    raw, text = _plan("qd2634-ttg-2025-du-an-nang-luong")
    rows = data_rows("qd2634", raw)
    # a note cut at a hyphen ('… 270/QĐ-' / 'TTg …') is one cell: the row keeps its columns
    nghi_son = _row(rows, "NMNĐ LNG Nghi Sơn")
    assert _quoted(raw, text, nghi_son, "Dự kiến thời gian vận hành") == "Trước 2030"
    # the table's last row shares its block with the next table's title and header
    ninh_thuan = _row(rows, "NMĐ Hạt nhân Ninh Thuận 2")
    assert ninh_thuan.title.startswith("1. Các dự án nhà máy nhiệt điện")
    assert _row(rows, "NMTĐ Trị An mở rộng (MR)").title == "2. Các dự án nhà máy thủy điện (NMTĐ)"
    # a name cut inside its parenthesis, a figure after its label, under its lettered group
    son_my = _row(rows, "Dự án Trung tâm điện lực Sơn Mỹ (NMNĐ BOT Sơn Mỹ I, BOT Sơn Mỹ II)")
    assert son_my.cells[2][0] == "Tổng công suất: 4.500 MW"
    assert son_my.context.startswith("Chuỗi dự án khí - điện LNG Sơn Mỹ")


def test_a_phase_numbered_in_roman_is_named_in_digits_and_as_written():
    from assistant.datatables import _header_cover, _named

    assert _named("nmnd lng hai phong giai doan 2 cong suat bao nhieu", "NMNĐ LNG Hải Phòng giai đoạn II")
    assert not _named("nmnd lng hai phong giai doan 2 cong suat bao nhieu", "NMNĐ LNG Hải Phòng giai đoạn I")
    assert _named("lng quang trach ii du kien van hanh nam nao", "NMNĐ LNG Quảng Trạch II")
    assert not _named("lng quang trach iii du kien van hanh nam nao", "NMNĐ LNG Quảng Trạch II")
    # a long question names its column in a few words
    question = "du an xuat khau dien gio sang singapore va malaysia co cong suat du kien la bao nhieu"
    assert _header_cover("Công suất (MW)", question) == 1.0
    assert _header_cover("Dự kiến thời gian vận hành", question) < 0.6

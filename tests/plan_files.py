"""Plan files written for the tests (content invented for the test, not from the corpus): a Word file with a
real task table, a PDF with a text layer, and the bad inputs officials run into."""

from __future__ import annotations

from pathlib import Path

DOCX_ROWS = [
    (
        "1",
        "Xây dựng mô hình nuôi cá tra tuần hoàn nước khép kín",
        "Sở Nông nghiệp và Môi trường",
        "Sở Khoa học và Công nghệ; UBND các huyện",
        "2026 - 2028",
    ),
    ("2", "Tái chế vỏ trấu làm chất đốt cho lò sấy lúa", "Sở Công Thương", "Hiệp hội Doanh nghiệp tỉnh", "2026 - 2027"),
]
PDF_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH LONG AN",
    "Số: {number}/KH-UBND",
    "Long An, ngày 03 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Giảm rác thải nhựa tại các chợ truyền thống",
    "I. MỤC TIÊU",
    "Đến năm 2027, 90% chợ truyền thống không sử dụng túi ni lông khó phân hủy.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Sở Công Thương",
    "Chủ trì tổ chức thí điểm đổi túi ni lông lấy túi vải tại 12 chợ truyền thống trong năm 2026.",
]


def write_docx(path: Path, number: str = "15", empty: bool = False) -> Path:
    import docx

    d = docx.Document()
    if not empty:
        for line in (
            "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
            f"Số: {number}/KH-UBND",
            "Đồng Tháp, ngày 10 tháng 02 năm 2026",
            "KẾ HOẠCH",
            "Phát triển kinh tế tuần hoàn trong nuôi trồng thủy sản",
            "I. TỔ CHỨC THỰC HIỆN",
            "1. Sở Nông nghiệp và Môi trường",
            "Chủ trì hướng dẫn các hợp tác xã xử lý bùn ao nuôi cá tra thành phân bón hữu cơ.",
            "PHỤ LỤC",
        ):
            d.add_paragraph(line)
        t = d.add_table(rows=1, cols=5)
        for c, h in zip(
            t.rows[0].cells, ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
        ):
            c.text = h
        for row in DOCX_ROWS:
            for c, v in zip(t.add_row().cells, row):
                c.text = v
    d.save(path)
    return path


def _font() -> str:
    import matplotlib

    return str(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf")


def write_pdf(path: Path, number: str = "27", scanned: bool = False) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if scanned:  # a page with a drawing only: no text layer, like a scan
        pdf.rect(20, 20, 120, 160, style="F")
    else:
        pdf.add_font("dv", fname=_font())
        pdf.set_font("dv", size=11)
        for line in PDF_LINES:
            pdf.multi_cell(0, 8, line.format(number=number), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_encrypted_pdf(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt("mat-khau-rieng")
    with path.open("wb") as f:
        writer.write(f)
    return path

"""Readers for the plans officials receive: .txt, .docx (python-docx) and .pdf with a text layer (pypdf).

The type is detected from the content, not the file name. Word tables become task rows straight from their
cells; PDF text goes through the same unwrapping as the text plans. Every failure is one clear message
naming the file.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from .errors import PlanLoadError
from .load import Block, NormalizedDoc, RawTable, normalize, read_text_file
from .text import collapse_ws, nfc

log = logging.getLogger(__name__)
SUFFIXES = (".txt", ".docx", ".pdf")
MIN_TEXT_CHARS = 40


def detect_kind(data: bytes) -> str:
    """'pdf', 'docx', 'zip' (another archive or Office format), or 'text'."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    return "text"


def load_document(path: Path, doc_id: str | None = None) -> NormalizedDoc:
    """Read any supported plan file into a NormalizedDoc; the doc id defaults to the file name stem."""
    doc_id = doc_id or path.stem
    if not path.exists():
        raise PlanLoadError("không tìm thấy tệp", str(path), "kiểm tra lại đường dẫn")
    data = path.read_bytes()
    if not data.strip():
        raise PlanLoadError("tệp rỗng, không có nội dung", str(path), "chọn tệp có nội dung")
    kind = detect_kind(data)
    if kind == "pdf":
        doc = normalize(doc_id, _pdf_text(path, data), str(path))
    elif kind == "docx":
        doc = _docx_doc(path, doc_id, data)
    elif kind == "zip":
        raise PlanLoadError(
            "tệp nén hoặc định dạng Office không phải Word (.docx)",
            str(path),
            "lưu văn bản dưới dạng .docx, .pdf hoặc .txt",
        )
    else:
        doc = normalize(doc_id, read_text_file(path), str(path))
    if sum(len(b.text) for b in doc.blocks) < MIN_TEXT_CHARS:
        raise PlanLoadError("văn bản không có nội dung chữ", str(path), "kiểm tra lại tệp")
    return doc


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanLoadError("tệp PDF có mật khẩu", str(path), "gỡ mật khẩu rồi thêm lại")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanLoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PlanLoadError(f"tệp PDF bị hỏng ({type(exc).__name__})", str(path), "xuất lại tệp PDF") from None
    text = "\n".join(pages)
    if len(collapse_ws(text)) < MIN_TEXT_CHARS:
        raise PlanLoadError(
            "PDF không có lớp chữ (có thể là bản scan)",
            str(path),
            "dùng bản PDF có chữ, hoặc nhận dạng chữ (OCR) trước khi thêm",
        )
    return text


def _docx_doc(path: Path, doc_id: str, data: bytes) -> NormalizedDoc:
    """Paragraphs become blocks (body until 'PHỤ LỤC'); each table cell becomes an appendix block."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise PlanLoadError(
            f"tệp Word bị hỏng ({type(exc).__name__})", str(path), "mở và lưu lại tệp bằng Word"
        ) from None
    parts: list[tuple[str, str]] = []  # (text, region)
    tables: list[tuple[list[tuple[int, ...]], list[tuple[int, ...]]]] = []
    region = "body"
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = collapse_ws(nfc(Paragraph(child, document).text))
            if text:
                if text.upper().startswith("PHỤ LỤC"):
                    region = "appendix"
                parts.append((text, region))
        elif tag == "tbl":
            tables.append(_docx_table(Table(child, document), parts, region))
    blocks, pos = [], 0
    for text, reg in parts:
        blocks.append(Block(text, pos, pos + len(text), reg))
        pos += len(text) + 1
    raw = tuple(RawTable(tuple(rows), tuple(spans)) for rows, spans in tables)
    return NormalizedDoc(doc_id, str(path), "\n".join(t for t, _ in parts), tuple(blocks), raw)


def _docx_table(
    table, parts: list[tuple[str, str]], region: str
) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    """Every cell of a Word table becomes one block (a merged cell once, where it starts); per row the block
    index of each cell (-1 for the rows a vertically merged cell continues into) and its grid span."""
    rows, spans = [], []
    placed: dict[int, object] = {}  # keeps the cell elements alive, so their ids stay theirs
    for row in table.rows:
        idx: list[int] = []
        width: list[int] = []
        last = None
        for cell in row.cells:
            key = id(cell._tc)
            if key == last:
                width[-1] += 1  # a horizontally merged cell repeats across the grid
                continue
            last = key
            width.append(1)
            if key in placed:
                idx.append(-1)  # continues a cell merged down from the row above
                continue
            placed[key] = cell._tc
            text = collapse_ws(nfc(cell.text))
            parts.append((text, region))
            idx.append(len(parts) - 1)
        rows.append(tuple(idx))
        spans.append(tuple(width))
    return rows, spans

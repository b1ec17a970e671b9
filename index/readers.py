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
        raise PlanLoadError("tệp nén hoặc định dạng Office không phải Word (.docx)", str(path),
                            "lưu văn bản dưới dạng .docx, .pdf hoặc .txt")
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
        raise PlanLoadError("PDF không có lớp chữ (có thể là bản scan)", str(path),
                            "dùng bản PDF có chữ, hoặc nhận dạng chữ (OCR) trước khi thêm")
    return text


def _docx_doc(path: Path, doc_id: str, data: bytes) -> NormalizedDoc:
    """Paragraphs become blocks (body until 'PHỤ LỤC'); each table cell becomes an appendix block."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise PlanLoadError(f"tệp Word bị hỏng ({type(exc).__name__})", str(path), "mở và lưu lại tệp bằng Word") from None
    parts: list[tuple[str, str]] = []  # (text, region)
    tables: list[tuple[list[str], list[list[int]]]] = []
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
            table = Table(child, document)
            header: list[str] = []
            rows: list[list[int]] = []
            for n, row in enumerate(table.rows):
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats: keep it once
                        continue
                    seen.add(id(cell._tc))
                    cells.append(collapse_ws(nfc(cell.text)))
                if n == 0:
                    header = cells
                    continue
                idx = []
                for text in cells:
                    parts.append((text or "", "appendix"))
                    idx.append(len(parts) - 1)
                rows.append(idx)
            tables.append((header, rows))
    blocks, pos = [], 0
    for text, reg in parts:
        blocks.append(Block(text, pos, pos + len(text), reg))
        pos += len(text) + 1
    raw = tuple(RawTable(tuple(h), tuple(tuple(r) for r in rows)) for h, rows in tables)
    return NormalizedDoc(doc_id, str(path), "\n".join(t for t, _ in parts), tuple(blocks), raw)

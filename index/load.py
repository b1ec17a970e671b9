"""Load a plan file and normalize it into blocks (paragraphs of the body, lines of the appendix tables).

PDF-to-text output wraps lines mid-phrase, puts blank lines between wrapped lines and prints page numbers.
The body is unwrapped back into paragraphs; appendix tables keep one block per line (one cell or part of
a cell), because the table parser needs the cell boundaries. The normalized text is the blocks joined by
newlines, and every block keeps its character span in it, so a quote is always a span of that text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanLoadError
from .provinces import MERGED_INTO
from .text import collapse_ws, nfc

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")

_MARKER = re.compile(
    r"^(?:[-–+•*]\s|\(\d+\)|\[\d+\]|[IVX]{1,5}\.\s|\d{1,2}\.\s|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s|[a-zđ]\)\s|"
    r"PHỤ LỤC\b|Nơi nhận|TM\.|KT\.|Kính gửi)"
)
_HEADING = re.compile(r"^(?:[IVX]{1,5}\.\s|\d{1,2}\.\s|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s|[a-zđ]\)\s)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_SIGNATURE = re.compile(r"^(?:TM\.|KT\.|(?:PHÓ\s+)?CHỦ TỊCH\b)")
_APPENDIX = re.compile(r"^PHỤ LỤC\b")
_ROW_START = re.compile(r"^\d{1,3}(?:\s|$)")
_SENTENCE_END = (".", ";", ":", "!", "?", "…")
_WRAP_MIN_CHARS = 55
_OPEN_END = re.compile(r"\s(?:và|của|với|các|cho|về|tại|theo|để|trong|những|đối với|là|được)$|,$")
_MARKER_ONLY = re.compile(r"^(?:[IVX]{1,5}\.|\d{1,2}(?:\.\d{1,2}){0,3}\.?|[a-zđ]\))$")
# Words a heading's name never ends on, so a heading ending there wraps: the words that open an agency's name
# ("1. Ban" wraps before "Quản lý …"), and 'Ngoại' (needs 'vụ/giao') and 'Giám đốc' (needs whose: "6. Sở Ngoại" /
# "Vụ" in Sơn La 2954, "8. Giám đốc" / "Sở, Thủ trưởng …" in Cần Thơ CT 09), and 'UBND' / 'HĐND', which need their
# level ("8. UBND" / "các xã, phường:" in Hà Nội's letter, "a) Nhiệm vụ: Tham mưu UBND" / "Thành phố …" in KH 308).
_UNFINISHED_NAME = frozenset(
    "Ban Sở Bộ Ủy Uỷ Văn Trung Ngân Liên Đài Cục Công Hội Viện Kho Báo Chi Tổng Giao Ngoại đốc UBND HĐND".split()
)

# A province's name cut after its first word ('d) Ủy ban nhân dân thành phố Hà' / 'Nội, thành phố Hồ Chí Minh …' in NQ
# 380): no heading ends inside a place name, whatever the document
_PLACE_NAMES = tuple(n for n in MERGED_INTO if " " in n)


def _cut_place(last_line: str, line: str) -> bool:
    words = line.split()
    if not words:
        return False
    pair = f"{last_line.rsplit(' ', 1)[-1]} {words[0].rstrip(',;:.')}"
    return any(n == pair or n.startswith(pair + " ") for n in _PLACE_NAMES)


@dataclass(frozen=True)
class RawLine:
    """One non-blank source line: stripped text, and whether the PDF left a trailing space (a wrap hint)."""

    text: str
    trailing_space: bool
    leading_space: bool
    gap_before: bool = False  # a blank line came before it (a row or cell boundary in crawled tables)


@dataclass(frozen=True)
class Block:
    """A paragraph (body) or a line (appendix) of the normalized text."""

    text: str
    start: int
    end: int
    region: str  # "body" | "appendix"
    trailing_space: bool = False
    leading_space: bool = False
    gap_before: bool = False


@dataclass(frozen=True)
class RawTable:
    """A real table (from a Word file): for each row the block index of each cell (header rows included)
    and how many grid columns each cell spans (merged cells appear once)."""

    rows: tuple[tuple[int, ...], ...]
    spans: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class NormalizedDoc:
    """A plan as normalized text plus its blocks; `text[b.start:b.end] == b.text` for every block."""

    doc_id: str
    source: str
    text: str
    blocks: tuple[Block, ...]
    tables: tuple[RawTable, ...] = ()

    def span_text(self, start: int, end: int) -> str:
        return collapse_ws(self.text[start:end])

    def blocks_within(self, start: int, end: int) -> tuple[int, ...]:
        """Indices of the blocks that lie wholly inside text[start:end] (a row's, an item's blocks)."""
        return tuple(i for i, b in enumerate(self.blocks) if b.start >= start and b.end <= end)


def read_text_file(path: Path) -> str:
    """Read a UTF-8 plan file; raise PlanLoadError naming the file for anything that is not usable text."""
    if not path.exists():
        raise PlanLoadError("không tìm thấy tệp", str(path), "kiểm tra lại đường dẫn")
    data = path.read_bytes()
    if not data.strip():
        raise PlanLoadError("tệp rỗng, không có nội dung", str(path), "chọn tệp văn bản có nội dung")
    if b"\x00" in data[:4096]:
        raise PlanLoadError(
            "tệp nhị phân, không phải văn bản", str(path), "lưu kế hoạch dưới dạng văn bản UTF-8 (.txt)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanLoadError(
            f"tệp không phải mã UTF-8 (byte lỗi ở vị trí {exc.start})",
            str(path),
            "chuyển tệp sang mã UTF-8 rồi thêm lại",
        ) from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(10, len(text) // 100):
        raise PlanLoadError(
            "tệp chứa nhiều ký tự điều khiển, không phải văn bản",
            str(path),
            "lưu kế hoạch dưới dạng văn bản UTF-8 (.txt)",
        )
    return text


def raw_lines(text: str) -> list[RawLine]:
    """Non-blank lines of the NFC text, with their wrap hints."""
    out = []
    gap = False
    for line in nfc(text).replace("\f", "\n").splitlines():
        stripped = collapse_ws(line)
        if stripped:
            out.append(RawLine(stripped, line[-1:].isspace(), line[:1].isspace(), gap))
        gap = not stripped
    return out


def find_appendix_start(lines: list[RawLine]) -> int | None:
    """Index of the first appendix line: the first 'PHỤ LỤC', or earlier when table rows are printed
    between the signature block and the appendix title (as in the Cà Mau 2023 plan)."""
    first = next((i for i, ln in enumerate(lines) if _APPENDIX.match(ln.text)), None)
    if first is None:
        return None
    sig = max((i for i in range(first) if _SIGNATURE.match(lines[i].text)), default=None)
    if sig is None:
        return first
    i = sig + 1
    while i < first and (_SIGNATURE.match(lines[i].text) or lines[i].text.isupper()):
        i += 1
    # lines[i] is the signer's name; rows may follow it before the appendix title
    if i + 1 < first and _ROW_START.match(lines[i + 1].text):
        return i + 1
    return first


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _continues(paragraph: str, last_line: str, line: str) -> bool:
    """Whether `line` is the wrapped continuation of the paragraph ending with `last_line`."""
    if _MARKER_ONLY.match(paragraph):
        return True  # "1." on a line of its own, its heading on the next
    if _MARKER_ONLY.match(line) and last_line.endswith(_SENTENCE_END):
        return False  # "… tiếp theo." / "2." / "Rà soát …": the next item's marker, not the sentence's last word
    if (
        paragraph == last_line
        and _HEADING.match(paragraph)
        and not _MARKER.match(line)
        and (
            last_line.rsplit(" ", 1)[-1] in _UNFINISHED_NAME
            or _OPEN_END.search(last_line)
            or _cut_place(last_line, line)
        )
    ):
        return True  # "9. Ban" / "Chỉ huy …", "a) Phối hợp với Sở Giáo dục và" / "Đào tạo …": wrapped mid-phrase
    if (
        _is_all_caps(line)
        and _is_all_caps(last_line)
        and paragraph == last_line
        and _HEADING.match(paragraph)
        and not _MARKER.match(line)
    ):
        return True  # a numbered heading in capitals wrapped over two lines ("IV. NHIỆM" / "VỤ CỤ THỂ")
    if _MARKER.match(line) or _is_all_caps(line) or _is_all_caps(last_line):
        return False
    if not line[0].isupper():
        return True  # lowercase, digit or punctuation: a sentence does not start like this
    if _HEADING.match(paragraph) and paragraph == last_line:
        return False  # a one-line numbered heading followed by its body
    return len(last_line) >= _WRAP_MIN_CHARS and not last_line.endswith(_SENTENCE_END)


def unwrap(lines: list[RawLine]) -> list[str]:
    """Join PDF-wrapped body lines back into paragraphs; drop page-number lines."""
    paragraphs: list[str] = []
    last_line = ""
    for ln in lines:
        if _PAGE_NUMBER.match(ln.text):
            continue
        if paragraphs and _continues(paragraphs[-1], last_line, ln.text):
            paragraphs[-1] = f"{paragraphs[-1]} {ln.text}"
        else:
            paragraphs.append(ln.text)
        last_line = ln.text
    return paragraphs


def normalize(doc_id: str, text: str, source: str = "") -> NormalizedDoc:
    """NFC, unwrap the body into paragraphs, keep appendix lines, and lay the blocks out as one text."""
    lines = raw_lines(text)
    cut = find_appendix_start(lines)
    body = lines if cut is None else lines[:cut]
    appendix = [] if cut is None else lines[cut:]
    parts: list[tuple] = [(p, "body", False, False) for p in unwrap(body)]
    parts += [(ln.text, "appendix", ln.trailing_space, ln.leading_space, ln.gap_before) for ln in appendix]
    blocks, pos = [], 0
    for content, region, trailing, leading, *gap in parts:
        blocks.append(Block(content, pos, pos + len(content), region, trailing, leading, bool(gap and gap[0])))
        pos += len(content) + 1
    return NormalizedDoc(doc_id, source, "\n".join(p[0] for p in parts), tuple(blocks))


def load_plan(path: Path) -> NormalizedDoc:
    """Read and normalize one plan file (.txt, .docx, .pdf; the type is read from the content)."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise PlanLoadError(
            f"định dạng '{path.suffix}' chưa được hỗ trợ",
            str(path),
            "dùng tệp .txt (UTF-8), .docx hoặc .pdf có lớp chữ",
        )
    from .readers import load_document

    doc = load_document(path)
    log.debug("loaded %s: %d blocks", doc.doc_id, len(doc.blocks))
    return doc

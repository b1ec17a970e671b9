"""Plan metadata: extracted from the text ("Số: 56/KH-UBND", "Hưng Yên, ngày 12 tháng 03 năm 2025",
"(Kèm theo Kế hoạch số: 64/KH-UBND ngày 13 tháng 3 năm 2023 ...)"), overridden by corpus/plans.toml.

Facts the text does not state stay UNKNOWN; nothing is invented.
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import PlanLoadError
from .load import NormalizedDoc
from .text import fold

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_NUMBER = re.compile(r"\bSố\s*:\s*(\d+\s*/\s*[A-ZĐ][A-ZĐ\-]*)")
_ATTACHED = re.compile(
    r"Kèm theo (Kế hoạch|Công văn|Quyết định) số\s*:?\s*(\d+/[A-ZĐ][A-ZĐ\-]*)\s*"
    r"ngày\s+(\d{1,2})\s*(?:tháng\s*|/)(\d{1,2})\s*(?:năm\s*|/)(\d{4})"
)
_PLACE_DATE = re.compile(r"^([A-ZĐÀ-Ỹ][^\d,]{1,30}),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_IMPLEMENTS = re.compile(r"Quyết định số\s+(\d+/QĐ-TTg)\s+ngày\s+(\d{1,2})(?:\s+tháng\s+|/)(\d{1,2})(?:\s+năm\s+|/)(\d{4})")
_KINDS = (("KẾ HOẠCH", "Kế hoạch"), ("Kính gửi", "Công văn"), ("QUYẾT ĐỊNH", "Quyết định"))
_SIGNER_TITLE = re.compile(r"^(?:PHÓ\s+)?CHỦ TỊCH\b")
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")


@dataclass(frozen=True)
class PlanMeta:
    """What a citation needs to name a plan. Every field is a string; UNKNOWN where the text is silent."""

    doc_id: str
    kind: str = UNKNOWN
    number: str = UNKNOWN
    date: str = UNKNOWN  # d/m/yyyy as the text writes it
    year: str = UNKNOWN
    issuer: str = UNKNOWN
    province: str = UNKNOWN
    title: str = UNKNOWN
    implements: str = UNKNOWN
    signer: str = UNKNOWN
    note: str = ""

    def citation_title(self) -> str:
        """'Kế hoạch số 64/KH-UBND ngày 13/3/2023 của UBND tỉnh Cà Mau' (with 'không rõ' where unknown)."""
        kind = self.kind if self.kind != UNKNOWN else "Văn bản"
        parts = [kind]
        if self.number != UNKNOWN:
            parts.append(f"số {self.number}")
        if self.date != UNKNOWN:
            parts.append(f"ngày {self.date}")
        if self.issuer != UNKNOWN:
            parts.append(f"của {self.issuer}")
        text = " ".join(parts)
        if self.number == UNKNOWN and self.date == UNKNOWN:
            year = f" năm {self.year}" if self.year != UNKNOWN else ""
            text += f"{year} (không rõ số hiệu, ngày ban hành)"
        return text


def _date(d: str, m: str, y: str) -> str:
    return f"{int(d)}/{int(m)}/{y}"


def extract_metadata(doc: NormalizedDoc) -> PlanMeta:
    """Best-effort metadata from the plan's own text."""
    texts = [b.text for b in doc.blocks]
    head = texts[:12]
    found: dict[str, str] = {}
    for t in head:
        if (m := _NUMBER.search(t)) and "number" not in found:
            found["number"] = re.sub(r"\s+", "", m.group(1))
        if (m := _PLACE_DATE.match(t)) and "date" not in found:
            found["date"] = _date(m.group(2), m.group(3), m.group(4))
            found["place"] = m.group(1).strip()
    for t in texts:
        m = _ATTACHED.search(t)
        if m and "number" not in found:
            found.update(kind=m.group(1), number=m.group(2), date=_date(*m.group(3, 4, 5)))
    for marker, kind in _KINDS:
        if any(t.startswith(marker) for t in head):
            found.setdefault("kind", kind)
            break
    province = _province(found.get("place", ""), doc.text)
    meta = PlanMeta(doc.doc_id, kind=found.get("kind", UNKNOWN), number=found.get("number", UNKNOWN),
                    date=found.get("date", UNKNOWN), province=province)
    if meta.date != UNKNOWN:
        meta = replace(meta, year=meta.date.rsplit("/", 1)[-1])
    if province != UNKNOWN:
        meta = replace(meta, issuer=f"UBND tỉnh {province}")
    return replace(meta, title=_title(texts, meta.kind), implements=_implements(texts), signer=_signer(texts))


def _province(place: str, text: str) -> str:
    if place in PROVINCES:
        return place
    counts = {p: len(re.findall(r"(?:tỉnh|Tỉnh|TỈNH)\s+" + re.escape(p) + r"\b", text)) for p in PROVINCES}
    best = max(counts, key=lambda p: counts[p])
    return best if counts[best] else UNKNOWN


def _title(texts: list[str], kind: str) -> str:
    for i, t in enumerate(texts[:12]):
        if kind != UNKNOWN and fold(t).startswith(fold(kind)) and i + 1 < len(texts):
            return re.sub(r"\s+", " ", f"{t} {texts[i + 1]}")
    return UNKNOWN


def _implements(texts: list[str]) -> str:
    for t in texts[:8]:
        if m := _IMPLEMENTS.search(t):
            return f"Quyết định số {m.group(1)} ngày {_date(*m.group(2, 3, 4))} của Thủ tướng Chính phủ"
    return UNKNOWN


def _signer(texts: list[str]) -> str:
    for i, t in enumerate(texts):
        if _SIGNER_TITLE.match(t):
            for nxt in texts[i + 1:i + 3]:
                if _NAME.match(nxt):
                    return nxt
    return UNKNOWN


def load_sidecar(path: Path) -> dict[str, dict[str, str]]:
    """Read corpus/plans.toml: {doc_id: {field: value}}; a missing file is an empty sidecar."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanLoadError(f"tệp metadata không hợp lệ ({exc})", str(path), "sửa cú pháp TOML của tệp") from None
    plans = data.get("plans", {})
    allowed = {f.name for f in fields(PlanMeta)} - {"doc_id"}
    for doc_id, entry in plans.items():
        unknown = set(entry) - allowed
        if unknown:
            raise PlanLoadError(f"trường không hợp lệ {sorted(unknown)} cho '{doc_id}'", str(path),
                                f"chỉ dùng các trường: {', '.join(sorted(allowed))}")
    return {k: {f: str(v) for f, v in e.items()} for k, e in plans.items()}


def plan_metadata(doc: NormalizedDoc, sidecar: dict[str, dict[str, str]]) -> PlanMeta:
    """Extracted metadata with the sidecar's entries taking precedence."""
    meta = extract_metadata(doc)
    override = sidecar.get(doc.doc_id, {})
    return replace(meta, **override) if override else meta

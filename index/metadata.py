"""Plan metadata: extracted from the text ("Số: 56/KH-UBND", "Hưng Yên, ngày 12 tháng 03 năm 2025",
"(Kèm theo Kế hoạch số: 64/KH-UBND ngày 13 tháng 3 năm 2023 ...)"), overridden by corpus/plans.toml.

Facts the text does not state stay UNKNOWN; nothing is invented.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .docheader import read_header
from .errors import PlanLoadError
from .load import NormalizedDoc
from .provinces import PROVINCES as PROVINCE_NAMES

log = logging.getLogger(__name__)

UNKNOWN = "unknown"
PROVINCES = PROVINCE_NAMES + ("Thành phố Hồ Chí Minh",)


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
    also: str = ""  # other kinds it holds: a Quyết định that issues a Kế hoạch
    signer_title: str = UNKNOWN  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"
    place: str = UNKNOWN  # the place line ("Hà Nội, ngày …"), not the issuer's province
    replaces: str = UNKNOWN
    bases: str = ""  # the "Căn cứ …" lines, joined by " | "

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


def extract_metadata(doc: NormalizedDoc) -> PlanMeta:
    """Metadata from the document's own text (header block, title, signature, appendix captions)."""
    h = read_header(doc)
    year = h.date.rsplit("/", 1)[-1] if h.date else (h.year or UNKNOWN)
    return PlanMeta(
        doc.doc_id,
        kind=h.kind or UNKNOWN,
        number=h.number or UNKNOWN,
        date=h.date or UNKNOWN,
        year=year,
        issuer=h.issuer or UNKNOWN,
        province=h.province or UNKNOWN,
        title=h.title or UNKNOWN,
        implements=h.implements or UNKNOWN,
        signer=h.signer or UNKNOWN,
        also=h.also,
        signer_title=h.signer_title or UNKNOWN,
        place=h.place or UNKNOWN,
        replaces=h.replaces or UNKNOWN,
        bases=" | ".join(h.bases),
    )


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
            raise PlanLoadError(
                f"trường không hợp lệ {sorted(unknown)} cho '{doc_id}'",
                str(path),
                f"chỉ dùng các trường: {', '.join(sorted(allowed))}",
            )
    return {k: {f: str(v) for f, v in e.items()} for k, e in plans.items()}


def plan_metadata(doc: NormalizedDoc, sidecar: dict[str, dict[str, str]]) -> PlanMeta:
    """Extracted metadata with the sidecar's entries taking precedence."""
    meta = extract_metadata(doc)
    override = sidecar.get(doc.doc_id, {})
    return replace(meta, **override) if override else meta

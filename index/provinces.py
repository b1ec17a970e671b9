"""Vietnam's provinces: the 63 before the 2025 reorganisation and the 34 after it, spelled every common way.

Names are compared on a key that ignores case, diacritics, old/new tone placement (Hoá/Hóa), Đắk/Đăk/Đắc,
dashes and spaces ("Bà Rịa – Vũng Tàu" = "Bà Rịa-Vũng Tàu"), and the "Thành phố"/"TP." prefix.
"""

from __future__ import annotations

import functools
import re

from .text import fold, normalize_tones

# Province -> the province it became part of on 1 July 2025 (Resolution 202/2025/QH15); the 34 current ones
# map to themselves.
MERGED_INTO: dict[str, str] = {
    "Hà Nội": "Hà Nội",
    "Huế": "Huế",
    "Lai Châu": "Lai Châu",
    "Điện Biên": "Điện Biên",
    "Sơn La": "Sơn La",
    "Lạng Sơn": "Lạng Sơn",
    "Quảng Ninh": "Quảng Ninh",
    "Thanh Hóa": "Thanh Hóa",
    "Nghệ An": "Nghệ An",
    "Hà Tĩnh": "Hà Tĩnh",
    "Cao Bằng": "Cao Bằng",
    "Tuyên Quang": "Tuyên Quang",
    "Hà Giang": "Tuyên Quang",
    "Lào Cai": "Lào Cai",
    "Yên Bái": "Lào Cai",
    "Thái Nguyên": "Thái Nguyên",
    "Bắc Kạn": "Thái Nguyên",
    "Phú Thọ": "Phú Thọ",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Ninh": "Bắc Ninh",
    "Bắc Giang": "Bắc Ninh",
    "Hưng Yên": "Hưng Yên",
    "Thái Bình": "Hưng Yên",
    "Hải Phòng": "Hải Phòng",
    "Hải Dương": "Hải Phòng",
    "Ninh Bình": "Ninh Bình",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Trị": "Quảng Trị",
    "Quảng Bình": "Quảng Trị",
    "Đà Nẵng": "Đà Nẵng",
    "Quảng Nam": "Đà Nẵng",
    "Quảng Ngãi": "Quảng Ngãi",
    "Kon Tum": "Quảng Ngãi",
    "Gia Lai": "Gia Lai",
    "Bình Định": "Gia Lai",
    "Khánh Hòa": "Khánh Hòa",
    "Ninh Thuận": "Khánh Hòa",
    "Lâm Đồng": "Lâm Đồng",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Đắk Lắk": "Đắk Lắk",
    "Phú Yên": "Đắk Lắk",
    "Đồng Nai": "Đồng Nai",
    "Bình Phước": "Đồng Nai",
    "Hồ Chí Minh": "Hồ Chí Minh",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Tây Ninh": "Tây Ninh",
    "Long An": "Tây Ninh",
    "Cần Thơ": "Cần Thơ",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Vĩnh Long": "Vĩnh Long",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Đồng Tháp": "Đồng Tháp",
    "Tiền Giang": "Đồng Tháp",
    "Cà Mau": "Cà Mau",
    "Bạc Liêu": "Cà Mau",
    "An Giang": "An Giang",
    "Kiên Giang": "An Giang",
    "Thừa Thiên Huế": "Huế",
}
CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})
# Other spellings people and documents use for a province (besides case, accents, tones and dashes).
ALIASES: dict[str, str] = {
    "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
    "TP.HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "BR-VT": "Bà Rịa - Vũng Tàu",
    "Thừa Thiên - Huế": "Thừa Thiên Huế",
    "Đắc Lắc": "Đắk Lắk",
    "Daklak": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đăk Nông": "Đắk Nông",
    "Đắc Nông": "Đắk Nông",
    "Kontum": "Kon Tum",
    "HCM": "Hồ Chí Minh",
}
PROVINCES: tuple[str, ...] = tuple(MERGED_INTO)


@functools.lru_cache(maxsize=4096)
def province_key(name: str) -> str:
    """Comparison key: folded, tones normalized, Đắk/Đăk/Đắc and dashes unified, 'tỉnh'/'thành phố' dropped."""
    key = fold(normalize_tones(name)).lower()
    key = re.sub(r"\b(?:tinh|thanh pho|tp\.?)\s+", "", key)
    key = re.sub(r"\bdac\b", "dak", key)
    key = re.sub(r"\blac\b", "lak", key)
    key = re.sub(r"[\s\-–—.]+", " ", key)
    return key.strip()


_BY_KEY: dict[str, str] = {province_key(p): p for p in PROVINCES}
_BY_KEY.update({province_key(a): p for a, p in ALIASES.items()})


def canonical_province(name: str) -> str | None:
    """The province a name denotes ('Thanh Hoá', 'Đăk Lăk', 'TP. Hồ Chí Minh' ...), or None."""
    return _BY_KEY.get(province_key(name))


def current_province(name: str) -> str | None:
    """The province, after the 2025 mergers, that a province of either period is part of today."""
    p = canonical_province(name)
    return MERGED_INTO.get(p) if p else None


def same_province(a: str, b: str) -> bool:
    """Two names of one place, counting a pre-2025 province as part of the province it merged into."""
    pa, pb = canonical_province(a), canonical_province(b)
    if not pa or not pb:
        return False
    return pa == pb or MERGED_INTO[pa] == pb or MERGED_INTO[pb] == pa


_SPELLING = re.compile(r"[A-Za-zÀ-ỹĐđ][\wÀ-ỹĐđ.\-–]*(?:\s+[\wÀ-ỹĐđ.\-–]+){0,3}")


def provinces_in(text: str) -> list[tuple[int, str]]:
    """(position, province) of every province name written in `text` after 'tỉnh'/'thành phố'/'TP.'."""
    out = []
    for m in re.finditer(r"(?:tỉnh|Tỉnh|TỈNH|[Tt]hành phố|THÀNH PHỐ|TP\.?)\s+(" + _SPELLING.pattern + ")", text):
        words = m.group(1).split()
        for n in range(min(4, len(words)), 0, -1):
            p = canonical_province(" ".join(words[:n]))
            if p:
                out.append((m.start(), p))
                break
    return out

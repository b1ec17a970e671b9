"""Chat shorthand that citizens type ('dn', 'nd', 'tg', 'đc', 'ko', 'vô', 'kh 56'), spelled out before analysis
so that role cues, topic terms and the lexical index all see the words the plans use.

Only whole words are replaced. Document codes stay untouched: 'KH' next to '-', '&' or '/' (KH-UBND, KH&ĐT) is
not 'kế hoạch'.
"""

from __future__ import annotations

import re

# shorthand -> spelled out; the shorthand is matched case-insensitively as a whole word
SHORTHAND: dict[str, str] = {
    "dn": "doanh nghiệp",
    "nd": "nội dung",
    "sp": "sản phẩm",
    "tg": "thời gian",
    "sx": "sản xuất",
    "td": "tiêu dùng",
    "ko": "không",
    "k": "không",
    "hok": "không",
    "hông": "không",
    "đc": "được",
    "dc": "được",
    "vs": "với",
    "j": "gì",
    "bn": "bao nhiêu",
    "mn": "mọi người",
    "mng": "mọi người",
    "ng": "người",
    "vô": "vào",
    "hs": "học sinh",
    "cq": "cơ quan",
    "đv": "đơn vị",
    "ql": "quản lý",
    "xl": "xử lý",
    "bvmt": "bảo vệ môi trường",
    "tnhh": "trách nhiệm hữu hạn",
    "nsnn": "ngân sách nhà nước",
    "ktxh": "kinh tế - xã hội",
    "kt-xh": "kinh tế - xã hội",
    # digital-government shorthand the plans write in full (questions on QĐ 2629, QĐ 2820, KH 597, KH 617, TB 624,
    # CV 6225, KH 308: 'cntt', 'tthc', 'dvc', 'csdl'; the plans: 'công nghệ thông tin' in 10 documents, never
    # 'CNTT'; 'cơ sở dữ liệu' in 14, 'CSDL' in 3). Not 'cđs': spelled out, its 'số' reads as 'Sở' before 'giao
    # thông' ('kh cđs giao thông' named Sở Giao thông vận tải)
    "cntt": "công nghệ thông tin",
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
    "csdl": "cơ sở dữ liệu",
    # 'khu cnc', 'nông nghiệp cnc': the plans write 'công nghệ cao' (Hà Nội KH 310, Đồng Tháp KH 552, Bến Tre)
    "cnc": "công nghệ cao",
    # school levels, as parents type them (TP.HCM QĐ 2853's 'lồng ghép vào môn học ở trường thcs, thpt', Hà Nội
    # SGDĐT CV 5095's schools); the plans write them in full, and their initials spell other phrases more often
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
}
# codes that also occur inside document numbers (64/KH-UBND, QĐ-TTg, KH&ĐT): replaced only when standing alone
STRICT: dict[str, str] = {
    "kh": "kế hoạch",
    "cv": "công văn",
    "qđ": "quyết định",
    "qd": "quyết định",
    "ttg": "thủ tướng",
    "nn": "nông nghiệp",
    "mt": "môi trường",
}
# Short forms of the provinces, upper case only ('hy' is also a Vietnamese syllable): 'sở TC bên HY'.
PROVINCE_SHORT = {"HY": "Hưng Yên", "CM": "Cà Mau", "BT": "Bến Tre", "HCM": "Hồ Chí Minh", "HN": "Hà Nội"}
_PROVINCE = re.compile(r"(?<![\w.&-])(" + "|".join(PROVINCE_SHORT) + r")(?![\w&-])")
_LOOSE = re.compile(
    r"(?<![\w&/])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True)) + r")(?![\w&/])", re.IGNORECASE
)
_STRICT = re.compile(
    r"(?<![\w&/\-])(" + "|".join(sorted(STRICT, key=len, reverse=True)) + r")(?![\w&/\-])", re.IGNORECASE
)
_TRAILING_V = re.compile(r"(?<=\s)v(?=\s*\?|\s*$)", re.IGNORECASE)  # '... khoảng tg nào v?'


def spell_out(text: str) -> str:
    """The question with chat shorthand (and upper-case province short forms) written in full."""
    text = _PROVINCE.sub(lambda m: PROVINCE_SHORT[m.group(1)], text)
    text = _LOOSE.sub(lambda m: SHORTHAND[m.group(1).lower()], text)
    text = _STRICT.sub(lambda m: STRICT[m.group(1).lower()], text)
    return _TRAILING_V.sub("vậy", text)

"""Agency names: what starts one in a table cell, abbreviations, and the 2025 merged departments.

One table, used alike by the index (table parsing, alias-expanded tokens), the assistant (question
analysis) and the scorer (matching "PTNT" with "Phát triển nông thôn" both ways).
"""

from __future__ import annotations

import functools
import re

from .text import collapse_ws, fold, match_key

# Words that open an agency name in a table cell ("Sở ...", "UBND ...", "- Các sở, ban, ngành").
AGENCY_START = re.compile(
    r"^(?:-\s*)?(?:Sở|UBND|Ủy ban|Uỷ ban|Ban [Qq]uản lý|Ban Thi đua|Ban Chỉ huy|Ban Chỉ đạo|Ban Dân tộc|Bảo hiểm xã hội|"
    r"Liên đoàn|Mặt trận|Tòa án|Tổng công ty|Tập đoàn|Bộ đội|Vụ|Tiểu ban|Thủ trưởng|Trung tâm|Viện|Ngân hàng|Hiệp hội|Đài|Báo|"
    r"Bộ Chỉ huy|Bộ|Chi cục|Liên minh|Hội|Văn phòng|Phòng|Tỉnh đoàn|Công an|Cục|Trường|Trạm|Kho bạc|"
    r"Các|các|Cơ quan|cơ quan|Phối hợp|HTX|Hợp tác xã|Doanh nghiệp|Cơ sở|Công ty|Điện lực|Thanh tra)\b"
)
# Cells that name coordinating parties rather than a lead.
COORDINATE_START = re.compile(r"^(?:-\s*)?(?:[Cc]ác\s+(?:cơ quan|đơn vị|Sở|sở|phòng|khu)|[Cc]ơ quan, tổ chức|Phối hợp)")

# Abbreviation -> expansion (lowercase keys compared on match_key text). Order matters: longest first.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("nn & ptnt", "nông nghiệp và phát triển nông thôn"),
    ("nn và ptnt", "nông nghiệp và phát triển nông thôn"),
    ("nnptnt", "nông nghiệp và phát triển nông thôn"),
    ("nn & mt", "nông nghiệp và môi trường"),
    ("nnmt", "nông nghiệp và môi trường"),
    ("kh & đt", "kế hoạch và đầu tư"),
    ("khđt", "kế hoạch và đầu tư"),
    ("kh và đt", "kế hoạch và đầu tư"),
    ("tn & mt", "tài nguyên và môi trường"),
    ("tnmt", "tài nguyên và môi trường"),
    ("lđ - tb & xh", "lao động - thương binh và xã hội"),
    ("lđtb & xh", "lao động - thương binh và xã hội"),
    ("lđtbxh", "lao động - thương binh và xã hội"),
    ("kh & cn", "khoa học và công nghệ"),
    ("khcn", "khoa học và công nghệ"),
    ("tt & tt", "thông tin và truyền thông"),
    ("tttt", "thông tin và truyền thông"),
    ("vh, tt & dl", "văn hóa, thể thao và du lịch"),
    ("vhttdl", "văn hóa, thể thao và du lịch"),
    ("gd & đt", "giáo dục và đào tạo"),
    ("gdđt", "giáo dục và đào tạo"),
    ("gtvt", "giao thông vận tải"),
    ("ptnt", "phát triển nông thôn"),
    ("ubnd", "ủy ban nhân dân"),
    ("bql", "ban quản lý"),
    ("nhnn", "ngân hàng nhà nước"),
    ("ktth", "kinh tế tuần hoàn"),
    ("kcn", "khu công nghiệp"),
    ("kkt", "khu kinh tế"),
    ("ccn", "cụm công nghiệp"),
    ("htx", "hợp tác xã"),
    ("ntm", "nông thôn mới"),
    ("sxtdbv", "sản xuất và tiêu dùng bền vững"),
    ("sở tc", "sở tài chính"),
    ("sở ct", "sở công thương"),
    ("sở xd", "sở xây dựng"),
    ("tp.hcm", "thành phố hồ chí minh"),
    ("bch", "bộ chỉ huy"),
    ("tp", "thành phố"),
    ("tphcm", "thành phố hồ chí minh"),
)
_ABBR_RES = tuple(
    (re.compile(r"(?<![\w&])" + re.escape(a).replace(r"\ ", r"\s*") + r"(?![\w&])"), full) for a, full in ABBREVIATIONS
)
_ABBR_FOLDED_RES = tuple(
    (re.compile(r"(?<![\w&])" + re.escape(fold(a)).replace(r"\ ", r"\s*") + r"(?![\w&])"), fold(full))
    for a, full in ABBREVIATIONS
)

# 2025 mergers: new department -> the departments it took over (users ask with either name).
MERGED_2025: dict[str, tuple[str, ...]] = {
    "Sở Nông nghiệp và Môi trường": ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"),
    "Sở Tài chính": ("Sở Kế hoạch và Đầu tư",),
    "Sở Xây dựng": ("Sở Giao thông vận tải",),
    "Sở Nội vụ": ("Sở Lao động - Thương binh và Xã hội",),
    "Sở Khoa học và Công nghệ": ("Sở Thông tin và Truyền thông",),
}


def expand_abbreviations(text: str) -> str:
    """Lowercased match key of `text` with agency abbreviations spelled out ('Sở NN&PTNT' -> 'sở nông nghiệp ...')."""
    key = match_key(text)
    for rx, full in _ABBR_RES:
        key = rx.sub(full, key)
    return collapse_ws(key)


def expand_abbreviations_folded(text: str) -> str:
    """Like expand_abbreviations, for text typed without diacritics."""
    key = fold(match_key(text))
    for rx, full in _ABBR_FOLDED_RES:
        key = rx.sub(full, key)
    return collapse_ws(key)


@functools.lru_cache(maxsize=65536)
def canonical(name: str) -> str:
    """Folded, abbreviation-free key of an agency name, for comparing names written differently."""
    key = fold(expand_abbreviations(name))
    key = re.sub(r"[^\w\s]", " ", key)
    key = re.sub(r"\b(tinh|thanh pho|chi nhanh)\b", " ", key)
    # 'các sở, ban, ngành (có) liên quan': plans write it both ways (Cà Mau KH 64 has both; Quảng Trị CT 06, Cà Mau KH 211 without 'có')
    key = re.sub(r"\bco (lien quan)\b", r"\1", key)
    # 'Sở Văn hóa, Thể thao và Du lịch' is asked as 'sở văn hóa thể thao du lịch': 'và' joins the name's parts only
    key = re.sub(r"\bva\b", " ", key)
    return collapse_ws(key)


def is_agency_cell(text: str) -> bool:
    """Whether a table cell starts like an agency (or a list of agencies)."""
    return bool(AGENCY_START.match(text))


def is_coordinate_cell(text: str) -> bool:
    return bool(COORDINATE_START.match(text))


# Agencies users ask about by name (besides those found in the plans' own section titles and tables).
KNOWN_AGENCIES: tuple[str, ...] = (
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Thông tin và Truyền thông",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Nội vụ",
    "Sở Y tế",
    "Sở Tư pháp",
    "Ban Quản lý Khu kinh tế",
    "Ban Quản lý các khu công nghiệp",
    "Ngân hàng Nhà nước",
    "Hiệp hội Doanh nghiệp",
    "Bộ Chỉ huy Quân sự",
    "Bộ Chỉ huy Bộ đội Biên phòng",
    "Đài Phát thanh và Truyền hình",
    "Báo Hưng Yên",
    "Liên minh Hợp tác xã",
    "Trung tâm Khuyến nông",
    "Trung tâm Khuyến công",
    "Chi cục Thủy sản",
    "Chi cục Phát triển nông thôn",
    "Ủy ban nhân dân các huyện",
    "Các cơ quan báo chí",
)


_HEADS = re.compile(r"^(?:Thủ trưởng|Chủ tịch|Giám đốc|Lãnh đạo)\b")
# Verbs that end an agency's name where its duty begins ("Bộ Tài chính tiếp tục xuất cấp …", "Sở X chủ trì …").
_DUTY_AFTER_NAME = re.compile(
    # not after 'là': 'Các chủ rừng là tổ chức (…)' is a name that ends in a noun, not a duty (Quảng Trị CT 06)
    r"(?<!\slà)\s+(?:có trách nhiệm|chủ trì|phối hợp|tổ chức|thực hiện|triển khai|là cơ quan|"
    r"làm đầu mối|chịu trách nhiệm|tiếp tục|chỉ đạo|rà soát|khẩn trương|hướng dẫn|nghiên cứu|"
    r"xây dựng|bảo đảm|đảm bảo|theo dõi|kiểm tra|tăng cường|chủ động|cân đối|bố trí|duy trì|"
    r"được giao|cần|phải|xem xét|đôn đốc|tham mưu|quản lý|giám sát|ban hành|căn cứ|tập trung|"
    # 'UBND các tỉnh, thành phố trực thuộc trung ương tổng hợp, trình HĐND …' (QĐ 2623), 'Sở Công Thương tổng hợp báo
    # cáo …' (Sơn La QĐ 2954), 'Các bộ, ngành, địa phương định kỳ hằng năm gửi báo cáo …' (QĐ 2629)
    r"tổng hợp|định kỳ|gửi)\b.*$"
    r"|\s*[:(].*$"
    # a clause after a comma ('Sở Tài chính, trên cơ sở đề xuất của …, chủ trì …': Lai Châu 7360, QĐ 2623)
    r"|,\s+(?:trên cơ sở|căn cứ|theo|sau khi|khi|trong|với)\b.*$"
)


def agency_match(key: str, text_key: str) -> re.Match[str] | None:
    """Where a canonical text names the agency whose canonical key is `key`, as whole words: 'cơ sở văn hóa và thể
    thao' (facilities, in every sector's plans: 'cơ sở giáo dục', 'cơ sở y tế') does not name 'Sở Văn hóa và Thể
    thao'."""
    if not key:
        return None
    # a name that is itself a lower level ('ủy ban nhân dân xã, phường') goes on with its next level ('…, đặc khu')
    lower = "" if _LEVEL_END.search(key) else _LOWER_LEVEL
    return re.search(r"(?<!\bco )\b" + re.escape(key) + r"\b" + lower, text_key)


# The key drops 'tỉnh' / 'thành phố', so 'Công an tỉnh' is 'cong an': followed by a lower level ('lực lượng Công an
# xã': Quảng Trị CT 06; 'Ủy ban nhân dân (các) xã, phường': every plan's last section) it names another body.
_LOWER_LEVEL = r"(?!\s+(?:cac\s+)?(?:xa|phuong|huyen|cap xa|cap huyen|thi xa|thi tran|dac khu)\b)"


_LEVEL_END = re.compile(r"\b(?:xa|phuong|huyen|thi tran|dac khu)$")


def names_agency(key: str, text_key: str) -> bool:
    """Whether a canonical text names the agency whose canonical key is `key` (agency_match)."""
    return agency_match(key, text_key) is not None


@functools.lru_cache(maxsize=8192)
def agency_of_title(title: str) -> str:
    """'2. Sở Tài nguyên và Môi trường' -> 'Sở Tài nguyên và Môi trường'; '4. Sở X có trách nhiệm …' -> 'Sở X';
    '1. Thủ trưởng các cơ quan, …, Chủ tịch UBND các huyện…' kept whole ('' when the title names no agency)."""
    name = re.sub(r"^(?:[\dIVX.]+\)?|[a-zđ]\)|[-–+•])\s*", "", title).rstrip("…").strip()
    name = re.sub(r"^(?:Đề nghị|Giao(?: cho)?):?\s+", "", name)  # '6. Đề nghị: Hiệp hội …' (Đồng Tháp KH 617)
    if re.match(
        r"(?:Phối hợp|Báo cáo|Hội (?:nghị|thảo|chợ|thi)|Các (?:nhiệm vụ|giải pháp|hoạt động|chương trình|dự án|mô hình"
        r"|chỉ tiêu|nguồn|thị trường|ngành, lĩnh vực|sản phẩm))\b",
        name,
    ):
        # a duty ("a) Phối hợp với Sở X …", "Báo cáo …"), an event ("- Hội nghị tuyên truyền, tập huấn": Đắk Lắk KH
        # 0134, Cà Mau KH 64 and 211 open items so) or a list of things, not an agency heading
        return ""
    found = _DUTY_AFTER_NAME.sub("", name).strip(" ,;-–")  # '3. Vụ Tổ chức cán bộ -' (CV 6225's heading, its dash)
    if _HEADS.match(name):  # the heads of several bodies, kept whole up to their duty ('… chịu trách nhiệm …')
        return found
    found = found if is_agency_cell(name) else ""
    return found if len(found.split()) >= 2 else ""  # "Các" alone names nobody

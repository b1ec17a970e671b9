"""What exactly a question asks for, beyond its role: how precise a time (a day, a month, a year), which unit
of a quantity, a place, a numbered appendix row, which fact about the document, a total or the sources of a
budget. The composer uses these to refuse evidence that does not carry the asked kind of value.

Every pattern is matched on the diacritics-folded, abbreviation-expanded question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.agencies import canonical
from index.text import UPPER, fold

# fact kinds, in priority order
# Nghị định / Thông tư: the decrees and circulars plans cite ('Nghị định số 80/2025/NĐ-CP' in Lai Châu KH 7360,
# 'Nghị định 30/2020/NĐ-CP' in letters, 'Thông tư' in Đắk Lắk KH 0134) are asked by number like any other kind
DOC_KIND = (
    r"(quyet dinh|nghi quyet|nghi dinh|thong tu|ke hoach|chi thi|thong bao|cong van|to trinh|van ban|chuong trinh|"
    r"de an|phuong an|qd|nq|kh)"
)
# the document asked for, also as the old or earlier one ('thay thế mấy quyết định cũ nào', 'kế hoạch trước đây nào')
_ASKED = r"((?:cu |truoc day |truoc )?(?:nao|so may|so bao nhieu|so gi|gi))\b"
FACT_KINDS: tuple[tuple[str, str], ...] = (
    # another document the plan cites: 'thay thế quyết định nào', 'được phê duyệt tại/ở quyết định số mấy',
    # 'căn cứ kế hoạch số mấy', 'viện dẫn chỉ thị nào', 'theo đề nghị tại tờ trình nào'
    (
        "reference",
        # 'dựa vào/dựa trên' is 'căn cứ' in users' words (Thanh Hóa KH 235's 'dựa vào kế hoạch nào', Kon Tum's
        # 'dựa trên đề nghị … văn bản số mấy'); a few words may describe the document before 'nào' ('kế hoạch
        # giai đoạn 2026-2030 nào', 'quyết định của Thủ tướng nào')
        # 'ban hành trên cơ sở <chỉ thị / kế hoạch …> nào' too (CV 6225's Chỉ thị, Thanh Hóa KH 235's Kế hoạch 223)
        # 'nhắc tới kế hoạch …, kế hoạch đó số mấy': folded, 'đó' (that) reads as the 'do' (by) a description may not
        # hold, so it is allowed right before 'số' (the Kon Tum letter's Kế hoạch 1448)
        # 'thay cho quyết định nào' is users' 'thay thế' (QĐ 2634's QĐ 270, QĐ 2629's 942, QĐ 2853's 3089)
        r"(thay the|thay cho|vien dan|phe duyet|duoc duyet|duyet (tai|theo|o)|can cu|dua (vao|tren)(?! de (nghi|xuat))|"
        r"tren co so(?! (cac )?(de nghi|de xuat|to trinh))|de nghi tai|nhac|"
        r"de cap)\b(?=.*\b"
        + DOC_KIND
        + r"(\s+(?!(?:nay|ngay|thang|ban|ky|do|duoc|la|co|khi)\b)[^\s,;.?]+){0,5}?(\s+do(?=\s+so\b))?\s+(so\s+)?"
        + _ASKED
        + r")|"
        r"\b" + DOC_KIND + r"\s+(so\s+)?" + _ASKED + r".*\b(thay the|vien dan|phe duyet|duoc duyet|"
        r"can cu|de nghi|nhac|de cap)\b|"
        # 'giao Sở X tiếp tục thực hiện kế hoạch về …; kế hoạch đó có số hiệu và ngày ban hành nào': the document the
        # question just named ('đó': that one, not 'này', the plan itself), asked its number, with its date or not
        # (Kon Tum's KH 1448 in rounds 25 and 27; a date alone, of a document named by number, is cited_date's:
        # Quảng Trị CT 06's 'phương án số 728 …, phương án đó ban hành ngày nào')
        r"\b" + DOC_KIND + r" do (co )?(so hieu|so may|so bao nhieu)\b",
    ),
    (
        "basis",
        r"\bde (xuat|nghi) cua\b|theo de nghi|dua (tren|vao) de (nghi|xuat)|(tren co so|theo) to trinh|"
        r"can cu (vao )?(dau|gi|(van ban|ke hoach|quyet dinh|nghi quyet|chuong trinh) nao|nhung|nao)|"
        # the laws it rests on ('ban hành trên cơ sở những đạo luật nào': QĐ 2623; Sơn La QĐ 2954's 'Căn cứ Luật …')
        r"(tren co so|dua (tren|vao)) (nhung |cac )?(dao )?luat nao",
    ),
    # 'do Phó Chủ tịch UBND tỉnh nào ký': which leader signed, the words between naming the body
    (
        "signer",
        r"\bai (da )?ky\b|nguoi ky|\bky boi\b|\bky ten\b|do ai ky|(lanh dao|chu tich) nao ky|\bai la nguoi ky|"
        r"\b(chu tich|lanh dao|thu truong|bo truong|giam doc)\b[^?,]{0,30}\bnao (da )?ky\b|"
        # 'đồng chí / vị / người nào ký' is 'ai ký' in formal words
        r"\b(dong chi|vi|nguoi) nao (da )?ky\b",
    ),
    # the document the plan carries out: 'thực hiện/triển khai/cụ thể hóa (những) quyết định nào' (a plan asked to
    # 'xây dựng chương trình gì' is asked about a duty, not about what it implements); read before the plan's own
    # number, since 'kế hoạch … là để triển khai quyết định số mấy' asks what it carries out, and before a date, since
    # '… để triển khai quyết định số mấy của Thủ tướng, ký ngày nào' asks that decision's (Bến Tre's QĐ 687)
    (
        "implements",
        # not work an agency is given ('được giao tham mưu triển khai đề án gì': a duty; Bến Tre's Ngân hàng Nhà nước)
        r"(?<!tham muu )(?<!giao )(thuc hien|trien khai|cu the hoa|ban hanh theo|de thuc hien|nham thuc hien|lam theo|theo)\s+(theo\s+)?"
        r"(nhung\s+|cac\s+)?(van ban|quyet dinh|de an|chuong trinh|chi thi|nghi quyet|ke hoach)\s+(nao|gi|so may|so bao nhieu)\b|"
        # its number asked after a description, the purpose said ('là để cụ thể hóa kế hoạch giai đoạn 2026-2030 số
        # mấy': Thanh Hóa KH 235's KH 223; 'để/nhằm thực hiện <kind> … nào' is how users ask it of every plan, rounds
        # 5-12); not a document's own number asked with its subject ('công văn về triển khai đề án … số bao nhiêu')
        r"\b(?:de|nham)\s+(trien khai|cu the hoa|thuc hien)\s+"
        r"(van ban|quyet dinh|de an|chuong trinh|chi thi|nghi quyet|ke hoach)(\s+[^\s?,]+){1,6}?\s+so (may|bao nhieu)\b|"
        r"^(quyet dinh|de an|chuong trinh|chi thi|nghi quyet) (nao|gi|so may|so bao nhieu)\b",
    ),
    (
        "date",
        r"ban hanh (vao )?(ngay|khi|luc|nam|thang) (nao|may)|ngay ban hanh|ban hanh khi nao|ban hanh bao gio|"
        r"(?<!dinh )(?<!thoi )(?<!chu )(?<!hoc )\bky (vao )?(ngay|khi|luc) (nao|may)|ra doi (vao )?(khi|ngay|nam|luc) nao|(ngay|thoi diem) (ky|ban hanh)|"
        r"\bra ngay (nao|may)\b",  # 'công văn … ra ngày nào', 'ct 06 … ra ngày mấy' (issued); 'ký', not the 'kỳ' of
        # 'định kỳ vào ngày nào' (a recurring day: Hà Nội's letter, Cần Thơ KH 153), 'thời kỳ', 'chu kỳ', 'học kỳ'
    ),
    (
        "number",
        # 'số mấy' asks a document's number only in a question that names a document ('số đường dây nóng là số
        # mấy' asks a phone number)
        r"so hieu|\b(ke hoach|van ban|cong van|quyet dinh|chi thi|nghi quyet|thong bao|de an|chuong trinh)\b.*\bso may\b|"
        r"\bso bao nhieu\b.*\b(ke hoach|van ban|cong van)\b|"
        r"(ke hoach|van ban|cong van) (nay |do )?(co )?so (may|bao nhieu|gi|nao)\b",
    ),
    (
        "issuer",
        r"(ke hoach|cong van|van ban) (nay |do )?(do )?(ai|co quan nao|cap nao) ban hanh|"
        r"\b(ai|co quan nao) (da )?ban hanh (ke hoach|cong van|van ban)",
    ),
)
TIME_GRAINS: tuple[tuple[str, str], ...] = (
    # a period, from one time to another ('thực hiện từ năm nào tới năm nào': Cần Thơ KH 153's 'Từ năm 2025 đến
    # hết năm 2030'; 'quan trắc từ tháng mấy tới tháng mấy': Thanh Hóa KH 235's 'từ tháng 3 đến tháng 10')
    ("period", r"\btu (nam|thang) (nao|may)\b.{0,30}?\b(den|toi) (het )?(nam|thang) (nao|may)\b"),
    # a day is asked only in words that say "day"; "hạn chót"/"chậm nhất" alone is answered by a month or a year
    ("day", r"ngay (nao|may|bao nhieu)|truoc ngay|(han chot|deadline|cham nhat) (la )?ngay"),
    ("month", r"thang (nao|may)|vao thang|quy (nao|may)"),
    ("year", r"nam (nao|may)|giai doan nao|tu nam|den nam nao"),
    # how long ('mấy năm', 'bao nhiêu năm') is a number of years, not a year: '5 năm' answers it
    ("years", r"may nam|bao nhieu nam"),
    # a time limit ('trong thời hạn bao lâu', 'trong vòng bao lâu' — not 'bao lâu một lần'): a number of days or
    # months answers it, not a date (Cần Thơ KH 153's 10 days, asked in rounds 6, 9, 12 and 15; 'mấy ngày' is the
    # unit check's)
    ("span", r"(thoi han|trong vong|trong) bao lau\b(?![^,;?]{0,80}\b(mot|1) lan\b)"),
)
# 'bao nhiêu <unit>' -> what the (folded) evidence must show next to a number
UNITS: tuple[tuple[str, str], ...] = (
    (r"phan tram|%|\bty le\b", r"\d\s*%"),
    (r"{after}(ha|hecta|hec ta)\b|{measure:dien tich}", r"\d\s*ha\b"),
    (r"{after}tan\b|{measure:san luong}", r"\d\s*tan\b"),
    (r"{after}(mw|megawatt)\b|{measure:cong suat}", r"\d\s*mw\b"),
    (r"{after}km\b", r"\d\s*km\b"),
    (r"{after}ngay\b", r"\d\s*ngay\b"),  # 'trong vòng bao nhiêu ngày', 'học mấy ngày' (Thanh Hóa 235, Cà Mau 211)
    (r"{after}(m3|met khoi)\b", r"\d\s*m3\b"),
    # an area ('bao nhiêu m2', 'bao nhiêu mét vuông'): QĐ 4385's land need, Hà Nội's letter's large sites (>10.000 m2)
    (r"{after}(m2|met vuong)(?!\w)", r"\d\s*(?:m2|m²)"),
    (r"{after}(kg|kilogam|ki lo)\b", r"\d\s*kg\b"),
    (r"\b(ty|trieu) dong\b|bao nhieu tien|kinh phi", r"\d"),
)
_AFTER = r"\b(?:bao nhieu|may|muc)\s+(?:\w+\s+){0,2}"  # a short unit counts only right after 'bao nhiêu'


# the quantity a measure word names is asked only beside 'bao nhiêu/mấy' ('công suất bao nhiêu MW'); 'giảm
# công suất … khi cảnh báo lên mức nào' names the measure as the topic (Hà Nội's letter; QĐ 2634's MW, Sơn La's ha)
# — 'bao nhiêu' before it within a phrase ('bao nhiêu công suất điện') or after it ('diện tích cà phê … đạt bao nhiêu')
def _measure(m: re.Match[str]) -> str:
    word = m.group(1)
    return rf"\b(?:bao nhieu|may)(?:\s+\w+){{0,2}}\s+{word}\b|\b{word}(?:\s+\w+){{0,10}}\s+(?:bao nhieu|may)\b"


UNITS = tuple((re.sub(r"\{measure:([a-z ]+)\}", _measure, rx.replace("{after}", _AFTER)), ev) for rx, ev in UNITS)
CURRENCY = r"\d"  # the unit of a budget amount: any number (amounts are in million VND)
# a counted noun; typed without accents 'bao nhiêu cơ sở' reads 'co so', whose 'co' is also the verb 'có' (not a
# noun); after 'mấy' it is the plural 'those facilities', not a count
_COUNTED = re.compile(r"\b(?:bao nhieu|may)\s+((?<=nhieu )co so|[a-z]+)(?:\s+([a-z]+))?")
# the counted noun named before the question word: 'số lượng sản phẩm … là bao nhiêu' (Cà Mau KH 64's and KH 211's
# models and products, Đồng Tháp KH 552's patent filings)
_COUNT_NAMED = re.compile(r"\bso luong\s+([a-z]+)(?:\s+([a-z]+))?(?=.*\b(?:bao nhieu|may)\b)")
# Counting words that stand for one another ('mấy đợt tuyên truyền' ~ '02 cuộc tuyên truyền').
_COUNT_EQUIV = (
    "dot|cuoc|lan|buoi|hoi nghi|hoi thao",
    "lop|khoa",
    "nguoi|hoc vien|dai bieu|lao dong",
    "mo hinh|diem|du an",
    "cong trinh|ham",
)
_NOT_A_NOUN = frozenset(
    "vay a the nhi nhe do day la duoc con roi nua tien trieu ty dong nam thang ngay phan lan "
    "so muc phai can co cho de o tai ve voi trong khi thi va hay hoac nao chua khong ha nay kia "
    "tu den toi von kinh ngan chi lam cai hang "
    "tro".split()  # 'mấy cái X': 'those X'; 'ngày mấy hằng năm': 'every'; 'từ bao nhiêu trở lên': 'and above'
    # a word that opens the next phrase, not a unit: 'tần suất bao nhiêu theo Kế hoạch …' (Đắk Lắk KH 0134), 'ngày mấy
    # mỗi năm' (Đồng Tháp KH 552), 'điều mấy của Luật …' (Cần Thơ CT 09)
    + "theo moi cua tren duoi sau truoc".split()
)
# a count written in words ('một mô hình', Kon Tum; 'một lần' in six plans) as well as in digits ('01 mô hình')
_COUNT_NUMBER = r"(?:\d+|[Mm]ot(?! so\b))"  # 'một số tuyến đường' is 'some', no count
# ('đặt ở chỗ nào' is 'ở đâu', said the everyday way: TP.HCM QĐ 2820's backup data centre in round 26)
PLACE = re.compile(
    r"\b(o|tai|di|den|toi|ve|thuoc) (cac |nhung )?(tinh|thanh pho|xa|huyen|phuong|nuoc|dia diem|khu vuc|vung|noi|"
    r"dia ban|dia phuong|cho)(,? (xa|phuong|huyen|tinh|thanh pho))? nao\b|\b(o|tai|di|den) dau\b|\bdia diem nao\b"
)
# 'được gửi tới những nơi nào': whom a document is sent to, its recipients, not a place (Cà Mau KH 211, SGDĐT CV 5095
# were asked so)
_SENT_TO = re.compile(r"\bgui (?:toi|den|cho) (?:nhung|cac) noi nao\b")
# a place named after its kind or 'tại/ở', or under a table's 'Địa điểm' column ('Địa điểm: Hưng Yên')
# ('quy định tại Nghị quyết số …', 'tại Quyết định …' name a document, not a place: every plan cites that way)
PLACE_EVIDENCE = re.compile(
    r"\b(?:xã|huyện|tỉnh|thành phố|phường|thị trấn|ấp|tại|ở|[Đđ]ịa điểm:)\s+(?!(?:Nghị quyết|Quyết định|Kế hoạch|"
    r"Chỉ thị|Thông báo|Công văn|Nghị định|Thông tư|Luật|Điều|Phụ lục|Mục|Chương trình|Đề án|Tờ trình)\b)"
    # a capital: 'vào tỉnh đầu tư' names no place (Cà Mau KH 64's 'đặt ở huyện nào', unanswerable), nor an acronym
    # ('mỗi xã NTM': a new-countryside commune, in Cà Mau KH 64 and Bến Tre's plans)
    rf"[{UPPER}](?![{UPPER}]+\b)"
)
ROW_REF = re.compile(
    r"(?:\b(?:nhiem vu|dong|muc|stt|so thu tu|hang)\s*(?:so\s*|thu\s*)?)?"
    r"\b(\d{1,2}\.\d{1,2}(?:\.\d{1,2}){0,2})\b(?!\s*%|\s*(?:ha|tan|mw)\b)"
)
# 'dòng 17' is a row; 'Kế hoạch hành động 56' (folded 'hanh dong 56') is a plan's number
ROW_REF_PLAIN = re.compile(
    r"\b(?:nhiem vu|(?<!hanh )dong|stt|so thu tu)\s*(?:so\s*|thu\s*)?(\d{1,2})\b.{0,40}\bphu luc\b|"
    r"\bphu luc\b.{0,40}\b(?:nhiem vu|(?<!hanh )dong|stt|so thu tu|muc)\s*(?:so\s*|thu\s*)?(\d{1,2})\b"
)
BUDGET_TOTAL = re.compile(
    r"\btong (kinh phi|so tien|so von|von|ngan sach|du toan|chi phi|cong)\b|\btong cong\b|"
    r"\bchi tong\b|\btong (cua )?(ca )?ke hoach\b"
)
# where money comes from ('lấy kinh phí ở đâu', 'tiền lấy ở đâu ra'): its sources, never a place (QĐ 2623, Lai
# Châu KH 7360, Cần Thơ KH 153, TB 624 in blind rounds 6-15)
BUDGET_SOURCES = re.compile(
    r"\bnguon (luc |kinh phi |von |tien |ngan sach )?(nao|gi|tu dau)\b|\b(tu|o) (nguon )?(nao|dau)\b.*"
    r"\b(tien|kinh phi|von)\b|\b(tien|kinh phi|von)\b.*\b(lay|tu|o) (tu )?(dau|nguon nao|nhung nguon)"
    # 'từ ngân sách nào', 'ngân sách cấp nào chi' (QĐ 2629's central budget, Cần Thơ CT 09's monitoring network)
    r"|\bngan sach (cap )?nao\b"
    # 'kinh phí được bố trí như thế nào', 'bố trí kinh phí ra sao': how the plan is funded, asked in general; a plan's
    # funding section answers it (every plan with one: Lai Châu KH 7360, QĐ 2623, Sơn La QĐ 2954, …)
    r"|\b(?:kinh phi|von|ngan sach)\b(?: \w+){0,6} (?:bo tri|bao dam|huy dong|phan bo|can doi)\b.{0,20}\b(?:the nao|ra sao)\b"
    r"|\b(?:bo tri|bao dam|huy dong|phan bo|can doi) (?:kinh phi|von|ngan sach)\b.{0,20}\b(?:the nao|ra sao)\b"
)

# 'lấy <nước> từ nguồn nào': the source of a thing other than money is no funding question (Cần Thơ CT 09's water
# supply; now that an answer about 'nguồn nước' no longer passes for one about funding)
_OTHER_SOURCE = re.compile(r"\blay (?!tien|kinh phi|von|ngan sach)\w+(?: \w+)? (?:tu|o) nguon nao\b")


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


@dataclass(frozen=True)
class Asks:
    """The precise kind of value a question wants (empty strings: not specified)."""

    fact: str = ""  # reference | signer | date | number | basis | implements | issuer
    time_grain: str = ""  # period | day | month | year | years (how many) | span
    unit: str = ""  # a regex the evidence must match next to a number
    counted: bool = False  # the unit is a counted noun ('bao nhiêu lớp'), not a measure
    place: bool = False
    row_ref: str = ""  # "3.4.2", or "17" when the question names an appendix row
    budget: str = ""  # total | sources
    appendix: str = ""  # "II" when the question names an appendix ('phụ lục 2')


# Informal 'mấy' before a noun is also 'those', a plural ('mấy đơn vị kinh doanh hạ tầng … ai chỉ đạo', 'về mấy
# điểm nóng … phải đạt được gì', 'phối hợp với mấy sở nào'): when the question asks something else (nào, gì, ai,
# đâu), it asks no count, unless a unit follows ('mấy lần', 'mấy năm') or precedes it ('ngày mấy', 'số mấy').
_OTHER_ASK = re.compile(r"\b(?:nao|gi|ai|dau)\b")
_PLURAL_MAY = re.compile(
    r"(?<!ngay )(?<!nam )(?<!thang )(?<!quy )(?<!so )(?<!thu )(?<!lan )\bmay\b"
    r"(?!\s+(?:lan|dot|nam|thang|ngay|tuan|quy|phan tram|ty|trieu|nghin|tram|muoi)\b)"
)


def without_plural_may(folded: str) -> str:
    """The question without the plural 'mấy' (see above), for telling whether it asks a quantity."""
    return _PLURAL_MAY.sub(" ", folded) if _OTHER_ASK.search(folded) else folded


# 'Căn cứ Kế hoạch này, các bộ … có trách nhiệm xây dựng văn bản gì': a document someone must produce, a duty, not
# a document the plan cites (QĐ 2623 was asked so twice; implementation plans ask 'các sở phải ban hành kế hoạch gì')
_TO_PRODUCE = re.compile(r"\b(?:co trach nhiem|phai|duoc giao)\b.*\b(?:xay dung|ban hanh|lap|trinh)\b.*\bgi\b")


# a web address asked ('xem chỉ số chất lượng không khí ở trang web nào': the two Hà Nội letters' moitruongthudo.vn;
# 'cổng thông tin … có địa chỉ website là gì': QĐ 2623 gives none; CV 6225, KH 308, TB 624 give theirs): only a
# sentence with an address answers it
WEB_ASKED = re.compile(r"\b(?:website|web|trang thong tin dien tu|dia chi (?:trang|truy cap))\b")
WEB_VALUE = re.compile(r"https?://|\bwww\.|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|gov|org|net)\b", re.IGNORECASE)
# a phone or hotline number: 'số đường dây nóng … theo kế hoạch 153 là số mấy' (Cần Thơ KH 153), 'số điện thoại để
# hỏi về cv … là số mấy' (Hà Nội SGDĐT CV 5095) ask no document's number though they name the document
_CONTACT = re.compile(r"\b(?:dien thoai|duong day nong|hotline|fax|tong dai)\b")


def _fact_kind(folded: str) -> str:
    if _TO_PRODUCE.search(folded):
        return ""
    kind = next((k for k, rx in FACT_KINDS if re.search(rx, folded)), "")
    return "" if kind == "number" and _CONTACT.search(folded) else kind


def find_asks(folded: str) -> Asks:
    fact = _fact_kind(folded)
    grain = next((g for g, rx in TIME_GRAINS if re.search(rx, folded)), "")
    unit, is_counted = "", False
    qty = without_plural_may(folded)
    if re.search(r"bao nhieu|\bmay\b|muc nao|la bao|dat (muc )?(bao|may)|toi thieu|toi da", qty):
        found = [(m.end(), ev) for rx, ev in UNITS if (m := re.search(rx, qty))]
        unit = min(found)[1] if found else ""  # the unit named first after 'bao nhiêu'
        counted = ([None] + list(_COUNTED.finditer(qty)))[-1]  # the quantity asked is the last one
        if counted is not None and counted.group(2) == "voi" and counted.group(1) in ("doi", "cung"):
            counted = None  # 'ở mức bao nhiêu đối với khách hàng …': a preposition, no unit (NQ 380's interest cut)
        if counted is None or counted.group(1) in _NOT_A_NOUN:
            counted = _COUNT_NAMED.search(qty) or counted
        if not unit and counted and counted.group(1) not in _NOT_A_NOUN:
            is_counted = True
            noun = counted.group(1)
            pair = f"{noun} {counted.group(2)}"  # a noun of two words ('mấy mô hình') counts with its equivalents
            alts = next((e for e in _COUNT_EQUIV if pair in e.split("|")), "")
            alts = alts or next((e for e in _COUNT_EQUIV if noun in e.split("|")), noun)
            unit = _COUNT_NUMBER + r"\s*\(?\s*(?:\w+\s+)?(?:" + alts + r")\b"  # 'bao nhiêu lớp' needs '06 lớp'
    m = ROW_REF.search(folded)
    plain = ROW_REF_PLAIN.search(folded)
    row = m.group(1) if m and not re.search(r"\d{1,2}\.\d{3}", folded) else ""
    row = row or (next(g for g in plain.groups() if g) if plain else "")
    sources = BUDGET_SOURCES.search(folded) and not _OTHER_SOURCE.search(folded)
    budget = "total" if BUDGET_TOTAL.search(folded) else "sources" if sources else ""
    m = re.search(r"\bphu luc\s+(\d|[ivx]+)\b", folded)
    appendix = (_ROMAN.get(m.group(1), m.group(1).upper())) if m else ""
    return Asks(
        fact=fact,
        time_grain=grain,
        unit=unit,
        counted=is_counted,
        place=bool(PLACE.search(folded)) and not BUDGET_SOURCES.search(folded) and not _SENT_TO.search(folded),
        row_ref=row,
        budget=budget,
        appendix=appendix,
    )


# 'trước ngày mấy hàng tháng': a recurring deadline is asked, and a one-off date is not it (Hà Nội KH 308, Sơn La
# QĐ 2954 report monthly by a day of the month; a yearly one, 'hằng năm', likewise)
RECURRENCE = re.compile(r"\b(?:hang|moi) (thang|quy|tuan|nam)\b")


# 'bao lâu một lần', 'tần suất', 'mấy lần một năm': how often, which a recurrence answers, never a date or a year
# (Cà Mau KH 64, TP.HCM QĐ 2820, Hà Tĩnh KH 624, Hà Nội KH 310 were asked so)
HOW_OFTEN = re.compile(
    r"\bbao lau\b[^,;?]{0,80}\b(?:mot|1) lan\b|\bdinh ky bao lau\b|\btan suat\b|\bmay lan (?:mot|1|moi) nam\b"
    # 'theo định kỳ nào', 'theo chu kỳ nào' (QĐ 4385, Đắk Lắk KH 0134, Cần Thơ CT 09, Hà Nội's letter); not 'định kỳ
    # vào ngày nào' (a day)
    r"|\b(?:dinh|chu) ky (?:nao|gi|the nao|ra sao)\b"
)
# … and a recurrence that says how often ('hằng năm', 'định kỳ 6 tháng', '02 lần/tháng', 'thường xuyên'); a bare
# 'báo cáo định kỳ, đột xuất' does not (QĐ 4385, QĐ 2623: the period is in another sentence)
RECURRING = re.compile(
    r"\b(?:hang|moi) (?:nam|thang|quy|tuan|ngay)\b|\bdinh ky (?:\d+ )?(?:nam|thang|quy|tuan)\b|\bthuong xuyen\b"
    r"|(?:lan|dot)\s*/\s*(?:nam|thang|quy|tuan)|\blan (?:moi|mot|trong|1) (?:nam|thang|quy|tuan)\b"
    r"|\b\d+ thang (?:mot|1) lan\b"
    # how often an inspection is held: 'thanh tra … theo định kỳ hoặc đột xuất' (Cần Thơ CT 09), 'kiểm tra định kỳ,
    # đột xuất' (Cần Thơ KH 153); a report 'định kỳ, đột xuất' says less than a 'định kỳ hằng năm' (QĐ 4385)
    r"|\b(?:thanh tra|kiem tra)\b[^.;]{0,120}?\bdinh ky(?: hoac|,| va)\s+dot xuat\b"
)


def recurrence_satisfied(question_folded: str, text: str) -> bool:
    """The recurrence the question asks ('hàng tháng', 'bao lâu một lần') is in the text, or none is asked."""
    folded = fold(text).lower()
    if HOW_OFTEN.search(question_folded) and not RECURRING.search(folded):
        return False
    m = RECURRENCE.search(question_folded)
    return m is None or re.search(rf"\b(?:hang|moi) {m.group(1)}\b|/\s*{m.group(1)}\b", folded) is not None


# A day, on folded text: 'ngày 15/12', '15/12/2026', '15 tháng 12', a count of days ('trong 10 ngày') or a weekday
# ('Thứ 7, Chủ nhật'): what 'ngày nào', 'trước ngày mấy' ask for, in the composers and in the final check alike
DAY = re.compile(
    r"\b\d{1,2}\s*[/-]\s*\d{1,2}\b|\bngay\s*\d{1,2}\b|\b\d{1,2}\s+thang\s+\d{1,2}\b|\b\d+\s*ngay\b"
    r"|\bthu (?:[2-7]|hai|ba|tu|nam|sau|bay)\b|\bchu nhat\b"
)


YEAR_NUMBER = re.compile(r"\b(?:19|20)\d\d\b")  # a calendar year, not 'hằng năm' nor a count ('5 năm', 'Điều 102')
# A document cited with its number and date ('Quyết định số 4255/QĐ-BNN-KHCN ngày 04/12/2024'): its date is when
# that document was issued, never the time of the task asked about (basis lists open plans of every kind).
# A question's folded text spaces the slashes and spells codes out ('211 / kh - uy ban nhan dan ngay 02 / 10 / 2024').
_CODE_WORD = r"(?!ngay\b)[a-z&]+"
CITED_DOCUMENT = re.compile(
    rf"\b\d{{1,5}}(?:\s*/\s*\d{{4}})?\s*/\s*{_CODE_WORD}(?:\s*-\s*{_CODE_WORD}(?:\s+{_CODE_WORD}){{0,4}})*"
    r"(?:,?\s*ngay\s*\d{1,2}\s*(?:/|thang)\s*\d{1,2}\s*(?:/|nam)\s*\d{4})?"
)


def asked_years(folded: str) -> set[str]:
    """The years a (folded) question asks about: not those of a document it names by number and date ('Kế hoạch số
    211/KH-UBND ngày 02/10/2024 … tổng kinh phí bao nhiêu' asks no figure for 2024: round 23, and the many formal
    questions citing a plan so)."""
    return set(YEAR_NUMBER.findall(CITED_DOCUMENT.sub(" ", folded)))


PERIOD = re.compile(  # 'từ tháng 3 đến tháng 10', 'Từ năm 2025 đến hết năm 2030', '2026 - 2030'
    r"\btu\s+(?:nam|thang)\s+\d{1,4}\b.{0,25}?\b(?:den|toi)\s+(?:het\s+)?(?:nam\s+|thang\s+)?\d{1,4}\b"
    r"|\b20\d\d\s*[-–]\s*20\d\d\b"
)
SPAN = re.compile(r"\b\d+\s*(?:ngay|thang|tuan|nam)\b(?!\s*\d)|\b(?:muoi|hai muoi|ba muoi) ngay\b")


def time_satisfies(grain: str, text: str) -> bool:
    """Whether a time value or sentence is as precise as asked ('trước ngày nào' needs a day)."""
    if grain == "period":
        return bool(PERIOD.search(fold(text).lower()))
    if grain == "day":
        return bool(DAY.search(fold(text).lower()))
    if grain == "span":
        return bool(SPAN.search(fold(text).lower()))
    if grain == "month":
        return bool(re.search(r"[Tt]háng\s+\d{1,2}|\b\d{1,2}\s*/\s*20\d\d|[Qq]uý\s+[IV1-4]", text))
    if grain == "year":  # 'năm nào sơ kết': a year, not 'hằng năm' nor 'sơ kết 5 năm'
        return bool(YEAR_NUMBER.search(text))
    if grain == "years":  # 'bao nhiêu năm': a number of years, not a date nor a year
        return bool(YEARS_COUNT.search(fold(text).lower()))
    return True


# a number of years ('05 năm', '5 năm', 'ba năm'), not a year ('năm 2025') nor a year's day ('31/12/2025')
YEARS_COUNT = re.compile(r"\b(?:\d{1,2}|mot|hai|ba|bon|nam|muoi)\s+nam\b(?!\s*\d)")


# 'sở nào', 'bộ nào', 'cục nào', 'chi cục nào', 'viện nào': the agency that answers is of that rank ('Cục nào thuộc Bộ
# Công an …' is not answered 'Bộ Công an': QĐ 2623, CV 6225; 'sở nào' not by UBND các xã: Hà Tĩnh KH 624; QĐ 2629's
# and NQ 380's ministries)
_RANK_ASKED = re.compile(r"\b(chi cuc|cuc|so|bo|vien) nao\b")


def of_asked_rank(question_folded: str, agency: str) -> bool:
    """Whether the agency is of the rank the question asks for (True when it asks for none)."""
    m = _RANK_ASKED.search(question_folded)
    # 'Các Cục: Di sản văn hóa, Bản quyền tác giả' is of the rank 'cục' (CV 6225's table; 'Các Bộ: …' in Bến Tre, QĐ 4385)
    return not m or re.sub(r"^(?:cac|nhung) ", "", canonical(agency)).startswith(m[1] + " ")

"""The last check of a drafted answer: does it carry the kind of value the question asks for?

A composer can find the right neighbourhood and still quote a sentence that answers something else: a "trước
ngày nào" question answered by a duty with no date, a "tổng kinh phí bao nhiêu" question answered by a list of
water parameters, a "bao nhiêu ngày" question answered by sample counts. Such an answer is worse than none
(the sixth blind round: 10 of 23 unanswerable questions about new documents were answered this way), so it
becomes an abstention that points to the closest content.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Mapping

from index.agencies import MERGED_2025, canonical, names_agency
from index.provinces import MERGED_INTO, PROVINCES, canonical_province, province_key
from index.store import PlanRecord
from index.text import collapse_ws, fold

from .analysis import COMMUNE_LEVEL, COMMUNE_NAME, Question
from .asks import (
    CITED_DOCUMENT,
    CURRENCY,
    DAY,
    PLACE_EVIDENCE,
    SPAN,
    WEB_ASKED,
    WEB_VALUE,
    YEAR_NUMBER,
    YEARS_COUNT,
    asked_years,
    of_asked_rank,
    recurrence_satisfied,
)
from .compose import Draft, abstain, without_source
from .terms import folded_synonyms

# A time a plan states: a number (date, year, month, quarter number), a roman quarter, or a recurrence/deadline
# in words ('thường xuyên', 'hằng năm', 'định kỳ', 'kịp thời', 'sau khi …').
_TIME_VALUE = re.compile(
    r"\d|\bquy [ivx]+\b|thuong xuyen|\bhang (nam|thang|quy|tuan|ngay)\b|dinh ky|lien tuc|kip thoi|"
    r"\b(ngay|ngay lap tuc|ngay sau|sau khi|truoc khi|khi co|trong (qua trinh|thoi gian))\b|"
    r"\b(cuoi|dau|giua) (nam|thang|quy)\b|giai doan|\b(nam|thang|quy) (toi|sau|nay)\b"
)
# Who does something: an organisation, an office holder or a group of them, by name or abbreviation ('Sở Tài
# chính', 'UBND các xã', 'Chủ tịch UBND', 'BCĐ Điện hạt nhân', 'EVN', 'các sở, ban, ngành', 'doanh nghiệp').
_AGENCY_VALUE = re.compile(
    r"\b(?:Sở|Bộ|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Ban|Cục|Chi cục|Tổng cục|Vụ|Viện|Trung tâm|Công an|Phòng|Đài|Báo|"
    r"Ngân hàng|Hội|Liên minh|Liên đoàn|Thanh tra|Văn phòng|Kho bạc|Bảo hiểm|Tòa án|Toà án|Bộ Chỉ huy|Bộ Tư lệnh|"
    r"Chủ tịch|Giám đốc|Thủ trưởng|Thủ tướng|Chính phủ|Trường|Tập đoàn|Tổng công ty|Công ty|Đoàn|Mặt trận|Cảnh sát|"
    r"Quân khu|Bộ đội|Hợp tác xã|HTX)\b|\b[A-ZĐ]{2,}\b|(?i:\b(?:các|những) (?:sở|bộ|cơ quan|đơn vị|ngành|địa phương|tỉnh|"
    r"xã|phường|huyện|doanh nghiệp|tổ chức|cơ sở)\b|doanh nghiệp|người dân|hộ gia đình|chủ rừng|nhà trường)"
)
# A sum of money, or a budget field with a number (task tables give amounts without a unit: million VND).
# ('năm 2030, tỷ lệ …' is a year before a share, not an amount in tỷ: Bến Tre's targets in round 28)
_MONEY_VALUE = re.compile(
    r"\d(?:[\d.,]*\d)?\s*(dong|ty(?! (?:le|trong)\b)|trieu|nghin|usd)\b|kinh phi[^:\n]{0,40}:\s*\d"
)
# A sum of money asked whatever the intent ('tổng mức đầu tư … bao nhiêu', 'phạt bao nhiêu tiền', 'hỗ trợ bao nhiêu
# tiền'): a capacity, a count or a percentage is not an answer (budget questions about many documents)
_MONEY_ASKED = re.compile(
    r"\bbao nhieu (tien|ty|trieu|nghin|dong|usd)\b|\bmuc dau tu\b|\b(tong )?(so )?von\b.{0,30}\bbao nhieu\b"
    # a fine: 'mức phạt tiền tối đa … là bao nhiêu' (QĐ 2623, Hà Nội's letter, Cần Thơ CT 09, Quảng Trị CT 06), not
    # 'tăng lên bao nhiêu lần', nor 'bị phát hiện … tăng bao nhiêu %', 'đạt mức phát triển … bao nhiêu MW' (folded
    # 'phát' is 'phạt': Bến Tre's renewable capacity in round 28)
    r"|\b(muc (xu )?phat|tien phat|phat tien|bi phat)\b(?! (?:hien|trien|sinh|thai|dong|huy|hanh|tan|song)\b)"
    r".{0,80}\bbao nhieu\b(?! ?(lan|%|phan tram))"
)
# The share a question asks of ('tỷ lệ che phủ rừng', 'tỉ lệ nước thải … được thu gom'): its first two words
# must be in the answer, another share of the same plan is not it (blind rounds 7-8: forest cover answered with a
# waste rate, waste water with solid waste, online-payment services with administrative procedures; 3 documents)
# 'tỷ lệ che phủ rừng', also 'tỷ trọng năng lượng tái tạo' (Cà Mau KH 64 and Sơn La QĐ 2954 were asked so)
_MEASURED = re.compile(
    r"\bt[yi] (?:le|trong) (?!(?:la|dat|bao|cua|o|den|tren|duoi|toi thieu|it nhat)\b)([a-z]+ [a-z]+)"
)
# The same for 'bao nhiêu phần trăm <what>' ('giảm bao nhiêu phần trăm số người nghiện': Cần Thơ KH 153's share of
# drug-free communes is not it; '… trẻ 3 đến 5 tuổi': Hà Tĩnh KH 624's under-3s; '… doanh thu': Đồng Tháp KH 552's
# share of firms; '… nước thải': Hưng Yên's solid waste): its first two words, function words aside
_SHARE_OF = re.compile(r"\bbao nhieu (?:phan tram|%)\s*(?:(?:so|cac|luong|ty le) )?([a-z0-9]+)(?: ([a-z0-9]+))?")
_NOT_MEASURED = frozenset(
    "theo vay the a ha nhe la trong cua o tai den nam vao cho duoc tren duoi va voi moi mot".split()
)
# The labels our own answers put before a row's fields: not a value of the row.
_LABELS = re.compile(r"(?i)thời gian thực hiện|thời hạn|thời gian|kinh phí|cơ quan (chủ trì|phối hợp)|nhiệm vụ")

# an e-mail address asked ('cung cấp địa chỉ thư điện tử nào', 'email của phòng … là gì': SGDĐT CV 5095 was asked so in
# three rounds; letters give a phone, no address), not an e-mail system to be built ('hệ thống email công vụ': QĐ 2629)
EMAIL_ASKED = re.compile(
    r"\b(?:dia chi (?:email|e-mail|thu dien tu)|(?<!he thong )(?:email|e-mail|thu dien tu)\b(?! cong vu)(?: \w+){0,30} "
    r"(?:la gi|nao|gi))\b"
)
EMAIL_VALUE = re.compile(r"[\w.-]+@[\w-]+\.[\w.]+")


_WHAT = {
    "agency": "cơ quan, đơn vị được giao",
    "time": "thời gian, thời hạn",
    "day": "ngày cụ thể",
    "span": "thời hạn (số ngày, tháng)",
    "years": "số năm",
    "money": "số tiền",
    "unit": "con số với đơn vị được hỏi",
    "place": "địa điểm (xã, phường, tỉnh …)",
    "measured": "tỷ lệ được hỏi",
    "chosen": "đơn vị đã được lựa chọn (trúng thầu)",
    "firm": "tên cụ thể (doanh nghiệp, nhà cung cấp, khu công nghiệp …)",
    "per": "mức tính cho mỗi đơn vị được hỏi",
    "rank": "cơ quan đúng cấp được hỏi (cục, sở, bộ, viện …)",
    "person": "họ tên người giữ chức vụ được hỏi",
    "investor": "chủ đầu tư của dự án được hỏi",
    "post": "người giữ chức vụ được hỏi",
    "web": "địa chỉ trang web",
    "email": "địa chỉ thư điện tử",
    "present": "số liệu hiện nay",
}
# A person asked by the office held ('kiến trúc sư trưởng chuyển đổi số … là ai': Hà Nội KH 308; 'thứ trưởng nào được
# phân công': CV 6225; 'phó giám đốc nào': SGDĐT CV 5095): a person's name answers it, never an agency or a task that
# mentions the office. A Vietnamese full name: a family name and two or three more capitalised syllables.
_PERSON_ASKED = re.compile(
    r"\b(?:kien truc su truong|pho truong ban|truong ban|thu truong|pho giam doc|giam doc|pho chu tich|chu tich)\b"
    r"[^?,]{0,60}?\b(?:la ai|ten (?:la )?gi|ho ten)\b|\b(?:ong|ba|thu truong|pho giam doc|pho chu tich) nao\b"
    # the office after 'ai là' ('có nói ai là kiến trúc sư trưởng … không, tên là gì': KH 308; 'ai là giám đốc …')
    r"|\bai la (?:kien truc su truong|thu truong|pho giam doc|giam doc)\b"
)
_PERSON_NAME = re.compile(
    r"\b(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Lâm|Đinh|Trương|Đào|Mai|Tạ|Hà|"
    r"Cao|Lương|Tô|Trịnh|Chu|Đoàn|Vương|Thái|Quách|Kiều|Lại|Tăng|Lò|Vi|Hầu|Giàng|Thào|Sùng)"
    r"(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){2,3}\b"
)
# who holds the post of a board to be set up ('tổ công tác … do ai làm tổ trưởng', 'ai làm trưởng ban', 'ai làm trưởng
# tiểu ban': TP.HCM QĐ 2820, CV 6225): the answer names that post ('Chủ tịch UBND tỉnh làm Trưởng ban'), never only
# the agency that proposes setting the board up
_POST_ASKED = re.compile(
    r"\bai (?:duoc (?:giao|phan cong|cu) )?(?:lam|la|giu(?: chuc)?|dam nhan) (?:chuc )?"
    r"((?:pho )?(?:to truong|truong (?:tieu )?ban|truong doan))\b"
    r"|\b((?:pho )?(?:to truong|truong (?:tieu )?ban|truong doan)) (?:la|do) ai\b"
)


def _post_held(post: str, text: str) -> bool:
    """The answer says who holds the post ('Chủ tịch UBND tỉnh làm Trưởng ban', 'Trưởng ban: …'), not only names it
    as an owner ('Quyết định … của Trưởng Ban Chỉ đạo 934': CV 6225)."""
    return (
        re.search(rf"\b(?:lam|la|giu|dam nhan)(?: chuc)? {post}\b|\b{post}\b[^.;,]{{0,40}}?(?::| la\b)", text)
        is not None
    )


# 'đơn vị nào trúng thầu / đã được lựa chọn để quan trắc': a selection made, which a plan that only says a unit will
# be selected ('Tổ chức lựa chọn đơn vị thực hiện …': Đắk Lắk KH 0134, Thanh Hóa KH 235) does not answer
# (folded, 'hạn chế tối đa chôn lấp' reads 'toi da chon lap': no choice made; in the circular-economy plans of Cà Mau,
# Hưng Yên and Bến Tre, which speak of 'chôn lấp')
_CHOSEN_ASKED = re.compile(r"\btrung thau\b|\b(?:(?<!toi )da|duoc) (?:duoc )?(?:lua )?chon\b(?! lap)")
_CHOSEN_STATED = re.compile(r"\btrung thau\b|\b(?:da|duoc) (?:duoc )?(?:lua )?chon\b|\bla don vi thuc hien\b")


_GIVEN_AGENCY = re.compile(r"(?m)^Cơ quan (?:được giao|chủ trì|thực hiện): ([^\n.]+)")


def _of_rank_asked(q: Question, raw: str) -> bool:
    """The agencies an answer gives ('Cơ quan chủ trì: …') include one of the rank asked, if it gives any."""
    given = [n for g in _GIVEN_AGENCY.findall(raw) for n in re.split(r"[,;]", g)]
    return not given or any(of_asked_rank(q.folded, n.strip()) for n in given)


def missing_kind(q: Question, draft: Draft) -> str:
    """'' when the answer carries what is asked; else which kind of value it lacks."""
    if draft.abstained or not draft.parts:
        return ""
    raw = "\n".join(without_source(p.text) for p in draft.parts)
    text = fold(_LABELS.sub(" ", raw)).lower()
    if q.intent == "time" and not q.asks.fact:
        when = _undated(q, text)
        # 'năm nào' wants a year: any other number ('Điều 102', '03 đợt') is not one
        value = _TIME_VALUE.search(
            re.sub(r"\d+", lambda m: m[0] if YEAR_NUMBER.fullmatch(m[0]) else " ", when)
            if q.asks.time_grain == "year"
            else when
        )
        if not value or not recurrence_satisfied(q.folded, raw):
            return "time"
        # 'trước ngày nào' is not answered by a year, 'hằng năm' or a quarter (blind rounds 8-9: a yearly report, a
        # document's issue date)
        if q.asks.time_grain == "day" and not DAY.search(when):
            return "day"
        if q.asks.time_grain == "span" and not SPAN.search(when):
            return "span"
        if q.asks.time_grain == "years" and not YEARS_COUNT.search(when):
            return "years"
    if q.intent == "lead" and not _AGENCY_VALUE.search(raw):
        return "agency"
    if q.intent == "lead" and _CHOSEN_ASKED.search(q.folded) and not _CHOSEN_STATED.search(text):
        return "chosen"
    if _FIRM_ASKED.search(q.folded) and not _names_firm(raw):
        return "firm"
    if _INVESTOR_ASKED.search(q.folded) and not _INVESTOR_STATED.search(text):
        return "investor"
    if q.asks.fact != "signer" and _PERSON_ASKED.search(q.folded) and not _PERSON_NAME.search(raw):
        return "person"
    if (post := _POST_ASKED.search(q.folded)) and not _post_held(post[1] or post[2], text):
        return "post"
    if WEB_ASKED.search(q.folded) and not WEB_VALUE.search(raw):
        return "web"
    if EMAIL_ASKED.search(q.folded) and not EMAIL_VALUE.search(raw):
        return "email"
    if _PRESENT_ASKED.search(q.folded) and not _PRESENT_STATED.search(text):
        return "present"
    if q.intent == "lead" and not _of_rank_asked(q, raw):
        return "rank"
    unit = (per := _PER_ASKED.search(q.folded)) and (per.group(1) or per.group(2))
    if unit and not re.search(rf"(?:\bmoi|/|\bmot|\btren)\s*{unit}\b", text):
        return "per"
    if (q.intent == "budget" and (q.asks.budget == "total" or q.asks.unit == CURRENCY)) or _MONEY_ASKED.search(
        q.folded
    ):
        return "" if _MONEY_VALUE.search(fold(raw).lower()) else "money"
    if q.asks.place and not _new_place(q.folded, raw):
        return "place"
    if q.asks.place and _PROVINCE_ASKED.search(q.folded) and not _names_province(raw):
        return "place"
    if q.intent in ("target", "general") and not _measured_named(q.folded, raw, text):
        return "measured"
    if (
        q.asks.unit
        and q.asks.unit != CURRENCY
        and (q.intent in ("target", "budget") or (q.intent == "time" and not q.asks.counted))
    ):
        return "" if re.search(q.asks.unit, text) else "unit"
    return ""


# 'mỗi hộ / mỗi doanh nghiệp / mỗi lớp … bao nhiêu': an amount per unit, which a task's total (Cà Mau KH 211's 840
# triệu for the crab-farming model) does not give; asked of eight documents in the question sets (NQ 380, Đồng Tháp
# KH 552 and 617, Hà Nội's letter, Cà Mau KH 64 and 211, Hà Tĩnh KH 624, QĐ 2853) and stated by none, so only an
# answer that states the unit ('… triệu đồng/hộ', 'mỗi hộ được …') stands. Not 'người': 'mọi người' ('vậy mn?',
# everyone) folds alike
_PER_ASKED = re.compile(
    r"\bmoi (ho|doanh nghiep|hop tac xa|lop|mo hinh|du an|hoc vien|co so)\b(?=.*\b(?:bao nhieu|may|muc)\b)"
    r"|\b(?:bao nhieu|may|muc)\b.*\bmoi (ho|doanh nghiep|hop tac xa|lop|mo hinh|du an|hoc vien|co so)\b"
)


# 'nhà mạng nào', 'tập đoàn nào', 'nhà thầu nào': a firm, which a plan names by its proper name ('Tập đoàn FPT, CMC':
# TB 624, asked in rounds 11 and 14); an answer naming none ('Thuê dịch vụ tin nhắn: 50.000.000 đồng': Đắk Lắk KH
# 0134; Hà Nội KH 310's 5G operators, never named) does not say which
# 'những KCN nào' is a park by its name too, not 'tại một số địa phương trọng điểm' (Hưng Yên KH 56 in round 28)
_FIRM_ASKED = re.compile(  # 'loại khu công nghiệp nào' asks a kind, not a name (Bến Tre's eco-parks)
    r"\b(?<!loai )(?<!kieu )(?<!hinh thuc )(nha mang|nha cung cap|nha thau|cong ty|tap doan|nha dau tu|don vi tu van|khu cong nghiep|kcn|cum cong nghiep)"
    r" nao\b"
)


# 'chủ đầu tư … là ai / doanh nghiệp nào': the investor, which a project list naming the project, its capacity and place
# does not give (QĐ 2634's power plants, asked in rounds 11, 23 and 35; Hà Tĩnh KH 624 and Hà Nội's letter speak of
# 'chủ đầu tư' without naming one)
_INVESTOR_ASKED = re.compile(r"\bchu dau tu\b[^?]{0,80}?\b(?:la ai|(?:don vi|doanh nghiep|cong ty|tap doan) nao)\b")
_INVESTOR_STATED = re.compile(r"\b(?:chu|nha) dau tu\b")


# 'hiện nay / hiện giờ / đến nay … bao nhiêu': today's figure, which a target does not give ('phấn đấu đạt 500.000 thuê
# bao' for Starlink's subscribers today: TB 624; 'lựa chọn ít nhất 01 doanh nghiệp' for how many export today: Sơn La
# QĐ 2954); Hà Nội KH 310's 'Hiện nay, tổng số trạm …' does
_NOW = r"\b(?:hien (?:nay|gio|tai)|den nay|bay gio)\b"
_PRESENT_ASKED = re.compile(rf"{_NOW}(?=.*\b(?:bao nhieu|may)\b)|\b(?:bao nhieu|may)\b.*{_NOW}")
_PRESENT_STATED = re.compile(r"\b(?:hien (?:nay|tai|co|dang)|den nay|tinh den|da co|da dat)\b")


def _new_place(folded_question: str, raw: str) -> bool:
    """A place the answer names that the question does not already: 'Trung tâm Dữ liệu quốc gia số 2 … đặt ở đâu' or
    '… đặt ở tỉnh nào' is not answered by '… tại Trung tâm Dữ liệu quốc gia' (TB 624, QĐ 2629; TP.HCM QĐ 2820's
    backup centre: rounds 11 and 35)."""
    asked = set(re.findall(r"\w+", folded_question))
    for m in PLACE_EVIDENCE.finditer(raw):
        words = re.findall(r"\w+", fold(re.split(r"[,.;:()\n]", raw[m.end() - 1 : m.end() + 60])[0]).lower())[:4]
        if any(w not in asked for w in words):
            return True
    return False


def _names_firm(raw: str) -> bool:
    """A capitalised word that does not open a line, sentence or label: a proper name ('Viettel', 'FPT')."""
    return re.search(r"(?<![\n.:;!?-])(?<![\n.:;!?-] )(?<!^)\b[A-ZĐ][\wÀ-ỹđ]*", raw.strip()) is not None


# 'đặt ở tỉnh nào', 'tổ chức tại thành phố nào': a province or city by name, not 'tại Trung tâm Dữ liệu quốc gia'
# (QĐ 2629, TB 624, QĐ 4385: blind rounds 11 and 15)
_PROVINCE_ASKED = re.compile(r"\b(tinh|thanh pho)(,? (thanh pho|tinh))? nao\b")


def _names_province(raw: str) -> bool:
    """Whether a text names a province or city, read by province_key as province_unnamed reads them."""
    text = province_key(raw)
    return any(re.search(rf"\b{re.escape(k)}\b", text) for k in _province_keys())


@lru_cache(maxsize=1)
def _province_keys() -> tuple[str, ...]:
    return tuple(province_key(p) for p in PROVINCES)


def _measured_named(question: str, raw: str, text: str) -> bool:
    """False when the question asks for the share of something ('tỷ lệ che phủ rừng') and the answer names
    neither its words (a plan's synonym counts: 'rác' is 'chất thải') nor their initialism ('DVC')."""
    m = _MEASURED.search(question)
    if m:
        words = m[1].split()
    elif (share := _SHARE_OF.search(question)) and share[1] not in _NOT_MEASURED:
        words = [w for w in share.groups() if w and w not in _NOT_MEASURED]
    else:
        return True
    if re.search(r"\b" + re.escape(" ".join(words)) + r"\b", text):
        return True
    if all(any(re.search(r"\b" + re.escape(a) + r"\b", text) for a in folded_synonyms(w)) for w in words):
        return True
    initials = "".join(w[0] for w in words).upper()
    return any(fold(t).upper().startswith(initials) for t in re.findall(r"\b[A-ZĐ]{2,}\b", raw))


def province_unnamed(q: Question, draft: Draft, plans: Mapping[str, PlanRecord]) -> bool:
    """True when the question is about a province no loaded plan belongs to (read in a national document that
    mentions it) and neither the answer nor its evidence names it or a province merged with it: a sentence
    about all provinces does not say what that one gets (national documents listing provinces: NQ 380, QĐ 2634)."""
    if draft.abstained or not q.other_provinces or q.provinces or q.compare:
        return False
    asked = canonical_province(q.other_provinces[0])
    if not asked:
        return False
    spans = [_block(plans[e.doc_id].text, e.start, e.end) for p in draft.parts for e in p.evidence if e.doc_id in plans]
    raw = " ".join([p.text for p in draft.parts] + spans)
    names = {p for p, into in MERGED_INTO.items() if p == asked or into == asked or MERGED_INTO.get(asked) in (p, into)}
    text = province_key(raw)
    return not any(re.search(r"\b" + re.escape(province_key(n)) + r"\b", text) for n in names | {asked})


# A numbered part the question names ('dự án 8', 'tiểu dự án 2', 'Điều 5'): a document that has no such part cannot
# answer about it. A check of logic like year_unstated; so far met in one document (Cần Thơ KH 153 lists Dự án 1-7,
# asked of 'dự án 8' in rounds 9, 12 and 15)
_ITEM = re.compile(r"\b(tieu du an|du an|dieu) (?:so )?(\d{1,2})\b(?!\s*[/.,]\s*\d| ?(?:lan|nam|thang|ngay|%))")


def item_unstated(q: Question, draft: Draft, plans: Mapping[str, PlanRecord]) -> str:
    """A numbered part the question names that no document the answer quotes has, by that name and number."""
    docs = _quoted_docs(draft, plans)
    if not docs:
        return ""
    for m in _ITEM.finditer(q.folded):
        pattern = re.compile(rf"\b{m[1]} (?:so )?0?{m[2]}\b(?!\s*[/.,]\s*\d)")
        if not any(pattern.search(_folded(plans[d].text)) for d in docs):
            return f"{_ITEM_NAMES[m[1]]} {m[2]}"
    return ""


# An ordinal the question names ('phiên họp lần thứ sáu', 'nền tảng thứ ba'): the documents quoted must name that
# one, or the answer must be that item of a list ('(3) …'); else it is about another (TB 624, the fifth meeting, was
# asked of the sixth in rounds 8, 11, 17, 23; CV 6225, listing two of its '03 nền tảng', of the third in rounds 10,
# 13, 16, 19, 22, 25, 28). Weekdays ('vào thứ sáu', 'thứ hai hằng tuần') are no ordinal of an item.
_ORDINALS = {"hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_ORDINAL = re.compile(
    r"\b(?!(?:vao|ngay|cac|moi|hang|sang|chieu|toi|tuan|va|hoac|den|tu|la)\b)([a-z]+) (lan )?thu "
    r"(hai|ba|tu|nam|sau|bay|tam|chin|muoi|[2-9]|10)\b(?! (?:hang|moi) tuan\b)"
)


def ordinal_unstated(q: Question, draft: Draft, plans: Mapping[str, PlanRecord]) -> str:
    """The ordinal item the question names ('nền tảng thứ ba') when no document quoted names it so and the answer
    is not that item of a list; '' otherwise."""
    docs = _quoted_docs(draft, plans)
    if not docs:
        return ""
    shown = "\n".join(without_source(p.text) for p in draft.parts)
    for m in _ORDINAL.finditer(q.folded):
        noun, word = m[1], m[3]
        n = _ORDINALS.get(word) or int(word)
        words = "|".join([str(n)] + [w for w, v in _ORDINALS.items() if v == n])
        named = re.compile(rf"\b{noun} (?:lan )?thu (?:{words})\b")
        if any(named.search(_folded_flat(plans[d].text)) for d in docs):
            continue
        if re.search(rf"\({n}\)|(?:^|\s){n}[.)]\s", shown):
            continue
        before = q.folded[: m.start()].split()[-1:]  # the noun's first word too: 'nền tảng', 'phiên họp'
        return _as_typed(q, " ".join(before + [m[0]]))
    return ""


def _as_typed(q: Question, folded_span: str) -> str:
    """A folded span of the question as the user typed it (the folded span itself if it cannot be found)."""
    typed = collapse_ws(q.text)
    at = fold(typed).lower().find(folded_span)
    return typed[at : at + len(folded_span)] if at >= 0 and len(fold(typed)) == len(typed) else folded_span


def _quoted_docs(draft: Draft, plans: Mapping[str, PlanRecord]) -> set[str]:
    """The documents an answer quotes (none for an abstention, whose evidence only points to the closest content)."""
    if draft.abstained:
        return set()
    return {e.doc_id for p in draft.parts for e in p.evidence if e.doc_id in plans}


_ITEM_NAMES = {"tieu du an": "tiểu dự án", "du an": "dự án", "dieu": "Điều"}


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return fold(text).lower()


@lru_cache(maxsize=64)
def _folded_flat(text: str) -> str:
    """Folded, on one line: a phrase the PDF wrapped ('Phiên họp lần thứ' / 'năm') reads whole."""
    return collapse_ws(fold(text).lower())


def year_unstated(q: Question, draft: Draft, plans: Mapping[str, PlanRecord]) -> str:
    """A year the question asks about ('tỷ lệ che phủ rừng vào năm 2035') that no document the answer quotes
    mentions anywhere: the answer is about another year (ninth blind round: Cà Mau's 2030 forest-cover target
    given for 2035). A check of logic, not a cue table. Years inside a document's number or date do not count."""
    if q.intent == "fact" or q.asks.fact:
        return ""
    docs = _quoted_docs(draft, plans)
    if not docs:
        return ""
    asked = sorted(asked_years(q.folded))
    return next((y for y in asked if not any(y in plans[d].text for d in docs)), "")


_WHO = re.compile(r"\b(?:co quan|don vi|so|bo|ban|cuc|vien)(?: \w+){0,2} nao\b|\bai\b")  # 'đơn vị nghiệp vụ nào'

# a sentence's doer, or a task row's lead when a unit of the named agency is asked ('đơn vị nào thuộc Bộ Công an
# làm đầu mối' is not answered 'Cơ quan chủ trì: Bộ Công an': QĐ 2623; 'cục nào thuộc Bộ …': CV 6225)
_LEAD_LABEL = re.compile(r"^(?:Cơ quan được giao|Cơ quan chủ trì): ([^\n.]+)")
_SUB_UNIT = re.compile(r"\b(?:truc thuoc|thuoc)\b")  # a unit of the named agency is asked, not the agency


def _answers_with_asked(q: Question, draft: Draft) -> bool:
    """'Cơ quan nào làm đầu mối, đôn đốc các sở, UBND các xã …?' answered 'Cơ quan được giao: UBND các xã': a who
    question is not answered by an agency it names itself (those it names are the ones acted on or worked with)."""
    if draft.abstained or q.intent != "lead" or not q.agencies or not draft.parts or not _WHO.search(q.folded):
        return False
    if "coordinate" in q.roles:
        return False  # 'Sở X làm chung với ai': Sở X is named as the lead
    m = _LEAD_LABEL.match(without_source(draft.parts[0].text))
    if not m or (m[0].startswith("Cơ quan chủ trì") and not _SUB_UNIT.search(q.folded)):
        return False
    given = _PLURAL.sub("", canonical(m.group(1)))
    return any(given == _PLURAL.sub("", canonical(a)) for a in q.agencies)


def _block(text: str, start: int, end: int) -> str:
    """The evidence with the lines before it back to a blank line (at most 300 characters): a table cell's row
    ('NMĐ Hạt nhân Ninh Thuận 1 … DA do BCĐ Điện hạt nhân chỉ đạo')."""
    head = text[max(0, start - 300) : start]
    return head[head.rfind("\n\n") + 1 :] + text[start:end]


def _undated(q: Question, text: str) -> str:
    """The folded answer without the numbers and dates of the documents it cites, unless the question itself
    names a document (then its date may be what is asked)."""
    return text if q.plan_numbers else CITED_DOCUMENT.sub(" ", text)


def names_elsewhere(q: Question, draft: Draft, plans: Mapping[str, PlanRecord]) -> bool:
    """True when the question names agencies (other than the plan's issuer and plural groups such as 'các địa
    phương') and neither the answer, its evidence nor the headings above it name any of them, under its own or
    its 2025 merged name: the answer is another agency's deadline, budget or task (seventh blind round, four
    documents: a report due to 'Sở Nông nghiệp và Môi trường' answered with one due to 'Sở Khoa học và Công
    nghệ'; the budget of 'Sở Thông tin và Truyền thông' answered with another agency's row)."""
    if draft.abstained or not q.agencies or q.intent in ("fact", "general") or q.compare:
        return False
    evidence = [e for part in draft.parts for e in part.evidence if e.doc_id in plans]
    if not evidence:
        return False
    issuers = {i for e in evidence if (i := canonical(plans[e.doc_id].meta.issuer)) and i != "unknown"}
    level = COMMUNE_LEVEL in q.agencies  # the level asked ('ubnd phường xã', 'cấp xã'), not one plan's name of it
    asked = [
        _AGENCY_NAMES.get(k, _COMMUNE_KEYS if level and (COMMUNE_NAME.match(k) or k == _COMMUNE_LEVEL_KEY) else (k,))
        for a in q.agencies
        if (k := canonical(a))
        and not _GROUP.match(k)
        and not any(k in i or i in k for i in issuers)
        and a not in q.besides  # 'ngoài Sở X thì còn ai …': another agency's section answers it
    ]
    if not asked:
        return False
    seen = _PLURAL.sub(
        "", canonical(" ".join([p.text for p in draft.parts] + [_context(plans[e.doc_id], e) for e in evidence]))
    )
    # 'UBND xã, phường' asked is 'UBND các xã, phường' written: the plural word is not part of the name
    return not any(names_agency(_PLURAL.sub("", k), seen) for names in asked for k in names)


def _context(plan: PlanRecord, e) -> str:
    """The evidence span and the start of every section above it (headings name the agency of their items)."""
    path = e.section.split(" > ")
    heads = [plan.section_text(" > ".join(path[: n + 1]))[:300] for n in range(len(path))]
    return " ".join([_clause_lead(plan.text, e.start), plan.text[e.start : e.end], e.section, *heads])


def _clause_lead(text: str, start: int) -> str:
    """The words of its sentence before a clause quoted after ';', back to the sentence's start (at most 300
    characters): who the sentence addresses ('… yêu cầu các Sở, ban, ngành Thành phố, UBND phường, xã và các doanh
    nghiệp viễn thông nghiêm túc triển khai thực hiện; định kỳ trước ngày 30 tháng 11 …': Hà Nội KH 310, Cần Thơ
    CT 09's closing paragraphs likewise)."""
    before = text[max(0, start - 300) : start]
    if not before.rstrip().endswith(";"):
        return ""
    cut = max(before.rfind("\n\n"), before.rfind(". "))
    return before[cut + 1 :]


_PLURAL = re.compile(r"\b(?:cac|nhung) ")
# the commune level asked in general is named by the plans in either order or as the level ('UBND phường, xã' of
# Hà Nội KH 310 and TP.HCM QĐ 2853, 'UBND các xã, phường' of Hà Nội's letter and Cần Thơ's plans, 'UBND cấp xã')
_COMMUNE_LEVEL_KEY = canonical(COMMUNE_LEVEL)
_COMMUNE_KEYS = ("uy ban nhan dan xa phuong", "uy ban nhan dan phuong xa", _COMMUNE_LEVEL_KEY)
# plural groups name nobody in particular ('các địa phương', 'các sở, ngành'): never a reason to refuse
_GROUP = re.compile(r"(cac|nhung|moi) ")
# an agency under its own name and its 2025 merged name (users ask with either)
_AGENCY_NAMES: dict[str, tuple[str, ...]] = {}
for _new, _olds in MERGED_2025.items():
    for _name in (_new, *_olds):
        _AGENCY_NAMES[canonical(_name)] = tuple(canonical(n) for n in (_new, *_olds))


def checked(
    q: Question, draft: Draft, pointer: Callable[[Draft], str], plans: Mapping[str, PlanRecord] | None = None
) -> Draft:
    """The draft, or an abstention saying which value the plans do not state (with the closest content)."""
    kind = missing_kind(q, draft)
    if kind:
        return abstain(f"Các văn bản hiện có không nêu {_WHAT[kind]} cho câu hỏi này.{pointer(draft)}")
    if plans is not None and (year := year_unstated(q, draft, plans)):
        return abstain(f"Các văn bản hiện có không nêu nội dung nào cho năm {year}.{pointer(draft)}")
    if plans is not None and province_unnamed(q, draft, plans):
        return abstain(f"Các văn bản hiện có không nêu nội dung riêng cho {q.other_provinces[0]}.{pointer(draft)}")
    if plans is not None and (item := item_unstated(q, draft, plans)):
        return abstain(f"Văn bản được trích không có {item}.{pointer(draft)}")
    if plans is not None and (item := ordinal_unstated(q, draft, plans)):
        return abstain(f"Văn bản được trích không nêu nội dung “{item}” được hỏi.{pointer(draft)}")
    if _answers_with_asked(q, draft):
        return abstain(f"Các văn bản hiện có không nêu cơ quan nào khác làm việc này.{pointer(draft)}")
    if plans is not None and names_elsewhere(q, draft, plans):
        return abstain(f"Các văn bản hiện có không nêu thông tin này cho {q.agencies[0]}.{pointer(draft)}")
    return draft

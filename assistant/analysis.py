"""Question analysis: clean the text, restore diacritics, and find the role asked, agencies, provinces, plans.

Every pattern is matched on the diacritics-folded text, so "ai chủ trì" and "ai chu tri" are the same question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.agencies import canonical, expand_abbreviations_folded, names_agency
from index.errors import QuestionError
from index.metadata import PROVINCES
from index.provinces import ALIASES as PROVINCE_ALIASES
from index.provinces import canonical_province
from index.text import collapse_ws, fold, has_diacritics, nfc, normalize_tones

from .asks import Asks, find_asks, without_plural_may
from .chat import spell_out
from .initialisms import Initialisms
from .restore import DiacriticsRestorer
from .terms import MONEY_WORDS, Term, extract_terms

MAX_QUESTION_CHARS = 1000

# Cues matched on the folded question; `_intent` decides which one is the question's focus.
# The question words that ask who: 'lead' cues of their own, beside its verbs ('chủ trì', 'phụ trách' …), which also
# tell whose task a question about its time is ('việc VTV chủ trì làm … xong trước ngày nào' asks when)
WHO_CUES: tuple[str, ...] = (
    # 'sở nào', not the 'số' of 'chỉ số nào', 'con số nào', 'hệ số nào', 'mã số nào' (the indices of CV 5095, the city's
    # letter, Hưng Yên KH 56, QĐ 2629, TB 624), nor the 'sở' of '(trên) cơ sở nào' (a basis: Cà Mau KH 64's
    # funding 'trên cơ sở lồng ghép …', Đắk Lắk KH 0134's 'trên cơ sở đề nghị của …')
    r"(co quan|don vi|(?<!chi )(?<!con )(?<!he )(?<!ma )(?<!tan )(?<!co )so|ben|ban|nganh|to chuc|noi|cap) nao",
    # 'lực lượng nào': a force asked by who it is (Quảng Trị CT 06's Công an tỉnh, Cần Thơ CT 09's Công an thành phố,
    # the Hà Nội letter's Công an cấp xã)
    r"\bluc luong nao\b",
    r"\b(bo|cuc|chi cuc|vien|trung tam|phong|dai) nao\b",  # 'bộ nào' (QĐ 2623), 'cục nào' (CV 6225)
    r"\bai\b",
    r"giao cho (ai|co quan|don vi|so|ben|nganh|to chuc)",
    r"\b(bao|phan anh|gui|trinh) (ve|cho|len) (dau|ai|so nao|co quan nao)",
)
# an agency whose name is also a verb ('cơ quan nào đi thanh tra …', 'thanh tra, kiểm tra việc …': Cần Thơ CT 09, TB
# 624, Kon Tum's letter) is named only with its level ('Thanh tra thành phố', 'Thanh tra tỉnh')
_VERB_NAMES = {"thanh tra": r"\bthanh tra (?:tinh|thanh pho|tp|huyen|chinh phu)\b"}
CUES: dict[str, tuple[str, ...]] = {
    "coordinate": (
        # a 'quy chế/cơ chế phối hợp' is a document when its deadline is asked ('… ban hành chậm nhất khi nào': QĐ
        # 2820 of TP.HCM, asked in rounds 14 and 20), not who takes part in it ('… gồm những ngành nào': Hà Tĩnh)
        r"(?<!quy che )(?<!co che )phoi hop|phoi hop(?!.*\b(?:khi nao|cham nhat|thoi diem nao|han chot|bao gio)\b)",
        r"cung voi (ai|co quan nao|nhung ai|don vi nao)",
        # partners in citizens' words: 'bắt tay / làm chung / kết hợp / hợp tác với ai', 'làm cùng sở nào' (TP.HCM QĐ
        # 2853, Hà Nội's letter and KH 310, Hà Tĩnh KH 624, Kon Tum's letter, TP.HCM QĐ 2820)
        r"\b(bat tay voi|lam chung voi|ket hop voi|hop tac voi|lam cung(?: voi)?) (ai|nhung ai|(?:may )?(co quan|don vi|so|ben|to chuc) nao|nhung (co quan|"
        r"don vi|so|ben|to chuc))\b",
        r"\bai cung\b",
        r"\bcung (lam|tham gia|thuc hien)\b",
        r"ho tro (cho )?(co quan|don vi) chu tri",
    ),
    "lead": (
        r"chu tri",
        r"phu trach",
        r"chiu trach nhiem",
        r"\bai lo\b",
        r"\blo\b.*\b(vu|viec|cai|chuyen)\b",
        r"dau moi",
    )
    + WHO_CUES,
    "time": (
        r"khi nao",
        r"bao gio",
        r"thoi han",
        r"han chot",
        # 'nguồn lực nào', 'sản phẩm chủ lực nào', 'năng lực nào' are not 'lúc nào' (folded 'luc' is both)
        # 'thời điểm nào': when (QĐ 2853 UBND TP.HCM, QĐ 2623/QĐ-TTg, Lai Châu KH 7360)
        r"(thoi gian|thoi diem|giai doan|nam|thang|ngay|(?<!nguon )(?<!chu )(?<!nang )(?<!dong )luc|quy) (nao|may)",
        r"thoi gian (thuc hien|hoan thanh|trien khai)",
        r"den (nam|khi) nao",
        r"may (nam|thang)",
        r"tien do",
        r"truoc ngay",
        r"deadline",
        r"\bhan\b.*\b(nao|may)\b",
        r"trong (thoi gian|giai doan|khoang thoi gian) nao",
        r"bat dau (tu )?(khi|luc|nam)",
        r"cham nhat",
        r"vao thang",
        r"\bbao lau\b",  # 'bao lâu một lần', 'trong bao lâu': how often, how long
        r"tan suat|dinh ky nao",  # how often, 'với tần suất như thế nào' (Cần Thơ CT 09, Hà Tĩnh KH 624, TB 624)
    ),
    "amount": (
        r"bao nhieu",
        r"\bmay\b",
        r"muc nao",
        r"ty le",
        r"phan tram",
        r"%",
        r"chi tieu",
        r"so luong",
        r"dat muc",
        r"toi thieu",
        r"toi da",
    ),
    "budget": (
        r"kinh phi",
        r"ngan sach",
        r"chi phi",
        r"trieu dong",
        r"\bvon\b",
        r"\btien\b",
        r"ty dong",
        r"du toan",
        r"\btong chi\b",
    ),
    "duty": (
        r"lam (gi|nhung gi|nhung viec gi|viec gi)",
        r"nhiem vu (cu the )?(gi|cua|nao)",  # "giao Sở X nhiệm vụ cụ thể gì" (QĐ 4385, Thanh Hóa 235)
        r"trach nhiem (gi|cua)",
        r"viec gi",
        r"vai tro (cua|gi)",
        r"duoc giao (gi|nhung|nhiem vu|viec)",
        r"phan cong .* (gi|nhu the nao)",
        r"nhung viec (gi|nao)",
        r"phai (lam|thuc hien) (nhung )?(gi|viec gi)",
        # what an agency is to do, asked by the thing done ('Công an TP phải hướng dẫn các sở, xã phường chuyện gì',
        # 'Trung tâm CĐS còn phải chủ trì lập kế hoạch gì': Hà Nội KH 308, TP.HCM QĐ 2820 in round 32)
        r"\bphai\b[^?]{0,60}?\b(chuyen|viec|dieu) gi\b",
        r"\bphai (chu tri )?(lap|xay dung|soan thao|ban hanh) (nhung |cac )?(ke hoach|de an|chuong trinh|phuong an) gi\b",
    ),
}
COMPARE = (
    r"so sanh",
    r"khac (nhau|gi)",
    r"giong (nhau|gi)",
    r"\bca hai\b",
    r"\b(cac|may|nhung) ke hoach\b",
    r"\bnhung (ke hoach|tinh|van ban)\b",
    r"\btinh nao\b",
    r"\bke hoach nao\b",
    r"\bvan ban nao\b",
    r"\bmoi (tinh|ke hoach)\b",
    r"\btung (tinh|ke hoach)\b",
    r"\bcac tinh\b",
)


def _whole(key: str) -> bool:
    """A name's key cannot end on 'các'/'và'/'của': 'Ủy ban nhân dân các thành phố' keys as 'uy ban nhan dan cac' once
    the province words are stripped, and would name every 'UBND các phường, xã'."""
    return key.split()[-1] not in ("cac", "va", "cua", "nhung")


_FUNCTION_WORDS = frozenset("cac nhung moi tung mot co quan don vi lien".split())  # 'các cơ quan, đơn vị liên quan
STOPWORDS = set(
    fold(w)
    for w in (
        "ai chủ trì phụ trách chịu trách nhiệm chính cơ quan đơn vị nào sở ban ngành là gì không vậy ạ nhỉ hả à ơi "
        "cho hỏi tôi muốn biết xin của theo trong kế hoạch công văn văn bản tỉnh thành phố ở tại về việc thì mà có được "
        "những các cái vụ làm lo khi bao giờ thời gian hạn giai đoạn thực hiện hoàn thành phối hợp với cùng kinh phí "
        "bao nhiêu tiền ngân sách nhiệm vụ trách nhiệm phải cần gì giao đâu đó này nhé"
    ).split()
)
# A document named by its number: "Kế hoạch số 64", "KH 56", "Quyết định 2629/QĐ-TTg", "NQ 380", "CT 09", "CV 6225".
# ('Kế hoạch hành động số 56/KH-UBND': Hưng Yên; 'Thông báo kết luận 624': TB 624 — the kind's full name before the number)
PLAN_REF = re.compile(
    r"\b(ke hoach|kh|cong van|cv|van ban|quyet dinh|qd|nghi quyet|nq|chi thi|ct|thong bao|tb)(?:\s+(?:hanh dong|ket luan))?"
    r"\s*(?:so\s*)?:?\s*((?!(?:19|20)\d\d\b)\d{1,5})(?:\s*/\s*[a-z\-]+)?\b"
)
DOC_NUMBER = re.compile(r"\b\d{1,5}(?:/\d{4})?\s*/\s*[a-zđ]+(?:\s*-\s*[a-zđ&]+)*", re.IGNORECASE)
# The type code a document kind carries in its number ("64/KH-UBND", "2629/QĐ-TTg"); a Công văn has none of its own.
_KIND_CODE = {
    "ke hoach": "KH",
    "kh": "KH",
    "quyet dinh": "QĐ",
    "qd": "QĐ",
    "nghi quyet": "NQ",
    "nq": "NQ",
    "chi thi": "CT",
    "ct": "CT",
    "thong bao": "TB",
    "tb": "TB",
}
# 2025 mergers: a province users may name -> (the province of the corpus it was merged with, the new province).
MERGED_PROVINCES = {
    "Bạc Liêu": ("Cà Mau", "Cà Mau"),
    "Vĩnh Long": ("Bến Tre", "Vĩnh Long"),
    "Trà Vinh": ("Bến Tre", "Vĩnh Long"),
    "Quảng Ngãi": ("Kon Tum", "Quảng Ngãi"),
    "Thái Bình": ("Hưng Yên", "Hưng Yên"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_TAG = re.compile(r"<[^>]{0,200}>")


@dataclass(frozen=True)
class Question:
    raw: str
    text: str  # cleaned
    restored: str  # with diacritics restored where possible
    folded: str  # folded, abbreviations expanded
    intent: str
    roles: tuple[str, ...]  # every role the question asks about, e.g. ("lead", "time")
    agencies: tuple[str, ...]
    provinces: tuple[str, ...]  # named and present in the corpus
    other_provinces: tuple[str, ...]  # named but absent from the corpus
    plan_numbers: tuple[str, ...]
    compare: bool
    content: str  # the topic words, accented where possible
    accented: bool
    english: bool
    terms: tuple[Term, ...] = ()  # topic terms for matching (accent-aware, synonyms)
    asks: Asks = Asks()  # the precise kind of value wanted
    shown: str = ""  # the question as the user typed it (cleaned), for display
    plan_codes: tuple[str, ...] = ()  # "KH:64", "QĐ:2629" … when the question says what kind the numbered document is
    # topic terms set aside because they describe the plan read ('kinh tế tuần hoàn')
    title_terms: tuple[Term, ...] = ()
    # agencies named only in a clause the question sets aside ('ngoài Sở TT&TT thì còn ai …'): known to the asker,
    # not the one the answer must be about
    besides: tuple[str, ...] = ()


# 'ngoài việc X, … còn … gì', 'ngoài các trường thì … cũng …', 'ngoài người ký còn …' (round 18 asked so of Đồng
# Tháp KH 597, CV 5095 and QĐ 2954): X is what the asker already knows, no topic; 'ngoài trời/nước/giờ' is no such
# clause
_BESIDES = re.compile(
    r"\bngoai (?!troi\b|nuoc\b|gio\b|ra\b)(?:viec |cac |nhung )?(.{3,90}?)(?:,|\bthi\b|\bcon\b)"
    r"(?=.*\b(?:con|cung|nua|khac)\b)"
    # 'ngoài việc X, <the question>' sets X aside without 'còn' (TP.HCM QĐ 2853 in round 19)
    r"|^ngoai viec (.{3,90}?),"
    # 'ngoài <an agency> thì <who>' sets it aside too (Bến Tre asked so in rounds 22 and 28, Kon Tum in round 13); not
    # 'ngoài khơi', 'ngoài ngân sách' …, which are no agency
    r"|\bngoai ((?:so|bo|ban|uy ban nhan dan|cuc|chi cuc|hoi|hiep hoi|trung tam|vien|cong an|phong|ngan hang|dai|"
    r"lien minh|mat tran|quy|don vi|co quan|cac)\b.{0,85}?) thi\b"
)


def _set_aside(terms: tuple[Term, ...], folded: str) -> tuple[Term, ...]:
    """The topic terms without those only in the clause the question sets aside (nor its 'ngoài')."""
    m = _BESIDES.search(folded)
    if not m:
        return terms
    rest = set((folded[: m.start()] + " " + folded[m.end() :]).split())
    only = set((m[1] or m[2] or m[3]).split()) - rest
    return tuple(t for t in terms if not set(t.folded.split()) <= only and t.folded != "ngoai")


def _besides_clause(folded: str) -> tuple[str, str]:
    """The clause the question sets aside ('ngoài X thì …') and the question without it; ('', folded) if none."""
    m = _BESIDES.search(folded)
    if not m:
        return "", folded
    return (m[1] or m[2] or m[3]), folded[: m.start()] + " " + folded[m.end() :]


def clean(raw: str) -> str:
    """NFC, strip control characters and HTML tags, collapse spaces; raise on empty or oversized input."""
    if raw is None or not str(raw).strip():
        raise QuestionError("câu hỏi trống", "", "nhập câu hỏi, ví dụ: Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    text = nfc(str(raw))
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"câu hỏi quá dài ({len(text)} ký tự, tối đa {MAX_QUESTION_CHARS})",
            "",
            "rút gọn câu hỏi vào nội dung chính",
        )
    text = _CONTROL.sub(" ", _TAG.sub(" ", text))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "S" or c in "%&+-/<>=")  # emoji, symbols
    text = collapse_ws(text)
    if not re.search(r"\w", text):
        raise QuestionError("câu hỏi không có chữ", "", "nhập câu hỏi bằng chữ, ví dụ: Sở Tài chính Bến Tre làm gì?")
    return text


# Heads that many agencies share ('Ban Quản lý các khu công nghiệp', 'Ban Quản lý rừng phòng hộ', 'Ban Chỉ đạo …'):
# a shortened name must say which one (Quảng Trị's forest boards were asked as 'mấy ban quản lý rừng' twice)
_GENERIC_HEADS = frozenset(("ban quan ly", "ban chi dao", "ban quan ly khu", "ban quan ly cac"))


# The commune level named without its Ủy ban, as the subject of the question: 'xã phường ở Cần Thơ phải thống kê …'
# (Cần Thơ CT 09), 'cấp xã phải làm gì' (Quảng Trị CT 06); its sections are 'Ủy ban nhân dân (các) xã, phường', which
# canonical() keys alike. Not after 'ở/tại/trên địa bàn' (a place) nor before 'nào' (which commune).
# With its Ủy ban in either order ('UBND các phường, xã' for the sections' 'Ủy ban nhân dân các xã, phường, đặc khu':
# TP.HCM QĐ 2853, Hà Nội KH 308 and KH 310, whose communes are 'phường, xã') it is that level wherever it stands.
_COMMUNE_SUBJECT = re.compile(
    r"(?:^|[,:;?]\s*)(?:cac\s+)?(?:chinh quyen\s+)?(?:cap xa|xa,?\s+phuong(?:,?\s+dac khu)?)\b(?!\s+nao)"
    r"|\buy ban nhan dan (?:cac\s+)?(?:cap xa|xa,?\s+phuong|phuong,?\s+xa)\b(?!\s+nao)"
)
COMMUNE_LEVEL = "Ủy ban nhân dân cấp xã"
COMMUNE_NAME = re.compile(r"^uy ban nhan dan (?:cac )?(?:xa phuong|phuong xa)(?: dac khu)?$")


class Analyzer:
    """Turns a raw question into a Question, using the corpus vocabulary and agency names."""

    def __init__(
        self,
        restorer: DiacriticsRestorer,
        agencies: list[str],
        provinces_in_corpus: list[str],
        plan_numbers: dict[str, str],
        initialisms: Initialisms | None = None,
    ) -> None:
        self.restorer = restorer
        self.initialisms = initialisms
        # (name, canonical key), longest key first; ties by name so the order never depends on hashing
        # a key of function words only names nobody: 'Các tỉnh, thành phố' (QĐ 2629, TB 624) keys as 'cac' once the
        # province words are stripped, 'Các cơ quan' as 'cac co quan', and either is found in countless sentences
        self.agency_keys = sorted(
            {(a, k) for a in agencies if (k := canonical(a)) and not set(k.split()) <= _FUNCTION_WORDS and _whole(k)},
            key=lambda x: (-len(x[1]), x[0]),
        )
        self.provinces_in_corpus = provinces_in_corpus
        self.plan_numbers = plan_numbers  # "64" -> doc_id

    def analyze(self, raw: str) -> Question:
        shown = clean(raw)
        text = spell_out(shown)
        if self.initialisms is not None:  # 'luật bvdlcn' -> 'luật bảo vệ dữ liệu cá nhân', as the plans write it
            text = self.initialisms.expand(text)
        accented = has_diacritics(shown)
        restored = text if accented else self.restorer.restore(text)
        folded = expand_abbreviations_folded(text)
        # the role and value asked read from cue words; typed with diacritics, 'nhà máy', 'máy móc' (folded 'may')
        # are not 'mấy' ('how many')
        cues = re.sub(r"\bmay\b", "may_moc", folded) if accented and "mấy" not in shown.lower() else folded
        asks = find_asks(cues)
        intent, roles = self._intent(cues, asks)
        agencies = self._agencies(folded)
        provinces, others = self._provinces(folded, text if accented else "", agencies)
        refs = list(PLAN_REF.finditer(folded))
        plans = tuple(dict.fromkeys(m.group(2) for m in refs))
        codes = tuple(
            dict.fromkeys(f"{_KIND_CODE[m.group(1)]}:{m.group(2)}" for m in refs if _KIND_CODE.get(m.group(1)))
        )
        compare = any(re.search(p, folded) for p in COMPARE) or len(provinces) > 1
        keep = MONEY_WORDS if intent in ("lead", "coordinate", "duty") else ()
        terms = _set_aside(extract_terms(text, restored, accented, keep), folded)
        clause, rest = _besides_clause(folded)
        kept = set(self._agencies(rest)) if clause else set(agencies)
        besides = tuple(a for a in agencies if a not in kept)
        return Question(
            raw,
            text,
            restored,
            folded,
            intent,
            roles,
            agencies,
            provinces,
            others,
            plans,
            compare,
            " ".join(t.text for t in terms),
            accented,
            _looks_english(text),
            terms,
            asks,
            shown,
            codes,
            besides=besides,
        )

    def _intent(self, folded: str, asks: Asks) -> tuple[str, tuple[str, ...]]:
        cue = {name: any(re.search(p, folded) for p in pats) for name, pats in CUES.items()}
        qty = without_plural_may(folded)  # 'mấy đơn vị … nào': a plural, not a count
        cue["amount"] = any(re.search(p, qty) for p in CUES["amount"])
        if re.search(r"\blai suat\b", folded):
            # an interest rate asked ('vay vốn … được giảm lãi suất bao nhiêu': NQ 380's 2%/năm; TB 624's and QĐ 4385's
            # credit) is a figure the plan sets, not money it spends
            cue["budget"] = False
        roles = tuple(r for r in ("lead", "coordinate", "time") if cue[r])
        # 'cơ quan nào chủ trì tổng hợp đề xuất của các sở …' asks who does it, not on whose proposal the document
        # was issued (Lai Châu 7360, QĐ 2623: the finance department's funding role), nor 'cơ quan nào làm đầu mối gom
        # đề xuất của các cơ quan …' (Lai Châu 7360 in round 35; TP.HCM QĐ 2820's 'đầu mối chủ trì')
        basis_lead = (
            asks.fact == "basis" and cue["lead"] and re.search(r"\b(chu tri|chiu trach nhiem|dau moi)\b", folded)
        )
        if asks.fact and not basis_lead:
            return "fact", roles
        if asks.budget and cue["budget"]:
            return "budget", roles + ("budget",)
        if cue["coordinate"]:
            return "coordinate", roles
        if cue["budget"] and cue["amount"] and not cue["lead"]:
            return "budget", roles + ("budget",)
        if cue["duty"] and not re.search(r"(co quan|don vi|so|ben|ban|nganh) nao|\bai\b", folded):
            return "duty", roles
        # 'video VTV chủ trì làm … phải xong trước ngày nào', 'các đơn vị chủ trì phải gửi dự toán … trước ngày nào':
        # the role verb tells whose task it is, the question word asks when (TB 624, Cà Mau KH 211)
        if cue["lead"] and not (cue["time"] and not any(re.search(p, folded) for p in WHO_CUES)):
            return "lead", roles
        if cue["time"]:
            return "time", roles
        if cue["amount"]:
            return "budget" if cue["budget"] else "target", roles
        if cue["duty"]:
            return "duty", roles
        return "general", roles

    def _agencies(self, folded: str) -> tuple[str, ...]:
        folded = DOC_NUMBER.sub(" ", folded)  # "624/KH-UBND", "09/CT-UBND": the issuer's code, not an agency asked of
        key = canonical(folded)
        found: list[str] = []
        for name, k in self.agency_keys:
            if k in _VERB_NAMES and not re.search(_VERB_NAMES[k], folded):
                continue
            if names_agency(k, key) and not any(k in canonical(f) for f in found):
                found.append(name)
        if not found:  # a shortened name: "sở nông nghiệp" -> every agency it can stand for
            # 'cơ sở giáo dục', 'cơ sở y tế' are establishments, not a shortened 'Sở …' (in every sector's plans)
            # nor is the digital 'số' of 'chuyển đổi số', 'công nghệ số', 'hạ tầng số' … ('chuyển đổi số giao thông'
            # is no 'Sở Giao thông': Đồng Tháp KH 597, Hà Nội KH 308, QĐ 2629)
            m = re.search(rf"\b({_NOT_SO}so|ban|trung tam|ngan hang|chi cuc) (\w+ \w+)((?: \w+){{0,2}})", key)
            if m and fold(m.group(2)) not in STOPWORDS:
                prefix = f"{m.group(1)} {m.group(2)}"
                # 'ban quản lý <rừng phòng hộ>' is no 'Ban Quản lý <các KCN>': a shared head needs its next word, and
                # 'ban quản lý khu' the one after ('bql khu cnc' is not the Ban Quản lý Khu kinh tế: Hà Nội KH 310)
                for word in m.group(3).split():
                    if prefix not in _GENERIC_HEADS:
                        break
                    prefix += f" {word}"
                found = [n for n, k in self.agency_keys if k.startswith(prefix)]
        if not found and _COMMUNE_SUBJECT.search(folded):
            found = [COMMUNE_LEVEL]
        if COMMUNE_LEVEL in found:  # the level, under each name the plans give it
            found += [n for n, k in self.agency_keys if COMMUNE_NAME.match(k) and n not in found]
        return tuple(found)

    def _provinces(
        self, folded: str, accented: str, agencies: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Provinces the question names (accent-aware when typed with accents), not counting a province that is
        part of a named agency ('Viện ... TP. Hồ Chí Minh') or the start of an everyday phrase ('lồng an toàn')."""
        for a in agencies:
            folded = folded.replace(fold(a).lower(), " ")
        folded = re.sub(r"[\-–—]", " ", folded)
        inside: list[tuple[int, str]] = []
        outside: list[tuple[int, str]] = []
        seen: set[str] = set()
        for spelling in PROVINCE_SPELLINGS:
            p = canonical_province(spelling)
            if not p or p in seen:
                continue
            m = re.search(r"\b" + re.escape(_spelling_folded(spelling)) + r"(?: (\w+))?\b", folded)
            if not m or (accented and not _written_so(spelling, accented)):
                continue
            if (
                not accented
                and m.group(1)
                and not self.restorer.knows(fold(spelling).lower())
                and self.restorer.knows(f"{fold(spelling).split()[-1].lower()} {m.group(1)}")
            ):
                continue  # 'long an toan' is not Long An
            seen.add(p)
            own = [c for c in self.provinces_in_corpus if canonical_province(c) == p]
            if own:
                inside += [(m.start(), c) for c in own]
            else:
                outside.append((m.start(), spelling if spelling in PROVINCES else p))
        return (
            tuple(dict.fromkeys(c for _, c in sorted(inside))),  # in the order the question names them
            tuple(dict.fromkeys(c for _, c in sorted(outside))),
        )


# Every way a province is written (canonical names first, then the aliases), longest first so that
# "Thành phố Hồ Chí Minh" is read before "Hồ Chí Minh".
PROVINCE_SPELLINGS = tuple(sorted(set(PROVINCES) | set(PROVINCE_ALIASES), key=lambda s: (-len(s), s)))


def _spelling_key(text: str) -> str:
    """Accent-keeping key: new tone placement, Đắk/Đăk unified, dashes as spaces, lower case."""
    key = normalize_tones(text).lower()
    key = re.sub(r"\bđăk\b|\bđắc\b", "đắk", key)
    key = re.sub(r"\blăk\b|\blắc\b", "lắk", key)
    return re.sub(r"[\s\-–—]+", " ", key)


def _written_so(spelling: str, accented: str) -> bool:
    """In a question typed with accents, the place is written with this province's accents ('lồng an' is not
    Long An); a spelling the question does not contain letter for letter (TP.HCM spelled out) is accepted."""
    plain = re.sub(r"[\s\-–—.]+", " ", fold(accented))
    target = _spelling_folded(spelling)
    hits = [m.start() for m in re.finditer(r"\b" + re.escape(target) + r"\b", plain)]
    if not hits:
        return True
    text = re.sub(r"[\s\-–—.]+", " ", unicodedata.normalize("NFC", accented))
    return any(_spelling_key(text[i : i + len(target)]) == _spelling_key(spelling) for i in hits)


def _spelling_folded(text: str) -> str:
    return re.sub(r"[\s\-–—.]+", " ", fold(text).lower()).strip()


# the word before a digital 'số' ('chuyển đổi số', 'công nghệ số', 'kỹ thuật số', 'hạ tầng số', 'dữ liệu số', 'kinh tế
# số'), which folds like 'Sở'
DIGITAL_SO_AFTER = ("doi", "nghe", "thuat", "tang", "lieu", "te")
_NOT_SO = "".join(rf"(?<!\b{w} )" for w in ("co",) + DIGITAL_SO_AFTER)


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-zA-Z]+", text)
    common = {
        "who",
        "what",
        "when",
        "which",
        "the",
        "is",
        "does",
        "of",
        "plan",
        "leads",
        "lead",
        "how",
        "much",
        "budget",
        "department",
        "responsible",
        "for",
        "task",
    }
    # a share, not a count: unaccented Vietnamese has 'the' twice in '<thể chế> … <thể thao>' (QĐ 4385, CV 6225)
    english = sum(w.lower() in common for w in words)
    return len(words) >= 3 and english >= 2 and english >= ENGLISH_SHARE * len(words) and not has_diacritics(text)


ENGLISH_SHARE = 0.3  # 'who leads the biogas task' is 4 of 5; a Vietnamese question has a few 'the' among 15 words

"""Question analysis: clean the text, restore diacritics, and find the role asked, agencies, provinces, plans.

Every pattern is matched on the diacritics-folded text, so "ai chủ trì" and "ai chu tri" are the same question.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.agencies import canonical, expand_abbreviations, expand_abbreviations_folded
from index.errors import QuestionError
from index.metadata import PROVINCES
from index.text import collapse_ws, fold, has_diacritics, nfc

from .restore import DiacriticsRestorer

MAX_QUESTION_CHARS = 1000

# Cues matched on the folded question; `_intent` decides which one is the question's focus.
CUES: dict[str, tuple[str, ...]] = {
    "fact": (r"so hieu", r"\bso may\b", r"\bso bao nhieu\b.*\b(ke hoach|van ban|cong van)", r"ngay ban hanh",
             r"ban hanh (ngay|khi|luc|nam) nao", r"\bai ky\b", r"nguoi ky", r"\bky boi\b", r"\bky ban hanh\b",
             r"\bcan cu\b", r"(thuc hien|trien khai|cu the hoa) (quyet dinh|de an|chuong trinh) (nao|gi|so may)",
             r"theo quyet dinh nao", r"quyet dinh (nao|gi|so may)", r"\bky ngay\b", r"(de xuat|de nghi) cua (ai|co quan nao|so nao)",
             r"(ke hoach|cong van|van ban) (nay |do )?(do )?(ai|co quan nao) ban hanh", r"\bai ky\b"),
    "coordinate": (r"phoi hop", r"cung voi (ai|co quan nao|nhung ai)", r"\bai cung\b", r"\bcung (lam|tham gia)\b"),
    "lead": (r"chu tri", r"phu trach", r"chiu trach nhiem", r"\bai lo\b", r"\blo\b.*\b(vu|viec|cai)\b",
             r"(co quan|don vi|so|ben|ban|nganh|to chuc|noi) nao", r"\bai\b", r"giao cho", r"dau moi"),
    "time": (r"khi nao", r"bao gio", r"thoi han", r"han chot", r"(thoi gian|giai doan|nam|thang|ngay|luc) nao",
             r"thoi gian (thuc hien|hoan thanh|trien khai)", r"den (nam|khi) nao", r"may (nam|thang)", r"tien do",
             r"truoc ngay (nao|may)", r"deadline", r"\bhan\b.*\b(nao|may)\b", r"ngay may", r"trong (thoi gian|giai doan) nao"),
    "amount": (r"bao nhieu", r"\bmay\b", r"muc nao", r"ty le", r"phan tram", r"%", r"chi tieu", r"so luong", r"dat muc"),
    "budget": (r"kinh phi", r"ngan sach", r"chi phi", r"trieu dong", r"\bvon\b", r"\btien\b", r"ty dong", r"du toan"),
    "duty": (r"lam (gi|nhung gi|nhung viec gi)", r"nhiem vu (gi|cua|nao)", r"trach nhiem (gi|cua)", r"viec gi",
             r"vai tro (cua|gi)", r"duoc giao (gi|nhung|nhiem vu)", r"phan cong .* (gi|nhu the nao)"),
}
COMPARE = (r"so sanh", r"khac (nhau|gi)", r"giong (nhau|gi)", r"\bca hai\b", r"\b(cac|may|nhung) ke hoach\b",
           r"\bnhung (ke hoach|tinh|van ban)\b", r"\btinh nao\b", r"\bke hoach nao\b", r"\bvan ban nao\b",
           r"\bmoi (tinh|ke hoach)\b", r"\btung (tinh|ke hoach)\b")
STOPWORDS = set(fold(w) for w in (
    "ai chủ trì phụ trách chịu trách nhiệm chính cơ quan đơn vị nào sở ban ngành là gì không vậy ạ nhỉ hả à ơi "
    "cho hỏi tôi muốn biết xin của theo trong kế hoạch công văn văn bản tỉnh thành phố ở tại về việc thì mà có được "
    "những các cái vụ làm lo khi bao giờ thời gian hạn giai đoạn thực hiện hoàn thành phối hợp với cùng kinh phí "
    "bao nhiêu tiền ngân sách nhiệm vụ trách nhiệm phải cần gì giao đâu đó này nhé "
    # informal fillers citizens type
    "vậy thế nhỉ ạ ơi hả hử ko không k hok dc đc được xong coi xem biết hỏi muốn tính định ra đi mấy nữa luôn "
    "rồi chưa bên nào nào ai lo làm cái vụ việc chuyện tui mình em anh chị bác ông bà với và hay hoặc như nha").split())
PLAN_REF = re.compile(r"\b(ke hoach|kh|cong van|cv|van ban)\s*(?:so\s*)?:?\s*(\d{1,4})(?:\s*/\s*[a-z\-]+)?\b")
# Provinces merged in 2025 into a province whose (older) plan the corpus may hold.
MERGED_PROVINCES = {"Bạc Liêu": "Cà Mau", "Vĩnh Long": "Bến Tre", "Trà Vinh": "Bến Tre", "Quảng Ngãi": "Kon Tum",
                    "Thái Bình": "Hưng Yên"}
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


def clean(raw: str) -> str:
    """NFC, strip control characters and HTML tags, collapse spaces; raise on empty or oversized input."""
    if raw is None or not str(raw).strip():
        raise QuestionError("câu hỏi trống", "", "nhập câu hỏi, ví dụ: Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    text = nfc(str(raw))
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"câu hỏi quá dài ({len(text)} ký tự, tối đa {MAX_QUESTION_CHARS})", "",
                            "rút gọn câu hỏi vào nội dung chính")
    text = _CONTROL.sub(" ", _TAG.sub(" ", text))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "S" or c in "%&+-/<>=")  # emoji, symbols
    text = collapse_ws(text)
    if not re.search(r"\w", text):
        raise QuestionError("câu hỏi không có chữ", "", "nhập câu hỏi bằng chữ, ví dụ: Sở Tài chính Bến Tre làm gì?")
    return text


class Analyzer:
    """Turns a raw question into a Question, using the corpus vocabulary and agency names."""

    def __init__(self, restorer: DiacriticsRestorer, agencies: list[str], provinces_in_corpus: list[str],
                 plan_numbers: dict[str, str]) -> None:
        self.restorer = restorer
        self.agencies = sorted(set(agencies), key=lambda a: -len(canonical(a)))
        self._agency_keys = [(a, canonical(a)) for a in self.agencies]
        self.provinces_in_corpus = provinces_in_corpus
        self.plan_numbers = plan_numbers  # "64" -> doc_id

    def analyze(self, raw: str) -> Question:
        text = clean(raw)
        accented = has_diacritics(text)
        restored = text if accented else self.restorer.restore(text)
        folded = expand_abbreviations_folded(text)
        intent, roles = self._intent(folded)
        provinces, others = self._provinces(folded)
        plans = tuple(dict.fromkeys(m.group(2) for m in PLAN_REF.finditer(folded)))
        compare = any(re.search(p, folded) for p in COMPARE) or len(provinces) > 1
        return Question(raw, text, restored, folded, intent, roles, self._agencies(folded), provinces, others, plans,
                        compare, self._content(restored), accented, _looks_english(text))

    def _intent(self, folded: str) -> tuple[str, tuple[str, ...]]:
        cue = {name: any(re.search(p, folded) for p in pats) for name, pats in CUES.items()}
        roles = tuple(r for r in ("lead", "coordinate", "time") if cue[r])
        if cue["fact"]:
            return "fact", roles
        if cue["coordinate"]:
            return "coordinate", roles
        if cue["budget"] and cue["amount"] and not cue["lead"]:
            return "budget", roles + ("budget",)
        if cue["duty"] and not re.search(r"(co quan|don vi|so|ben|ban|nganh) nao|\bai\b", folded):
            return "duty", roles
        if cue["lead"]:
            return "lead", roles
        if cue["time"]:
            return "time", roles
        if cue["amount"]:
            return "budget" if cue["budget"] else "target", roles
        if cue["duty"]:
            return "duty", roles
        return "general", roles

    def _agencies(self, folded: str) -> tuple[str, ...]:
        key = canonical(folded)
        found: list[str] = []
        for name, k in self._agency_keys:
            if k and re.search(r"\b" + re.escape(k) + r"\b", key) and not any(k in canonical(f) for f in found):
                found.append(name)
        if not found:  # a shortened name: "sở nông nghiệp" -> every agency it can stand for
            m = re.search(r"\b(so|ban|trung tam|ngan hang|chi cuc) (\w+ \w+)", key)
            if m and fold(m.group(2)) not in STOPWORDS:
                prefix = f"{m.group(1)} {m.group(2)}"
                found = [n for n, k in self._agency_keys if k.startswith(prefix)]
        return tuple(found)

    def _provinces(self, folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        inside, outside = [], []
        for p in PROVINCES:
            if re.search(r"\b" + re.escape(fold(p)) + r"\b", folded):
                if re.search(r"thanh pho ho chi minh", folded) and p == "Hồ Chí Minh":
                    continue
                (inside if p in self.provinces_in_corpus else outside).append(p)
        return tuple(inside), tuple(outside)

    def _content(self, restored: str) -> str:
        expanded = expand_abbreviations(restored)
        words = [w for w in re.findall(r"[\wÀ-ỹđĐ%]+", expanded) if fold(w).lower() not in STOPWORDS]
        return " ".join(words)


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-zA-Z]+", text)
    common = {"who", "what", "when", "which", "the", "is", "does", "of", "plan", "leads", "lead", "how", "much",
              "budget", "department", "responsible", "for", "task"}
    return len(words) >= 3 and sum(w.lower() in common for w in words) >= 2 and not has_diacritics(text)

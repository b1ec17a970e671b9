"""Question analysis: clean the text, restore diacritics, and find the role asked, agencies, provinces, plans.

Every pattern is matched on the diacritics-folded text, so "ai chủ trì" and "ai chu tri" are the same question.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.agencies import MERGED_2025, canonical, expand_abbreviations_folded
from index.errors import QuestionError
from index.metadata import PROVINCES
from index.text import collapse_ws, fold, has_diacritics, nfc

from .restore import DiacriticsRestorer

MAX_QUESTION_CHARS = 1000

# (intent, folded patterns). Checked in order; the first intent with a hit wins.
INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fact", (r"so hieu", r"\bso may\b", r"\bso bao nhieu\b.*\b(ke hoach|van ban|cong van)", r"ngay ban hanh",
              r"ban hanh (ngay|khi|luc|nam) nao", r"\bai ky\b", r"nguoi ky", r"\bky boi\b", r"\bky ban hanh\b",
              r"\bcan cu\b", r"(thuc hien|trien khai|cu the hoa) (quyet dinh|de an|chuong trinh) (nao|gi|so may)",
              r"theo quyet dinh nao", r"quyet dinh (nao|gi|so may)", r"\bky ngay\b", r"de xuat cua (ai|co quan nao)",
              r"(ke hoach|cong van|van ban) (nay |do )?(do )?(ai|co quan nao) ban hanh")),
    ("budget", (r"kinh phi", r"bao nhieu tien", r"ngan sach", r"chi phi", r"\bvon\b", r"trieu dong", r"\btien\b",
                r"\bty dong\b", r"\bdu toan\b")),
    ("coordinate", (r"phoi hop", r"cung voi (ai|co quan nao|nhung ai)", r"ho tro (ai|cho ai)", r"\bcung lam\b",
                    r"\bai cung\b", r"\bden ai phoi\b")),
    ("time", (r"khi nao", r"bao gio", r"thoi han", r"thoi gian", r"giai doan", r"nam nao", r"han chot", r"\bhan\b",
              r"luc nao", r"deadline", r"truoc ngay", r"den (nam|khi) nao", r"may (nam|thang)", r"thang nao",
              r"hoan thanh (vao|trong|khi)", r"tien do")),
    ("duty", (r"nhiem vu (gi|cua|nao)", r"trach nhiem (gi|cua)", r"(phai|can|duoc giao|se|co) lam (gi|nhung gi)",
              r"\blam gi\b", r"duoc giao (gi|nhung|nhiem vu)", r"vai tro (cua|gi)", r"nhung viec gi",
              r"viec gi", r"giao (cho )?.*(nhung )?(nhiem vu|viec) gi", r"phan cong .* (gi|nhu the nao)")),
    ("lead", (r"chu tri", r"phu trach", r"chiu trach nhiem", r"\bai lo\b", r"\blo\b.*\b(vu|viec|cai)",
              r"(co quan|don vi|so|ban|nganh|ai) nao", r"\bai (lam|thuc hien|dam nhan|dam nhiem|trien khai|theo doi|"
              r"xay dung|to chuc|tham muu|huong dan|chi dao|dau moi|giam sat|danh gia|quan ly|bien soan|van hanh)",
              r"giao cho (ai|co quan nao|so nao)", r"do ai", r"\bai\b.*\b(nhiem vu|viec)\b", r"dau moi", r"\bai\b")),
    ("target", (r"chi tieu", r"ty le", r"phan tram", r"%", r"muc tieu", r"bao nhieu", r"dat (muc|duoc|bao)",
                r"so luong", r"\bmay\b")),
)
COMPARE = (r"so sanh", r"khac (nhau|gi)", r"giong (nhau|gi)", r"\bca hai\b", r"\bcac ke hoach\b",
           r"\bnhung (ke hoach|tinh|van ban)\b", r"\btinh nao\b", r"\bke hoach nao\b", r"\bvan ban nao\b",
           r"\bmoi (tinh|ke hoach)\b", r"\btung (tinh|ke hoach)\b")
STOPWORDS = set(fold(w) for w in (
    "ai chủ trì phụ trách chịu trách nhiệm chính cơ quan đơn vị nào sở ban ngành là gì không vậy ạ nhỉ hả à ơi "
    "cho hỏi tôi muốn biết xin của theo trong kế hoạch công văn văn bản tỉnh thành phố ở tại về việc thì mà có được "
    "những các cái vụ làm lo khi bao giờ thời gian hạn giai đoạn thực hiện hoàn thành phối hợp với cùng kinh phí "
    "bao nhiêu tiền ngân sách nhiệm vụ trách nhiệm phải cần gì giao đâu đó này nhé").split())
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
        hits = [name for name, pats in INTENTS if any(re.search(p, folded) for p in pats)]
        if not hits:
            return "general", ()
        primary = hits[0]
        if primary == "lead" and "target" in hits and not re.search(r"chu tri|phu trach|trach nhiem|\bai\b", folded):
            primary = "target"
        if primary == "duty" and re.search(r"(co quan|don vi|so|ban|nganh|ai) nao|\bai\b", folded):
            primary = "lead"
        roles = tuple(h for h in hits if h in ("lead", "coordinate", "time", "budget"))
        return primary, roles

    def _agencies(self, folded: str) -> tuple[str, ...]:
        key = canonical(folded)
        found: list[str] = []
        for name, k in self._agency_keys:
            if k and re.search(r"\b" + re.escape(k) + r"\b", key) and not any(k in canonical(f) for f in found):
                found.append(name)
        for new, olds in MERGED_2025.items():
            if new in found:
                found.extend(o for o in olds if o not in found)
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
        words = [w for w in re.findall(r"[\wÀ-ỹđĐ%]+", restored) if fold(w).lower() not in STOPWORDS]
        return " ".join(words)


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-zA-Z]+", text)
    common = {"who", "what", "when", "which", "the", "is", "does", "of", "plan", "leads", "lead", "how", "much",
              "budget", "department", "responsible", "for", "task"}
    return len(words) >= 3 and sum(w.lower() in common for w in words) >= 2 and not has_diacritics(text)

"""Topic terms of a question: what it is about, once question words, role words, scope and fillers are gone.

Accent-aware: a word typed with diacritics matches only that word ("dầu" is not "đầu"); a word typed without
them matches any accented form ("dau" ~ dầu, đầu). Everyday words also match the plans' administrative
vocabulary ("rác" ~ "chất thải", "kêu gọi" ~ "thu hút"). Abbreviations are spelled out ("KTTH", "Sở TN&MT").
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from index.agencies import ABBREVIATIONS
from index.metadata import PROVINCES
from index.text import UPPER, fold, has_diacritics, nfc, normalize_tones

SYLLABLE = re.compile(r"[\wÀ-ỹđĐ%]+", re.UNICODE)

# Role, question and scope phrases: they say what kind of answer is wanted, not what it is about.
STOP_PHRASES = (
    "cơ quan",
    "đơn vị",
    "chủ trì",
    "phụ trách",
    "chịu trách nhiệm chính",
    "chịu trách nhiệm",
    "trách nhiệm",
    "nhiệm vụ",
    "phối hợp",
    "thời gian",
    "thời hạn",
    "hạn chót",
    "kéo dài",  # 'kéo dài tới khi nào', 'kéo dài bao lâu': how long, not a topic (NQ 380's support, QĐ 2629's tasks)
    "hoàn thành",
    "thực hiện",
    "kinh phí",
    "ngân sách",
    # 'lấy tiền ở đâu', 'tiền lấy từ đâu': the funding source asked informally, as 'kinh phí' is formally (Lai Châu KH
    # 7360, QĐ 2623, Cần Thơ KH 153, Đắk Lắk KH 0134 were asked so); whole, so 'tiến', 'ưu tiên' stay words
    "lấy tiền",
    "tiền lấy",
    "ở đâu",
    "từ đâu",
    "bao nhiêu",
    "bao giờ",
    "khi nào",
    "lúc nào",
    "như thế nào",
    "thế nào",
    "ra sao",
    "là gì",
    "làm gì",
    "việc gì",
    "những gì",
    "cái gì",
    "kế hoạch",
    "công văn",
    "văn bản",
    "được giao",
    "giao cho",
    "cho hỏi",
    "muốn biết",
    "xin hỏi",
    "phần trăm",
    # a web address asked ('ở trang web nào', 'địa chỉ website'): the kind of value, not the topic (asks.WEB_ASKED)
    "trang web",
    "website",
    "ban hành",
    "đứng ra",
    "lo liệu",
    "tham gia cùng",
    "cùng với",
    "đảm nhiệm",
    "triển khai thực hiện",
    "cụ thể",
    "trên địa bàn",
    "địa bàn",
    "phụ lục",
    "ủy ban nhân dân tỉnh",
    "tỉnh",
    "thành phố",
    "làm đầu mối",
    "đầu mối",
    "tổng cộng",
    "tổng kinh phí",
    "tổng số tiền",
    "tổng số",
    "bắt đầu từ",  # whole, so that its 'đầu từ' is not read as 'đầu tư' (invest) in a question without accents
    "bắt đầu",
    "hiện nay",
    "liệt kê",
    "cho biết",
    "rõ ràng",
    "vui lòng",
    "tính toán",
    "dự trù",
    "dự kiến",
    "kỳ vọng",
    "chậm nhất",
    "muộn nhất",
    "trễ nhất",
    "mọi người",
    "lần lượt",
    "tính tới",
    "tính đến",
    "tần suất",
    "bao lâu",
    # 'bao lâu một lần', 'mấy lần một năm': how often is asked, the recurrence answers (asks.HOW_OFTEN; Cà Mau KH 64,
    # TP.HCM QĐ 2820, SGDĐT CV 5095 were asked so)
    "một lần",
    "1 lần",
)
STOP_WORDS = frozenset(
    "ai gì nào đâu ở tại của và với các những cái vụ việc chuyện thì mà là có không được bị cho về theo trong "
    "này đó kia nhé nha ạ ơi hả à vậy thế nhỉ hở chứ đi rồi chưa nữa luôn mấy bao sở ban ngành lo làm tôi mình "
    "em anh chị bác ông bà tui hay hoặc như để từ đến do bởi phải cần nên sẽ đã đang muốn biết hỏi xin coi xem "
    "nhờ ra lên còn thôi năm tháng ngày nhiêu nhiều k ko hok dc đc vs gi nao hết giao tới đặt nếu lấy "
    "khoản gồm riêng nói nêu ghi khoảng tầm mức bên phía người đấy ấy kể nơi trước sau xong cứ chỉ hãy giúp mong "
    "lắm rất thật mảng dành tốn đem xuống hẳn gặp vì ta họ nộp chừng mn mng ad vs ơ nhá nhen hen cùng nay đợt "
    "lượt tiền á khi".split()
)
# Folded syllables that are content words as often as function words: kept when typed without accents.
AMBIGUOUS = frozenset(
    "tai dau co the de cua trong do can nen da dang hoi giup con bao cai thi vu tu den ra lo nhieu".split()
)
# Everyday words and the plans' wording for the same thing (either side matches the other). Audited 2026-12-02 over
# all 64 runs: without the 22 groups no question matched across documents, 10 five-plan answers broke (the 'rác' and
# 'chôn lấp' groups serve Hưng Yên's, Cà Mau's and Bến Tre's waste targets); 'tuyên truyền ~ truyền thông ~ phổ biến'
# and 'ưu đãi ~ khuyến khích' cost 8 development-document answers (Cần Thơ CT 09, Lai Châu, QĐ 2623, Hà Nội KH 310)
# and fixed none, so they are gone.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("rác", "rác thải", "chất thải"),
    ("kêu gọi", "thu hút"),
    ("nhà đầu tư", "đầu tư"),
    ("đề xuất", "tham mưu", "kiến nghị"),
    ("phân bổ", "bố trí", "cân đối"),
    ("tập huấn", "đào tạo", "bồi dưỡng"),
    ("học sinh", "trường học", "nhà trường", "giáo dục"),
    ("nông dân", "người dân", "hộ dân"),
    ("điện mặt trời", "năng lượng mặt trời"),
    ("điện gió", "năng lượng gió"),
    ("điện tái tạo", "năng lượng tái tạo"),
    ("túi ni lông", "túi nilon", "túi nylon", "bao bì"),
    ("vay vốn", "tín dụng"),
    # 'tiền' is how citizens say funds ('về chuyện tiền thì Sở VHTTDL … làm gì': QĐ 4385's 'nguồn vốn đối ứng'; 'tiền để
    # thực hiện kế hoạch … lấy từ nguồn nào', 'trình HĐND bố trí tiền': QĐ 2623's 'kinh phí', 'ngân sách')
    ("tiền", "kinh phí", "vốn", "ngân sách"),
    ("xe điện", "phương tiện sử dụng điện", "phương tiện giao thông sử dụng điện"),
    ("kiểm tra", "giám sát", "theo dõi", "đôn đốc"),
    ("hội thảo", "hội nghị", "diễn đàn"),
    ("phân bón hữu cơ", "phân hữu cơ"),
    ("chôn", "chôn lấp"),
    ("soạn", "soạn thảo", "xây dựng"),
    ("website", "trang thông tin", "cổng thông tin", "nền tảng"),
    ("quy định", "văn bản quy phạm pháp luật", "chính sách", "cơ chế"),
    ("khí thải", "phát thải", "khí nhà kính"),
    ("giảm", "giảm thiểu", "hạn chế", "cắt giảm", "giảm bớt", "bớt"),
    ("tiết kiệm điện", "tiết kiệm năng lượng", "năng lượng tiết kiệm"),
    ("siêu thị", "trung tâm thương mại"),
    ("thức ăn thừa", "đồ ăn thừa", "chất thải thực phẩm"),
    ("dùng lại", "tái sử dụng"),
    ("bộ đội", "quân sự"),
    ("thanh niên", "đoàn thanh niên", "tỉnh đoàn"),
    ("rơm", "rơm rạ"),
    ("phân loại rác", "phân loại chất thải", "phân loại"),
    ("khu công nghiệp", "kcn"),
    ("trường nghề", "giáo dục nghề nghiệp", "cơ sở giáo dục nghề nghiệp"),
    ("giáo trình", "chương trình, giáo trình", "tài liệu"),
    ("tối thiểu", "ít nhất"),
    ("giảng dạy", "giáo dục", "dạy học"),
    ("kiến thức", "nội dung", "hiểu biết"),
    ("đưa vào", "lồng ghép", "tích hợp"),
    ("tối đa", "không quá"),
    ("công suất", "mw"),
    ("hecta", "ha", "héc ta", "hec ta"),
    ("định nghĩa", "được hiểu là", "khái niệm"),
    ("giải thích", "được hiểu là"),
    # 'báo đài' is how people say the press: Lai Châu's 'Báo và Phát thanh, Truyền hình', the 'cơ quan báo chí' of
    # Đồng Tháp KH 617, Hà Tĩnh KH 624 and Cần Thơ KH 153, Hưng Yên's 'Đài Phát thanh và Truyền hình'
    ("báo đài", "báo chí", "phát thanh", "truyền hình"),
    # parents: Hà Tĩnh KH 624's 'cha mẹ trẻ em', Cần Thơ KH 153's 'Ban Đại diện cha mẹ học sinh'
    ("phụ huynh", "cha mẹ"),
    # teachers as citizens say it: the 'giáo viên' of TP.HCM QĐ 2853, Hà Tĩnh KH 624, Hà Nội SGDĐT CV 5095
    ("thầy cô", "giáo viên", "nhà giáo"),
    # a public-private partnership by its English initials: Hà Nội KH 310, QĐ 2629, QĐ 4385, Đồng Tháp KH 552 write
    # 'hợp tác công tư' or 'đối tác công tư', with or without '(PPP)'
    ("ppp", "hợp tác công tư", "đối tác công tư"),
    # 'online' is how citizens say 'trực tuyến' (the online public services of QĐ 2629, QĐ 2820, Hà Nội KH 308, TB 624)
    ("online", "trực tuyến"),
)
# Phrases kept whole although a word of theirs is a stop word ("giao thông" is not "giao" = assign).
KEEP_PHRASES = (
    "giao thông",
    "giao thông vận tải",
    "giao dịch",
    "chỉ số",
    "chỉ tiêu",
    "chỉ đạo",
    "chỉ thị",
    "sau thu hoạch",
    "người dân",
    "người lao động",
    "người tiêu dùng",
)
# Spelling variants (i/y) folded to one form.
_VARIANTS = {"ti": "ty", "ki": "ky", "li": "ly", "qui": "quy", "mi": "my"}


@functools.lru_cache(maxsize=65536)
def exact_key(word: str) -> str:
    """Lowercase, NFC, new-style tone placement, 'hằng' spelled 'hàng': the key of a typed-accent word."""
    w = normalize_tones(nfc(word)).lower()
    return "hàng" if w == "hằng" else w


@functools.lru_cache(maxsize=65536)
def folded_key(word: str) -> str:
    """Folded key; '02' and '2' are one number, 'tỉ' and 'tỷ' one spelling."""
    f = fold(word)
    if f.isdigit():
        return str(int(f))
    return _VARIANTS.get(f, f)


@dataclass(frozen=True)
class Term:
    """One topic word (or a synonym phrase) of a question."""

    text: str  # display form, accents restored where possible
    folded: str  # folded form (words separated by spaces)
    exact: str = ""  # accented key when the user typed the accents, else "" (match folded)
    alts: tuple[str, ...] = ()  # folded alternative phrases that count as a match


@dataclass(frozen=True)
class _Tok:
    shown: str
    folded: str
    exact: str  # "" when typed without accents


def _tokens(text: str, restored: str, accented: bool | None = None) -> list[_Tok]:
    """Aligned syllables of the question as typed and as restored; doc references dropped, abbreviations
    spelled out. A question typed with diacritics is taken at its word (every syllable exact); one typed
    without them is matched folded."""
    typed = _drop_doc_refs(SYLLABLE.findall(_GLUED_REF.sub(r"\1 \2", text)))
    shown = _drop_doc_refs(SYLLABLE.findall(_GLUED_REF.sub(r"\1 \2", restored)))
    if len(shown) != len(typed):
        shown = typed
    if accented is None:
        accented = any(fold(t) != t.lower() for t in typed)
    toks = [_token(t, s, accented or fold(t) != t.lower()) for t, s in zip(typed, shown)]
    return _expand(toks)


_NUMBER_WORDS = {"hai": "2", "ba": "3", "bốn": "4", "sáu": "6", "bảy": "7", "tám": "8", "chín": "9", "mười": "10"}


def _token(typed: str, shown: str, accented: bool) -> _Tok:
    """One syllable; numbers (and number words: 'hai lớp' ~ '02 lớp') match as numbers."""
    word = typed.lower()
    number = _NUMBER_WORDS.get(word) if accented or word == "hai" else None
    if number or word.isdigit():
        return _Tok(shown.lower(), number or folded_key(word), "")
    return _Tok(shown.lower(), folded_key(typed), exact_key(typed) if accented else "")


@functools.lru_cache(maxsize=1)
def _abbreviation_seqs() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Abbreviations as folded token sequences, indexed by their first token, longest first."""
    seqs: dict[tuple[str, ...], tuple[str, ...]] = {}
    for abbr, full in ABBREVIATIONS:
        key = tuple(fold(w) for w in re.findall(r"\w+", abbr))
        seqs.setdefault(key, tuple(re.findall(r"\w+", full)))
    by_first: dict[str, list] = {}
    for key, full in sorted(seqs.items(), key=lambda kv: -len(kv[0])):
        by_first.setdefault(key[0], []).append((key, full))
    return {k: tuple(v) for k, v in by_first.items()}


def typed_words(text: str) -> list[tuple[str, str]]:
    """(folded, exact) keys of a question's syllables as its terms are made: doc references dropped, abbreviations
    spelled out; exact is "" for a syllable typed without accents."""
    return [(t.folded, t.exact) for t in _tokens(text, text)]


def folded_words_expanded(text: str) -> list[str]:
    """Folded syllables of a text with abbreviations spelled out ('KTTH' -> kinh te tuan hoan)."""
    return [t.folded for t in _expand([_token(w, w, False) for w in SYLLABLE.findall(text)])]


def _expand(toks: list[_Tok]) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        for seq, full in _abbreviation_seqs().get(toks[i].folded, ()):
            if tuple(t.folded for t in toks[i : i + len(seq)]) == seq:
                out += [_Tok(w, folded_key(w), exact_key(w)) for w in full]
                i += len(seq)
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _matches(toks: list[_Tok], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the syllables at i spell the (accented) phrase, accent-aware."""
    if i + len(phrase) > len(toks):
        return False
    for t, p in zip(toks[i : i + len(phrase)], phrase):
        if t.exact and t.exact != exact_key(p):
            return False
        if not t.exact and t.folded != folded_key(p):
            return False
    return True


@functools.lru_cache(maxsize=1)
def _stop_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Stop phrases (and province names) indexed by their first folded syllable, longest first."""
    phrases = [tuple(p.split()) for p in STOP_PHRASES] + [tuple(p.lower().split()) for p in PROVINCES]
    return _by_first(phrases)


def _by_first(phrases: list[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in sorted(set(phrases), key=len, reverse=True):
        out.setdefault(folded_key(p[0]), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


_GLUED_REF = re.compile(r"(?i)\b(kh|qđ|qd|cv|nq|ct|tb)(\d)")  # 'KH64' -> 'KH 64'
_FOLDED_STOP = frozenset(fold(w) for w in STOP_WORDS) - AMBIGUOUS
# the kind of a document named by its number ('nq 380', 'chỉ thị 09', 'thông báo 624': resolutions, directives and
# notices are indexed beside plans) scopes the question; it is not part of its topic
_DOC_WORDS = (
    ("ke", "hoach"),
    ("kh",),
    ("cong", "van"),
    ("cv",),
    ("quyet", "dinh"),
    ("qd",),
    ("nghi", "quyet"),
    ("nq",),
    ("chi", "thi"),
    ("ct",),
    ("thong", "bao"),
    ("tb",),
    ("so",),
)
# the codes after a number, in any case ('2629/QĐ-TTg': the Prime Minister's 'TTg' is written mixed-case)
_DOC_CODE = re.compile(r"^(?:[A-ZĐ]{1,8}|(?i:kh|ubnd|qd|qđ|ttg|ub|cp|nd|nđ|th))$")


# who is asked after the 'thì' that opens the question proper, in a question typed without accents ('… cộng đồng thi
# ai chủ trì', '… 301 trở lên thi ai chủ động', '… thi sở nào lo': Cà Mau KH 211, SGDĐT CV 5095 were asked so); 'thi'
# before other words may be 'thi hành', 'thi công', 'thị xã', 'thí điểm', or help find the plan 'thi hành Luật …'
_ASKED_AFTER_THEN = frozenset("ai don so ben nguoi".split())
# Function words people often type without their accents even in an accented question ('o Cà Mau', 'sở nao').
_UNACCENTED_FUNCTION = frozenset("o nao gi la va voi thi ma duoc khong cac nhung ve cho dc ko k vs ai".split())


def _is_stopword(t: _Tok) -> bool:
    if t.exact:
        return t.exact in STOP_WORDS or t.exact in _UNACCENTED_FUNCTION
    if t.shown != t.folded:  # the corpus placed its accents ('so huyet' -> 'sò huyết'): judge the word it is
        return t.shown in STOP_WORDS
    return t.folded in _FOLDED_STOP


def _drop_doc_refs(words: list[str]) -> list[str]:
    """Remove references such as 'Kế hoạch 64/KH-UBND', 'QĐ 687/QĐ-TTg': scope, not topic."""
    folded = [fold(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        lead = next((d for d in _DOC_WORDS if tuple(folded[i : i + len(d)]) == d), None)
        j = i + len(lead) if lead else i
        if lead and j < len(words) and folded[j] == "so" and lead != ("so",):
            j += 1
        if lead and j < len(words) and words[j].isdigit():
            j += 1
            while j < len(words) and _DOC_CODE.match(words[j]):
                j += 1
            i = j + _date_length(folded[j:])  # and its date ('… số 211/KH-UBND ngày 02/10/2024'): when it was issued
            continue
        out.append(words[i])
        i += 1
    return out


def _date_length(folded: list[str]) -> int:
    """How many words a date at the start takes: 'ngày 02 10 2024' (02/10/2024 split), 'ngày 2 tháng 10 năm 2024'."""
    if len(folded) >= 4 and folded[0] == "ngay" and all(w.isdigit() for w in folded[1:4]):
        return 4
    if len(folded) >= 6 and folded[0] == "ngay" and folded[2] == "thang" and folded[4] == "nam":
        return 6 if folded[1].isdigit() and folded[3].isdigit() and folded[5].isdigit() else 0
    return 0


# Money words say which value a budget question asks ('kinh phí bao nhiêu'), but what a 'who' question is about
# ('ai tham mưu phương án kinh phí': Hà Tĩnh 624's Sở Tài chính; 'ai lập dự toán kinh phí': Thanh Hóa 235's Chi cục;
# 'ai bố trí ngân sách': the five plans' Sở Tài chính rows)
MONEY_WORDS = (("kinh", "phí"), ("ngân", "sách"))


def extract_terms(
    text: str, restored: str, accented: bool | None = None, keep: tuple[tuple[str, ...], ...] = ()
) -> tuple[Term, ...]:
    """The question's topic terms, in order, without duplicates. `accented`: whether the user typed diacritics
    (words spelled out from shorthand carry theirs either way); `keep`: stop phrases that are the topic here."""
    toks = _tokens(text, restored, accented)
    terms: list[Term] = []
    i = 0
    while i < len(toks):
        first = toks[i].folded
        stop = next((p for p in _stop_phrases().get(first, ()) if _matches(toks, i, p) and p not in keep), None)
        group = next(((p, g) for p, g in _synonym_index().get(first, ()) if _matches(toks, i, p)), None)
        if stop and (not group or len(stop) >= len(group[0])):
            i += len(stop)
            continue
        if group:
            phrase, members = group
            span = toks[i : i + len(phrase)]
            alts = tuple(" ".join(folded_key(w) for w in m) for m in members)
            terms.append(
                Term(
                    " ".join(t.shown for t in span),
                    " ".join(t.folded for t in span),
                    " ".join(t.exact for t in span) if all(t.exact for t in span) else "",
                    alts,
                )
            )
            i += len(phrase)
            continue
        t = toks[i]
        i += 1
        if _is_stopword(t) or (len(t.folded) < 2 and not t.folded.isdigit()) or t.folded == "%":
            continue
        if not t.exact and t.folded == "thi" and i < len(toks) and toks[i].folded in _ASKED_AFTER_THEN:
            continue  # '… thi ai chu tri', '… thi so nao lo': the 'thì' before who is asked, not 'thi hành'

        terms.append(Term(t.shown, t.folded, t.exact))
    seen: set[tuple[str, str]] = set()
    return tuple(t for t in terms if (t.folded, t.exact) not in seen and not seen.add((t.folded, t.exact)))


@functools.lru_cache(maxsize=1)
def _synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    groups = [
        tuple(sorted((tuple(p.split()) for p in g), key=len, reverse=True))
        for g in SYNONYMS + tuple((p,) for p in KEEP_PHRASES)
    ]
    return tuple(groups)


@functools.lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]]:
    """Each synonym (or kept) phrase with its group, indexed by its first folded syllable, longest first."""
    out: dict[str, list] = {}
    pairs = [(p, g) for g in _synonym_groups() for p in g]
    for p, g in sorted(pairs, key=lambda pg: -len(pg[0])):
        out.setdefault(folded_key(p[0]), []).append((p, g))
    return {k: tuple(v) for k, v in out.items()}


def folded_synonyms(word: str) -> tuple[str, ...]:
    """A folded word and the folded phrases of every synonym group holding it as a phrase ('rac' -> 'chat thai')."""
    groups = [g for g in _synonym_groups() if any(" ".join(map(folded_key, p)) == word for p in g)]
    return (word, *(" ".join(map(folded_key, p)) for g in groups for p in g))


def synonym_expansion(terms: tuple[Term, ...]) -> str:
    """The synonym phrases of the terms (folded), to widen the lexical query."""
    return " ".join(a for t in terms for a in t.alts if a != t.folded)


# ---- local place names ---------------------------------------------------------------------------------------

_CAP = rf"[{UPPER}][\wà-ỹđ]*"
_NAME = rf"{_CAP}(?:[ \t]+{_CAP}){{1,3}}"
_PLACE_AFTER = re.compile(rf"\b(?:huyện|xã|thành phố|thị xã|thị trấn|phường|ấp|sông)[ \t]+({_NAME}(?:,[ \t]*{_NAME})*)")


def place_names(texts: list[str]) -> frozenset[tuple[str, str]]:
    """(folded, lowercase accented) names of the districts, communes and towns the plans name ('huyện Ngọc Hiển',
    'xã Khánh Thuận'), provinces excepted: a question that names one is about that place only."""
    # nor the country: '…, Việt Nam' after a list of places is no district, and a question naming 'Bảo hiểm xã hội
    # Việt Nam', 'Ngân hàng Nhà nước Việt Nam' (NQ 380, TB 624) asks about no place
    provinces = {fold(p) for p in PROVINCES} | {fold("Việt Nam")}
    out = set()
    for text in texts:
        for m in _PLACE_AFTER.finditer(text):
            for name in (n.strip() for n in m.group(1).split(",")):
                if all(w[0].isupper() for w in name.split()) and fold(name) not in provinces:
                    out.add((fold(name), normalize_tones(name).lower()))
    return frozenset(out)


def places_named(question: str, places: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    """Folded names of the places a question names. A question typed with diacritics must name the place with
    them: 'xã Đề Gi' (NQ 380) folds to 'về vấn đề gì', as provinces fold to everyday phrases ('lồng an toàn')."""
    accented = has_diacritics(question)
    text = normalize_tones(question).lower() if accented else fold(question)
    return tuple(
        sorted({f for f, name in places if re.search(r"\b" + re.escape(name if accented else f) + r"\b", text)})
    )


# ---- matching ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextKeys:
    folded_words: frozenset[str]
    exact_words: frozenset[str]
    folded_text: str  # " w1 w2 ... " for phrase search


@functools.lru_cache(maxsize=65536)
def text_keys(text: str) -> TextKeys:
    words = SYLLABLE.findall(text)
    folded = [folded_key(w) for w in words]
    # a word joined by '_' also matches its parts ('VN_AQI' is asked as 'AQI': Hà Nội's letter and the Sở GD&ĐT's)
    parts = [p for w in words if "_" in w for p in w.split("_") if p]
    return TextKeys(
        frozenset(folded + [folded_key(p) for p in parts]),
        frozenset(exact_key(w) for w in words + parts),
        " " + " ".join(folded) + " ",
    )


class Vocabulary:
    """Inverse document frequencies of folded and accented syllables over the index's chunks."""

    def __init__(self, texts: list[str]) -> None:
        df_fold: Counter[str] = Counter()
        df_exact: Counter[str] = Counter()
        for t in texts:
            keys = text_keys(t)
            df_fold.update(keys.folded_words)
            df_exact.update(keys.exact_words)
        self.n = len(texts)
        self._texts = [text_keys(t).folded_text for t in texts]
        self._phrases: dict[str, float] = {}
        self._fold = {w: self._idf(c) for w, c in df_fold.items()}
        self._exact = {w: self._idf(c) for w, c in df_exact.items()}
        self.unseen = self._idf(0)

    def _idf(self, count: int) -> float:
        return math.log((self.n + 1) / (count + 0.5))

    def phrase_weight(self, folded: str) -> float:
        """IDF of a folded phrase ('giao thong van tai' is rarer than any of its words)."""
        if folded not in self._phrases:
            self._phrases[folded] = self._idf(sum(f" {folded} " in t for t in self._texts))
        return self._phrases[folded]

    def weight(self, term: Term) -> float:
        """Rare words weigh more; a word the plans never use weighs most (its question is likely unanswerable).
        A phrase weighs as the phrase (rarer than its words); a synonym as its commonest spelling."""
        if term.alts:
            return min(self.phrase_weight(a) for a in set(term.alts) | {term.folded})
        if " " in term.folded:
            return self.phrase_weight(term.folded)
        if term.exact:
            return self._exact.get(term.exact, self.unseen)
        return self._fold.get(term.folded, self.unseen)

    def known(self, folded: str) -> bool:
        return folded in self._fold


def term_matches(term: Term, keys: TextKeys) -> bool:
    if term.alts and any(f" {a} " in keys.folded_text for a in term.alts):
        return True
    if " " in term.folded:  # the phrase, or all of its words ('tiết kiệm từ 8 - 10% … năng lượng')
        if term.exact:
            return all(w in keys.exact_words for w in term.exact.split())
        return all(w in keys.folded_words for w in term.folded.split())
    return term.exact in keys.exact_words if term.exact else term.folded in keys.folded_words


def joined_pairs(terms: tuple[Term, ...], text: str) -> int:
    """How many pairs of consecutive one-syllable topic terms the text holds side by side: a Vietnamese word is often
    two syllables ('hành động'), which one text holds as a word and another only apart ('ban hành … chủ động')."""
    keys = text_keys(text)
    return sum(
        f" {a.folded} {b.folded} " in keys.folded_text
        for a, b in zip(terms, terms[1:])
        if " " not in a.folded and " " not in b.folded
    )


def overlap(terms: tuple[Term, ...], text: str, vocab: Vocabulary | None = None) -> float:
    """IDF-weighted share of the question's topic terms found in the text (0..1)."""
    if not terms:
        return 0.0
    keys = text_keys(text)
    weights = [vocab.weight(t) if vocab else 1.0 for t in terms]
    total = sum(weights)
    if not total:
        return 0.0
    return sum(w for t, w in zip(terms, weights) if term_matches(t, keys)) / total

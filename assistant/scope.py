"""Which plans a question is about: the --plan/--province filters, the provinces and plan numbers it names, and
the plan it describes ('kế hoạch sản xuất và tiêu dùng bền vững 2025 ở Cà Mau' is KH 211, not KH 64). Words that
only describe the plan are then no longer part of the topic."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache
from itertools import groupby

from index.errors import QuestionError
from index.metadata import UNKNOWN
from index.search import Filters
from index.store import PlanRecord
from index.text import fold

from .analysis import MERGED_PROVINCES, Question
from .compose import Draft, abstain
from .terms import SYLLABLE, Term, folded_key, folded_words_expanded, term_matches, text_keys, typed_words

# a meeting's conclusions are named by the meeting as often as by the notice ('theo kết luận phiên họp thứ 5 Ban Chỉ
# đạo …': TB 624, asked so in rounds 17, 20, 23, 29 and 35)
_PLAN_KINDS = (
    "ke hoach",
    "kh",
    "cong van",
    "van ban",
    "chuong trinh",
    "de an",
    "thong bao ket luan",
    "ket luan(?= (?:phien hop|cuoc hop|hoi nghi)\\b)",
)
_PLAN_WORD = re.compile(rf"\b({'|'.join(_PLAN_KINDS)})\b")
_DESCRIPTOR_WORDS = 16
_PHRASE_WORDS = 6  # a plan named by its subject: 'kế hoạch <chuyển đổi số doanh nghiệp> …', then the question goes on
# 'xây dựng/lập kế hoạch …': a plan to be made, not the one asked about.
# 'chủ trì làm kế hoạch …' is users' 'lập kế hoạch'; 'kinh phí làm kế hoạch này' carries the plan out
_TO_BE_MADE = re.compile(r"\b(xay dung|lap|(?:chu tri|giao|phai) lam)\s*$")
# Words and pairs every plan's title is made of: they say what kind of document it is, not what it is about.
FUNCTION_WORDS = frozenset("cua ve va cac tai tren trong nay den nam cho voi o nhung mot la theo giai doan".split())
_PLAN_SPEAK = frozenset(
    tuple(p.split())
    for p in (
        "trien khai|khai thuc|thuc hien|ban hanh|ke hoach|chuong trinh|de an|quyet dinh|nghi quyet|cong van|"
        "chi thi|thong bao|van ban|chi dao|dia ban|phe duyet|thanh pho|uy ban|nhan dan|hanh dong|tam nhin|thu tuong"
    ).split("|")
)
# Words that end a plan's description and start the question proper ('kế hoạch KTTH <thì> sở nào …').
_BOUNDARY = frozenset(
    "thi ai so co don nao la duoc giao o tai cua chu tri phu trach lo khi bao dat phai can muon de ma neu".split()
)
# Words that end a plan's subject when they do not continue a title's wording: 'Sở', 'Bộ' start an agency
# ('… kế hoạch về <Sở KH&CN>', '… chương trình cho <Bộ KH&CN>').
_ENDS_PHRASE = _BOUNDARY | {"bo"}


def resolve_scope(
    plans: dict[str, PlanRecord], q: Question, plan: str | None, province: str | None
) -> tuple[Filters, Question] | Draft:
    """(filters, question with plan-describing words dropped from its topic), or an abstention that explains."""
    docs: set[str] = set(plans)
    if plan:
        if plan not in plans:
            raise QuestionError(f"không có văn bản '{plan}'", "--plan", "chọn một trong: " + ", ".join(sorted(plans)))
        docs = {plan}
    if province:
        hit = {d for d in docs if fold(plans[d].meta.province) == fold(province)}
        if not hit:
            return abstain(no_province(plans, province))
        docs = hit
    numbered = (
        {d for n in q.plan_numbers for d in docs if _is_numbered(plans[d], n, q.plan_codes)}
        if q.plan_numbers and not plan
        else set()
    )
    if numbered:  # the documents named by number, plus any other province the question also names
        provinces_of = {plans[d].meta.province for d in numbered}
        docs = numbered | {d for d in docs if plans[d].meta.province in set(q.provinces) - provinces_of}
    elif q.provinces and not province:
        own = {d for d in docs if plans[d].meta.province in q.provinces}
        docs = own | _national_on_topic(plans, q, docs - own, own)
    elif q.other_provinces and not province:
        mentioning = {d for d in docs if plans[d].meta.province == "unknown" and _mentions(plans[d], q.other_provinces)}
        if not mentioning:  # a document with no province of its own may still speak of it
            return abstain(no_province(plans, q.other_provinces[0]))
        docs = mentioning
    if q.plan_numbers and not plan and not numbered:
        cited = {d for d in docs if any(re.search(rf"\bsố\s*:?\s*0*{n}\s*[/-]", plans[d].text) for n in q.plan_numbers)}
        if cited:  # a document the plans cite by its number ('Kế hoạch số 02-KH/BCĐTW'): read the plans citing it
            docs = cited
        elif not q.provinces:
            return abstain(
                f"Kho văn bản không có kế hoạch/văn bản số {q.plan_numbers[0]}. "
                f"Các văn bản hiện có: {catalogue(plans)}."
            )
    if not docs:
        return abstain(f"Không có văn bản phù hợp phạm vi đã chọn. Các văn bản hiện có: {catalogue(plans)}.")
    if len(docs) > 1 and (plan or len(q.provinces) > 1 or q.plan_numbers):
        return Filters(docs=tuple(sorted(docs))), q
    docs, q = focus(plans, q, docs)
    return Filters(docs=tuple(sorted(docs))), q


def focus(plans: dict[str, PlanRecord], q: Question, docs: set[str]) -> tuple[set[str], Question]:
    """The plan the question describes among `docs`, and the question without the words that describe it."""
    if len(docs) > 1:
        docs = narrow_by_kind(plans, q, docs)
    if len(docs) > 1:
        docs = narrow_by_issuer(plans, q, docs)
    if len(docs) > 1:
        docs, q = narrow_by_description(plans, q, docs)
    if len(docs) > 1:
        docs = narrow_by_phrase(plans, q, docs)
    if len(docs) == 1:
        plan = plans[next(iter(docs))]
        described = descriptor_words(q, _title_word_pairs(plan.meta.title)) + framed_words(q, title_words(plan))
        named = (title_words(plan) & set(described)) | title_run_words(plan, q)
        issuer = issuer_words(plan, q)
        by_issuer = {t for t in q.terms if _is_issuer_term(t, issuer)}
        kept = tuple(t for t in _without(q.terms, named - within_years(q)) if t not in by_issuer)
        # nothing but the plan's description: the plan itself is asked about ('Kế hoạch quan trắc, cảnh báo môi
        # trường … của UBND tỉnh Đắk Lắk được thực hiện trong khoảng thời gian nào?')
        kept = kept or _without(q.terms, set(descriptor_words(q)) & title_words(plan))
        q = replace(q, terms=kept, title_terms=tuple(t for t in q.terms if t not in kept and t not in by_issuer))
    return docs, q


# 'trong năm 2025': the year the asked tasks fall in, a topic though it is the plan's year too (Lai Châu KH 7360, QĐ
# 2623/QĐ-TTg and Hà Nội KH 308 fund 'các nhiệm vụ triển khai trong năm 2025' apart from the rest)
_WITHIN_YEAR = re.compile(r"\btrong (?:nam )?(20\d\d)\b")


def within_years(q: Question) -> set[str]:
    """The years the question places the work in ('trong năm 2025')."""
    return set(_WITHIN_YEAR.findall(q.folded))


TITLE_RUN = 3  # three words in a row as the plan's title has them name the plan, not the task asked about
# a plan word the title's words follow in a description ('Kế hoạch <chuyển đổi số …>', 'Chương trình <nâng cao …>'),
# and the law a plan implements, which names it too ('… tập huấn về <Luật sửa đổi, bổ sung Luật Tiêu chuẩn …>': Lai
# Châu KH 7360; '<Luật Bảo vệ dữ liệu cá nhân>': QĐ 2623)
_TITLE_LEAD = re.compile(rf"\b(?:{'|'.join(_PLAN_KINDS + ('cv', 'chi thi', 'ct', 'quyet dinh', 'qd', 'luat'))})\b")


def title_run_words(p: PlanRecord, q: Question) -> set[str]:
    """Who leads / coordinates, asked of a plan named by its title ('… Kế hoạch chuyển đổi số cho <doanh nghiệp
    nhỏ và vừa, hợp tác xã, hộ kinh doanh>', '… triển khai Chương trình <nâng cao chất lượng giáo dục mầm non>
    …'): the words that repeat the title, in runs of TITLE_RUN or more that follow a plan word (or such a run,
    two words on), name the plan, not the task; a description cut short at 'số' leaves them in the topic. Runs
    elsewhere ('… phê duyệt kế hoạch hành động <thực hiện kinh tế tuần hoàn> cấp tỉnh') are the task's words."""
    if q.intent not in ("lead", "coordinate"):
        return set()  # when, how much, what: the plan's own words may be what is asked about
    title = [folded_key(w) for w in SYLLABLE.findall(p.meta.title)]
    grams = {tuple(title[i : i + TITLE_RUN]) for i in range(len(title) - TITLE_RUN + 1)}
    asked = [folded_key(w) for w in SYLLABLE.findall(q.text)]
    covered = [False] * len(asked)
    for i in range(len(asked) - TITLE_RUN + 1):
        if tuple(asked[i : i + TITLE_RUN]) in grams:
            covered[i : i + TITLE_RUN] = [True] * TITLE_RUN
    described: set[int] = set()  # positions of the runs that describe the plan
    end = -10  # where the last description ended
    for i, j in _runs(covered):
        if _TITLE_LEAD.search(" ".join(asked[max(0, i - 3) : i + 2])) or i - end <= 2:
            described.update(range(i, j))
            end = j
    named = {asked[k] for k in described}
    return named - {w for k, w in enumerate(asked) if k not in described}  # a word also asked elsewhere stays


def issuer_words(p: PlanRecord, q: Question) -> set[tuple[str, str]]:
    """The plan's issuer named in full ('… công văn của <Bộ Văn hóa, Thể thao và Du lịch>': CV 6225, QĐ 4385; 'Kế
    hoạch kèm Quyết định 2853 của <UBND Thành phố Hồ Chí Minh>'; '<Thủ tướng Chính phủ>'): who issued the plan, not
    the task asked. Its (folded, exact) syllables, less those also asked elsewhere in the question ('cư xử có văn
    hóa'), where accents typed tell 'Thể thao' from 'soạn thảo'."""
    issuer = folded_words_expanded(p.meta.issuer) if p.meta.issuer != UNKNOWN else []
    n = len(issuer)
    if n < 2:
        return set()
    typed = typed_words(q.text)
    asked = [f for f, _ in typed]
    covered = [False] * len(asked)
    for i in range(len(asked) - n + 1):
        if asked[i : i + n] == issuer:
            covered[i : i + n] = [True] * n
    # a Thủ tướng's or a ministry's document is called by its head after 'của' ('kế hoạch … của thủ tướng' for 'Thủ
    # tướng Chính phủ': QĐ 2623, QĐ 2629, QĐ 2634), not an Ủy ban's, whose head also names the communes' committees
    head = issuer[:2]
    if issuer[0] != "uy":
        for i in range(1, len(asked) - 1):
            if asked[i - 1] == "cua" and asked[i : i + 2] == head and not covered[i]:
                covered[i : i + 2] = [True, True]
    inside = {w for w, c in zip(typed, covered) if c}
    outside = [w for w, c in zip(typed, covered) if not c]
    return {w for w in inside if not any(_same_word(w, o) for o in outside)}


def _same_word(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two (folded, exact) syllables that may be one word: the same folded, and the same accents where both typed."""
    return a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])


def _is_issuer_term(t: Term, issuer: set[tuple[str, str]]) -> bool:
    folded = t.folded.split()
    exact = t.exact.split() if t.exact else [""] * len(folded)
    return (
        bool(issuer)
        and len(exact) == len(folded)
        and all(any(_same_word(w, i) for i in issuer) for w in zip(folded, exact))
    )


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    out, k = [], 0
    for flag, group in groupby(flags):
        n = len(list(group))
        if flag:
            out.append((k, k + n))
        k += n
    return out


def title_words(p: PlanRecord) -> set[str]:
    meta = p.meta
    return {folded_key(w) for w in SYLLABLE.findall(f"{meta.title} {meta.year} {meta.implements}")}


def own_words(plan: PlanRecord) -> set[str]:
    """The folded words of the plan's own title, number, issuer and province: they name the plan, not a topic in it."""
    return set(
        re.findall(r"\w+", fold(f"{plan.meta.title} {plan.meta.number} {plan.meta.issuer} {plan.meta.province}"))
    )


def descriptor_words(q: Question, pairs: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """Folded words right after a plan word, up to the end of its clause
    ('kế hoạch <sản xuất tiêu dùng bền vững 2025 ở Cà Mau>, ai chủ trì …'), and the subject a formal reference
    gives after its number and issuer ('Chỉ thị số 06/CT-UBND của UBND tỉnh … về <xử lý chồng lấn> …')."""
    return [w for run in descriptor_runs(q, continuing=pairs) + subject_runs(q, pairs) for w in run]


# A document cited the formal way: its kind, then its number, date or issuer, then 'về (việc)' and its subject
# ('Theo Kế hoạch số 153/KH-UBND của UBND thành phố Cần Thơ về …', 'Quyết định số 2853/QĐ-UBND … về Đề án …':
# officials' questions in every round). Decisions, directives and resolutions count here: 'về' follows the
# document cited, not a plan it approves.
_FORMAL_REFERENCE = re.compile(
    r"\b(?:ke hoach|kh|chi thi|ct|quyet dinh|qd|nghi quyet|nq|cong van|cv|van ban|chuong trinh|de an|thong bao|tb)"
    r"\b(?:\s+\S+){0,24}?(?<!\bbao)(?<!\bphong)(?<!\btu)\s+ve(?!\s+(?:sinh|tinh)\b)(?:\s+viec)?\s+"
)  # 'về', not the 'vệ' of 'bảo vệ', 'phòng vệ', 'tự vệ', 'vệ sinh', 'vệ tinh' (the same when folded)
_SUBJECT_ENDS = (_BOUNDARY - {"so"}) | {"nao", "gi"}  # 'chuyển đổi số' is a subject; 'số' after it is not a number


def subject_runs(q: Question, continuing: frozenset[tuple[str, str]] = frozenset()) -> list[list[str]]:
    """The subject of each document cited the formal way, as folded words up to the end of its clause; a word that
    would end it does not when it continues the plan's title ('… khắc phục hậu quả thiên <tai> tại các địa phương':
    NQ 380's title, where 'tai' folds as 'tại'; 'phòng chống <ma> túy')."""
    out: list[list[str]] = []
    for clause in _clauses(q.text, continuing):  # a comma the title has joins its two ('đô thị, khu công nghiệp')
        joined = " ".join(folded_words_expanded(clause))
        for m in _FORMAL_REFERENCE.finditer(joined):
            run: list[str] = []
            for w in joined[m.end() :].split()[:_DESCRIPTOR_WORDS]:
                if w in _SUBJECT_ENDS and not (run and (run[-1], w) in continuing):
                    break
                run.append(w)
            out.append(run)
    return out


def descriptor_runs(
    q: Question,
    title_pairs_seen: frozenset[tuple[str, str]] | None = None,
    continuing: frozenset[tuple[str, str]] = frozenset(),
) -> list[list[str]]:
    """Each description of a plan in the question, as its folded words in order, up to the first word that
    starts the question proper. With `title_pairs_seen`, only the next _PHRASE_WORDS words, and a word that
    would end the description does not when it continues a title's wording ('chuyển đổi <số>', 'Sở' and 'số'
    fold alike). `continuing`: the plan's title pairs, whose second word does not end the description either
    ('phòng chống <ma> túy': 'ma' folds as 'mà')."""
    phrase = title_pairs_seen is not None
    limit = _PHRASE_WORDS if phrase else _DESCRIPTOR_WORDS
    # 'kh 153 Cần Thơ phòng chống ma túy', 'kh xuất khẩu Sơn La 2026-2030': the province named goes on the description
    places = [fold(p).lower().split() for p in q.provinces]
    out: list[list[str]] = []
    for clause in _clauses(q.text, continuing):
        words = folded_words_expanded(clause)
        joined = " ".join(words)
        for m in _PLAN_WORD.finditer(joined):
            if _TO_BE_MADE.search(joined[: m.start()]):
                continue  # 'sở nào … làm kế hoạch hạ tầng 5G': a plan to be made, not the one asked about
            start = joined[: m.end()].count(" ") + 1
            run: list[str] = []
            skip = 0
            span = words[start : start + limit]
            for i, w in enumerate(span):
                if skip:
                    skip -= 1
                elif place := next((p for p in places if span[i : i + len(p)] == p), None):
                    skip = len(place) - 1  # a province in the description: its 'Cần'/'La' fold as 'cần', 'là'
                elif _ends_description(
                    run, w, title_pairs_seen, following := span[i + 1] if i + 1 < len(span) else ""
                ) and not (
                    (run[-1], w) in continuing if run else (w, following) in continuing
                ):  # nor does the title's first pair ('Chương trình <giáo dục> mầm non': 'giáo' folds as 'giao')
                    break
                run.append(w)
            out.append(run)
    return out


# '<the plan, described> thì <the question>': 'Quan trắc môi trường nuôi thủy sản Thanh Hóa năm 2026 thì sở nào lo
# trình duyệt kinh phí …' (Thanh Hóa KH 235), 'Kế hoạch cơ sở dữ liệu quy hoạch của tphcm (QĐ 2820) thì …', '… cho
# kế hoạch 5G IoT Hà Nội thì …' (Hà Nội KH 310)
_FRAME = re.compile(r"^(.{8,120}?)\s+thi\s+")
FRAME_SHARE = 0.6  # most of the words before 'thì' are the plan's title words: they frame, not ask


def framed_words(q: Question, title: set[str]) -> list[str]:
    """The words before 'thì' when they are mostly the plan's title words (the frame the question sets); a frame
    starts after a colon or semicolon ('kh 211 cà mau về sản xuất tiêu dùng bền vững: <mô hình du lịch cộng đồng> thì
    ai chủ trì': the plan is described before the colon, the task after it)."""
    m = _FRAME.match(" ".join(folded_words_expanded(q.text)))
    if not m:
        return []
    words = [w for w in m[1].split() if w not in FUNCTION_WORDS]
    if not words or sum(w in title for w in words) < FRAME_SHARE * len(words):
        return []
    parts = (_FRAME.match(" ".join(folded_words_expanded(p))) for p in re.split(r"[:;]", q.text))
    at, task = next(((i, m) for i, m in enumerate(parts) if m), (0, None))
    if at:  # the words after the colon ask about a task unless they too are the title's
        asked = {w for w in task[1].split() if w not in FUNCTION_WORDS}
        if asked and sum(w in title for w in asked) < FRAME_SHARE * len(asked):
            return [w for w in words if w not in asked]
    return words


def _clauses(text: str, continuing: frozenset[tuple[str, str]]) -> list[str]:
    """The question's clauses; a comma the plan's title has too joins its two ('kế hoạch quan trắc, cảnh báo môi
    trường nuôi trồng thủy sản': Thanh Hóa KH 235's and Đắk Lắk KH 0134's titles; 'Kế hoạch phòng, chống ma túy')."""
    parts = re.split(r"([,;:?!()])", text)
    out = [parts[0]]
    for mark, part in zip(parts[1::2], parts[2::2]):
        before, after = folded_words_expanded(out[-1])[-1:], folded_words_expanded(part)[:1]
        if mark == "," and before and after and (before[0], after[0]) in continuing:
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def _ends_description(
    run: list[str], w: str, title_pairs_seen: frozenset[tuple[str, str]] | None, following: str = ""
) -> bool:
    """Whether w starts the question proper. In a phrase, not when it continues a title's wording with the word
    before it, nor when, first, it opens one with the word after it: 'kế hoạch <thi hành> luật …' (QĐ 2623's and
    Lai Châu KH 7360's titles), where 'thi' folds as the 'thì' that ends a description."""
    if title_pairs_seen is None:
        return w in _BOUNDARY
    if w not in _ENDS_PHRASE:
        return False
    if not run:
        return (w, following) not in title_pairs_seen
    return (run[-1], w) not in title_pairs_seen


def narrow_by_description(plans: dict[str, PlanRecord], q: Question, docs: set[str]) -> tuple[set[str], Question]:
    """Keep the one plan whose title words (not shared with the other plans) the question's description uses."""
    described = set(descriptor_words(q))
    if not described:
        return docs, q
    titles = {d: title_words(plans[d]) for d in docs}
    own = {d: titles[d] - set().union(*(titles[o] for o in docs if o != d)) for d in docs}
    fit = {d: len(described & own[d]) for d in docs}
    ranked = sorted(docs, key=lambda d: -fit[d])
    if fit[ranked[0]] < 2 or fit[ranked[1]] > 0:
        return docs, q
    best = ranked[0]
    # among one province's documents, one whose title could not be read stays, as in narrow_by_phrase: its description
    # cannot be compared (Hà Nội's letter on air pollution has none, and lost to KH 310's title on words the letter's
    # text has); over the whole corpus the untitled letters of other provinces would only dilute the scope
    unread = {d for d in docs if plans[d].meta.title == UNKNOWN} if q.provinces else set()
    # … unless the question calls the document by the described plan's kind and not by the unread one's ('Kế hoạch
    # phát triển hạ tầng 5G … của Hà Nội' is no letter; round 28 asked KH 310 so beside the city's letter)
    unread = {d for d in unread if not _calls_only(q, plans[best].meta.kind, plans[d].meta.kind)}
    return {best} | unread, replace(q, terms=_without(q.terms, titles[best] & described))


def _calls_only(q: Question, kind: str, other: str) -> bool:
    """Whether the question calls its document by `kind` and never by `other` (a kind and its short form)."""

    def called(k: str) -> bool:
        key = fold(k).lower()
        short = "".join(w[0] for w in key.split())
        # not the document a task asks for ('xây dựng kế hoạch gì')
        return re.search(rf"\b(?:{key}|{short})\b(?! (?:nao|gi|so may|so bao nhieu)\b)", q.folded) is not None

    return kind != other and kind != UNKNOWN and called(kind) and not called(other)


# A document called by its kind and nothing else ('chỉ thị này giao ai …', 'công văn của Bộ yêu cầu gì'): in the
# question sets 24 of 26 such 'chỉ thị' and 38 of 40 'công văn' meant a document of that kind. Not 'kế hoạch',
# 'quyết định', 'nghị quyết', 'thông báo': plans are issued by decisions, cite resolutions, and 'thông báo' is a verb.
_KIND_NAMES = {
    "Chỉ thị": re.compile(r"\bchi thi\b(?!\s*(?:so\b|\d))"),
    "Công văn": re.compile(r"\bcong van\b(?!\s*(?:so\b|\d))"),
    # 'thông báo kết luận' is the document, never the verb (TB 624 was asked so in rounds 8, 14, 17, 20, 23, 26, 29)
    "Thông báo": re.compile(r"\bthong bao ket luan\b(?!\s*(?:so\b|\d))"),
}
# another kind of document the question calls its document by; not the one it asks for ('công văn … được ban hành
# để thực hiện <quyết định nào> của Thủ tướng', 'chỉ thị này căn cứ <nghị quyết số mấy>')
_OTHER_KINDS = re.compile(
    r"\b(ke hoach|quyet dinh|nghi quyet|thong bao|de an|chuong trinh)\b(?! (?:nao|so may|so bao nhieu|gi)\b)"
)


def narrow_by_kind(plans: dict[str, PlanRecord], q: Question, docs: set[str]) -> set[str]:
    """The documents of the one kind the question calls the document by, when there are any."""
    kinds = {k for k, rx in _KIND_NAMES.items() if rx.search(q.folded)}
    others = {m.group(1) for m in _OTHER_KINDS.finditer(q.folded)} - {fold(k).lower() for k in kinds}
    if not kinds or others:
        return docs
    kept = {d for d in docs if plans[d].meta.kind in kinds}
    return kept or docs


# a document called by who issued it: '<công văn> của <Sở Giáo dục>', '<văn bản> do <Bộ VHTTDL> ban hành' (the Sở
# GDĐT Hà Nội's CV 5095 beside the city's letter on the same subject)
# Not 'quyết định/kế hoạch/nghị quyết của …': those are as often a task's object ('soạn <quyết định của Thủ tướng>
# về Chương trình quốc gia …': QĐ 2623).
# The issuer also follows the kind directly ('cv sở GD Hà Nội về ô nhiễm không khí') or asks in its own voice at
# the question's start ('Sở GD Hà Nội yêu cầu ai …'): round 18 asked both of the two Hà Nội letters so; 'cv ubnd hà
# nội về ô nhiễm không khí' is the city's letter, not its department's on the same subject (round 24).
# the issuer may follow the letter's topic when it is a department or ministry ('cv ô nhiễm không khí của sở gd hà
# nội': the SGDĐT's letter, not the city's on the same topic; 'công văn nhiệm vụ trọng tâm của bộ vhttdl'); and a
# department that issues or tells in its own voice ('sở gd&đt hà nội ra công văn …', 'Sở GD HN bảo các trường …':
# round 27 asked both of the SGDĐT's letter beside the city's)
_ISSUED_BY = re.compile(
    r"\b(?:cong van|cv|van ban|thong bao|tb|chi thi|ct) (?:cua|do) (\w+ \w+)"
    r"|\b(?:cong van|cv|thong bao|tb|chi thi|ct)(?: (?!cua\b|do\b)\w+){1,6} (?:cua|do) ((?:so|bo) \w+)"
    r"|\b(?:cong van|cv|thong bao|tb|chi thi|ct) ((?:so|bo) \w+|uy ban)\b"
    r"|^((?:so|bo) \w+)(?: \w+){0,6} (?:yeu cau|de nghi|chi dao|gui|bao(?! cao)"
    r"|(?:ra|ban hanh|phat hanh) (?:cong van|cv|van ban|thong bao|chi thi))\b"
)


def narrow_by_issuer(plans: dict[str, PlanRecord], q: Question, docs: set[str]) -> set[str]:
    """The documents whose issuer the question names after the document's kind, by its first two words."""
    asked = {next(g for g in m.groups() if g) for m in _ISSUED_BY.finditer(" ".join(folded_words_expanded(q.text)))}
    if not asked:
        return docs
    kept = {d for d in docs if any(_names_issuer(a, folded_words_expanded(plans[d].meta.issuer)) for a in asked)}
    return kept or docs


def _names_issuer(asked: str, issuer: list[str]) -> bool:
    """'so giao' in 'so giao duc va dao tao ha noi', or its initials: 'so gd' (Sở GD), 'so tc' (Sở TC)."""
    if f" {asked} " in f" {' '.join(issuer)} ":
        return True
    head, short = asked.split()
    return (
        len(short) >= 2
        and head in issuer
        and "".join(w[0] for w in issuer[issuer.index(head) + 1 : issuer.index(head) + 1 + len(short)]) == short
    )


def narrow_by_phrase(plans: dict[str, PlanRecord], q: Question, docs: set[str]) -> set[str]:
    """The plans whose title holds most of the question's description word for word ('kế hoạch <chuyển đổi số
    doanh nghiệp> này' is the plan on chuyển đổi số cho doanh nghiệp, not the others on chuyển đổi số): two or more
    telling word pairs, one of them in the titles of few plans; a tie keeps the tied plans (two plans on quan trắc
    môi trường thủy sản), anything vaguer keeps them all."""
    pairs = {d: title_pairs(plans[d]) for d in plans}
    seen = frozenset().union(*pairs.values())
    asked = {p for run in descriptor_runs(q, seen) for p in telling_pairs(run)}
    if not asked:
        return docs
    hit = {d: pairs[d] & asked for d in plans}
    few = max(1, len(plans) // 8)  # a pair in more titles than this names a kind of plan, not one plan
    rare = {p for p in asked if sum(p in hit[d] for d in plans) <= few}
    best = max(len(hit[d]) for d in docs)
    kept = {d for d in docs if len(hit[d]) == best}
    if best < 2 or len(kept) > few or any(not hit[d] & rare for d in kept):
        return docs
    # a plan whose title could not be read stays beside the plans of the province asked about, as in
    # narrow_by_description; over the whole corpus the untitled letters would only dilute the scope
    return kept | ({d for d in docs if not pairs[d]} if q.provinces else set())


def telling_pairs(run: list[str]) -> set[tuple[str, str]]:
    """The run's pairs of subject words: not plan-speak ('triển khai', 'đề án') nor touching it ('khai đề' of
    'triển khai Đề án'), no function word, no number."""
    spoken = {j for i in range(len(run) - 1) if (run[i], run[i + 1]) in _PLAN_SPEAK for j in (i, i + 1)}
    return {
        (run[i], run[i + 1])
        for i in range(len(run) - 1)
        if not {i, i + 1} & spoken
        and not {run[i], run[i + 1]} & FUNCTION_WORDS
        and not (run[i].isdigit() or run[i + 1].isdigit())
    }


def title_pairs(p: PlanRecord) -> frozenset[tuple[str, str]]:
    """Consecutive folded word pairs of the plan's title and of what it implements, within punctuation."""
    return _pairs_of(p.meta.title, p.meta.implements)


@lru_cache(maxsize=256)
def _title_word_pairs(title: str) -> frozenset[tuple[str, str]]:
    """Consecutive folded word pairs of a title, across its punctuation ('quan trắc, cảnh báo' gives 'trac canh')."""
    words = [folded_key(w) for w in SYLLABLE.findall(title)] if title != "unknown" else []
    # and across the title's function words, which users leave out ('chuyển đổi số <cho các> doanh nghiệp' asked as
    # 'chuyển đổi số doanh nghiệp': Đồng Tháp KH 617; 'quan trắc … <tại một số> vùng nuôi': Đắk Lắk KH 0134)
    content = [w for w in words if w not in FUNCTION_WORDS]
    return frozenset(zip(words, words[1:])) | frozenset(zip(content, content[1:]))


@lru_cache(maxsize=4096)
def _pairs_of(title: str, implements: str) -> frozenset[tuple[str, str]]:
    if title == "unknown":
        return frozenset()
    out: set[tuple[str, str]] = set()
    for part in re.split(r"[,;:()\"“”–]|\s-\s|\.\s", f"{title}. {implements}"):
        words = [folded_key(w) for w in SYLLABLE.findall(part)]
        out |= set(zip(words, words[1:]))
    return frozenset(out)


def _without(terms: tuple[Term, ...], words: set[str]) -> tuple[Term, ...]:
    return tuple(t for t in terms if not set(t.folded.split()) <= words)


def _is_numbered(plan: PlanRecord, number: str, codes: tuple[str, ...]) -> bool:
    """The plan carries this number, and the kind the question gives it ('Kế hoạch 624' is not 'Thông báo 624'),
    a Quyết định that issues a Kế hoạch answering to both."""
    own = plan.meta.number
    if own.split("/")[0].lstrip("0") != number.lstrip("0"):
        return False
    wanted = {c.split(":")[0] for c in codes if c.split(":")[1] == number}
    code = own.split("/")[1].split("-")[0] if "/" in own else ""
    kinds = {code} | ({"KH"} if plan.meta.also == "Kế hoạch" else set())
    return not wanted or bool(wanted & kinds)


# A document of no province (a Nghị quyết of the Chính phủ, a Quyết định of the Thủ tướng) that names the province
# asked about and carries the question's topic where the province's own plans do not: 'lương hưu ở Đắk Lắk được
# chi gộp …' is NQ 380's (it lists Đắk Lắk among the provinces it helps), not Đắk Lắk's monitoring plan; QĐ 2634's
# projects are listed by province too.
NATIONAL_MARGIN = 0.25


def _national_on_topic(plans: dict[str, PlanRecord], q: Question, others: set[str], own: set[str]) -> set[str]:
    if _PLAN_WORD.search(q.folded):
        return set()  # 'kh cđs giao thông Đồng Tháp': the province's own plan, described
    national = {d for d in others if plans[d].meta.province == "unknown" and _mentions(plans[d], q.provinces)}
    if not national or not q.terms:
        return set()
    n = len(plans)
    found: dict[object, set[str]] = {
        t: {d for d in plans if term_matches(t, text_keys(plans[d].text))} for t in q.terms
    }
    # two words in a row as the question has them ('Long Phú', 'nhiệt điện'): a name its syllables alone do not make
    for x, y in zip(q.terms, q.terms[1:]):
        pair = f" {x.folded} {y.folded} "
        found[pair] = {d for d in plans if pair in text_keys(plans[d].text).folded_text}
    idf = {t: math.log(1 + n / (1 + len(docs))) for t, docs in found.items()}
    total = sum(idf.values()) or 1.0

    def cover(d: str) -> float:
        return sum(w for t, w in idf.items() if d in found[t]) / total

    best_own = max((cover(d) for d in own), default=0.0)
    return {d for d in national if cover(d) >= best_own + NATIONAL_MARGIN}


def _mentions(plan: PlanRecord, provinces: tuple[str, ...]) -> bool:
    return any(re.search(r"\b" + re.escape(p) + r"\b", plan.text) for p in provinces)


def no_province(plans: dict[str, PlanRecord], name: str) -> str:
    provinces = sorted({p.meta.province for p in plans.values()} - {"unknown"})
    msg = f"Các kế hoạch hiện có không có văn bản của {name}; kho hiện có văn bản của: {', '.join(provinces)}."
    merged = MERGED_PROVINCES.get(name)
    if merged and merged[0] in provinces:
        partner, new = merged
        msg += (
            f" (Từ 2025, {name} và {partner} thuộc tỉnh {new} sau sắp xếp; có thể tham khảo kế hoạch của "
            f"{partner}, ban hành trước khi hợp nhất.)"
        )
    return msg


def catalogue(plans: dict[str, PlanRecord]) -> str:
    return "; ".join(p.meta.citation_title() for p in plans.values())

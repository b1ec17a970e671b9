"""Facts about a document: its number, date, signer, issuer, the decision it implements, what it was based on.

Values come from the plan's metadata (extracted from its text, overridden by plans.toml) and are cited to the line
that states them; a fact the text does not state is said to be missing, never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.agencies import canonical
from index.metadata import UNKNOWN
from index.search import Filters
from index.sections import PREAMBLE
from index.store import PlanRecord
from index.text import collapse_ws, fold

from .analysis import DOC_NUMBER, Question
from .asks import DOC_KIND
from .compose import Draft, Evidence, Part, abstain, line_around, with_source
from .kinds import EMAIL_VALUE
from .passages import passage_answer
from .scope import FUNCTION_WORDS, own_words, title_words
from .terms import Term, overlap

if TYPE_CHECKING:
    from .context import Context

_FACT_WORDS = set("quyet dinh thu tuong chinh phu ban hanh ky so hieu ngay nguoi de nghi xuat can cu van".split())
LABELS = {
    "signer": "người ký",
    "date": "ngày ban hành",
    "number": "số hiệu",
    "issuer": "cơ quan ban hành",
    "implements": "văn bản được triển khai",
    "replaces": "văn bản được thay thế",
}


def fact_answer(ctx: "Context", q: Question, scope: Filters) -> Draft:
    plan = _which_plan(ctx, q, scope)
    kind = q.asks.fact or "number"
    if kind == "reference":
        if re.search(r"\bthay (?:the|cho)\b", q.folded) and plan.meta.replaces not in ("", UNKNOWN):
            # what it replaces, as its header lists them all (one sentence may stop at the second of three)
            return _value(ctx, plan, "replaces", plan.meta.replaces, _number_of(plan.meta.replaces))
        found = _reference(ctx, q, plan)
        if found.abstained and re.search(r"\bde (nghi|xuat)\b", q.folded):
            return _basis(ctx, q, plan)  # 'ban hành trên cơ sở đề nghị tại văn bản nào': the preamble's proposal line
        return found
    if kind == "basis":
        return _basis(ctx, q, plan)
    meta = plan.meta
    if kind == "signer":  # with the signer's title ('do ai ký, chức vụ gì'), as the signature block gives it
        shown = (
            f"{meta.signer}, {meta.signer_title}"
            if meta.signer != UNKNOWN and meta.signer_title != UNKNOWN
            else meta.signer
        )
        return _value(ctx, plan, kind, shown, meta.signer)
    if kind == "date":
        needle = meta.number if meta.number != UNKNOWN else meta.date
        return _value(ctx, plan, kind, meta.date, needle, _date_line(plan))
    if kind == "issuer":
        return _value(ctx, plan, kind, meta.issuer, meta.issuer.replace("UBND", "").strip())
    if kind == "implements":
        # 'đơn giá … áp dụng theo quyết định nào': a subject of its own points to a document cited about it; when
        # the plan says what it carries out, only a heavy subject does (the plan's wording of itself is no subject)
        if meta.implements != UNKNOWN and _other_issuer(q, meta.implements):
            return _reference(ctx, q, plan)  # 'nghị quyết nào của Thành ủy': what it carries out is another body's
        unnamed = meta.implements == UNKNOWN
        if unnamed:  # the header says nothing: the document its text says it carries out, if any, is the answer
            return _reference(ctx, q, plan)
        if _subject_weight(ctx, q, plan) >= SUBJECT_OWN_WEIGHT or _names_cited(q, plan):
            found = _reference(ctx, q, plan)
            if not found.abstained:
                return found
        return _value(ctx, plan, kind, meta.implements, _number_of(meta.implements))
    if _other_kind_asked(q, plan) and _subject_weight(ctx, q, plan) >= SUBJECT_MIN_WEIGHT:
        found = _reference(ctx, q, plan)  # 'công văn … theo quy chế ban hành ở quyết định số mấy': a cited decision's
        if not found.abstained:
            return found
    if _foreign_kind_asked(q, plan):  # a decree the plan names without its number: not the plan's own number
        return _reference(ctx, q, plan)
    return _value(ctx, plan, "number", meta.number, meta.number)


# ('tờ trình của bộ nào, số mấy': the kind whose issuer and number are both asked; NQ 380's, QĐ 2623's proposals)
_KIND_NUMBER_ASKED = re.compile(
    r"\b" + DOC_KIND + r"(?:\s+cua\s+\w+(?:\s+\w+)?\s+nao\s*,?)?\s+(?:so\s+)?(?:may|bao nhieu|nao|gi)\b"
)


def _asked_kind(q: Question) -> str:
    """The kind of document whose number the question asks ('Quyết định' of '… ở quyết định số mấy'), if one; else,
    for 'có số hiệu là gì', the kind it names ('<Kế hoạch xử lý rác thải …> mà Sở X được giao triển khai có số hiệu
    là gì' asked in a Công văn of Kon Tum; 'phương án nào …, số mấy' in Quảng Trị's Chỉ thị)."""
    m = _KIND_NUMBER_ASKED.search(q.folded)
    if m is None and q.asks.fact == "number":
        # the last kind the question does not name by number ('Theo Kế hoạch kèm Quyết định 2623/QĐ-TTg, <Nghị định>
        # quy định chi tiết Luật … có số hiệu bao nhiêu': the decree's number, not the decision's), nor names as the
        # frame it is asked in ('<Nghị định> … nêu trong Kế hoạch theo Quyết định 2623 có số hiệu là gì'); a law
        # too ('theo QĐ 2623, <Luật> Bảo vệ dữ liệu cá nhân mang số hiệu bao nhiêu': QĐ 2623, Lai Châu KH 7360)
        kinds = [
            k
            for k in re.finditer(r"\b(?:" + DOC_KIND + r"|(?<!phap )(luat))\b", q.folded)  # not 'pháp luật'
            if not _NAMED_AFTER.match(q.folded, k.end())
            and k.group(1) not in _NO_KIND
            and not _FRAMED_BEFORE.search(q.folded, 0, k.start())
        ]
        m = kinds[-1] if kinds else None
    kind = next((g for g in m.groups() if g), "") if m else ""
    return _KIND_WORDS.get(kind, "Luật" if kind == "luat" else "") if kind and kind not in _NO_KIND else ""


# 'nêu trong <Kế hoạch>', 'theo <Quyết định>', and the code of a number ('2623 / <qd> - ttg')
_FRAMED_BEFORE = re.compile(r"(?:\b(?:theo|trong|tai|cua|kem)|/)\s*$")


# any document ('văn bản quy phạm pháp luật'), or one a plan carries out: no kind whose number is asked
_NO_KIND = ("van ban", "de an", "chuong trinh")
_NAMED_AFTER = re.compile(r"\s+(?:so\s+)?\d|\s+(?:ban hanh\s+)?kem\b")  # 'quyết định 2623', 'kế hoạch kèm …'
# kinds no plan, decision or letter of the corpus is itself: their number asked is always another document's
_FOREIGN_KINDS = frozenset(("Nghị định", "Thông tư", "Tờ trình", "Luật"))


def _foreign_kind_asked(q: Question, plan: PlanRecord) -> bool:
    """The number asked is of a decree, circular or submission ('Nghị định … số hiệu bao nhiêu'): never the plan's."""
    asked = _asked_kind(q)
    return asked in _FOREIGN_KINDS and fold(asked).lower() != fold(plan.meta.kind).lower()


def _other_kind_asked(q: Question, plan: PlanRecord) -> bool:
    """The number asked is of another kind of document than the plan ('quyết định số mấy' of a Công văn)."""
    asked = _asked_kind(q)
    return bool(asked) and fold(asked).lower() != fold(plan.meta.kind).lower()


def _other_issuer(q: Question, implemented: str) -> bool:
    """'… nghị quyết nào của Thành ủy Hà Nội' when what the plan says it carries out is another body's (by name,
    or by its number's code: '283/KH-UBND' is an Ủy ban's)."""
    m = re.search(r"\bnao cua (\w+ \w+)", q.folded)
    if not m or m.group(1) in fold(implemented).lower():
        return False
    if m.group(1) in ("cap trung", "trung uong"):  # 'của (cấp) Trung ương': a level, which a Thủ tướng's, the
        # Chính phủ's or a Bộ's document is (TP.HCM QĐ 2820 carries out QĐ 06/QĐ-TTg and 3103/QĐ-BTC)
        return not re.search(
            r"\b(?:thu tuong|chinh phu|bo|quoc hoi)\b|/(?:qd-ttg|nq-cp|qd-b)", fold(implemented).lower()
        )
    code = _ISSUERS.get(m.group(1))
    return not (code and re.search(rf"\d[/-][\wĐđ/-]*\b{code}\b", implemented))


def _names_cited(q: Question, plan: PlanRecord) -> bool:
    """The question names a document by a number other than the plan's own: a document the plan cites ('kh 4084
    … triển khai nghị quyết nào' asked of the letter that lists Kế hoạch 4084)."""
    own = plan.meta.number.split("/")[0]
    return any(n != own for n in q.plan_numbers)


def _number_of(reference: str) -> str:
    number = re.search(r"\d+/[A-ZĐ\-]+", reference)
    return number.group() if number else reference


SUBJECT_MIN_WEIGHT = 4.0  # IDF weight of the question's own subject, beyond the document and the relation asked
SUBJECT_OWN_WEIGHT = 10.0  # … when the plan names the document it carries out (that is the likelier answer)


def _subject_weight(ctx: "Context", q: Question, plan: PlanRecord) -> float:
    """How much the question describes a subject of its own ('đơn giá quan trắc') rather than the document
    ('kế hoạch 617 của Đồng Tháp thực hiện kế hoạch nào'): a subject points to a document cited about it."""
    words = _FACT_WORDS | _REFERENCE_WORDS | own_words(plan) | set(ctx.stop_terms(q))
    return sum(ctx.vocab.weight(t) for t in q.terms if not set(t.folded.split()) <= words)


# to the sentence's end across the lines a PDF wrapped it on ('Theo đề nghị của Vụ trưởng Vụ' / 'Kế hoạch, Tài
# chính.' in QĐ 4385, '… của Bộ trưởng' / 'Bộ Công an.' in QĐ 2623), never past a blank line
_SENTENCE_REST = r"(?:[^\n.;]|\n(?!\s*\n))*"
_PROPOSAL = re.compile(
    r"[^\n.;]*\b(?:xét đề nghị|theo đề nghị|theo đề xuất|trên cơ sở đề xuất)\b" + _SENTENCE_REST, re.I
)
_BASIS = re.compile(r"(?m)^(?:Căn cứ|Thực hiện)\b" + _SENTENCE_REST)


# Where a document's preamble ends: its operative words or its first article or part.
_PREAMBLE_END = re.compile(r"(?m)^(?:QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ\s*:|Điều 1\b|I\.\s)")
# 'căn cứ những luật nào', 'trên cơ sở các đạo luật nào': several grounds asked, of one kind (QĐ 2623's two laws;
# Sơn La QĐ 2954's and the Government's decisions cite their laws and decrees the same way)
_MANY = re.compile(r"\b(?:nhung|cac)\b")
_GROUND_KINDS = (
    ("luat", "Luật"),
    ("nghi dinh", "Nghị định"),
    ("nghi quyet", "Nghị quyết"),
    ("quyet dinh", "Quyết định"),
)


def _basis(ctx: "Context", q: Question, plan: PlanRecord) -> Draft:
    """Who proposed the document, or what it is based on: the preamble lines that say so (each of them, of the kind
    asked, when the question asks for several: 'căn cứ những luật nào')."""
    rx = _PROPOSAL if re.search(r"de nghi|de xuat|to trinh", q.folded) else _BASIS
    found = list(rx.finditer(plan.text))
    if rx is _BASIS and found and _MANY.search(q.folded):
        end = _PREAMBLE_END.search(plan.text, found[0].end())
        found = [m for m in rx.finditer(plan.text, 0, end.start() if end else len(plan.text))]
        kind = next((k for f, k in _GROUND_KINDS if re.search(rf"\b{f}\b", q.folded)), "")
        found = [m for m in found if kind in m.group()] or found
        return Draft([_ground(ctx, plan, m) for m in found[:_GROUNDS_MAX]])
    if not found:
        return passage_answer(ctx, q, ctx.search(q, Filters(docs=(plan.doc_id,))))
    return Draft([_ground(ctx, plan, found[0], 3 * ctx.cfg.quote_max_chars)])


_GROUNDS_MAX = 6  # a preamble's grounds shown at most; the citations hold each


def _ground(ctx: "Context", plan: PlanRecord, m: re.Match, max_chars: int | None = None) -> Part:
    """One preamble line as an answer part, its words shown up to max_chars, quoted whole."""
    ev = Evidence(plan.doc_id, ctx.section_at(plan, m.start()), m.start(), m.end(), 1.0)
    return Part(with_source(collapse_ws(m.group())[:max_chars], plan, ev.section), (ev,))


# Relations between a plan and a document it cites, as questions and plans word them (folded).
_RELATIONS = (
    "thay the",
    "vien dan",
    "phe duyet",
    "duoc duyet",
    "duyet",  # 'do Thủ tướng duyệt ở quyết định nào': the sentence that says 'phê duyệt'
    "can cu",
    "de nghi",
    "thuc hien",
    "trien khai",
    "ban hanh kem theo",
    "bai bo",
)
_GROUNDED = {"can cu", "thuc hien", "trien khai"}  # relations of what the plan rests on or carries out
_KIND_WORDS = {
    "quyet dinh": "Quyết định",
    "qd": "Quyết định",
    "nghi quyet": "Nghị quyết",
    "nq": "Nghị quyết",
    "ke hoach": "Kế hoạch",
    "kh": "Kế hoạch",
    "chi thi": "Chỉ thị",
    "thong bao": "Thông báo",
    "cong van": "Công văn",
    "to trinh": "Tờ trình",
    "ket luan": "Kết luận",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "chuong trinh": "Chương trình",
    "phuong an": "Phương án",
    "de an": "Đề án",
    "huong dan": "Hướng dẫn",
}
# 'Quyết định số 4255/QĐ-BNN-KHCN', also without 'số' and with the space a PDF leaves after a hyphen ('Kế hoạch
# 223/KH- UBND': Thanh Hóa KH 235, Đắk Lắk KH 0134, QĐ 4385, QĐ 2634); cited_name() shows it without the space
_CITED_KINDS = (
    "Quyết định|Nghị quyết|Kế hoạch|Chỉ thị|Thông báo|Công văn|Tờ trình|Kết luận|Nghị định|Thông tư|Chương trình|"
    "Phương án|Đề án|Hướng dẫn"  # the other numbered kinds of administrative document (Nghị định 30/2020/NĐ-CP)
).replace(
    " ", r"\s+"
)  # a kind wrapped over two lines ('Nghị\nđịnh số 80/2025/NĐ-CP': Lai Châu KH 7360, TB 624, CV 6225)
_CITED = re.compile(rf"({_CITED_KINDS})\s+(?:số\s*:?\s*)?(\d{{1,6}}(?:/\d{{4}})?[/-](?:[\w/Đđ&]|-\s?)*[\wĐđ])")


def cited_name(m: re.Match[str]) -> str:
    """'Kế hoạch số 223/KH-UBND' for a match of _CITED."""
    number = re.sub(r"-\s+", "-", m.group(2))
    return f"{cited_kind(m)} số {number}"


# the cited document's date asked with it ('kế hoạch đó có số hiệu và ngày ban hành nào', '… số mấy, ký ngày nào')
_DATE_ASKED = re.compile(r"\bngay (ban hanh|nao|may)\b|\bky ngay\b")
_DATE_AFTER = re.compile(r"\s*,?\s*ngày\s+(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})")


def _dated(text: str, m: re.Match[str]) -> str:
    """' ngày 07 tháng 5 năm 2021' when the plan dates the cited document right after its number, else ''."""
    d = _DATE_AFTER.match(text, m.end())
    return f" ngày {collapse_ws(d.group(1))}" if d else ""


def cited_kind(m: re.Match[str]) -> str:
    """The kind of a match of _CITED on one line ('Nghị định' of 'Nghị\nđịnh')."""
    return collapse_ws(m.group(1))


def _reference(ctx: "Context", q: Question, plan: PlanRecord) -> Draft:
    """'Which decision does it replace / approved the scheme it mentions / is it based on': the documents the plan
    cites, each read with the sentence around it; the one whose kind, relation and subject fit the question."""
    asked_kinds = {v for k, v in _KIND_WORDS.items() if re.search(r"\b" + k + r"\b", q.folded)}
    relations = [r for r in _RELATIONS if r in q.folded]
    if re.search(r"\bdua (vao|tren)\b|\btren co so\b", q.folded):
        relations += ["can cu", "thuc hien"]  # what 'dựa vào' asks, a preamble says 'Căn cứ …' or 'Thực hiện …'
    own = plan.meta.number
    if "can cu" in relations and re.search(r"\b(nhung|cac) (van ban|quyet dinh|ke hoach|nghi quyet)\b", q.folded):
        return _bases(ctx, plan)  # 'căn cứ vào những văn bản nào': every document its preamble rests on
    # the plan's own wording describes the plan, not what it cites ('Kế hoạch <chuyển đổi số … giao thông> được
    # ban hành căn cứ Nghị quyết nào', among other plans so the scope kept those words in the topic) …
    asked = _subject_terms(q.terms)
    issuer = _asked_issuer(q, plan)
    plan_words = own_words(plan) | ctx.stop_terms(q) | set(issuer.split()) | FUNCTION_WORDS | {"vao"}
    terms = tuple(t for t in asked if not set(t.folded.split()) <= plan_words)
    # … though it may describe what the plan carries out too ('Đề án <nâng cao nhận thức cộng đồng> do Thủ tướng
    # duyệt ở quyết định nào', where the plan carries out that Đề án; words the scope set aside come back here)
    described = asked + _subject_terms(tuple(t for t in ctx.analyzer.analyze(q.raw).terms if t not in q.terms))
    best: tuple[float, int, int, re.Match[str], bool] | None = None
    wanted = _asked_kind(q)
    for m in _CITED.finditer(plan.text):
        if own != UNKNOWN and m.group(2).startswith(own):
            continue
        if wanted and cited_kind(m) != wanted:
            continue  # 'quyết định số mấy': a decision, not the letter cited beside it
        s0, s1 = _sentence_around(plan.text, m.start(), m.end())
        sentence = plan.text[s0:s1]
        folded = fold(sentence)
        # read with its heading, as passages' sentences are: the question may place it by the part of the plan it is
        # in ('trong phần hỗ trợ thi hành Luật, … viện dẫn nghị định nào': Lai Châu's '5. Tổ chức các nội dung hỗ trợ
        # thi hành Luật')
        placed = f"{sentence} {_own_heading(ctx, plan, s0, sentence)}"
        ov = overlap(terms, placed, ctx.vocab)
        if described != terms:
            ov = max(ov, overlap(described, placed, ctx.vocab))
        # the kind and issuer asked of what the plan rests on ('căn cứ vào chỉ thị nào của Thủ tướng') pin a document
        # its opening cites, whatever else the question says of the plan (CV 6225's Chỉ thị 33, Kon Tum's letter's
        # Quyết định 687: the opening names what a letter carries out)
        pinned = wanted and _GROUNDED.intersection(relations) and ctx.section_at(plan, s0) == PREAMBLE
        weak = bool(terms) and ov < REFERENCE_MIN_OVERLAP
        if weak and not pinned:
            continue  # the sentence is not about the subject the question describes
        if "de nghi" in relations and "de nghi" not in folded:
            continue  # 'trên cơ sở đề nghị tại văn bản nào': a proposal, not what the plan carries out (Kon Tum)
        if issuer and not _issued_by(plan.text, m, issuer):
            continue  # 'quyết định nào của Thủ tướng': not the plan's own UBND decisions
        score = ov + 0.5 * (cited_kind(m) in asked_kinds) + 0.4 * sum(r in folded for r in relations)
        # a pinned sentence off the subject answers only when no sentence about the subject does
        if best is None or (not weak, score) > (not best[4], best[0]):
            best = (score, s0, s1, m, weak)
    if best is None or best[0] < REFERENCE_MIN_SCORE:
        return abstain(f"{plan.meta.citation_title()}: văn bản không nêu văn bản nào như vậy.")
    _, s0, s1, m, _ = best
    ev = Evidence(plan.doc_id, ctx.section_at(plan, s0), s0, s1, 1.0)
    # 'những văn bản nào của Ban Thường vụ Tỉnh ủy': documents asked of no one kind, every kind the sentence cites
    # (Quảng Trị CT 06's 'Chỉ thị số 31-CT/TU …, Kế hoạch số 134-KH/TU … của Ban Thường vụ Tỉnh ủy')
    any_kind = re.search(r"\b(?:nhung|cac) van ban (?:\w+ ){0,2}nao\b", q.folded) is not None
    same = [  # "các tờ trình nào"; of the issuer asked ('nghị quyết nào của Bộ Chính trị', not the Chính phủ's)
        x
        for x in _CITED.finditer(plan.text, s0, s1)
        if (any_kind or cited_kind(x) == cited_kind(m))
        and (not issuer or _issued_by(plan.text, x, issuer))
        and not (own != UNKNOWN and x.group(2).startswith(own))
    ] or [m]
    dated = _DATE_ASKED.search(q.folded)
    names = "; ".join(dict.fromkeys(cited_name(x) + (_dated(plan.text, x) if dated else "") for x in same))
    if _WHOSE_ASKED.search(q.folded):  # who proposed or issued it, asked with it: the sentence that says both
        end = re.search(r";|\n\s*\n", plan.text[same[-1].end() : s1])
        names = collapse_ws(plan.text[s0 : same[-1].end() + end.start() if end else s1]).rstrip(";,. ")
    text = f"{names} (theo {plan.meta.citation_title()}, mục {ev.section})."
    return Draft([Part(text, (ev,))])


# 'dựa trên tờ trình của bộ nào, số mấy': whose document it is, asked with its number (NQ 380's Bộ Tài chính, QĐ
# 2623's Bộ Công an, QĐ 4385's Vụ Kế hoạch, Tài chính propose the decisions they cite)
_WHOSE_ASKED = re.compile(
    r"\b(?:cua|do) (?:bo|co quan|don vi|so|ben|vu|cuc) nao\b|\b(?:bo|co quan) nao (?:de nghi|trinh)\b"
)


def _own_heading(ctx: "Context", plan: PlanRecord, pos: int, sentence: str) -> str:
    """The heading of the part a sentence is in, unless the heading is that sentence's own first words (an item of a
    list of documents headed by itself: '6. Quyết định số 3760/QĐ-BVHTTDL …' in CV 6225)."""
    heading = ctx.section_at(plan, pos).split(" > ")[-1]
    words = re.sub(r"^\S+\s+", "", heading).rstrip("…").strip()
    return "" if words and words in collapse_ws(sentence) else heading


def _subject_terms(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    return tuple(t for t in terms if not set(t.folded.split()) <= _FACT_WORDS | _REFERENCE_WORDS)


# Issuers a question names for the document it asks about ('do Thủ tướng duyệt', 'nghị quyết nào của Chính phủ'),
# with the code their numbers carry ('553/QĐ-TTg').
_ISSUERS = {
    "thu tuong": "TTg",
    "chinh phu": "CP",
    "bo chinh tri": "TW",
    "quoc hoi": "QH",
    "thanh uy": "TU",
    "tinh uy": "TU",
    "uy ban": "UBND",
}


def _asked_issuer(q: Question, plan: PlanRecord) -> str:
    """The issuer the question gives the document it asks for: '… nào của <Thủ tướng>', '(do) <Thủ tướng> duyệt
    …', 'chỉ thị của <TTg> … số mấy' (not the plan's own issuer named elsewhere in the question)."""
    names = "|".join(_ISSUERS)
    m = re.search(rf"\b(?:nao|so may|so bao nhieu) (?:cua|do) ({names})\b", q.folded)
    if m:
        return m.group(1)
    m = re.search(rf"\b(?:do|la) ({names}) (?:phe duyet|duyet|ban hanh)\b|\b{DOC_KIND} cua ({names})\b", q.folded)
    named = (m.group(1) or m.group(3)) if m else ""
    return "" if named and named in fold(plan.meta.issuer).lower().replace("ubnd", "uy ban") else named


def _issued_by(text: str, m: re.Match[str], issuer: str) -> bool:
    """The cited document is the named issuer's: its number's code, or 'của <issuer>' after its date."""
    if m.group(2).rstrip().endswith(_ISSUERS[issuer]):
        return True
    of = re.match(r"[^;]{0,45}?\bcua ([^,;]{0,40})", fold(collapse_ws(text[m.end() : m.end() + 160])).lower())
    return bool(of) and issuer in of.group(1)


def _bases(ctx: "Context", plan: PlanRecord) -> Draft:
    """The documents named in the preamble's 'Căn cứ …' / 'Thực hiện …' lines, each with its line as evidence."""
    names: list[str] = []
    evidence: list[Evidence] = []
    for line in _BASIS.finditer(plan.text):
        cited = [cited_name(m) for m in _CITED.finditer(line.group())]
        if cited:
            names += cited
            evidence.append(Evidence(plan.doc_id, ctx.section_at(plan, line.start()), line.start(), line.end(), 1.0))
    if not names:
        return abstain(f"{plan.meta.citation_title()}: văn bản không nêu văn bản nào như vậy.")
    listed = "; ".join(dict.fromkeys(names[:BASES_MAX]))
    return Draft([Part(f"{listed} (theo {plan.meta.citation_title()}, phần căn cứ).", tuple(evidence[:BASES_MAX]))])


BASES_MAX = 6  # documents listed for 'căn cứ vào những văn bản nào'
REFERENCE_MIN_SCORE = 0.5  # kind or relation plus some of the subject, or most of the subject
REFERENCE_MIN_OVERLAP = 0.6  # the citing sentence carries most of the question's subject (IDF-weighted)
# Words of the relation and of document kinds, not of the subject ('được phê duyệt tại quyết định số mấy').
_REFERENCE_WORDS = set(
    "phe duyet thay the vien dan nhac de cap nghi quyet chi thi thong bao to trinh ke hoach "
    "cong van tai theo giai doan nao may dua vao tren co so".split()  # 'trên cơ sở' is 'căn cứ' as users say it
)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end], across the lines a PDF wrapped it on ('Căn cứ Quyết định số 1644/QĐ-BXD
    ngày 30/9/2025 của' / 'Bộ trưởng Bộ Xây dựng ban hành …'), never into the next 'Căn cứ …' or list item."""
    a = start
    while True:
        a = max(text.rfind("\n", 0, a), text.rfind(". ", 0, a) + 1, text.rfind("; ", 0, a) + 1)
        if a <= 0 or text[a] != "\n" or _NEW_LINE_ITEM.match(text, a + 1) or text[a - 1 : a + 1] == "\n\n":
            a = max(a, 0) + (1 if a > 0 or text[:1] == "\n" else 0)
            break
    b = end
    while True:
        ends = [i for i in (text.find("\n", b), text.find(". ", b), text.find("; ", b)) if i >= 0]
        b = min(ends) if ends else len(text)
        if b >= len(text) or text[b] != "\n" or _NEW_LINE_ITEM.match(text, b + 1) or text[b : b + 2] == "\n\n":
            break
        b += 1
    return a, b


# a line that opens a new sentence of a preamble or a list, not the wrapped rest of the one before it
_NEW_LINE_ITEM = re.compile(r"\s*(?:Căn cứ|Thực hiện|Theo|Xét|Điều\s+\d|[-–+•]|\d{1,2}[.)]|[a-zđ]\)|[IVX]+\.)")


def _which_plan(ctx: "Context", q: Question, scope: Filters) -> PlanRecord:
    """The plan the question is about: the only one in scope, else the one whose title, kind and year fit its words
    best, and whose issuer it names ('công văn của UBND Hà Nội' is not the Sở GD&ĐT's letter on the same subject)."""
    docs = list(scope.docs or ctx.plans)
    if len(docs) == 1:
        return ctx.plans[docs[0]]
    terms = tuple(t for t in q.terms if not set(t.folded.split()) <= _FACT_WORDS)
    hits = ctx.search(q, scope, k=5)
    first = hits[0].chunk.doc_id if hits else docs[0]
    share = {d: sum(h.chunk.doc_id == d for h in hits) / len(hits) for d in docs} if hits else {}

    asked = f" {canonical(q.text)} "
    # the issuer named first is the document's ('công văn của UBND Hà Nội'); one named later is usually the cited
    # document's ('… thực hiện quyết định nào của Thủ tướng Chính phủ')
    at = {d: _issuer_at(asked, ctx.plans[d]) for d in docs if _named(ctx.plans[d].meta.issuer)}
    first_named = min((p for p in at.values() if p >= 0), default=-1)

    def fit(doc: str) -> float:
        meta = ctx.plans[doc].meta
        named = 0.5 if first_named >= 0 and at.get(doc) == first_named else 0.0
        found = 0.1 * (doc == first) + 0.2 * share.get(doc, 0.0)  # where the topic is (a letter may have no title)
        return overlap(terms, f"{meta.title} {meta.kind} {meta.year}", ctx.vocab) + named + found

    return ctx.plans[max(docs, key=fit)]


def _issuer_at(asked: str, plan: PlanRecord) -> int:
    """Where the question names the plan's issuer: in full, or without its place, as the place's own officials
    say it ('công văn của UBND Thành phố' for UBND Thành phố Hà Nội, 'UBND tỉnh' for UBND tỉnh Sơn La)."""
    issuer, province = plan.meta.issuer, plan.meta.province
    at = asked.find(f" {canonical(issuer)} ")
    if at < 0 and province != UNKNOWN and issuer.endswith(f" {province}"):
        at = asked.find(f" {canonical(issuer[: -len(province)].strip())} ")
    return at


def _named(issuer: str) -> bool:
    return issuer != UNKNOWN and bool(canonical(issuer))


def _value(
    ctx: "Context", plan: PlanRecord, kind: str, value: str, needle: str, span: tuple[int, int] | None = None
) -> Draft:
    what = LABELS[kind]
    if value == UNKNOWN:
        note = f" {plan.meta.note}" if plan.meta.note else ""
        return abstain(f"{plan.meta.citation_title()}: văn bản không ghi {what}.{note}")
    span = span or find_line(plan.text, needle)
    text = f"{what[:1].upper()}{what[1:]}: {value} ({plan.meta.citation_title()})."
    if span is None:
        return Draft([Part(text, ())])
    return Draft([Part(text, (Evidence(plan.doc_id, ctx.section_at(plan, span[0]), span[0], span[1], 1.0),))])


def _date_line(plan: PlanRecord) -> tuple[int, int] | None:
    """The line that dates the document ('Hưng Yên, ngày 12 tháng 03 năm 2025' or the appendix caption)."""
    if plan.meta.date == UNKNOWN:
        return None
    d, m, y = plan.meta.date.split("/")
    rx = rf"ngày\s+0?{int(d)}\s*(?:tháng\s*|/)\s*0?{int(m)}\s*(?:năm\s*|/)\s*{y}"
    hit = re.search(rx, plan.text)
    return line_around(plan.text, hit.start(), hit.end()) if hit else None


def find_line(text: str, needle: str) -> tuple[int, int] | None:
    """Span of the line that contains `needle` (spaces in the needle may be absent or doubled in the text)."""
    if not needle or needle == UNKNOWN:
        return None
    pattern = r"\s*".join(re.escape(c) for c in needle.replace(" ", ""))
    m = re.search(pattern, text)
    return line_around(text, m.start(), m.end()) if m else None


# 'Quyết định này có hiệu lực (thi hành) kể từ ngày ký (ban hành)': the article every decision, directive and
# resolution closes with (QĐ 4385, 2820, 2853, 2623, 2954 among the development documents), perhaps going on to the
# document it replaces ('… và thay thế Quyết định số 270/QĐ-TTg ngày … của Thủ tướng Chính phủ phê duyệt …': QĐ 2634)
_EFFECTIVE = re.compile(
    r"(?:Quyết\s+định|Chỉ\s+thị|Nghị\s+quyết|Kế\s+hoạch|Thông\s+tư|Văn\s+bản)\s+này\s+có\s+hiệu\s+lực[^.;]{0,320}[.;]"
)
_EFFECTIVE_ASKED = re.compile(
    r"\bhieu luc\b.*\b(khi nao|bao gio|ngay nao|luc nao|tu|ke tu)\b|\b(tu khi nao|tu ngay nao)\b.*\bhieu luc\b"
)
# 'Luật Bảo vệ dữ liệu cá nhân có hiệu lực từ khi nào': a law the plan implements, whose date its text may state —
# not the plan's own closing article, unless the plan itself is named first ('Quyết định thi hành Luật … có hiệu lực
# …'); a law named before the plan is the subject ('Luật Trí tuệ nhân tạo nêu trong CT … (QĐ 2629) có hiệu lực …')
_OTHER_LAW = re.compile(
    r"^(?:(?!\b(?:quyet dinh|qd|ke hoach|kh|chi thi|cong van|nghi quyet|van ban)\b).)*\b(luat|nghi dinh|thong tu)\b"
)


def own_effect_asked(folded: str) -> bool:
    """'… có hiệu lực từ khi nào?' asked of the document itself, not of a law it names."""
    return bool(_EFFECTIVE_ASKED.search(folded)) and not _OTHER_LAW.search(folded)


# 'Chánh Văn phòng …, Thủ trưởng các cơ quan liên quan chịu trách nhiệm thi hành Quyết định này': the closing
# article of every decision, or its last paragraph (QĐ 4385, 2634, 2629, 2623, 2820, 2853, 2954 among the development documents)
_EXECUTORS = re.compile(
    r"(?:Điều\s+\d+\.\s+|\.\s*\n\s*)((?:(?!Điều\s+\d+\.)[^.]){10,900}?)\s+(?:chịu|có)\s+trách\s+nhiệm\s+thi\s+hành\s+"
    r"(?:quyết\s+định|chỉ\s+thị|nghị\s+quyết)\s+này",
    re.I,
)
EXECUTORS_ASKED = re.compile(
    r"\b(chiu|co) trach nhiem thi hanh\b|\b(ai|nao) thi hanh (quyet dinh|qd|chi thi|nghi quyet)\b"
)


def executors_answer(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """'Những ai chịu trách nhiệm thi hành Quyết định 4385?': the closing article naming them, quoted; None when
    the document has none."""
    found = _closing_article(ctx, q, scope, _EXECUTORS)
    if found is None:
        return None
    plan, m, ev = found
    names = collapse_ws(m.group(1))
    return Draft([Part(f"Chịu trách nhiệm thi hành: {names} ({plan.meta.citation_title()}).", (ev,))])


# Whom a letter is sent to: 'công văn … được gửi tới những cơ quan nào', 'gửi công văn này cho những ai', 'cv … còn
# gửi cho phó giám đốc nào' (CV 5095 in rounds 6, 12 and 18; the city's letter on air pollution opens 'Kính gửi:' too):
# its 'Kính gửi:' list (who acts on it) and its 'Nơi nhận:' list (who gets a copy). Not 'báo cáo gửi về đâu'.
ADDRESSEES_ASKED = re.compile(
    r"\b(?:cong van|cv|van ban|thong bao|tb|chi thi)\b[^?]{0,160}?\bgui (?:\W*de biet\W* )?(?:toi|cho|den)\b"
    r"|\bgui (?:cong van|cv|van ban) (?:nay |do )?(?:cho|toi|den)\b|\bkinh gui\b|\bnoi nhan\b"
    # a plan or decision is sent too ('KH … của Bến Tre có gửi lên Bộ nào'; 'CV 6225 gửi “để biết” cho cơ quan nào'),
    # but a report sent under it is not its copy ('… thực hiện kế hoạch, báo cáo gửi lên Bộ nào')
    # — the plan named by its whole title as officials do ('Kế hoạch triển khai Đề án … của UBND tỉnh Bến Tre được gửi
    # tới những Bộ nào': round 28)
    r"|\b(?:ke hoach|kh|quyet dinh|qd)\b(?:(?!bao cao)[^?]){0,160}?\bgui (?:len|toi|cho|den)\b"
    # 'KH … gửi những Bộ nào', 'QĐ … gửi các tập đoàn nào' (Bến Tre's plan, QĐ 2634)
    r"|\b(?:ke hoach|kh|quyet dinh|qd)\b(?:(?!bao cao)[^?]){0,160}?\bgui (?:nhung|cac) \w+(?: \w+){0,4} nao\b"
)
_COPIES_ASKED = re.compile(r"\bnoi nhan\b|\bcon gui\b|\bban sao\b|\bde biet\b|\bnhung ai\b|\bnguoi ky\b")
_ADDRESSED = re.compile(r"Kính gửi\s*:?[ \t]*\n?((?:[^\n]*\n?){1,8})")


def _listed(block: str) -> str:
    """A '- …' list on one line, its bullets dropped ('UBND các xã, phường; Các đơn vị, cơ sở giáo dục …'); the
    citation quotes it as written."""
    return "; ".join(x.strip(" ;-–") for x in re.split(r"\n\s*[-–]\s*|^\s*[-–]\s*", block.strip()) if x.strip(" ;-–"))


def addressees_answer(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """The letter's 'Kính gửi:' list up to its first full stop, and its 'Nơi nhận:' list, quoted; None when the
    document opens with no 'Kính gửi:'."""
    plan = _which_plan(ctx, q, scope)
    m = _ADDRESSED.search(plan.text[:4000])
    if m is None:
        return _copies(ctx, plan, q)
    block = m.group(1)
    stop = re.search(r"\.\s*(?:\n|$)", block)
    end = m.start(1) + (stop.start() + 1 if stop else len(block.rstrip()))
    where = ctx.section_at(plan, m.start())
    parts = [
        Part(
            f"{plan.meta.citation_title()} — Kính gửi: {_listed(plan.text[m.start(1) : end])}",
            (Evidence(plan.doc_id, where, m.start(1), end, 1.0),),
        )
    ]
    r0, r1 = _recipients(plan)
    kind = _RECIPIENT_KIND.search(q.folded)
    if (
        r1 > r0
        and kind
        and not _of_kind(_listed(plan.text[m.start(1) : end]).split("; "), kind)
        and _of_kind(_listed(plan.text[r0:r1]).split("; "), kind)
    ):
        # 'còn gửi tới những Phó Giám đốc nào', 'gửi cho những phòng nào thuộc Sở': the kind asked is not among
        # those addressed, so it is the copies of that kind
        return _copies(ctx, plan, q)
    if r1 > r0 and _COPIES_ASKED.search(q.folded):
        parts.append(
            Part(
                f"Nơi nhận (bản sao): {_listed(plan.text[r0:r1])}",
                (Evidence(plan.doc_id, ctx.section_at(plan, r0), r0, r1, 1.0),),
            )
        )
    return Draft(parts)


def _copies(ctx: "Context", plan: PlanRecord, q: Question | None = None) -> Draft | None:
    """A plan or decision, addressed to no one, is sent to its 'Nơi nhận:' list (Bến Tre's plan 'gửi lên Bộ nào':
    '- Các Bộ: KH&ĐT, TC, TN&MT;'); None without one."""
    r0, r1 = _recipients(plan)
    if r1 <= r0:
        return None
    where = ctx.section_at(plan, r0)
    listed = _listed(plan.text[r0:r1])
    if q is not None and (kind := _RECIPIENT_KIND.search(q.folded)):
        # 'gửi tới những Bộ nào', 'những tập đoàn nào': the entries of that kind (Bến Tre's 'Các Bộ: KH&ĐT, TC, TN&MT',
        # QĐ 2634's 'Các Tập đoàn: EVN, PVN, TKV', QĐ 4385's ministries); the citation quotes the whole list
        listed = "; ".join(_of_kind(listed.split("; "), kind)) or listed
    text = f"{plan.meta.citation_title()} — Nơi nhận: {listed}"
    return Draft([Part(text, (Evidence(plan.doc_id, where, r0, r1, 1.0),))])


_RECIPIENT_KIND = re.compile(
    r"\b(?:nhung|cac) (bo|tap doan|tong cong ty|so|tinh|cuc|vu|ngan hang|phong|pho giam doc|pgd|pho chu tich|pct)"
    r"(?: \w+){0,4} nao\b"
)
# how a 'Nơi nhận:' list writes each kind, where it is not the kind's own word: its sections ('Các phòng: ĐTKT,
# NNMT' of Đắk Lắk KH 0134, 'Các phòng thuộc Sở' of CV 5095, 'Phòng TH, KT' of Bến Tre's plan; not 'Văn phòng') and
# its leaders by their initials ('Đ/c PGĐ …' of CV 5095, 'CT, các PCT UBND tỉnh' of most provincial plans)
_KIND_WRITTEN = {
    "phong": r"(?<!van )\bphong\b",
    "pho giam doc": r"\bpgd\b|\bpho giam doc\b",
    "pgd": r"\bpgd\b|\bpho giam doc\b",
    "pho chu tich": r"\bpct\b|\bpho (?:chu tich|ct)\b",
    "pct": r"\bpct\b|\bpho (?:chu tich|ct)\b",
}


def _of_kind(entries: list[str], kind: re.Match[str]) -> list[str]:
    """The entries of a recipient list that are of the kind the question names ('những Bộ nào', 'những phòng nào')."""
    written = _KIND_WRITTEN.get(kind[1], rf"\b{kind[1]}\b")
    return [x for x in entries if re.search(written, fold(x).lower())]


def _recipients(plan: PlanRecord) -> tuple[int, int]:
    """The span of the plan's 'Nơi nhận:' list, after its label (empty when it has none)."""
    r0, r1 = plan.recipients
    if label := re.match(r"Nơi nhận\s*:?\s*", plan.text[r0:r1]):
        r0 += label.end()
    return r0, r1


# The plan's own period, asked of the plan itself ('kế hoạch … thực hiện trong giai đoạn nào, tầm nhìn tới năm nào',
# 'KH … chạy tới năm nào'): Hà Tĩnh KH 624's, TP.HCM QĐ 2853's, Đắk Lắk KH 0134's periods were asked so in rounds 7,
# 16, 25, 28 and 29. Its 'Thời gian: …' line when it has one, else the period its title states.
_PERIOD_OWN = re.compile(  # on the heading's line, or on the line under it (Cần Thơ KH 153's 'Chương trình: Từ năm …')
    r"(?im)^\s*(?:[IVX]+|\d{1,2})?[.)]?\s*Thời gian(?: thực hiện)?\s*"
    r"(?::\s*([^\n]*\d{4}[^\n]*)|\n\s*([^\n]*\d{4}[^\n]*))$"
)
_PERIOD_TITLE = re.compile(
    r"(?i)giai\s+đoạn\s+\d{4}\s*[-–]\s*\d{4}(?:\s*,\s*(?:định\s+hướng|tầm\s+nhìn)(?:\s+đến)?(?:\s+năm)?\s+\d{4})?"
    r"|đến\s+năm\s+\d{4}(?:\s*,\s*(?:định\s+hướng|tầm\s+nhìn)(?:\s+đến)?(?:\s+năm)?\s+\d{4})?"
)
# the words a question about the plan's own period says besides the plan's description
_PERIOD_WORDS = frozenset(
    "chay giai doan tam nhin dinh huong thuc hien trien khai ap dung keo dai khoang thoi gian tu nam den toi".split()
)


def plan_period_asked(ctx: "Context", q: Question, docs: tuple[str, ...]) -> bool:
    """A time question with nothing but period words left once the plan's description is set aside."""
    if q.intent != "time" or q.agencies:
        return False
    # the words of the plan's title describe the plan, when one plan is in scope
    own = title_words(ctx.plans[docs[0]]) if len(docs) == 1 else set()
    left = [t for t in q.terms if not set(t.folded.split()) <= _PERIOD_WORDS | own]
    return sum(ctx.vocab.weight(t) for t in left) < PERIOD_TOPIC_MAX


PERIOD_TOPIC_MAX = 3.0  # IDF weight of what a question says beyond its plan and the period (weak_topic's measure)


def plan_period(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """The one plan in scope's own period: its 'Thời gian: …' line, else its title's 'giai đoạn …'/'đến năm …'."""
    if len(scope.docs) != 1:
        return None
    plan = ctx.plans[scope.docs[0]]
    m = _PERIOD_OWN.search(plan.text)
    span = (m.start(1), m.end(1)) if m and m.group(1) else (m.start(2), m.end(2)) if m else None
    if span is None:
        head = plan.text[:3000]
        # the title as the plan's header writes it (its lines), before the body opens
        t = _PERIOD_TITLE.search(head)
        span = (t.start(), t.end()) if t else None
    if span is None:
        return None
    start, end = span
    ev = Evidence(plan.doc_id, ctx.section_at(plan, start), start, end, 1.0)
    value = collapse_ws(plan.text[start:end])
    return Draft([Part(f"Thời gian thực hiện: {value} ({plan.meta.citation_title()}).", (ev,))])


# A phone number asked ('gọi số nào', 'số điện thoại … là gì', 'số đường dây nóng'): the line of the document that gives
# one ('… điện thoại: 02439411232': Hà Nội SGDĐT CV 5095, asked in rounds 21, 24 and 30), or a refusal when it gives
# none (Cần Thơ KH 153's hotline, asked in rounds 9, 12 and 15, has no number). Not who runs a hotline, nor how many
# numbers ('bao nhiêu số điện thoại được nhận tin nhắn': Đắk Lắk KH 0134's 1.000 thuê bao, TB 624's 500.000).
PHONE_ASKED = re.compile(
    r"\b(?:dien thoai|hotline|duong day nong|sdt)\b.*\b(?:so (?:nao|may|bao nhieu|gi)|la (?:so )?(?:gi|bao nhieu))\b"
    r"|\bgoi (?:so|dien thoai|dien|toi so) ?(?:nao|may|gi|bao nhieu)\b"
    r"|(?<!bao nhieu )(?<!may )\bso (?:dien thoai|hotline|duong day nong)\b"
)
_PHONE = re.compile(r"(?<![\d/])\(?0\d{2,3}\)?[ .]?\d{3,4}[ .]?\d{3,4}(?![\d/])")


def phone_answer(ctx: "Context", q: Question, scope: Filters) -> Draft:
    """The sentence of the plan in question that gives a phone number, quoted; else say it gives none."""
    plan = _which_plan(ctx, q, scope)
    m = _PHONE.search(plan.text)
    if m is None:
        return abstain(f"{plan.meta.citation_title()} không nêu số điện thoại nào.")
    text = plan.text  # the sentence on the number's line that gives it ('Chi tiết liên hệ …, điện thoại: …')
    dot = text.rfind(". ", 0, m.start())
    s0 = max(text.rfind("\n", 0, m.start()) + 1, dot + 2 if dot >= 0 else 0)
    line_end = text.find("\n", m.end())
    s1 = len(text) if line_end < 0 else line_end
    ev = Evidence(plan.doc_id, ctx.section_at(plan, s0), s0, s1, 1.0)
    return Draft([Part(f"{collapse_ws(text[s0:s1])} ({plan.meta.citation_title()})", (ev,))])


def no_email(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """An e-mail address asked of a plan that gives none (SGDĐT CV 5095 gives a phone): say so; None when it gives
    one, for the passages to quote."""
    plan = _which_plan(ctx, q, scope)
    if EMAIL_VALUE.search(plan.text):
        return None
    return abstain(f"{plan.meta.citation_title()} không nêu địa chỉ thư điện tử nào.")


def effective_answer(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """'QĐ 2853 có hiệu lực từ khi nào?': the document's own article on when it takes effect, quoted, with its
    signing date when it takes effect on signing; None when the document has no such article."""
    found = _closing_article(ctx, q, scope, _EFFECTIVE)
    if found is None:
        return None
    plan, m, ev = found
    sentence = collapse_ws(m.group(0))
    signed = ""
    if re.search(r"ngày\s+ký", sentence) and plan.meta.date != UNKNOWN:
        signed = f" Ngày ký: {plan.meta.date}."
    return Draft([Part(f"Hiệu lực: {sentence}{signed} ({plan.meta.citation_title()}).", (ev,))])


def _closing_article(
    ctx: "Context", q: Question, scope: Filters, article: re.Pattern[str]
) -> tuple[PlanRecord, re.Match[str], Evidence] | None:
    """The plan asked about, the first match of one of a decision's closing articles in it, and its evidence."""
    plan = _which_plan(ctx, q, scope)
    m = article.search(plan.text)
    if m is None:
        return None
    return plan, m, Evidence(plan.doc_id, ctx.section_at(plan, m.start()), m.start(), m.end(), 1.0)


# The date of a document the plan cites, asked by its number: 'Công văn số 1923/SKHĐT-TH … đề ngày nào' (Kon Tum's
# letter), 'qđ 1325/qđ-ubnd … ban hành ngày nào' (the same), 'phương án số 728/PA-UBND … ban hành ngày nào' (Quảng
# Trị CT 06): plans cite documents as '<kind> số N/CODE ngày dd/mm/yyyy', and the date there is the answer.
_ISSUE_DATE_ASKED = re.compile(r"\b(?:de|ky|ghi|ban hanh|ra|co) (?:vao )?ngay (?:nao|may|thang nao)\b")
_DEADLINE_WORDS = re.compile(r"\b(?:truoc ngay|han|bao cao|hoan thanh|nop|gui)\b")
_CITED_DATE = re.compile(r"\s*(?:,\s*)?ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})")
_CITED_KIND = re.compile(rf"({_CITED_KINDS}|Văn bản)\s+(?:số\s*:?\s*)?$")


def cited_numbers(q: Question, plan: PlanRecord) -> list[str]:
    """The numbers of documents the question names other than the plan's own ('1923' of '1923/SKHĐT-TH'), and not
    the one that describes the plan ('Kế hoạch triển khai Quyết định 687/QĐ-TTg … ban hành ngày nào' asks the plan's
    date)."""
    if "so hieu" in q.folded:
        return []  # 'có số hiệu và ngày ban hành là gì': the plan's own
    own = plan.meta.number.split("/")[0].lstrip("0") if plan.meta.number != UNKNOWN else ""
    named = list(q.plan_numbers) + [m.group().split("/")[0].strip() for m in DOC_NUMBER.finditer(q.text)]
    return [
        n
        for n in dict.fromkeys(x.lstrip("0") for x in named)
        if n and n != own and not re.search(rf"\b(?:trien khai|thuc hien)\s+{DOC_KIND}?\s*(?:so\s*)?0*{n}\b", q.folded)
    ]


def cited_date(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """'… số N … ban hành/đề ngày nào' of a document the plan cites: the date the plan gives beside its number."""
    issued = q.intent == "time" and _ISSUE_DATE_ASKED.search(q.folded) and not _DEADLINE_WORDS.search(q.folded)
    if q.asks.fact != "date" and not issued:
        return None  # nor 'báo cáo trước ngày nào': a deadline, not when a document was issued
    for doc in scope.docs or tuple(ctx.plans):
        plan = ctx.plans[doc]
        for n in cited_numbers(q, plan):
            # numbers are compared without leading zeros ('Chỉ thị 05/CT-TTg' asked as '05' or '5')
            for m in re.finditer(rf"(?<![\d/.])0*{n}\s*/\s*[\wĐđ&/-]*[\wĐđ]", plan.text):
                date = _CITED_DATE.match(plan.text, m.end())
                if not date:
                    continue
                kind = _CITED_KIND.search(plan.text[max(0, m.start() - 40) : m.start()])
                start = m.start() - (len(kind.group()) if kind else 0)
                d, mo, y = date.groups()
                name = collapse_ws(plan.text[start : m.end()])
                ev = Evidence(doc, ctx.section_at(plan, start), start, date.end(), 1.0)
                text = f"{name}: ngày {int(d)}/{int(mo)}/{y} (theo {plan.meta.citation_title()}, mục {ev.section})."
                return Draft([Part(text, (ev,))])
    return None


# the subject of a document the plan cites, asked by its number: 'kế hoạch 1448/KH-UBND mà Sở … tiếp tục triển khai
# là kế hoạch về việc gì', 'quyết định 687/QĐ-TTg về vấn đề gì' (a referenced document is a fact of its own: its
# date, issuer and subject are said where the plan cites it). The kind and number stand right before 'về … gì', or
# 'là <kind> về … gì' refers back to them, so a duty 'tuyên truyền về vấn đề gì' is not taken for one.
_SUBJECT_ASKED = re.compile(
    rf"\b{DOC_KIND}\s+(?:so\s+)?\d[\w/.-]*\s+(?:la\s+)?(?:ve\s+)?(?:viec|van de|noi dung)?\s*gi\b|"
    rf"\bla\s+(?:{DOC_KIND}\s+)?ve\s+(?:viec\s+|van de\s+)?gi\b|\btrich yeu\b"
)
# after the number: its date and issuer ('ngày 07 tháng 5 năm 2021 của Ủy ban nhân dân tỉnh'), then 'về (việc) …'
_SUBJECT_AFTER = re.compile(r"[^;.]{0,90}?\bvề\s+(?:việc\s+)?")
_SUBJECT_END = re.compile(rf"[;:]|\.(?!\d)|\n\s*\n|\s(?:và|,)\s+(?:{_CITED_KINDS})\b")
SUBJECT_MAX = 300  # characters of a cited document's subject


def cited_subject(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """'… số N là về việc gì': the subject the plan gives beside a document it cites, read from 'về (việc) …' after
    its number and date to the end of that phrase."""
    asked = _SUBJECT_ASKED.search(q.folded)
    if not asked:
        return None
    kind = re.match(DOC_KIND, asked.group()) or re.search(rf"\b{DOC_KIND}\s+(?:so\s+)?\d", q.folded)
    wanted = _KIND_WORDS.get(kind.group(1), "") if kind else ""
    for doc in scope.docs or tuple(ctx.plans):
        plan = ctx.plans[doc]
        numbers = cited_numbers(q, plan)
        for m in _CITED.finditer(plan.text):
            if m.group(2).split("/")[0].lstrip("0") not in numbers or (wanted and cited_kind(m) != wanted):
                continue
            about = _SUBJECT_AFTER.match(plan.text, m.end())
            if about:
                end = _SUBJECT_END.search(plan.text, about.end())
                stop = min(end.start() if end else len(plan.text), about.end() + SUBJECT_MAX)
                start, name = m.start(), cited_name(m)
                subject = collapse_ws(plan.text[about.end() : stop]).rstrip(" ,")
                ev = Evidence(doc, ctx.section_at(plan, start), start, stop, 1.0)
                text = f"{name}: về {subject} (theo {plan.meta.citation_title()}, mục {ev.section})."
                return Draft([Part(text, (ev,))])
    return None

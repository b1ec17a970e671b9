"""Answers from sentences: targets, times and general questions; a sentence must carry the kind of value asked
(a number with the asked unit, a time as precise as asked, a place), or the assistant declines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from index.agencies import agency_match, agency_of_title, canonical
from index.search import Filters, Hit
from index.store import PlanRecord
from index.text import collapse_ws, fold

from .analysis import Question
from .asks import (
    HOW_OFTEN,
    PLACE_EVIDENCE,
    RECURRING,
    WEB_ASKED,
    WEB_VALUE,
    asked_years,
    of_asked_rank,
    recurrence_satisfied,
    time_satisfies,
)
from .compose import (
    ANSWER_MAX,
    OTHER_PLANS_MAX,
    SINGLE_FIELD,
    Draft,
    Evidence,
    Part,
    abstain,
    first_sentence,
    is_agency_section,
    section_agency,
    sentences,
    topic_terms,
    with_source,
    without_source,
)
from .scope import title_words, within_years
from .terms import overlap

if TYPE_CHECKING:
    from .context import Context

NOT_FOUND = "Các kế hoạch hiện có không nêu thông tin này."
# 'ngày 15 hằng tháng' (Hà Nội 308, Sơn La 2954) is a time like 'ngày 15/12'
TIME_EXPR = re.compile(
    r"\b(?:20\d\d|\d{1,2}/\d{1,2}|[Hh][àằ]ng (?:năm|tháng|quý|tuần)|định kỳ|[Tt]háng \d{1,2}|[Qq]uý|ngày \d{1,2})\b"
    r"|sau khi|ngay sau"
    r"|\b\d{1,3}\s+ngày\b"  # a time limit: 'trong thời hạn 10 ngày kể từ …'
)


@dataclass(frozen=True)
class Scored:
    score: float  # ranking: overlap + retrieval + bonuses
    ov: float  # topic overlap: the confidence
    ev: Evidence


YEAR = re.compile(r"\b20\d\d\b")  # a year of these plans, in a question or an answer


def _year_mismatch(q: Question, text: str) -> float:
    """1 when the question names a year that the sentence (with its section) does not mention but names another."""
    asked = asked_years(q.folded)
    seen = set(YEAR.findall(text))
    return 1.0 if asked and seen and not asked & seen else 0.0


_DATED = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d\d|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d\d")


def _own_years(sentence: str) -> set[str]:
    """The years a sentence sets itself, not a cited document's date: they decide which year it is about over its
    heading's ('Mục tiêu đến năm 2030' > '… nhóm 4 nước … vào năm 2028; thuộc nhóm 3 nước … vào năm 2030': QĐ 2629,
    asked so in five rounds; a correction of the year check, which read the heading's year for every clause)."""
    return set(YEAR.findall(_DATED.sub(" ", sentence)))


def is_caption(section: str) -> bool:
    return section.startswith("PHỤ LỤC") and " > " not in section


def need_for(q: Question) -> Callable[[str], bool] | None:
    """What a sentence must contain to answer this question, from what it asks."""
    checks: list[Callable[[str], bool]] = []
    if q.asks.unit:
        checks.append(lambda s: re.search(q.asks.unit, fold(s)) is not None)
    elif q.intent == "target" or (q.intent == "budget" and q.asks.budget != "sources"):
        checks.append(lambda s: re.search(r"\d", _DOC_NUMBER.sub(" ", own_times(s))) is not None)
    if q.intent == "time":
        checks.append(lambda s: _states_time(q, s))
    if q.asks.place:
        checks.append(lambda s: PLACE_EVIDENCE.search(s) is not None)
    if WEB_ASKED.search(q.folded):
        checks.append(lambda s: WEB_VALUE.search(s) is not None)
    if q.intent == "budget" and q.asks.budget == "sources":  # 'từ nguồn nào': a sentence that names money
        checks.append(lambda s: FUNDING_WORDS.search(s) is not None)
    return (lambda s: all(c(s) for c in checks)) if checks else None


def _states_time(q: Question, sentence: str) -> bool:
    """The sentence sets a time of its own as precise as asked (a cited document's date or its own date of issue
    is no such time), with the recurrence asked."""
    own = own_times(sentence)
    if HOW_OFTEN.search(q.folded):  # 'với tần suất nào': 'thường xuyên', 'hằng năm' answer it, no date needed
        return RECURRING.search(fold(own).lower()) is not None
    return (
        TIME_EXPR.search(own) is not None
        and time_satisfies(q.asks.time_grain, own)
        and recurrence_satisfied(q.folded, sentence)
        and (not UNTIL_ASKED.search(q.folded) or UNTIL_STATED.search(fold(own).lower()) is not None)
    )


# 'kéo dài tới khi nào', 'thực hiện đến thời điểm nào': an end, which a sentence states with 'đến/tới/hết/trước' or
# as a range ('2026 - 2030'); the months of the storms a support answers are no such end (NQ 380's support period,
# asked in rounds 5, 16, 25, 28; Hà Nội KH 310's, QĐ 2853's periods)
UNTIL_ASKED = re.compile(r"\b(?:den|toi) (?:thoi diem|khi|luc|bao gio|ngay|thang|nam)(?: nao| may)?\b|\bkeo dai\b")
UNTIL_STATED = re.compile(r"\b(?:den|toi|het|truoc|cham nhat)\b|\d{4}\s*[-–]\s*\d{4}")


# 'nguồn' names money only with what it is a source of: 'nguồn nước', 'nguồn gốc', 'nguồn nhân lực' are no funding
# (Cần Thơ CT 09's groundwater answered 'kinh phí từ nguồn nào'; 'nguồn nhân lực' in QĐ 4385, Bến Tre, KH 552 …)
FUNDING_WORDS = re.compile(
    r"(?i)ngân sách|kinh phí|nguồn (?:lực|thu|tài chính|hỗ trợ|huy động|hợp pháp|khác)|vốn|tài trợ|xã hội hóa|"
    r"chi thường xuyên"
)


# a document's date as it is cited: 'ngày 14/7/2025', 'ngày 24 tháng 11 năm 2017'
_CITED_DAY = r"ngày\s*\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4}"
# 'Công văn số 3430/BVHTTDL-VP ngày 14/7/2025': the date of a document cited, not a time the sentence sets
CITED_DATE = re.compile(r"(?i)\bsố\s*:?\s*\d{1,5}[\w/Đđ&\-]*\s*,?\s*" + _CITED_DAY)


# 'Hà Nội, ngày 03 tháng 12 năm 2025': the document's own place and date of issue, which a PDF may run into the
# line before ('V/v … trên địa bàn Thành phố Hà Nội, ngày 03 tháng 12 năm 2025'), not a time it sets
ISSUE_DATE = re.compile(r"\b[A-ZĐ][\wÀ-ỹ]*,\s*ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}")


# 'Căn cứ Luật Quy hoạch ngày 24/11/2017;': a law cited with the date it was passed, as the preamble of every decision
# cites its bases (QĐ 4385, QĐ 2629, QĐ 2634, NQ 380, Sơn La QĐ 2954 …), never a time the document sets
BASIS = re.compile(r"\b(?:Luật|Bộ luật|Hiến pháp)\b[^;,\n]{0,80}?\b" + _CITED_DAY)


# a document's number as cited ('Quyết định số 06/QĐ-TTg', '3103/QĐ-BTC', 'Nghị quyết 214/NQ-CP'): no figure of its own
_DOC_NUMBER = re.compile(r"\b\d{1,5}(?:/\d{4})?/[A-ZĐ][\w&Đđ]*(?:-[\w&Đđ]+)*")


def own_times(sentence: str) -> str:
    """The sentence without the dates of the documents it cites nor its own date of issue, blanked in place so
    that a match in it is at the same offset in the sentence."""
    return BASIS.sub(_blank, ISSUE_DATE.sub(_blank, CITED_DATE.sub(_blank, sentence)))


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


COORDINATES = re.compile(r"(?i)phối hợp|đề nghị của|cùng với")  # a sentence that says who works with whom
FUNDING_SECTION = re.compile(r"(?i)kinh phí|nguồn lực|nguồn vốn")
LEAD_IN = re.compile(r"(?i)\b(?:đến|tới|trong|giai đoạn|từ)\s+(?:năm\s+)?20\d\d(?:\s*[-–]\s*20\d\d)?")


class TitleDamped:
    """The vocabulary's weights, with the words of the plan's own title weighing less: a plan on 'lấn chiếm rừng'
    says so in most of its sentences, so those words tell its sentences apart less than the question's other words
    (Quảng Trị CT 06, Cần Thơ CT 09, NQ 380: a sentence restating the subject outranked the one that answers)."""

    def __init__(self, vocab, plan: PlanRecord) -> None:
        self.vocab, self.title, self.initials = vocab, title_words(plan), title_initials(plan.meta.title)

    @classmethod
    def of(cls, ctx: "Context", plan: PlanRecord, cache: dict[str, "TitleDamped"]) -> "TitleDamped":
        if plan.doc_id not in cache:
            cache[plan.doc_id] = cls(ctx.vocab, plan)
        return cache[plan.doc_id]

    def weight(self, term) -> float:
        w = self.vocab.weight(term)
        own = set(term.folded.split()) <= self.title or term.folded in self.initials
        return w * TITLE_WORD_WEIGHT if own else w


@functools.lru_cache(maxsize=256)
def title_initials(title: str) -> frozenset[str]:
    """The initialisms of the title's phrases ('khcn', 'dmst', 'cds' of '… KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO,
    CHUYỂN ĐỔI SỐ …': TB 624, whose rows write 'KHCN, ĐMST, CĐS'), 'và' and punctuation skipped: the title's
    words under another spelling."""
    words = [w for w in re.findall(r"[^\W\d_]+", fold(title).lower()) if w != "va"]
    return frozenset("".join(w[0] for w in words[i : i + n]) for n in range(3, 7) for i in range(len(words) - n + 1))


TITLE_WORD_WEIGHT = 0.5


def score_sentences(
    ctx: "Context",
    q: Question,
    hits: list[Hit],
    need: Callable[[str], bool] | None = None,
    captions: bool = False,
    top_hits: int = 6,
) -> list[Scored]:
    """Sentences of the top hits, scored by topic overlap (+ retrieval score, + a % for a % question)."""
    terms = topic_terms(q, ctx.stop_terms(q))
    places = ctx.places_asked(q)
    roles = agency_roles(q.text, q.agencies) if q.intent == "time" else {}
    quoted = quoted_phrases(q)
    scored: list[Scored] = []
    damped: dict[str, TitleDamped] = {}
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    run_on: set[tuple[str, int, int]] = set()  # rows read on through their cells
    for rank, h in enumerate(hits[:top_hits]):
        if (
            h.chunk.kind == "text"
            and is_caption(h.chunk.section)
            and not (captions or ctx.is_content_appendix(h.chunk))
        ):
            continue  # appendix captions and table headers are not answers
        if places and h.chunk.kind == "row" and not all(p in fold(h.chunk.text) for p in places):
            continue  # a row about another district
        plan = ctx.plans[h.chunk.doc_id]
        heading = h.chunk.section.split(" > ")[-1]
        prose = h.chunk.kind == "text" and not _APPENDIX.search(h.chunk.section)
        spans = sentences(plan.text[h.chunk.start : h.chunk.end], h.chunk.start, prose)
        rows = run_on_rows(plan.text, spans, need)
        run_on.update((h.chunk.doc_id, a, b) for a, b in rows)
        for s0, s1 in spans + rows:
            s = plan.text[s0:s1]
            if len(s) < 12 or (need and not need(s)) or plan.recipients[0] <= s0 < plan.recipients[1]:
                continue  # the 'Nơi nhận' list names who gets a copy, not who does anything
            if places and h.chunk.kind == "text" and not all(p in fold(f"{s} {h.chunk.section}") for p in places):
                continue
            para = plan.text.rfind("\n", 0, s0) + 1  # a clause reads with its paragraph's 'đến năm 2030'
            lead_in = LEAD_IN.search(plan.text[para : min(s0, para + 80)]) if para < s0 else None
            # a clause after ';' in the same paragraph reads with the words before it ('Tổ chức đánh giá kết quả
            # thực hiện; báo cáo UBND tỉnh trước ngày 15/12/2026')
            before = plan.text[max(para, s0 - CLAUSE_CONTEXT) : s0] if para < s0 else ""
            before = before if before.rstrip().endswith(";") else ""  # a clause, not the paragraph's next sentence
            if _labelled_for(q, s):  # '- Số lượng: 5.000 cuốn.' reads with the items above it ('- Hình thức: …')
                before = plan.text[max(h.chunk.start, s0 - LABEL_CONTEXT) : s0]
            # an item of an agency's section is that agency's ('1. Viện Văn hóa … > b) Tổ chức đánh giá …, báo cáo Thủ
            # tướng …' answers what the Viện reports): the agency named asked reads in the item's context
            if q.besides and _set_aside_only(ctx, q, h.chunk.section, s):
                continue  # 'ngoài Sở X thì còn ai …': Sở X's own duty, naming nobody else, is not the answer
            doer = section_agency(h.chunk.section) if q.agencies else ""
            context = f"{heading} {lead_in.group() if lead_in else ''} {before} {doer}"
            s = with_spelled_out(plan, s)  # 'Có ≥ 60% DNNVV, HTX, HKD …' reads as the words the plan abbreviated
            vocab = TitleDamped.of(ctx, plan, damped)
            ov = max(overlap(terms, s, vocab), 0.85 * overlap(terms, f"{s} {context}", vocab))
            ov -= 0.25 * _year_mismatch(q, s if _own_years(s) else f"{s} {h.chunk.section}")
            if q.title_terms and q.intent == "lead":  # the plan's own words break a tie between two agencies'
                ov += TITLE_TIE * overlap(q.title_terms, s, ctx.vocab)  # near-identical duties (Kon Tum, Bến Tre)
            found = agency_roles(s, tuple(roles)) if roles else {}
            if _roles_swapped(roles, found):
                ov -= ROLE_SWAP_PENALTY
            elif found and all(found.get(k) == r for k, r in roles.items()):
                ov += ROLE_MATCH_BONUS  # 'Sở Công Thương tổng hợp báo cáo …' for what Sở Công Thương reports
            bonus = 0.15 if q.asks.unit.endswith("%") and "%" in s else 0.0
            if quoted and any(x in flat_folded(s) for x in quoted):
                ov += LABEL_ASKED_BONUS  # the sentence that holds the phrase the user quotes
            if _label_asked(q, s):
                # the field asked, by its label ('Thời gian hỗ trợ:' for 'thời gian hỗ trợ … đến khi nào'): it
                # matches the topic as well as it answers; a label that is itself a time ('a) Đến hết năm 2025:')
                # only ranks the sentences, since the question's year is not its topic
                if re.search(r"\d", s.split(":", 1)[0]):
                    bonus += LABEL_ASKED_BONUS
                else:
                    ov += LABEL_ASKED_BONUS
            if q.intent == "coordinate" and (COORDINATES.search(s) or COORDINATES.search(heading)):
                bonus += 0.15  # 'phối hợp với ai': the sentence (or its heading) that says who works with whom
            if q.asks.budget == "sources" and FUNDING_SECTION.search(h.chunk.section):
                bonus += 0.3
            score = ov + 0.25 * h.score / top + bonus - 0.02 * rank
            scored.append(Scored(score, ov, Evidence(h.chunk.doc_id, h.chunk.section, s0, s1, round(h.score, 3))))
    return _twin_first(ctx, q, dedupe(ctx.plans, sorted(_distinct_rows(scored, run_on), key=lambda x: -x.score)))


ROW_MARGIN = 0.1


def _distinct_rows(scored: list[Scored], run_on: set[tuple[str, int, int]]) -> list[Scored]:
    """Rows read through their cells answer only when one matches clearly better than the others: the rows of a table
    share their words ('Các Dự án Nhà máy điện … Tổng công suất'), and a question about a row the table does not
    write so ('thủy điện Sơn La mở rộng … bao nhiêu MW') would take a near tie for an answer."""
    rows = sorted((sc.ov for sc in scored if (sc.ev.doc_id, sc.ev.start, sc.ev.end) in run_on), reverse=True)
    if len(rows) < 2 or rows[0] - rows[1] >= ROW_MARGIN:
        return scored
    return [sc for sc in scored if (sc.ev.doc_id, sc.ev.start, sc.ev.end) not in run_on]


# A table the PDF flattened one cell per line puts a row's figures on lines of their own, after its name ('Các Dự án
# Nhà máy điện sử dụng khí Lô B (Ô Môn I, …)' / 'Tổng công suất:' / '3.810 MW' in QĐ 2634's annex; 'Bãi ngao Minh Lộc
# - xã Vạn Lộc' / '2202932' / '600299' in Thanh Hóa KH 235's; Đắk Lắk KH 0134's sites likewise): a line that lacks the
# value asked reads on through the row's short cells that follow it
CELL_MAX_CHARS = 32
CELLS_MAX = 3
_BARE_VALUE = re.compile(r"^[\d.,/ x×%]+(?:\s*[A-Za-zµ²³]{1,4}\d?)?$")


def run_on_rows(text: str, spans: list[tuple[int, int]], need: Callable[[str], bool] | None) -> list[tuple[int, int]]:
    """The lines among the sentence spans that lack what is asked, each run on through the short cells after it
    until one has it (and the bare figures next to that one)."""
    if need is None:
        return []
    out = []
    for i, (s0, s1) in enumerate(spans):
        line = text[s0:s1].strip()
        if len(line) < 12 or line[-1] in ".;" or need(line) or (len(line) <= CELL_MAX_CHARS and line.endswith(":")):
            continue  # a sentence, or a bare label ('Tổng công suất:'), is no row's name
        end, j = s1, i + 1
        while j < len(spans) and j - i <= CELLS_MAX and _is_cell(cell := text[spans[j][0] : spans[j][1]].strip()):
            end = spans[j][1]
            j += 1
            if re.search(r"\d", cell) and need(text[s0:end]):
                while j < len(spans) and _BARE_VALUE.match(text[spans[j][0] : spans[j][1]].strip()):
                    end, j = spans[j][1], j + 1
                out.append((s0, end))
                break
    return out


def _is_cell(line: str) -> bool:
    """A short line that is a table's cell, not an item of a list ('- Thời gian: 01 ngày/hội nghị.')."""
    return len(line) <= CELL_MAX_CHARS and not re.match(r"[-–+•]", line)


# A plan's own abbreviations, defined where first used: 'doanh nghiệp nhỏ và vừa (DNNVV), hợp tác xã (HTX)' (Đồng
# Tháp KH 617), 'nuôi trồng thủy sản (NTTS)' (Đắk Lắk KH 0134, Thanh Hóa KH 235), 'kinh tế tuần hoàn (KTTH)' (Kon
# Tum): the words before the parenthesis whose initials spell it.
_ABBREVIATION = re.compile(r"\(([A-ZĐ][A-ZĐ&]{1,7})\)")


@functools.lru_cache(maxsize=64)
def spelled_out(text: str) -> dict[str, str]:
    """{abbreviation: the words it stands for} as a plan's text defines them."""
    found: dict[str, str] = {}
    for m in _ABBREVIATION.finditer(text):
        abbr = m.group(1)
        letters = fold(abbr.replace("&", "")).lower()
        words = text[max(0, m.start() - 80) : m.start()].split()[-len(letters) :]
        if len(words) == len(letters) and "".join(fold(w[0]).lower() for w in words) == letters:
            found.setdefault(abbr, " ".join(w.strip(",;:") for w in words))
    return found


# A comparison written as a sign before a figure reads as the words people ask with ('VN_AQI ≥ 301' for 'từ 301 trở
# lên', 'VN_AQI > 200' for 'trên 200': Hà Nội's air-pollution letter and SGDĐT CV 5095; '≥ 60% DNNVV': Đồng Tháp KH 617)
_SIGN_WORDS = {"≥": "trở lên", "≤": "trở xuống", ">": "trên vượt", "<": "dưới"}
_SIGN = re.compile(r"([≥≤<>])\s*\d")


def with_spelled_out(plan: PlanRecord, sentence: str) -> str:
    """The sentence with the words of each abbreviation it uses that the plan spelled out, and of each comparison
    sign before a figure, appended."""
    words = spelled_out(plan.text)
    extra = [words[w] for w in dict.fromkeys(re.findall(r"\b[A-ZĐ][A-ZĐ&]{1,7}\b", sentence)) if w in words]
    extra += [_SIGN_WORDS[m] for m in dict.fromkeys(_SIGN.findall(sentence))]
    return f"{sentence} {' '.join(extra)}" if extra else sentence


_APPENDIX = re.compile(r"(?i)phụ lục|bảng")  # tables, flattened one cell per line: no wrapped prose
TWIN_WORDS = 0.7  # two sentences sharing this share of their words say the same thing of different subjects
TWIN_MARGIN = 0.02  # and the one whose words match the question better is the one it asks about


def _twin_first(ctx: "Context", q: Question, ranked: list[Scored]) -> list[Scored]:
    """Two agencies' near-identical duties ('Chủ trì, phối hợp … tham mưu UBND tỉnh xem xét, phê duyệt kế hoạch
    hành động <cấp tỉnh về tăng trưởng xanh | thực hiện kinh tế tuần hoàn>'): retrieval, which scores their
    chunks, does not tell them apart; the words that differ do, so the twin that matches the question better
    comes first. Its words count whole here, those that also name the plan too ('kinh tế tuần hoàn')."""
    if len(ranked) < 2:
        return ranked
    texts = [ctx.plans[sc.ev.doc_id].text[sc.ev.start : sc.ev.end] for sc in ranked[:4]]
    words = [set(fold(t).lower().split()) for t in texts]
    every = topic_terms(q, ctx.stop_terms(q)) + q.title_terms
    first = None  # the top sentence's match on every word, read only when it has a twin
    for i in range(1, len(words)):
        shared = len(words[0] & words[i]) / max(1, min(len(words[0]), len(words[i])))
        if shared < TWIN_WORDS or ranked[i].ov < ranked[0].ov - TWIN_MARGIN:
            continue
        first = overlap(every, texts[0], ctx.vocab) if first is None else first
        if ranked[i].ov >= ranked[0].ov + TWIN_MARGIN or overlap(every, texts[i], ctx.vocab) >= first + TWIN_MARGIN:
            return [ranked[i]] + ranked[:i] + ranked[i + 1 :]
    return ranked


# Who reports to whom: an agency after 'về/cho/gửi/lên/tới' receives; one opening the clause acts. A question
# on what 'các sở' must send to 'Sở Công Thương' is not answered by what Sở Công Thương itself sends on (Sơn La;
# Đồng Tháp's Sở KH&CN reporting on, not receiving), so such a sentence scores lower.
_TO = re.compile(r"\b(?:ve|cho|gui|len|toi|den)\s+$")
# an agency given the work acts, 'cho' or not ('Chỉ thị 09 giao Sở X phải hoàn thành …': Cần Thơ CT 09; 'đề nghị UBND
# các xã, phường …': SGDĐT CV 5095; 'yêu cầu Sở X …': Quảng Trị CT 06)
_GIVEN = re.compile(r"\b(?:giao(?: cho)?|yeu cau|de nghi)\s+$")
ROLE_SWAP_PENALTY = 0.2
# the asked agency in the asked role ('Sở X phải gửi báo cáo … trước ngày nào' read in 'Sở X tổng hợp báo cáo …') beats
# a sentence that only shares the words ('… gửi Sở X tổng hợp'): Sơn La QĐ 2954 and Đồng Tháp KH 552 set one deadline
# for the departments reporting to Sở X and another for Sở X reporting on
ROLE_MATCH_BONUS = 0.1
TITLE_TIE = 0.05  # small: the words that name the plan read only separate sentences that otherwise score alike


def agency_roles(text: str, agencies: tuple[str, ...]) -> dict[str, str]:
    """canonical agency -> 'to' (it receives: 'báo cáo về Sở X') or 'by' (it opens the clause: 'Sở X tổng hợp')."""
    key = canonical(text)
    out: dict[str, str] = {}
    for name in agencies:
        k = canonical(name)
        m = agency_match(k, key)
        if m is None:
            continue
        before = key[: m.start()]
        if _GIVEN.search(before[-16:]):
            out[k] = "by"
        elif _TO.search(before[-12:]):
            out[k] = "to"
        elif len(before.split()) <= 2 or _opens_clause(text, k):
            out[k] = "by"
    return out


def _opens_clause(text: str, key: str) -> bool:
    """The agency opens a clause of the text ('Theo chế độ báo cáo …, Sở X phải gửi báo cáo …')."""
    for clause in re.split(r"[,:;]", text):
        m = agency_match(key, canonical(clause))
        if m is not None:
            return not canonical(clause)[: m.start()].split()  # first in its clause ('…, trong đó Sở X' is not)
    return False


def _roles_swapped(asked: dict[str, str], found: dict[str, str]) -> bool:
    return any(k in found and found[k] != role for k, role in asked.items())


def dedupe(plans: dict[str, PlanRecord], scored: list[Scored]) -> list[Scored]:
    out, seen = [], set()
    for sc in scored:
        key = collapse_ws(plans[sc.ev.doc_id].text[sc.ev.start : sc.ev.end])
        if (sc.ev.doc_id, sc.ev.start) in seen or key in seen:
            continue
        seen.update({(sc.ev.doc_id, sc.ev.start), key})
        out.append(sc)
    return out


def passage_answer(
    ctx: "Context", q: Question, hits: list[Hit], limit: int = 2, captions: bool = False, top_hits: int = 6
) -> Draft:
    """The best 1-2 sentences that carry what is asked, quoted with their plan and section; else decline."""
    need = need_for(q)  # a narrow filter ('a day', 'a number of hectares') can afford to read further down
    best = score_sentences(ctx, q, hits, need, captions=captions, top_hits=max(top_hits, 10) if need else top_hits)
    floor = ctx.cfg.sentence_min_overlap
    if not best or best[0].ov < floor:
        return abstain(NOT_FOUND + closest(ctx, hits))
    keep = [best[0]] + [b for b in best[1:limit] if b.ov >= max(floor, best[0].ov - 0.1)]
    parts = [
        quote_part(ctx.plans[sc.ev.doc_id], sc.ev, ctx.cfg.quote_max_chars, lists=_wants_list(ctx, q, sc))
        for sc in keep
    ]
    if q.intent in SINGLE_FIELD and len(parts) > 1 and sum(len(p.text) for p in parts) > ANSWER_MAX:
        # one field asked: a second sentence only when it matches as well as the first (else it buries the answer)
        kept = [i for i, sc in enumerate(keep) if i == 0 or sc.ov >= best[0].ov - SECOND_SENTENCE_GAP]
        parts, keep = [parts[i] for i in kept], [keep[i] for i in kept]
    field = FIELD_OF.get(q.intent)
    if field is not None and len(parts) == 1:
        body = without_source(parts[0].text)
        agency = section_agency(keep[0].ev.section)  # shown before the quote when it does not name the agency
        room = ANSWER_MAX - (len(agency) + 2 if agency and canonical(agency) not in canonical(body) else 0)
        if len(body) > room:
            parts = [_focused(ctx.plans[keep[0].ev.doc_id], keep[0].ev, field, room) or parts[0]]
    if q.intent == "budget" and q.asks.budget == "sources":
        plan = ctx.plans[keep[0].ev.doc_id]
        if before := _sources_before(plan, keep[0].ev):
            parts = [quote_part(plan, before, ctx.cfg.quote_max_chars, lists=False), parts[0]]
    if q.intent == "coordinate":  # after focusing: the heading that names who works with whom stays in front
        parts = [
            _with_heading(ctx, sc, p) if i == 0 or sc.ev.section != keep[0].ev.section else p
            for i, (sc, p) in enumerate(zip(keep, parts))
        ]
    return Draft(parts, confidence=best[0].ov)


# a clause after ';' that goes on listing money ('…bố trí kinh phí (vốn sự nghiệp) …; kết hợp nguồn tài trợ, huy động
# hợp pháp khác': Kon Tum's letter; '… nguồn Quỹ Phòng, chống thiên tai được trích lại; đồng thời huy động các nguồn
# vốn hợp pháp khác …': TP.HCM QĐ 2853): when it is the clause quoted, the one before it names the first sources
_MORE_SOURCES = re.compile(r"(?:kết hợp|đồng thời|huy động|lồng ghép|và)\b[^.;]{0,60}?\b(?:nguồn|vốn|kinh phí)\b")
_NAMES_MONEY = re.compile(r"\b(?:nguồn|vốn|kinh phí|ngân sách)\b")
_CLAUSE_START = re.compile(r"[.;:]\s|\n\s*[-–+•]\s")


def _sources_before(plan: PlanRecord, ev: Evidence) -> Evidence | None:
    """The clause before the quoted one across a ';' when the quoted one goes on with its list of funds."""
    text, start = plan.text, ev.start
    lo = max(0, start - 400)
    before = text[lo:start].rstrip()
    if not (before.endswith(";") and _MORE_SOURCES.match(text, start)):
        return None
    opened = list(_CLAUSE_START.finditer(before[:-1]))
    first = lo + (opened[-1].end() if opened else 0)
    if not _NAMES_MONEY.search(text[first:start]):
        return None
    return replace(ev, start=first, end=lo + len(before))


# the words that carry the one field asked: who works with whom, when
FIELD_OF = {"coordinate": COORDINATES, "time": TIME_EXPR}
FOCUS_MIN = 160  # at least this much of a long sentence is shown around the asked field (the citation quotes it whole)


def _focused(plan: PlanRecord, ev: Evidence, field: re.Pattern, room: int) -> Part | None:
    """A long sentence shown from the clause that states the asked field ('… phối hợp với Sở X, Sở Y …', '…
    trước ngày 15/12 hằng năm') in what room the answer has, '…' where it is cut; the evidence is the whole
    sentence, so the citation quotes it verbatim."""
    a, b = first_sentence(plan, (ev.start, ev.end), 10_000)
    text = plan.text[a:b]
    m = field.search(text)
    if m is None:
        return None
    cut = max(text.rfind(sep, 0, m.start()) for sep in (", ", "; ", ": "))
    lo = cut + 2 if cut >= 0 and m.start() - cut <= 160 else max(0, text.rfind(" ", 0, max(0, m.start() - 40)) + 1)
    width = max(FOCUS_MIN, room - 4)  # the '…' marks
    hi = len(text) if len(text) - lo <= width else max(text.rfind(" ", lo, lo + width), m.end())
    body = ("… " if lo > 0 else "") + collapse_ws(text[lo:hi]) + (" …" if hi < len(text.rstrip()) else "")
    shown = Evidence(ev.doc_id, ev.section, a, b, ev.score)
    return Part(with_source(body, plan, ev.section), (shown,))


SECOND_SENTENCE_GAP = 0.03
CLAUSE_CONTEXT = 120  # characters of the paragraph before a clause that count as its context
# An item that is one field of a thing described over several ('- Hình thức: …', '- Số lượng: 5.000 cuốn.' in Thanh
# Hóa KH 235; 'a. Thời gian thực hiện: …', 'b. Địa điểm …' in Đắk Lắk KH 0134; 'c) Thời gian thực hiện: …' in Hà Nội
# KH 308): the items before it in its chunk say what it is about
_LABELLED = re.compile(r"^[-–+•]?\s*(?:[a-zđ][.)]\s*)?[A-ZĐ][\w ]{1,24}:\s")
LABEL_CONTEXT = 300
# a task's own fields answer only their kind of question: '- Thời gian thực hiện: năm 2025 …' under a training task
# of QĐ 2623 is no answer to 'tập huấn bao nhiêu cán bộ'
_FIELD_OF = {
    ("lead", "Cơ quan"),
    ("coordinate", "Cơ quan"),
    ("time", "Thời gian"),
    ("time", "Thời hạn"),
    ("budget", "Kinh phí"),
}
_FIELD_LABEL = re.compile(r"^\W*(?:[a-zđ][.)]\s*)?(Cơ quan|Thời gian|Thời hạn|Kinh phí|Nhiệm vụ)\b")


# A field whose label the question says in full ('Thời gian hỗ trợ theo Nghị quyết 380 … đến khi nào' and 'b) Thời
# gian hỗ trợ: Từ nay đến hết ngày …'; 'thời gian thực hiện' and '- Thời gian thực hiện: …' of QĐ 2623, Hà Nội KH 308,
# Đắk Lắk KH 0134) answers it before sentences that share the other words
_LABEL = re.compile(r"^[-–+•]?\s*(?:[a-zđ][.)]\s*)?([A-ZĐ][\w ]{3,40}?):\s")
LABEL_ASKED_BONUS = 0.35
_GENERIC_DOING = frozenset({"thuc hien", "ban hanh", "hoan thanh", "trien khai", "bao cao"})


def _label_asked(q: Question, sentence: str) -> bool:
    m = _LABEL.match(sentence.lstrip())
    if m is None or len(m.group(1).split()) < 3:
        return False  # 'Báo cáo:', 'Kinh phí:' are one word, said by many questions that ask something else
    label = fold(m.group(1)).lower()
    # a time asked of the thing the label names: 'Thời gian hỗ trợ:' for 'hỗ trợ … kéo dài tới khi nào' (NQ 380,
    # asked so in rounds 5, 16, 25, 28); not 'Thời gian thực hiện:', 'Thời hạn ban hành:', whose verb every
    # time question says (measured: QĐ 2623's, Đắk Lắk KH 0134's, Lai Châu KH 7360's items lost to them)
    timed = re.match(r"thoi (?:gian|han) (\w.*)", label) if q.intent == "time" else None
    if timed and timed.group(1) not in _GENERIC_DOING:
        label = timed.group(1)
    return re.search(r"\b" + re.escape(label) + r"\b", q.folded) is not None


def is_labelled(sentence: str) -> bool:
    return _LABELLED.match(sentence.lstrip()) is not None


def _labelled_for(q: Question, sentence: str) -> bool:
    if not is_labelled(sentence):
        return False
    field = _FIELD_LABEL.match(sentence)
    return not field or (q.intent, field.group(1)) in _FIELD_OF


def _with_heading(ctx: "Context", sc: Scored, part: Part) -> Part:
    """A coordinate answer quoting an item whose heading says who works with whom ('5. Sở Y tế chủ trì, phối hợp
    với Sở Nông nghiệp và Môi trường thực hiện …:' / '- Nâng cao năng lực …'): the heading goes first."""
    plan = ctx.plans[sc.ev.doc_id]
    sentence = plan.text[sc.ev.start : sc.ev.end]
    if _COORD_WITH.match(sentence):
        return _with_doer(ctx, sc, part, plan)
    if COORDINATES.search(sentence):
        return part
    head = ctx.heading_evidence(plan, sc.ev.section, sc.ev.score)
    title = collapse_ws(plan.text[head.start : head.end])
    if head.end <= head.start or head.start >= sc.ev.start or not COORDINATES.search(title):
        return part
    return Part(f"{title}:\n{part.text}", (head,) + part.evidence)


def _with_doer(ctx: "Context", sc: Scored, part: Part, plan: PlanRecord) -> Part:
    """An item 'Phối hợp với Sở X …' of agency Y's section names only the partner: Y, whose item it is, goes first
    ('6. Hiệp hội Doanh nghiệp tỉnh' > 'b) Phối hợp với Sở Khoa học và Công nghệ …': Đồng Tháp KH 617; Hà Tĩnh KH
    624's and Cần Thơ KH 153's items alike)."""
    titles = sc.ev.section.split(" > ")
    # its own section's heading first: a '- Phối hợp …' bullet right under '8. Đề nghị <Liên minh HTX tỉnh, …>' (Sơn
    # La QĐ 2954; Đồng Tháp KH 617's '6. Đề nghị: …')
    for n in range(len(titles), 0, -1):
        head = ctx.heading_evidence(plan, " > ".join(titles[:n]), sc.ev.score)
        # the heading as the plan writes it: a path keeps a wrapped heading's first line only ('6. Đề nghị' for
        # '6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh, …')
        if head.end <= head.start or head.start >= sc.ev.start:
            continue
        block = re.split(
            r"\n(?=[-–+•]|[a-zđ]\)|\d{1,2}[.)])", plan.text[head.start : min(sc.ev.start, head.start + 240)]
        )[0]
        heading = collapse_ws(block)
        agency = agency_of_title(heading) or agency_of_title(titles[n - 1])
        if agency:
            if agency in part.text:
                return part
            cited = Evidence(head.doc_id, head.section, head.start, head.start + len(block.rstrip()), head.score)
            return Part(f"{agency}:\n{part.text}", (cited,) + part.evidence)
    return part


def _wants_list(ctx: "Context", q: Question, sc: Scored) -> bool:
    """A number is asked and the sentence states it ('phấn đấu tăng trưởng … năm 2026 từ 10% trở lên, cụ thể như
    sau:'): the list the sentence announces is detail, not the answer (single-field answers stay short)."""
    unit = q.asks.unit or (r"\d" if q.intent == "target" and re.search(r"\bbao nhieu\b", q.folded) else "")
    if not unit:
        return True
    sentence = fold(ctx.plans[sc.ev.doc_id].text[sc.ev.start : sc.ev.end]).lower()
    return re.search(unit, sentence) is None


def quote_part(plan: PlanRecord, ev: Evidence, max_chars: int, lead_in: str = "", lists: bool = True) -> Part:
    a, b = first_sentence(plan, (ev.start, ev.end), max_chars)
    b = _list_clauses(plan, a, b, 2 * max_chars) if lists else b
    opens = plan.text[a:b].rstrip().endswith(":") or is_own_heading(plan.text[a:b], ev.section)
    items = list_items(plan, b) if lists and opens else []
    shown = Evidence(ev.doc_id, ev.section, a, b, ev.score)
    body = ellipsis(plan, (a, b), (ev.start, ev.end))
    evidence = (shown,) + tuple(Evidence(ev.doc_id, ev.section, x, y, ev.score) for x, y in items)
    if items:  # "… bao gồm:" goes on through the items it announces
        body += "\n" + "\n".join(collapse_ws(plan.text[x:y]) for x, y in items)
    text = with_source(f"{lead_in}{body}", plan, ev.section)
    return Part(text, evidence)


_LIST_ITEM = re.compile(r"[-–+•*]\s|[a-zđ]\)\s|\d{1,2}[.)]\s|\(\d{1,2}\)\s")


HEADING_MAX = 150
_HEADING_MARKER = re.compile(r"^\W*(?:[\dIVX]+(?:\.\d+)*[.)]?|[a-zđ]\))\s*")  # '4.2 ', '7. ', 'b) ' before a title


def is_own_heading(sentence: str, section: str) -> bool:
    """The quoted line is its section's own heading ('4.2 Nguồn nhân lực', '7. Các doanh nghiệp hoạt động trong lĩnh
    vực …'): a title says nothing by itself, so the items under it go with it, as after 'gồm:' (Hà Nội KH 308,
    Đồng Tháp KH 597)."""
    if re.search(r"[.;:]\s*$", sentence) or len(collapse_ws(sentence)) > HEADING_MAX:
        return False  # a sentence or an item that says its duty, not a title
    body = _HEADING_MARKER.sub("", collapse_ws(sentence))
    title = _HEADING_MARKER.sub("", section.split(" > ")[-1]).rstrip("…").strip()
    return len(body) >= 5 and len(title) >= 5 and (body == title or (len(title) >= 40 and body.startswith(title)))


LIST_MAX_ITEMS = 6  # a list announced by "gồm:" is shown whole up to this many items …
LIST_MAX_CHARS = 700  # … and this many characters; the rest is in the cited section


def _list_clauses(plan: PlanRecord, a: int, b: int, max_chars: int) -> int:
    """'Kinh phí thực hiện gồm: Ngân sách nhà nước; nguồn đầu tư, tài trợ …; các nguồn hợp pháp khác.' (Đồng Tháp
    597, Bến Tre): a list announced by ':' and run on in ';' clauses of one paragraph is quoted to its end."""
    head = plan.text[a:b]
    if ":" not in head or not head.rstrip().endswith(";"):
        return b
    para_end = plan.text.find("\n", b)
    para_end = len(plan.text) if para_end < 0 else para_end
    stop = plan.text.find(".", b, para_end)
    end = para_end if stop < 0 else stop + 1
    return end if end - a <= max_chars else b


def list_items(plan: PlanRecord, end: int) -> list[tuple[int, int]]:
    """The list items that follow a sentence ending with ':' (the lines after it that open like list items)."""
    out: list[tuple[int, int]] = []
    pos, used = end, 0
    while len(out) < LIST_MAX_ITEMS:
        nl = plan.text.find("\n", pos)
        if nl < 0:
            break
        start = nl + 1
        stop = plan.text.find("\n", start)
        stop = len(plan.text) if stop < 0 else stop
        line = plan.text[start:stop]
        if not _LIST_ITEM.match(line) or used + len(line) > LIST_MAX_CHARS:
            break
        out.append((start, stop))
        used += len(line)
        pos = stop
    return out


def ellipsis(plan: PlanRecord, shown: tuple[int, int], full: tuple[int, int]) -> str:
    """The quoted text, with '…' when it stops before the end of its paragraph or sentence."""
    text = collapse_ws(plan.text[shown[0] : shown[1]])
    return text + " …" if collapse_ws(plan.text[shown[1] : full[1]]) and not text.endswith((".", ";")) else text


def closest(ctx: "Context", hits: list[Hit]) -> str:
    if not hits:
        return ""
    h = hits[0].chunk
    return f" Nội dung gần nhất: {ctx.plans[h.doc_id].meta.citation_title()}, mục {h.section}."


def budget_total(ctx: "Context", q: Question, scope: Filters) -> Draft:
    """'Tổng kinh phí ...': a total stated in the plan (often in the appendix caption), never a sum we make up."""
    lines = []
    for doc in sorted(scope.docs or ctx.plans):
        plan = ctx.plans[doc]
        for m in re.finditer(r"(?im)^.*\bTổng (?:kinh phí|cộng|số tiền)\b[^\n]*\d[^\n]*$", plan.text):
            lines.append((plan, m.start(), m.end()))
    if len(lines) == 1:
        plan, s, e = lines[0]
        ev = Evidence(plan.doc_id, ctx.section_at(plan, s), s, e, 1.0)
        note = " (đơn vị theo bảng phụ lục: triệu đồng)" if "triệu" in plan.meta.note else ""
        return Draft([Part(with_source(f"{collapse_ws(plan.text[s:e])}{note}", plan, ev.section), (ev,))])
    hits = ctx.search(q, scope)
    if not lines:  # no 'Tổng …' line: a sentence that states the amount for what is asked ('Dự toán … : X đồng')
        return amount_passage(ctx, q, hits) or abstain(
            "Các kế hoạch hiện có không nêu tổng kinh phí." + closest(ctx, hits)
        )
    return passage_answer(ctx, q, hits, captions=True)


MONEY = re.compile(r"\d[\d.,]*\s*(?:đồng|tỷ|triệu|nghìn tỷ)", re.IGNORECASE)


def amount_passage(ctx: "Context", q: Question, hits: list[Hit]) -> Draft | None:
    """A passage answer to a budget question when it states a sum of money ('Dự toán …: X đồng'); None when the
    best passage states none (it would answer something else)."""
    found = passage_answer(ctx, q, hits)
    if found.abstained or not any(MONEY.search(p.text) for p in found.parts):
        return None
    return found


def _own_funding(ctx: "Context", q: Question, scope: Filters) -> Draft | None:
    """'UBND phường, xã lấy kinh phí từ nguồn nào': the money the named agency's own section says it uses, not the
    plan's sources in general (TP.HCM QĐ 2853's communes 'chủ động bố trí kinh phí từ nguồn vốn ngân sách địa
    phương …'; Cần Thơ KH 153's, Quảng Trị CT 06's communes and forest owners)."""

    def key(name: str) -> str:  # 'UBND phường, xã' asked is 'UBND các phường, xã' written
        return re.sub(r"\b(?:cac|nhung) ", "", canonical(name))

    keys = [key(a) for a in q.agencies]
    hits = [
        h
        for h in ctx.search(q, scope)
        if (agency := section_agency(h.chunk.section)) and any(agency_match(k, key(agency)) for k in keys)
    ]
    if not hits:
        return None
    found = passage_answer(ctx, q, hits, top_hits=10)
    said = " ".join(p.text for p in found.parts)
    return None if found.abstained or not FUNDING_WORDS.search(said) else found


def _set_aside_only(ctx: "Context", q: Question, section: str, sentence: str) -> bool:
    """The sentence is a duty of an agency the question sets aside, and names no other agency (Bến Tre's Sở TT&TT
    beside its Hiệp hội Doanh nghiệp; Kon Tum's Bộ Chỉ huy Quân sự beside the Biên phòng)."""
    aside = [canonical(b) for b in q.besides]
    doer = section_agency(section)
    if not doer or not any(agency_match(b, canonical(doer)) for b in aside):
        return False

    def others(text: str) -> list[str]:
        # a name within the one set aside is it; one that says more ('Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên
        # phòng tỉnh') names another too
        return [n for n in ctx.agencies_named(text) if not any(agency_match(canonical(n), b) for b in aside)]

    # a heading that names others beside it ('6. Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh'), or
    # partners the sentence names ('… phối hợp với Y'), answer who else; an authority it cites does not
    partners = COORDINATES.search(sentence)
    heading = section.split(" > ")[-1]
    return not others(heading) and not (partners and others(sentence[partners.start() :]))


def budget_sources(ctx: "Context", q: Question, scope: Filters) -> Draft:
    """'Kinh phí lấy từ nguồn nào?': the plan's own funding section (Kinh phí thực hiện / Nguồn lực thực hiện),
    its paragraph about the question's topic ('hạ tầng viễn thông thụ động … do nguồn nào') or else its first;
    among several plans, those whose paragraph fits the topic best, then those retrieval ranks first (never
    the order of file names: with dozens of plans that showed three unrelated ones)."""
    if q.agencies and (own := _own_funding(ctx, q, scope)):
        return own
    terms = topic_terms(q, ctx.stop_terms(q))
    found: list[tuple[float, str, Part]] = []
    for doc in sorted(scope.docs or ctx.plans):
        plan = ctx.plans[doc]
        funding = funding_section(plan)
        if not funding:
            continue
        path, paragraphs = funding
        # 'kinh phí kế hoạch chuyển đổi số … giao thông': the plan's name, not a topic; a year the work is placed in
        # ('nhiệm vụ làm ngay trong năm 2025 lấy kinh phí ở đâu') is one, though the plan's year
        own = title_words(plan) - within_years(q)
        topic = tuple(t for t in terms if not set(t.folded.split()) <= own)
        fits = [overlap(topic, plan.text[x:y], ctx.vocab) for x, y in paragraphs]
        best = max(range(len(paragraphs)), key=lambda i: (fits[i], -i))
        topical = fits[best] >= _TOPIC_FIT and fits[best] >= fits[0] + _FIT_MARGIN  # about one thing, not the plan
        topical = topical and not _ALL_SOURCES.search(q.folded)
        first = plan.text[paragraphs[0][0] : paragraphs[0][1]].rstrip()
        if topical or len(paragraphs) == 1 or first.endswith(":"):  # 'Nguồn lực … bao gồm:' lists them itself
            x, y = paragraphs[best if topical else 0]
            part = quote_part(plan, Evidence(doc, path, x, y, 1.0), ctx.cfg.quote_max_chars * 2)
        else:  # the sources in general: each numbered source's first sentence ('1. Nguồn ngân sách…', '2. …')
            part = _sources_list(plan, path, paragraphs)
        found.append((fits[best], doc, part))
    if len(found) == 1:  # one plan's funding section: no ranking, no search
        return Draft([found[0][2]], confidence=0.6)
    hits = ctx.search(q, scope)
    if not found:
        return passage_answer(ctx, q, hits, top_hits=10)
    rank: dict[str, int] = {}
    for n, h in enumerate(hits):
        rank.setdefault(h.chunk.doc_id, n)
    if hits and hits[0].chunk.doc_id not in {doc for _, doc, _ in found}:
        # the plan the question is about has no funding section: its own sentences on money, if any, answer it
        # ('UBND xã … lấy kinh phí ở đâu … phòng chống ma túy': Cần Thơ KH 153's 'bố trí kinh phí từ ngân sách địa
        # phương' in the communes' duties, not another plan's funding section)
        own = [h for h in hits if h.chunk.doc_id == hits[0].chunk.doc_id]
        alt = passage_answer(ctx, q, own, top_hits=10)
        if not alt.abstained and FUNDING_WORDS.search(" ".join(p.text for p in alt.parts)):
            return alt
    ranked = sorted(((fit, rank.get(doc, len(hits)), part) for fit, doc, part in found), key=lambda f: (-f[0], f[1]))
    top = ranked[0]
    kept = [f for f in ranked if f is top or (f[0] >= top[0] - _FIT_MARGIN and f[1] < len(hits))]
    parts = [top[2]] + [f[2] for f in kept[1 : 1 + OTHER_PLANS_MAX]]
    if sum(len(p.text) for p in parts) > SOURCES_ANSWER_MAX:  # a long list of sources is answer enough
        parts = parts[:1]
    return Draft(parts, confidence=0.6)


SOURCES_ANSWER_MAX = (
    700  # another plan's funding joins only while the two fit (a plan's five numbered sources take 500)
)
# 'từ những nguồn nào', 'gồm các nguồn nào': every source is asked (Sơn La QĐ 2954 in rounds 12 and 18, Đồng Tháp KH
# 597 in round 6)
_ALL_SOURCES = re.compile(r"\b(?:nhung|cac) nguon\b")
_TOPIC_FIT = 0.3  # a funding paragraph about the question's topic, rather than the sources in general
_FUNDING_TITLE = re.compile(r"(?i)^(?:[IVX]+|\d{1,2}|[A-ZĐ])[.)]\s*(?:\w+\s+){0,2}(?:kinh phí|nguồn lực|nguồn vốn)")
SOURCES_MAX = 4  # numbered sources listed when the question asks for the sources in general …
SOURCES_CHARS = 600  # … within this many characters


def funding_section(plan: PlanRecord) -> tuple[str, list[tuple[int, int]]] | None:
    """The plan's funding section ('IV. KINH PHÍ THỰC HIỆN', also inside a decision's article, 'III. KINH PHÍ BẢO
    ĐẢM > 1. …') and its paragraphs, its subsections' included; the shallowest such heading, the first of those.
    Headings only: a duty whose first words are 'Huy động nguồn lực …' is not the funding section."""
    heads = [
        (path.count(" > "), n, path)
        for n, (path, kind, _) in enumerate(plan.sections)
        if kind == "body" and len(title := path.split(" > ")[-1]) <= 80 and _FUNDING_TITLE.match(title)
    ]
    if not heads:
        return None
    path = min(heads)[2]
    title = path.split(" > ")[-1]
    paragraphs = [
        (x, y)
        for p, _, spans in plan.sections
        if p == path or p.startswith(path + " > ")
        for x, y in spans
        if collapse_ws(plan.text[x:y]).rstrip(" :") != collapse_ws(title).rstrip(" :")
        and not _HEADING_ONLY.fullmatch(collapse_ws(plan.text[x:y]))
    ]
    return (path, paragraphs) if paragraphs else None


_HEADING_ONLY = re.compile(r"(?:[IVX]+|\d{1,2}|[a-zđ])[.)]\s*[^.;:]{0,60}")  # '1. Nguồn kinh phí': a heading alone


def _sources_list(plan: PlanRecord, path: str, paragraphs: list[tuple[int, int]]) -> Part:
    """The first sentence of each of the section's first paragraphs, one per line, cited."""
    lines: list[str] = []
    shown: list[tuple[int, int]] = []
    for span in paragraphs[:SOURCES_MAX]:
        x, y = first_sentence(plan, span, 260)
        line = ellipsis(plan, (x, y), span)
        if shown and sum(map(len, lines)) + len(line) > SOURCES_CHARS:
            break
        lines.append(line)
        shown.append((x, y))
    body = "\n".join(lines)
    return Part(with_source(body, plan, path), tuple(Evidence(plan.doc_id, path, x, y, 1.0) for x, y in shown))


_FIT_MARGIN = 0.15  # other plans' funding shown when their paragraph fits nearly as well and retrieval found them


def lead_sentence(ctx: "Context", q: Question, hits: list[Hit]) -> tuple[float, Draft] | None:
    """A 'who does X' question answered by the sentence that assigns X (plans without task tables): the agency is
    the section's department, or the one agency the sentence names."""
    best = score_sentences(ctx, q, hits, top_hits=8)[:3]
    # a sentence in which its section's agency only takes part ('- Phối hợp với Vụ …, Trung tâm … trong việc nhập
    # liệu …' under Văn phòng Bộ) yields to one that gives the work outright (CV 6225's Vụ Tổ chức cán bộ 'hướng
    # dẫn các cơ quan, đơn vị …'), as the 'chủ trì' question already does below
    best.sort(key=lambda sc: _COORD_WITH.match(ctx.plans[sc.ev.doc_id].text[sc.ev.start : sc.ev.end]) is not None)
    for sc in best:
        plan = ctx.plans[sc.ev.doc_id]
        s = plan.text[sc.ev.start : sc.ev.end]
        if sc.ev.section == "Phần mở đầu" and _PREAMBLE_LINE.match(s):
            continue  # 'Thực hiện Quyết định …, trên cơ sở báo cáo của Sở X': what the plan rests on, no task given
        agency = sentence_agency(ctx, sc.ev.section, s)
        parent = section_agency(sc.ev.section)
        if agency and parent and canonical(agency) in {canonical(x) for x in q.agencies}:
            agency = parent  # 'cùng Công an làm X?' read in Sở Nội vụ's 'Phối hợp với Công an'
        if not agency or not of_asked_rank(q.folded, agency):
            continue
        own = is_agency_section(sc.ev.section)
        takes_part = _COORD_WITH.match(s) is not None
        if agency == (own or parent) and takes_part and "chu tri" in q.folded:
            # who leads is not the department whose item says it only takes part ('Phối hợp …', also as an item of
            # its section, 'c) Phối hợp với …': Hà Tĩnh KH 624's Sở Nội vụ; Cần Thơ KH 153, Sơn La QĐ 2954 alike)
            continue
        if own and agency != own and takes_part:
            # 'Phối hợp với Sở X chỉ đạo …' in Sở Y's own section: the plan gives the work to both, Y with X
            agency = f"{own}, phối hợp với {agency}"
        lead_in = f"Cơ quan được giao: {agency}\n"
        part = quote_part(plan, sc.ev, ANSWER_MAX - len(lead_in), lead_in)  # the agency first, the duty shortened
        evidence = part.evidence
        if own and agency.startswith(own):
            evidence = (ctx.heading_evidence(plan, sc.ev.section, sc.ev.score),) + evidence
        return sc.ov, Draft([Part(part.text, evidence)], confidence=sc.ov)
    return None


# the preamble's basis and proposal lines, in every plan ('Căn cứ …', 'Thực hiện Quyết định …', 'Xét đề nghị …')
_PREAMBLE_LINE = re.compile(r"\W*(?:Căn cứ|Thực hiện|Xét|Theo đề nghị|Trên cơ sở)\b")


_OVERSIGHT = re.compile(r"(?i)đầu mối|theo dõi|đôn đốc|tổng hợp|chủ trì")
_PLAN_SELF = re.compile(r"\b(?:Kế hoạch|Chương trình|Đề án|Công văn)(?: hành động)?(?: này)?")
_ORG_SECTION = re.compile(r"(?i)tổ chức thực hiện|chế độ báo cáo")


def plan_coordinator(ctx: "Context", q: Question, docs: tuple[str, ...]) -> Draft:
    """'Sở nào làm đầu mối / chịu trách nhiệm chung cho kế hoạch?': the sentence of the implementation section
    that puts an agency in charge of following up the plan as a whole, per plan."""
    parts = []
    for doc in docs:
        plan = ctx.plans[doc]
        best: tuple[float, int, int, str, str] | None = None
        for path, _, spans in plan.sections:
            if not _ORG_SECTION.search(path):
                continue
            for x, y in spans:
                for s0, s1 in sentences(plan.text[x:y], x):
                    s = plan.text[s0:s1]
                    if not (_OVERSIGHT.search(s) and _PLAN_SELF.search(s)):
                        continue
                    score = 2.0 * ("đầu mối" in s) + ("theo dõi" in s or "đôn đốc" in s) + 0.5 * ("này" in s)
                    agency = sentence_agency(ctx, path, s)
                    if agency and (best is None or score > best[0]):
                        best = (score, s0, s1, path, agency)
        if best:
            _, s0, s1, path, agency = best
            ev = Evidence(doc, path, s0, s1, 1.0)
            parts.append(
                quote_part(plan, ev, ctx.cfg.quote_max_chars, f"Cơ quan đầu mối theo dõi, tổng hợp: {agency}\n")
            )
    if not parts:
        return abstain("Các kế hoạch hiện có không nêu cơ quan đầu mối cho việc này.")
    return Draft(parts[:3], confidence=0.6)


_COORD_WITH = re.compile(
    r"^[-–+\s]*(?:[a-zđ]\)\s*)?Phối hợp (?:với )?(?P<rest>.+)", re.S
)  # also an item: "c) Phối hợp …" (Cần Thơ KH 153, Hà Tĩnh KH 624)
# a report sent to an agency (Thanh Hóa KH 235, Bến Tre, Cần Thơ CT 09, TP.HCM QĐ 2820: 'báo cáo về Sở …')
_REPORT_TO = r"(?:báo cáo|gửi)\s+(?:\S+\s+){0,3}?về\s+"
_ROLE_BEFORE = r"(?:về|giao(?: cho)?|cho|đề nghị|yêu cầu|thông qua|do)\s+"
# ('Công an thành phố - Thường trực tham mưu …': Cần Thơ KH 153; 'Văn phòng Trung ương Đảng - Cơ quan Thường trực Ban
# Chỉ đạo': TB 624)
_ROLE_AFTER = r"\s+(?:chủ trì|có trách nhiệm|là cơ quan|làm đầu mối|tổng hợp|theo dõi|hướng dẫn|[-–]\s+(?:Cơ quan\s+)?[Tt]hường trực)"
_PARTNER_BEFORE = r"chủ trì,?\s+phối hợp(?: chặt chẽ)?\s+(?:với|cùng)\s+(?:các\s+)?"
_PROVINCE_BODY = re.compile(r"(?i)^(?:ủy ban nhân dân|ubnd) tỉnh$")
# 'Phối hợp <với …/các ngành chức năng/cùng …>' names partners; 'Phối hợp <chia sẻ dữ liệu …>' names the work
# (Đồng Tháp KH 597 and KH 552, Bến Tre, Cà Mau KH 64 and KH 211)
_PARTNER = re.compile(r"(?i)(?:với|cùng|các|những|chặt chẽ|tốt)\b")
_GROUP_NAME = re.compile(r"(?i)^(?:các|những)\s")  # 'Các địa phương', 'các sở, ngành': a group, no one agency


# a cited document's issuer ('Quyết định số 3103/QĐ-BTC ngày 05/9/2025 của Bộ Tài chính', as TP.HCM QĐ 2820's title
# block writes it; 'Công văn số 2359/BVHTTDL-VP … của Bộ …' in CV 6225; every plan cites so): who wrote that
# document, not who is given the work
_CITED_OF = r"\b(?:số|SỐ)\s*\d[^.;:]{0,80}?\b(?:của|CỦA)\s+"


def _name_head(name: str) -> str:
    """A pattern for an agency's first three words, as a sentence spells them ('Sở Tài chính', 'Bộ Tài chính')."""
    words = name.split()
    return re.escape(words[0]) + r"\s+" + re.escape(" ".join(words[1:3]))


def _issuer_only(name: str, sentence: str) -> bool:
    """Every mention of the agency in the sentence is as the issuer of a document it cites."""
    found = [m.start() for m in re.finditer(_name_head(name), sentence, re.I)]
    return bool(found) and all(re.search(_CITED_OF + r"$", sentence[:i], re.I) for i in found)


def sentence_agency(ctx: "Context", section: str, sentence: str) -> str:
    """Who a sentence assigns the work to: an agency it names in a role ('phản ánh về Sở X', 'giao Sở X', 'Sở X
    chủ trì'), else the department whose section it is in (unless it only coordinates with another named
    agency), else the single agency it names."""
    own = is_agency_section(section)
    named = [
        n
        for n in ctx.agencies_named(sentence)
        if n != own and not _PROVINCE_BODY.match(n) and not _issuer_only(n, sentence)
    ]
    parent = section_agency(section) if not own else ""
    if (own or parent) and re.match(
        r"^\W*(?:[a-zđ]\)\s*)?(?:Tiếp tục (?=chủ trì))?(?:Chủ trì|chủ trì|Là cơ quan|Làm đầu mối|Trực tiếp)\b", sentence
    ):
        # an item of an agency's section that opens with its lead role: that agency leads it ('Chủ trì, phối hợp
        # với Sở Tài chính … tổng hợp' in Sở NN&MT's section of QĐ 2853, 'Chủ trì, phối hợp với Sở Nội vụ …' in Cà Mau
        # KH 211, items so opened in Kon Tum's letter and Hà Nội KH 310 too)
        return own or parent
    for n in named:
        if (own or parent) and _GROUP_NAME.match(n):
            continue  # 'bố trí kinh phí … cho các địa phương' in Sở Tài chính's section: those it serves, not the doer
        head = _name_head(n)
        if re.search(_PARTNER_BEFORE + head, sentence, re.I):
            continue  # '…, chủ trì, phối hợp với Sở X …, tổng hợp': X is who the work is done with, not its lead
        if (own or parent) and re.search(_REPORT_TO + head, sentence, re.I):
            continue  # '… và báo cáo về Sở X' in another's section: X receives the report, the section's agency acts
        if re.search(_ROLE_BEFORE + head, sentence, re.I) or re.search(
            head + r"[^.;]{0,60}?" + _ROLE_AFTER, sentence, re.I
        ):
            return n
    if own:
        m = _COORD_WITH.match(sentence)
        if m:
            others = [n for n in ctx.agencies_named(m.group("rest")[:120]) if n != own]
            if not others and not _PARTNER.match(m.group("rest")):
                return own  # '- Phối hợp chia sẻ dữ liệu …': its share of a joint task, done by the section's agency
            return others[0] if len(others) == 1 else ""
        return own
    if len(named) <= 1:  # an item of an agency's section naming no other agency in a role is the section's own
        return parent or (named[0] if named else "")
    return ""


# A phrase the user puts in quotation marks, of two words or more, as the plan writes it: a name the plan gives
# (CV 6225's principle “6 rõ”, TB 624's “giao nhiệm vụ phải giao kinh phí”, the “Xấu” level of Hà Nội's letters):
# the passages that hold it are searched as a named agency's section is, and its sentence is the one asked about
_QUOTED_PHRASE = re.compile(r"[“\"]([^”\"]{3,60})[”\"]")


def quoted_phrases(q: Question) -> tuple[str, ...]:
    return tuple(k for p in _QUOTED_PHRASE.findall(q.raw) if len((k := flat_folded(p)).split()) >= 2)


@functools.lru_cache(maxsize=None)
def flat_folded(text: str) -> str:
    """Folded, lowercase, on one line."""
    return re.sub(r"\s+", " ", fold(text).lower()).strip()

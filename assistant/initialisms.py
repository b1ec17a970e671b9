"""Initialisms users type for the plans' own phrases ('bvdlcn', 'pcmt', 'đmst', 'qppl', 'dnnvv', 'nmnđ'), spelled out
from the plans themselves: the phrase whose syllables' initials spell the token and that the plans use far more often
than any other such phrase. No table to keep: a plan added with its own phrases brings their initialisms along.

Questions on QĐ 2623 ('kh thi hành luật bvdlcn', 'bảo vệ DLCN'), Cần Thơ KH 153 ('y tế trong pcmt'), TB 624
('khcn, đmst, cđs'), Đồng Tháp KH 617 ('hỗ trợ dnnvv'), Lai Châu KH 7360 ('văn bản QPPL') and QĐ 2634 ('nmnđ lng
quảng ninh') write them so.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from index.agencies import ABBREVIATIONS
from index.text import fold

from .chat import SHORTHAND, STRICT

# a token of consonants only, four letters or more: 'csdl', 'bvdlcn' (not a syllable; three-letter ones are too
# ambiguous: 'cds' is 'chuyển đổi số' but also reads 'Sở' after it). Not inside a document code ('SKHĐT-TH').
_TOKEN = re.compile(r"(?<![\w&/\-])([b-df-hj-np-tv-xzđ]{4,8})(?![\w&/\-])", re.IGNORECASE)
# a phrase does not run across punctuation but a comma ('phòng, chống ma túy' is 'pcmt'), nor a blank line
_PHRASE_BREAK = re.compile(r"[^\w\s,]|\n\s*\n")
_WORD = re.compile(r"\w+")
MIN_USES = 3  # a phrase the plans use once or twice is no convention
DOMINANCE = 3.0  # the chosen phrase is used at least this many times as often as the next candidate


class Initialisms:
    """Initials of every syllable of the plans, per phrase, searched on demand for a question's token."""

    def __init__(self, texts: list[str]) -> None:
        self._phrases: list[list[str]] = []  # each run of syllables between punctuation
        initials: list[str] = []
        for text in texts:
            for piece in _PHRASE_BREAK.split(text):
                words = _WORD.findall(piece.replace(",", " "))
                if len(words) >= 4:
                    self._phrases.append(words)
                    initials.append("".join(fold(w)[0] for w in words))
        self._initials = "|".join(initials)
        self._starts: list[int] = []  # offset of each phrase's initials in the joined string
        pos = 0
        for s in initials:
            self._starts.append(pos)
            pos += len(s) + 1
        self._cache: dict[str, str] = {}
        # tokens the plans write themselves ('THPT', 'BHXH', 'GRDP') are searched as they are; the agencies' and the
        # chat's own abbreviations are spelled out by their tables ('tnmt' is 'tài nguyên và môi trường')
        used = Counter(fold(w) for text in texts for w in _TOKEN.findall(text))
        self._kept = {w for w, n in used.items() if n >= 2}
        self._kept |= {fold(a).replace(" ", "") for a, _ in ABBREVIATIONS} | {fold(a) for a in (*SHORTHAND, *STRICT)}

    def spell(self, token: str) -> str:
        """The phrase the token stands for, or '' when none stands out."""
        key = fold(token)
        if key in self._kept:
            return ""
        if key not in self._cache:
            self._cache[key] = self._find(key)
        return self._cache[key]

    def _find(self, key: str) -> str:
        counts: Counter[str] = Counter()
        shown: dict[str, Counter[str]] = defaultdict(Counter)
        for m in re.finditer(f"(?={re.escape(key)})", self._initials):
            i = _phrase_at(self._starts, m.start())
            offset = m.start() - self._starts[i]
            words = self._phrases[i][offset : offset + len(key)]
            if len(words) != len(key):
                continue
            phrase = " ".join(words)
            counts[fold(phrase)] += 1
            shown[fold(phrase)][phrase.lower()] += 1
        if not counts:
            return ""
        (best, n), *rest = counts.most_common(2)
        if n < MIN_USES or (rest and n < DOMINANCE * rest[0][1]):
            return ""
        return shown[best].most_common(1)[0][0]

    def expand(self, text: str) -> str:
        """The text with each initialism the plans spell out written in full ('luật bvdlcn' -> 'luật bảo vệ dữ
        liệu cá nhân'); a token they do not spell out stays."""
        return _TOKEN.sub(lambda m: self.spell(m.group(1)) or m.group(1), text)


def _phrase_at(starts: list[int], pos: int) -> int:
    """The index of the phrase whose initials hold position pos (the last phrase starting at or before it)."""
    return bisect.bisect_right(starts, pos) - 1

"""Vietnamese text primitives shared by every stage: NFC, whitespace, diacritics folding, matching keys.

Display text is never rewritten here except by NFC and whitespace collapsing, so quotes stay verbatim.
Tone-mark placement (hoà/hòa) and diacritics folding are only applied to *keys* used for matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WS = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
# Old-style tone placement on open syllables -> new style (hoà -> hòa, thuỷ -> thủy).
_OLD_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_OLD_TONES) + r")(?![\w])", re.IGNORECASE)


def nfc(text: str) -> str:
    """Unicode NFC (some plans contain decomposed characters)."""
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip."""
    return _WS.sub(" ", text).strip()


def normalize_tones(text: str) -> str:
    """Rewrite old-style tone placement (hoà, thuỷ) to the new style (hòa, thủy), case preserved."""

    def repl(m: re.Match[str]) -> str:
        src = m.group(1)
        dst = _OLD_TONES[src.lower()]
        return "".join(d.upper() if s.isupper() else d for s, d in zip(src, dst))

    return _OLD_TONE_RE.sub(repl, text)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Remove Vietnamese diacritics (đ -> d) and lowercase: 'Sở Nông nghiệp' -> 'so nong nghiep'."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


@functools.lru_cache(maxsize=65536)
def folded_words(text: str) -> frozenset[str]:
    """The set of folded words (and % signs) of a text, cached: used for topic overlap."""
    return frozenset(re.findall(r"[\w%]+", fold(text)))


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (or đ)."""
    return fold(text) != nfc(text).lower()


def match_key(text: str) -> str:
    """Key for tolerant string comparison: NFC, tones, lowercase, dashes, spacing around '-', '/', '&'."""
    text = normalize_tones(nfc(text)).lower()
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s*([-/&])\s*", r" \1 ", text)
    text = text.replace("hằng năm", "hàng năm")
    return collapse_ws(text)


def folded_key(text: str) -> str:
    """match_key without diacritics."""
    return fold(match_key(text))


# Vietnamese capitals for a regex class: 'À-Ỹ' as a range also spans lower-case letters ('đ', 'ư', 'ơ' …), so a
# lower-case word would pass for a name; this lists the Latin capitals themselves.
UPPER = "".join(c for c in map(chr, [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]) if c.isupper())

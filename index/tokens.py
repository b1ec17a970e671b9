"""Lexical tokens: underthesea word segmentation, plus syllables, plus a diacritics-folded field.

bm25s' default tokenizer is English-minded (it drops one-letter Vietnamese syllables such as 'ở');
we hand it our own token lists instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .agencies import ABBREVIATIONS
from .text import fold, match_key, nfc, normalize_tones

_WORD = re.compile(r"\w", re.UNICODE)
_ABBR = tuple(
    (re.compile(r"(?<![\w&])" + re.escape(a).replace(r"\ ", r"\s*") + r"(?![\w&])"), full) for a, full in ABBREVIATIONS
)


@dataclass(frozen=True)
class TokenizerConfig:
    """Recorded in the manifest: a change means the lexical index must be rebuilt."""

    segmenter: str = "underthesea.word_tokenize"
    compounds: bool = True
    syllables: bool = True
    aliases: bool = True
    version: int = 2  # 2: more abbreviations (Sở TC, TP.HCM) in the alias field


# underthesea imports these optional pipelines eagerly when torch/transformers happen to be installed (the
# sentence-transformers extra), which costs ~4 s at every start; planqa uses none of them. A None entry in
# sys.modules makes their import fail quietly, and underthesea then leaves them out.
_UNUSED_UNDERTHESEA = (
    "underthesea.pipeline.translate",
    "underthesea.pipeline.classification",
    "underthesea.pipeline.sentiment",
    "underthesea.pipeline.dependency_parse",
    "underthesea.pipeline.lang_detect",
    "underthesea.agent",
    "underthesea.address",
)


@functools.lru_cache(maxsize=1)
def _segmenter():
    import sys

    if "underthesea" not in sys.modules:
        for name in _UNUSED_UNDERTHESEA:
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    from underthesea import word_tokenize  # imported lazily: ~0.7 s

    return word_tokenize


def tokenize(text: str, config: TokenizerConfig = TokenizerConfig()) -> list[str]:
    """Lowercased word tokens ('nông_nghiệp') and their syllables; punctuation dropped; aliases expanded."""
    text = normalize_tones(nfc(text))
    out: list[str] = []
    for word in _segmenter()(text):
        word = word.lower().strip()
        if not _WORD.search(word):
            continue
        parts = word.split()
        if len(parts) > 1:
            if config.compounds:
                out.append("_".join(parts))
            if config.syllables:
                out.extend(parts)
        else:
            out.append(word)
    if config.aliases:
        out.extend(alias_tokens(text))
    return out


def alias_tokens(text: str) -> list[str]:
    """Syllables of the expansions of abbreviations found in the text (PTNT -> phát triển nông thôn)."""
    key = match_key(text)
    extra: list[str] = []
    for rx, full in _ABBR:
        if rx.search(key):
            extra.extend(full.replace(",", " ").replace("-", " ").split())
    return extra


def fold_tokens(tokens: list[str]) -> list[str]:
    """The diacritics-folded field: 'nông_nghiệp' -> 'nong_nghiep'."""
    return [fold(t) for t in tokens]

"""Restore the diacritics of an unaccented question from the corpus vocabulary, where unambiguous.

"ai chu tri ham biogas" -> "ai chủ trì hầm biogas". Longest folded n-gram first (4..1 syllables); an n-gram
is restored only when one accented form dominates its occurrences in the corpus (single syllables need an
even clearer majority, since 'ca' can be cà, cá, các ...). Anything else is left as typed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from index.text import fold, normalize_tones

_SYLLABLE = re.compile(r"[\wÀ-ỹđĐ]+", re.UNICODE)


@dataclass(frozen=True)
class RestoreConfig:
    max_n: int = 4
    min_share: float = 0.8  # share of the dominant accented form for multi-syllable n-grams
    min_share_single: float = 0.97
    min_count: int = 2


class DiacriticsRestorer:
    def __init__(self, texts: list[str], cfg: RestoreConfig = RestoreConfig()) -> None:
        self.cfg = cfg
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            words = [normalize_tones(w).lower() for w in _SYLLABLE.findall(text)]
            for n in range(1, cfg.max_n + 1):
                for i in range(len(words) - n + 1):
                    gram = " ".join(words[i : i + n])
                    counts[fold(gram)][gram] += 1
        self._best: dict[str, str] = {}
        for key, forms in counts.items():
            form, c = forms.most_common(1)[0]
            total = sum(forms.values())
            share = self.cfg.min_share_single if " " not in key else self.cfg.min_share
            min_count = cfg.min_count if " " not in key else 1
            if c >= min_count and c / total >= share and form != key:
                self._best[key] = form
            elif form == key and c / total >= share:
                self._best[key] = form  # known, already unaccented (e.g. 'biogas')

    def knows(self, folded_ngram: str) -> bool:
        """Whether the corpus uses this folded n-gram (e.g. 'an toan')."""
        return folded_ngram in self._best

    def restore(self, text: str) -> str:
        """The text with diacritics restored on the unaccented words it can place with confidence."""
        tokens = list(_SYLLABLE.finditer(text))
        out, last, i = [], 0, 0
        while i < len(tokens):
            if fold(tokens[i].group()) != tokens[i].group().lower():
                i += 1  # already accented: keep the user's spelling
                continue
            for n in range(min(self.cfg.max_n, len(tokens) - i), 0, -1):
                span = tokens[i : i + n]
                if any(fold(t.group()) != t.group().lower() for t in span):
                    continue
                key = " ".join(t.group().lower() for t in span)
                form = self._best.get(key)
                if form:
                    out.append(text[last : span[0].start()])
                    out.append(_match_case(text[span[0].start() : span[-1].end()], form))
                    last = span[-1].end()
                    i += n
                    break
            else:
                i += 1
        out.append(text[last:])
        return "".join(out)


def _match_case(original: str, form: str) -> str:
    """Apply the restored accents to the user's words, keeping their capitalization."""
    o_words, f_words = original.split(), form.split()
    if len(o_words) != len(f_words):
        return form
    res = []
    for o, f in zip(o_words, f_words):
        res.append(f.upper() if o.isupper() and len(o) > 1 else (f[:1].upper() + f[1:] if o[:1].isupper() else f))
    return " ".join(res)

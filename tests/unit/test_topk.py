"""search.top_k: the first k of a stable descending sort, found by partition (ties, -inf and short arrays)."""

from __future__ import annotations

import numpy as np
import pytest

from index.search import top_k


@pytest.mark.parametrize("seed", range(20))
def test_top_k_is_the_stable_sort_prefix(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    scores = rng.integers(0, 50, size=n).astype(np.float32) / 7  # many ties
    scores[rng.random(n) < 0.3] = -np.inf  # masked chunks
    for k in (1, 10, 40, n):
        expected = np.argsort(-scores, kind="stable")[:k]
        assert np.array_equal(top_k(scores, k), expected)

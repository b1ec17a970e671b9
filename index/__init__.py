"""planqa build side: load -> normalize -> sections -> task rows -> chunks -> tokens -> BM25/vectors -> index folder."""

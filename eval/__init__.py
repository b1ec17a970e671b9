"""planqa evaluation kit: the question set, pure scoring functions, baselines and reports."""

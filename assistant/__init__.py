"""planqa query side: question analysis -> retrieval -> answer composition -> citations -> CLI/UI."""

"""LangChain integration: the index as a `BaseRetriever` returning Documents with citation metadata."""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class PlanRetriever(BaseRetriever):
    """Passages the planqa assistant would read for a question (question analysis + hybrid search).

    metadata: doc (plan id), plan (citation title), section (heading path), chunk_id, score, kind ("text"/"row").
    """

    assistant: Any
    k: int = 5
    plan: str | None = None
    province: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.assistant.retrieve(query, k=self.k, plan=self.plan, province=self.province)
        plans = self.assistant.plans
        return [Document(page_content=h.chunk.text,
                         metadata={"doc": h.chunk.doc_id, "plan": plans[h.chunk.doc_id].meta.citation_title(),
                                   "section": h.chunk.section, "chunk_id": h.chunk.chunk_id,
                                   "score": round(h.score, 4), "kind": h.chunk.kind})
                for h in hits]

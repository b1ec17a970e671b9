"""LangChain integration: the index as a `BaseRetriever` returning Documents with citation metadata, and an
optional LCEL chain that hands the retrieved passages, numbered, to any LLM and returns its text with the
sources it was given."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.prompts import PromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel, RunnablePassthrough

from index.errors import QuestionError

PROMPT = PromptTemplate.from_template(
    "Trả lời câu hỏi chỉ dựa trên các đoạn trích dưới đây, nêu số nguồn [n] sau mỗi ý. Nếu các đoạn không nêu, "
    "hãy nói là không có thông tin.\n\n{context}\n\nCâu hỏi: {question}\nTrả lời:"
)


class PlanRetriever(BaseRetriever):
    """Passages the planqa assistant would read for a question (question analysis + hybrid search).

    metadata: doc (plan id), plan (citation title), section (heading path), chunk_id, score, kind ("text"/"row").
    `k` can also be given per call: `retriever.invoke(q, k=3)`. A question with no words (empty, emoji only)
    returns no documents.
    """

    assistant: Any
    k: int = 5
    plan: str | None = None
    province: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        try:
            hits = self.assistant.retrieve(query, k=k or self.k, plan=self.plan, province=self.province)
        except QuestionError:
            return []
        plans = self.assistant.plans
        return [
            Document(
                page_content=h.chunk.text,
                metadata={
                    "doc": h.chunk.doc_id,
                    "plan": plans[h.chunk.doc_id].meta.citation_title(),
                    "section": h.chunk.section,
                    "chunk_id": h.chunk.chunk_id,
                    "score": round(h.score, 4),
                    "kind": h.chunk.kind,
                },
            )
            for h in hits
        ]


def numbered_context(docs: list[Document]) -> str:
    """'[1] plan — section\\npassage' for each document, in rank order."""
    return "\n\n".join(
        f"[{n}] {d.metadata['plan']} — {d.metadata['section']}\n{d.page_content}" for n, d in enumerate(docs, 1)
    )


def answer_chain(retriever: PlanRetriever, llm: Runnable) -> Runnable:
    """question -> {"answer": the LLM's text, "sources": [metadata of passage n, ...]} (sources numbered as in
    the prompt, so the [n] the LLM writes can be resolved)."""

    def run(inputs: dict) -> dict:
        prompt = PROMPT.invoke({"context": numbered_context(inputs["docs"]), "question": inputs["question"]})
        text = llm.invoke(prompt)
        return {"answer": getattr(text, "content", text), "sources": [d.metadata for d in inputs["docs"]]}

    return RunnableParallel(docs=retriever, question=RunnablePassthrough()) | RunnableLambda(run)

"""LangChain: PlanRetriever against LangChain's own standard retriever tests (langchain-tests), and the optional
LCEL chain. The only stand-in is the LLM: an external server we cannot run here, replaced by a function that
records the prompt it would receive; the assertions are on what planqa puts in and takes out of the chain."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.langchain_retriever import PlanRetriever, answer_chain

QUERY = "ai chủ trì hầm biogas ở Cà Mau"


class TestPlanRetrieverStandard(RetrieversIntegrationTests):
    """LangChain's standard suite: `k` in the constructor and per call, invoke/ainvoke return Documents."""

    @pytest.fixture(autouse=True)
    def _real_assistant(self, assistant) -> None:
        type(self).loaded = assistant

    @property
    def retriever_constructor(self) -> type[PlanRetriever]:
        return PlanRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"assistant": self.loaded}

    @property
    def retriever_query_example(self) -> str:
        return QUERY


def test_documents_carry_the_citation(assistant):
    docs = PlanRetriever(assistant=assistant, k=3).invoke(QUERY)
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0].metadata
    assert top["section"] == "PHỤ LỤC > 17" and top["doc"] == "camau-kh64-2023-kinh-te-tuan-hoan"
    assert top["plan"] == "Kế hoạch số 64/KH-UBND ngày 13/3/2023 của UBND tỉnh Cà Mau"
    assert "hầm biogas (05 công trình)" in docs[0].page_content


@pytest.mark.parametrize("query", ["", "   ", "🙂🙂", "👍"])
def test_a_query_without_words_returns_no_documents(assistant, query):
    assert PlanRetriever(assistant=assistant).invoke(query) == []


def test_k_per_call_overrides_the_constructor(assistant):
    retriever = PlanRetriever(assistant=assistant, k=5)
    assert [len(retriever.invoke(QUERY, k=k)) for k in (1, 2, 7)] == [1, 2, 7]
    assert len(retriever.invoke(QUERY)) == 5


def test_answer_chain_gives_the_llm_numbered_sources_and_returns_them(assistant):
    prompts: list[str] = []

    def llm_server(prompt) -> str:  # stands in for the external LLM server
        prompts.append(prompt.to_string())
        return "Sở Nông nghiệp và PTNT [1]"

    retriever = PlanRetriever(assistant=assistant, k=3)
    out = answer_chain(retriever, RunnableLambda(llm_server)).invoke(QUERY)
    (prompt,) = prompts
    assert (
        prompt.index("[1] Kế hoạch số 64/KH-UBND") < prompt.index("hầm biogas (05 công trình)") < prompt.index("[2] ")
    )
    assert "[4] " not in prompt and prompt.rstrip().endswith(f"Câu hỏi: {QUERY}\nTrả lời:")
    assert [s["chunk_id"] for s in out["sources"]] == [d.metadata["chunk_id"] for d in retriever.invoke(QUERY)]
    assert out["sources"][0]["section"] == "PHỤ LỤC > 17"  # the [1] the model wrote resolves to the biogas row

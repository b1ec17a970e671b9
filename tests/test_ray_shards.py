"""Distributed ingestion with Ray and the sharded index: the real corpus built by a local Ray instance (2 CPUs)
into 1, 2 and 4 shards answers exactly as the ordinary build, and a failed or killed build leaves the previous
index as it was. Skipped, with the reason, only when Ray cannot start here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, build_config

pytestmark = pytest.mark.ray
QUESTIONS = ROOT / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def ray_local():
    """A local Ray instance with 2 CPUs for this module (the builds use it instead of starting their own)."""
    try:
        import ray
    except ImportError as exc:
        pytest.skip(f"Ray is not installed ({exc}); pip install -e '.[scale]'")
    try:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    except Exception as exc:  # noqa: BLE001 - any failure to start is a reason to skip, reported as such
        pytest.skip(f"Ray cannot start on this machine: {type(exc).__name__}: {exc}")
    yield ray
    ray.shutdown()


def _build(corpus: Path, folder: Path, shards: int, cache_dir: str | None = None) -> dict:
    from index.raybuild import RayConfig, build_sharded
    from index.store import BuildConfig

    cfg = BuildConfig(cache_dir=cache_dir) if cache_dir else build_config()
    return build_sharded(corpus, folder, cfg, RayConfig(shards=shards), progress=False)


@pytest.fixture(scope="module")
def sharded(ray_local, index_dir, tmp_path_factory) -> dict[int, Path]:
    """The real corpus built with Ray in 1, 2 and 4 shards (embeddings from the tests' cache, which the ordinary
    build of `index_dir` filled)."""
    root = tmp_path_factory.mktemp("sharded")
    out = {}
    for n in (1, 2, 4):
        _build(CORPUS, root / f"s{n}", n)
        out[n] = root / f"s{n}"
    return out


class MemoEmbedder:
    """The real embedder, each query embedded once for all the indexes compared (the comparison is of the
    index, not of the model)."""

    def __init__(self, embedder) -> None:
        self._e, self.id, self.dim, self._memo = embedder, embedder.id, embedder.dim, {}

    def prefill(self, texts: list[str], batch: int = 32) -> None:
        """Embed many queries in batches (far fewer model calls than one by one)."""
        for i in range(0, len(texts), batch):
            part = texts[i : i + batch]
            for t, v in zip(part, self._e.embed_queries(part)):
                self._memo[(t,)] = v[None, :]

    def embed_queries(self, texts: list[str]):
        key = tuple(texts)
        if key not in self._memo:
            self._memo[key] = self._e.embed_queries(texts)
        return self._memo[key]

    def embed_passages(self, texts: list[str]):
        return self._e.embed_passages(texts)


def _hits(idx, question: str) -> list[tuple]:
    return [(h.chunk.chunk_id, h.score, h.dense, h.bm25, h.folded) for h in idx.search(question, k=10)]


def test_manifest_lists_shards_hashes_and_assignment(sharded):
    from index.shards import assign_shard
    from index.store import corpus_hashes, read_manifest, sha256_file

    m = read_manifest(sharded[2])
    assert m["layout"] == "sharded" and len(m["shards"]) == 2
    hashes = corpus_hashes(CORPUS)
    assert m["corpus"] == hashes
    docs = m["assignment"]["docs"]
    assert sorted(docs) == sorted(n for n in hashes if n != "plans.toml")
    for name, a in docs.items():
        assert a["sha256"] == hashes[name] and a["shard"] == f"shard-{assign_shard(hashes[name], 2):03d}"
    for s in m["shards"]:
        if s["docs"]:
            sub = sharded[2] / s["name"]
            assert sha256_file(sub / "manifest.json") == s["manifest_sha256"]
            assert set(read_manifest(sub)["corpus"]) == set(s["docs"]) | {"plans.toml"}
    assert sum(len(s["docs"]) for s in m["shards"]) == 5
    assert m["counts"]["chunks"] == read_manifest(sharded[1])["counts"]["chunks"]


def test_shards_read_and_search_exactly_as_one_index(sharded, index_dir):
    """Same plans, rows, chunks (in the same order), and the same top-10 with the same scores on every question
    of the development set, for 1, 2 and 4 shards."""
    from index.search import PlanIndex

    single = PlanIndex.load(index_dir, CORPUS)
    memo = MemoEmbedder(single.embedder)
    single = PlanIndex.load(index_dir, CORPUS, embedder=memo)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    memo.prefill(questions)
    reference = [_hits(single, q) for q in questions]
    assert all(reference)
    for n, folder in sharded.items():
        idx = PlanIndex.load(folder, CORPUS, embedder=memo)
        assert len(idx.shards) == len([s for s in idx.manifest["shards"] if s["docs"]]) >= min(n, 2)
        assert list(idx.plans) == list(single.plans) and list(idx.plans.values()) == list(single.plans.values())
        assert idx.rows == single.rows and idx.chunks == single.chunks
        differ = [q for q, ref in zip(questions, reference) if _hits(idx, q) != ref]
        assert not differ, f"{n} shards: {len(differ)} questions differ, e.g. {differ[0]}"


def test_shard_actors_search_exactly_as_threads(sharded, index_dir):
    """The 2-shard index searched by Ray actors (one per shard, the driver holding only plans, rows and chunks)
    gives the same top-10, with the same four scores, as the threads of one process, with and without a filter;
    and the same full BM25 and dense score arrays (the eval baselines' modes)."""
    from index.search import Filters, PlanIndex, SearchConfig

    single = PlanIndex.load(index_dir, CORPUS)
    memo = MemoEmbedder(single.embedder)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    memo.prefill(questions[:60])
    threads = PlanIndex.load(sharded[2], CORPUS, embedder=memo)
    actors = PlanIndex.load(sharded[2], CORPUS, embedder=memo, config=SearchConfig(ray_address="local"))
    assert actors.__dict__.get("_remote") is not None and threads.__dict__.get("_remote") is None
    assert actors.chunks == threads.chunks and actors.rows == threads.rows
    for q in questions[:60]:
        assert _hits(actors, q) == _hits(threads, q), q
    only = Filters(provinces=("Cà Mau",))
    q = questions[0]
    assert [h.chunk.chunk_id for h in actors.search(q, k=10, filters=only)] == [
        h.chunk.chunk_id for h in threads.search(q, k=10, filters=only)
    ]
    for mode in ("bm25", "dense"):
        assert [(h.chunk.chunk_id, h.score) for h in actors.search(q, k=10, mode=mode)] == [
            (h.chunk.chunk_id, h.score) for h in threads.search(q, k=10, mode=mode)
        ]


def test_answers_are_byte_identical(sharded, assistant):
    """Every question of the development set answered over 2 shards gives the same answer JSON (bar latency)."""
    from assistant.answer import Assistant

    def answers(a) -> list[str]:
        out = []
        for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
            data = a.ask(json.loads(line)["question"]).to_json()
            data.pop("latency_ms")
            out.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
        return out

    two = Assistant.load(sharded[2], CORPUS)
    assert answers(two) == answers(assistant)


def test_cli_info_and_check_read_a_sharded_index(sharded):
    from assistant.cli import main

    assert main(["index", "info", "--check", "--index", str(sharded[2]), "--corpus", str(CORPUS)]) == 0


def test_adding_and_removing_a_plan_rebuilds_one_shard(sharded, index_dir, tmp_path):
    """`planqa index add` on a 2-shard index: the new plan's shard is rebuilt (with it), the other shard's files
    are the same files (hard links), the plan is found; `remove` takes it out of the same shard, and the index
    then searches exactly as the ordinary build of the five plans (top-10 and scores)."""
    from index.manage import add_plans, remove_plan
    from index.search import PlanIndex
    from index.shards import assign_shard, shard_name
    from index.store import read_manifest, sha256_file

    copy, corpus = tmp_path / "copy", tmp_path / "corpus"
    shutil.copytree(sharded[2], copy)
    shutil.copytree(CORPUS, corpus)
    new = ROOT.parent / "shared" / "corpus-dev" / "quangtri-ct06-2025-lan-chiem-rung.txt"
    if not new.is_file():
        pytest.skip("shared/corpus-dev is not beside the checkout")
    before = {s["name"]: s.get("build_id") for s in read_manifest(copy)["shards"]}
    target = shard_name(assign_shard(sha256_file(new), 2))
    other = next(n for n in before if n != target)
    inode = (copy / other / "vectors.faiss").stat().st_ino
    add_plans(corpus, copy, [new], cfg=build_config())
    after = read_manifest(copy)
    assert after["updated_shards"] == [target]
    assert {s["name"]: s.get("build_id") for s in after["shards"]}[other] == before[other]
    assert (copy / other / "vectors.faiss").stat().st_ino == inode  # the same file, linked
    assert new.name in after["assignment"]["docs"] and new.name in next(
        s["docs"] for s in after["shards"] if s["name"] == target
    )
    idx = PlanIndex.load(copy, corpus)
    hits = idx.search("xử lý chồng lấn, lấn chiếm rừng và đất lâm nghiệp Quảng Trị", k=3)
    assert hits[0].chunk.doc_id == "quangtri-ct06-2025-lan-chiem-rung"

    remove_plan(corpus, copy, "quangtri-ct06-2025-lan-chiem-rung", cfg=build_config())
    assert read_manifest(copy)["updated_shards"] == [target]
    single = PlanIndex.load(index_dir, CORPUS)
    memo = MemoEmbedder(single.embedder)
    single = PlanIndex.load(index_dir, CORPUS, embedder=memo)
    back = PlanIndex.load(copy, corpus, embedder=memo)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    memo.prefill(questions[:40])
    assert back.chunks == single.chunks and back.rows == single.rows
    assert all(_hits(back, q) == _hits(single, q) for q in questions[:40])


def test_a_corrupt_shard_is_refused_with_one_line(sharded, tmp_path):
    from index.errors import IndexError_
    from index.search import PlanIndex

    copy = tmp_path / "copy"
    shutil.copytree(sharded[2], copy)
    victim = next(p for p in sorted(copy.glob("shard-*/bm25_tf.npz")))
    victim.write_bytes(victim.read_bytes()[:-10])
    with pytest.raises(IndexError_, match="bm25_tf.npz"):
        PlanIndex.load(copy, CORPUS)


def _small_corpus(tmp_path: Path, *plans: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in plans + ("plans.toml",):
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def test_a_failed_build_leaves_the_previous_index(ray_local, tmp_path):
    from index import faults
    from index.search import PlanIndex
    from index.store import build_index, read_manifest

    corpus = _small_corpus(tmp_path, "kontum-cv-2022-kinh-te-tuan-hoan.txt", "bentre-kh-kinh-te-tuan-hoan.txt")
    folder = tmp_path / "idx"
    build_index(corpus, folder, build_config(), progress=False)
    before = read_manifest(folder)["build_id"]
    faults.install("ray:shards-written=enospc")
    try:
        with pytest.raises(OSError):
            _build(corpus, folder, 2)
    finally:
        faults.install(None)
    assert read_manifest(folder)["build_id"] == before
    assert PlanIndex.load(folder, corpus).search("biogas", k=3)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".idx")) == [".idx.lock"]


def test_a_killed_embedding_worker_is_restarted_and_the_index_is_the_same(ray_local, tmp_path):
    """A Ray worker killed mid-embedding (os._exit, as a SIGKILL) is restarted by Ray and its batch retried:
    the build completes and searches exactly as the ordinary build (22 chunks of one plan, embedded cold)."""
    from index import faults
    from index.search import PlanIndex
    from index.store import build_index, read_manifest

    corpus = _small_corpus(tmp_path, "kontum-cv-2022-kinh-te-tuan-hoan.txt")
    folder, single = tmp_path / "idx", tmp_path / "single"
    build_index(corpus, single, build_config(), progress=False)
    build_index(corpus, folder, build_config(), progress=False)
    before = read_manifest(folder)["build_id"]
    marker = tmp_path / "killed"
    faults.install(f"ray:embed=once:{marker}")
    try:  # a fresh cache, so that the embedding stage runs
        _build(corpus, folder, 2, cache_dir=str(tmp_path / "cold-cache"))
    finally:
        faults.install(None)
    assert (marker / "fired").exists(), "the fault never fired: no worker was killed"
    assert read_manifest(folder)["build_id"] != before
    a, b = PlanIndex.load(single, corpus), PlanIndex.load(folder, corpus)
    for q in ("Sở Tài chính có nhiệm vụ gì", "kinh phí thực hiện", "ai chủ trì tuyên truyền"):
        assert _hits(a, q) == _hits(b, q)

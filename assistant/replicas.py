"""Serving replicas (`planqa serve --replicas N`): the answer model in N Ray Serve replicas, called by the Gradio
chat through a deployment handle, so N questions in flight are answered in parallel.

Ray is imported only here, and only when replicas are asked for; without `--replicas` nothing imports Ray. Each
replica loads the same index folder once and keeps it in step with the disk as the chat does (`LiveAssistant`),
so an upload answered by the chat is seen by every replica. A replica returns the answer JSON of DESIGN.md plus
the question's intent and the replica's id; the chat rebuilds the same `Answer` the single process would give.

The local Ray instance is sized to this machine and listens on loopback only: its node address is 127.0.0.1
and each replica's inter-deployment gRPC server, which Ray Serve 2.60 opens on every interface, is bound to
127.0.0.1 (planqa calls replicas through actor calls, never through that server).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import PlanqaError, QuestionError

from .answer import Answer, Citation

log = logging.getLogger(__name__)
APP_NAME = "planqa"
INSTALL_HINT = "cài Ray bằng: pip install -e '.[scale]', hoặc bỏ --replicas để chạy trong một tiến trình"


class RayStartError(PlanqaError):
    """Ray is missing or cannot start here (the tests skip on this error, and only on this one)."""


class ReplicaError(QuestionError):
    """A replica could not answer; the chat shows its message as it shows any question it cannot process."""


@dataclass(frozen=True)
class ReplicaConfig:
    replicas: int
    index_dir: str
    corpus_dir: str | None = None
    num_cpus: int | None = None  # CPUs of the local Ray instance (None: this machine's)
    timeout_s: float = 120.0  # longest wait for one answer before the chat says the replica failed


def check_replicas(n: int) -> None:
    """Refuse a replica count below one, with one line, before anything is loaded."""
    if n < 1:
        raise PlanqaError(f"số bản sao {n} không hợp lệ", "--replicas", "dùng --replicas 1 trở lên, hoặc bỏ --replicas")


# ---- inside a replica ---------------------------------------------------------------------------------------------


def _grpc_on_loopback() -> None:
    """Bind the replica's inter-deployment gRPC server (opened on '[::]:0' by Ray Serve 2.60) to 127.0.0.1.
    Runs in the replica's constructor, which Ray Serve calls before it starts that server."""
    from ray.serve._private import replica

    bind = replica.add_port_to_grpc_server
    if getattr(bind, "planqa_loopback", False):
        return

    def loopback(server: Any, address: str) -> int:
        return bind(server, address.replace("[::]", "127.0.0.1", 1))

    loopback.planqa_loopback = True  # type: ignore[attr-defined]
    replica.add_port_to_grpc_server = loopback


class AnswerReplica:
    """One replica: the assistant over the index folder, loaded once, answering one question at a time."""

    def __init__(self, index_dir: str, corpus_dir: str | None) -> None:
        _grpc_on_loopback()
        from ray import serve

        from .answer import Assistant
        from .live import LiveAssistant

        corpus = Path(corpus_dir) if corpus_dir else None
        self.live = LiveAssistant(Assistant.load(Path(index_dir), corpus), Path(index_dir), corpus)
        self.id = f"{serve.get_replica_context().replica_id.unique_id}/pid {os.getpid()}"
        log.info("replica %s loaded %s", self.id, index_dir)

    def ask(self, question: str, plan: str | None, province: str | None, previous: str | None) -> dict:
        try:
            ans = self.live.refresh().ask(question, plan=plan, province=province, previous=previous)
        except QuestionError as exc:
            return {"error": [exc.what, exc.where, exc.fix], "replica": self.id}
        return {"answer": ans.to_json(), "intent": ans.intent, "replica": self.id}

    def whoami(self) -> str:
        return self.id


# ---- in the chat's process ------------------------------------------------------------------------------------------


def answer_from_json(data: dict, intent: str = "") -> Answer:
    """The `Answer` whose `to_json()` is `data` (the replica's answer, rebuilt as the single process has it)."""
    return Answer(
        data["id"],
        data["question"],
        data["answer"],
        data["abstained"],
        tuple(Citation(**c) for c in data["citations"]),
        data["latency_ms"],
        intent,
    )


class ReplicaPool:
    """The chat's side of the replicas: `ask` has the signature of the chat's answer function."""

    def __init__(self, handle: Any, cfg: ReplicaConfig) -> None:
        self._handle, self.cfg = handle, cfg
        self._lock = threading.Lock()
        # as many questions in flight as replicas (the chat's answer slots): a question waits here, not in Ray's
        # router, which backs off and retries while every replica is busy
        self._slots = threading.BoundedSemaphore(cfg.replicas)
        self.served: Counter[str] = Counter()  # replica id -> answers given

    def ask(
        self, question: str, plan: str | None = None, province: str | None = None, previous: str | None = None
    ) -> Answer:
        try:
            with self._slots:
                response = self._handle.ask.remote(question, plan, province, previous)
                reply = response.result(timeout_s=self.cfg.timeout_s)
        except Exception as exc:  # Ray's errors: a replica died, timed out, or failed to answer
            log.warning("replica call failed: %s", exc)
            raise ReplicaError(
                "bản sao trả lời gặp lỗi, chưa trả lời được câu hỏi", "--replicas", "thử hỏi lại sau ít giây"
            ) from None
        with self._lock:
            self.served[reply["replica"]] += 1
        log.info("answered by replica %s", reply["replica"])
        if "error" in reply:
            raise QuestionError(*reply["error"])
        return answer_from_json(reply["answer"], reply["intent"])

    def replica_ids(self) -> list[str]:
        """Every running replica's id, asked of each replica."""
        return sorted(self._handle.broadcast("whoami").results())


def _ray_modules() -> tuple[Any, Any]:
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # node address 127.0.0.1, servers on loopback
    # the replicas inherit it: the embedder's OpenMP threads sleep instead of spinning while they wait; on a busy
    # machine, spinning threads made a 2-thread replica answer ~25x slower (1.2 instead of 30 questions/s)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import ray
        from ray import serve
    except ImportError:
        raise RayStartError("chưa cài Ray, cần cho --replicas", "--replicas", INSTALL_HINT) from None
    return ray, serve


def _start_ray(ray: Any, num_cpus: int) -> None:
    if ray.is_initialized():
        return
    try:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    except Exception as exc:  # Ray raises many kinds (ConnectionError, RuntimeError, TimeoutError ...)
        raise RayStartError(
            f"không khởi động được Ray ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})",
            "--replicas",
            "kiểm tra bộ nhớ và chỗ trống trong /tmp (Ray ghi vào /tmp/ray), hoặc bỏ --replicas",
        ) from None


def start_replicas(cfg: ReplicaConfig) -> ReplicaPool:
    """Start a local Ray instance and N replicas over cfg.index_dir; returns when every replica has loaded."""
    check_replicas(cfg.replicas)
    ray, serve = _ray_modules()
    cpus = cfg.num_cpus or os.cpu_count() or 1
    _start_ray(ray, cpus)
    logging.getLogger("ray.serve").setLevel(logging.WARNING)
    deployment = serve.deployment(
        name="AnswerReplica",
        num_replicas=cfg.replicas,
        max_ongoing_requests=1,  # one question at a time per replica: a busy replica is never chosen
        ray_actor_options={"num_cpus": cpus / cfg.replicas},  # the machine shared out (OMP threads follow)
    )(AnswerReplica)
    try:
        serve.start(proxy_location="Disabled")  # no HTTP proxy: the chat calls the replicas through the handle
        handle = serve.run(deployment.bind(cfg.index_dir, cfg.corpus_dir), name=APP_NAME, route_prefix=None)
    except Exception as exc:
        stop_replicas()
        raise PlanqaError(
            f"không khởi động được {cfg.replicas} bản sao trả lời ({type(exc).__name__})",
            "--replicas",
            "xem nhật ký trong /tmp/ray/session_latest/logs, giảm --replicas hoặc bỏ --replicas",
        ) from None
    log.info("%d replicas of the assistant ready on %d CPUs", cfg.replicas, cpus)
    return ReplicaPool(handle, cfg)


def stop_replicas() -> None:
    """Shut down Ray Serve and the local Ray instance (safe to call twice, or when Ray never started)."""
    import sys

    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return
    from ray import serve

    try:
        serve.shutdown()
    finally:
        ray.shutdown()

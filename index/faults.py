"""Fault injection for the crash tests (never used in normal runs).

The CLI entry point installs the value of PLANQA_FAULT; each write step of the index and corpus calls
`fault_point(step)`. A spec is a comma-separated list of `step[=action]`:
- `step` or `step=exit`: the process ends at once at that step (os._exit, like a kill: no cleanup runs);
- `step=enospc` / `step=erofs`: the step fails with a full-disk / read-only-filesystem OSError;
- `step=pause:DIR`: the process writes DIR/paused and waits (up to 10 minutes) until DIR/go exists;
- `step=once:DIR`: the process ends at once, but only the first time (DIR/fired marks it), as a Ray worker
  killed once: Ray restarts it and retries its task;
- `swap:no-exchange`: swap by two renames, as on filesystems without an atomic exchange.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)
FAULT_ENV = "PLANQA_FAULT"
KILLED_EXIT = 137  # the exit status a SIGKILL gives in a shell
STEPS = (
    "build:written",  # a new index folder is complete in its temporary place, nothing swapped yet
    "swap:moved-old",  # two-rename swap only: the old index moved aside, the new one not yet in place
    "swap:exchanged",  # the new index is in place, the old one sits in the temporary folder
    "tx:prepared",  # add/remove: journal written (prepared), nothing staged yet
    "tx:staged",  # add/remove: new plan files staged beside the corpus, index not built
    "tx:committed",  # add/remove: journal says commit, corpus and index not changed yet
    "tx:corpus-applied",  # add/remove: corpus changed, index not swapped yet
    "tx:index-swapped",  # add/remove: corpus and index changed, journal not removed yet
    "ray:parse",  # Ray build: in a worker, parsing one document
    "ray:embed",  # Ray build: in an embedding actor, before one batch
    "ray:shards-written",  # Ray build: every shard written in the temporary folder, no top-level manifest yet
)
_spec: dict[str, str] = {}


def install(spec: str | None) -> None:
    """Read a PLANQA_FAULT value (called by the CLI entry point only)."""
    _spec.clear()
    for item in (spec or "").split(","):
        step, _, action = item.strip().partition("=")
        if step:
            _spec[step] = action or "exit"


def spec() -> str:
    """The installed spec, to hand to Ray workers (they do not run the CLI entry point)."""
    return ",".join(f"{k}={v}" for k, v in _spec.items())


def enabled(step: str) -> bool:
    return step in _spec


def fault_point(step: str) -> None:
    action = _spec.get(step)
    if action is None:
        return
    log.info("fault injected at %s: %s", step, action)
    if action == "exit":
        os._exit(KILLED_EXIT)
    if action in ("enospc", "erofs"):
        code = errno.ENOSPC if action == "enospc" else errno.EROFS
        raise OSError(code, os.strerror(code), step)
    if action.startswith("pause:"):
        _pause(Path(action[len("pause:") :]))
    if action.startswith("once:"):
        marker = Path(action[len("once:") :]) / "fired"
        marker.parent.mkdir(parents=True, exist_ok=True)
        try:
            marker.touch(exist_ok=False)
        except FileExistsError:
            return
        os._exit(KILLED_EXIT)


def _pause(folder: Path, limit_s: float = 600.0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paused").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + limit_s
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)

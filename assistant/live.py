"""The assistant the chat serves, kept in step with its index folder: when another session's upload or a
`planqa index add` in a terminal changed the index, the next page load or question reloads it. Sessions hold
no plan list of their own."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from index.errors import PlanqaError
from index.txn import manifest_build_id, try_recover

from .answer import Assistant

log = logging.getLogger(__name__)


class LiveAssistant:
    def __init__(self, assistant: Assistant, index_dir: Path, corpus_dir: Path | None) -> None:
        self._assistant = assistant
        self.index_dir, self.corpus_dir = index_dir, corpus_dir
        self._lock = threading.Lock()

    @property
    def current(self) -> Assistant:
        return self._assistant

    def refresh(self) -> Assistant:
        """The assistant over the index as it is now on disk (reloaded only when its build changed)."""
        with self._lock:
            built = manifest_build_id(self.index_dir)
            if built and built != self._assistant.index.manifest.get("build_id"):
                try_recover(self.index_dir)
                try:
                    self._assistant = Assistant.load(self.index_dir, self.corpus_dir)
                    log.info("reloaded the index %s (build %s)", self.index_dir, built)
                except PlanqaError as exc:
                    log.warning("kept the loaded index: %s", exc.message)
            return self._assistant

"""The texts quotes are verified against: the corpus files themselves, not the index's copy of the plans.

A text file is read as it is on disk (UTF-8, NFC, whitespace collapsed); a Word or PDF file through the same
reader that built the index. The corpus was checked against the manifest's hashes when the index was loaded.
Without a corpus folder the index's copy is used (its hash was checked too) and a note is logged once.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from index.errors import PlanqaError
from index.readers import detect_kind, load_document
from index.store import PlanRecord
from index.text import collapse_ws, nfc

log = logging.getLogger(__name__)


class SourceTexts:
    """Whitespace-collapsed source text of each plan, read on first use."""

    def __init__(self, plans: dict[str, PlanRecord], corpus_dir: Path | None) -> None:
        self._plans, self._corpus = plans, corpus_dir
        self._texts: dict[str, str] = {}
        self._raws: dict[str, str] = {}
        self._lock = threading.Lock()
        if corpus_dir is None:
            log.info("no corpus folder: quotes are checked against the index's copy of the plans")

    def text(self, doc_id: str) -> str:
        with self._lock:
            if doc_id not in self._texts:
                self._texts[doc_id] = self._read(doc_id)
            return self._texts[doc_id]

    def raw(self, doc_id: str) -> str:
        """The plan's text file as written (lines and blank lines kept: a flattened table's cells and rows), or ''
        for a Word/PDF source or without a corpus folder; read on first use."""
        with self._lock:
            if doc_id not in self._raws:
                self._raws[doc_id] = self._read_raw(doc_id)
            return self._raws[doc_id]

    def _read_raw(self, doc_id: str) -> str:
        plan = self._plans.get(doc_id)
        if plan is None or self._corpus is None:
            return ""
        try:
            data = (self._corpus / plan.source).read_bytes()
            return nfc(data.decode("utf-8-sig")) if detect_kind(data) == "text" else ""
        except (OSError, UnicodeDecodeError):
            return ""

    def _read(self, doc_id: str) -> str:
        plan = self._plans.get(doc_id)
        if plan is None:
            return ""
        if self._corpus is None:
            return collapse_ws(plan.text)
        path = self._corpus / plan.source
        try:
            data = path.read_bytes()
            if detect_kind(data) == "text":
                return collapse_ws(nfc(data.decode("utf-8-sig")))
            return collapse_ws(load_document(path, doc_id).text)
        except (OSError, UnicodeDecodeError, PlanqaError) as exc:
            log.warning("cannot read %s to verify quotes (%s): its quotes are dropped", path, exc)
            return ""

    def verified(self, doc_id: str, quote: str) -> bool:
        return bool(quote) and quote in self.text(doc_id)

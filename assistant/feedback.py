"""Feedback on answers (đúng / sai / nguồn sai + comment) in a local SQLite file, exportable as CSV."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
import time
from pathlib import Path

VERDICTS = ("đúng", "sai", "nguồn sai")
_SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, verdict TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '')"""


class FeedbackStore:
    """Thread-safe: one short connection per write, serialized by a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, question: str, answer: str, citations: list[dict], verdict: str, comment: str = "") -> int:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}")
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created, question, answer, citations, verdict, comment) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    time.strftime("%Y-%m-%dT%H:%M:%S"),
                    question,
                    answer,
                    json.dumps(citations, ensure_ascii=False),
                    verdict,
                    comment.strip()[:2000],
                ),
            )
            return int(cur.lastrowid)

    def rows(self) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]

    def export_csv(self, out: Path) -> int:
        rows = self.rows()
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["id", "created", "question", "answer", "citations", "verdict", "comment"])
            w.writeheader()
            w.writerows(rows)
        return len(rows)

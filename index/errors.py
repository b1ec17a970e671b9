"""Domain errors: each says what went wrong, where, and how to fix it (in Vietnamese, for users)."""
from __future__ import annotations


class PlanqaError(Exception):
    """A domain error shown to users as one line (CLI exit code 1), never as a traceback."""

    def __init__(self, what: str, where: str = "", fix: str = "") -> None:
        self.what, self.where, self.fix = what, where, fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.fix:
            parts.append(f"Cách khắc phục: {self.fix}")
        return ". ".join(p.rstrip(".") for p in parts) + "."


class PlanLoadError(PlanqaError):
    """A plan file cannot be read (missing, empty, binary, not UTF-8, unsupported)."""


class IndexError_(PlanqaError):
    """The index folder is missing, corrupt, or does not match the corpus/configuration."""


class QuestionError(PlanqaError):
    """A question cannot be processed (empty, too long)."""

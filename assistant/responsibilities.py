"""Who does what: every task an agency leads or coordinates and every duty assigned to it, across all plans."""

from __future__ import annotations

from dataclasses import dataclass

from index.agencies import KNOWN_AGENCIES, agency_of_title, canonical, names_agency
from index.text import collapse_ws

from .answer import Assistant
from .compose import agency_sections, duty_items, first_sentence

COLUMNS = ("Văn bản", "Vai trò", "Nội dung", "Thời gian", "Mục")


@dataclass(frozen=True)
class Responsibility:
    plan: str
    role: str  # "Chủ trì" | "Phối hợp" | "Nhiệm vụ được giao"
    content: str
    time: str
    section: str

    def as_row(self) -> list[str]:
        return [self.plan, self.role, self.content, self.time, self.section]


def agency_choices(assistant: Assistant) -> list[str]:
    """Agency names for a picker: department sections, task-row leads, and the common departments."""
    names = set(KNOWN_AGENCIES)
    for p in assistant.plans.values():
        for path, kind, _ in p.sections:
            if kind == "body" and (a := agency_of_title(path.split(" > ")[-1])) and len(a) < 70:
                names.add(a)
    for r in assistant.index.rows:
        if r.lead and len(r.lead) < 70 and not r.lead.startswith("-"):
            names.add(r.lead)
    return sorted(names, key=lambda n: canonical(n))


def _mentions(cell: str, key: str) -> bool:
    return names_agency(key, canonical(cell))


def responsibilities(assistant: Assistant, agency: str) -> list[Responsibility]:
    """Task rows led or coordinated by the agency (aliases allowed: 'Sở NN&PTNT') and its assigned duties."""
    key = canonical(agency)
    if not key:
        return []
    out: list[Responsibility] = []
    for row in assistant.index.rows:
        title = assistant.plans[row.doc_id].meta.citation_title()
        if _mentions(row.lead, key):
            out.append(Responsibility(title, "Chủ trì", row.name, row.time, row.section_path))
        elif _mentions(row.coordinate, key):
            out.append(Responsibility(title, "Phối hợp", row.name, row.time, row.section_path))
    for doc, plan in sorted(assistant.plans.items()):
        for path in agency_sections(plan, agency):
            for span in duty_items(plan, path):
                a, b = first_sentence(plan, span, 300)
                out.append(
                    Responsibility(
                        plan.meta.citation_title(), "Nhiệm vụ được giao", collapse_ws(plan.text[a:b]), "", path
                    )
                )
    return out

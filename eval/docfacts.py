"""Parsed documents checked against facts a person verified in the text (eval/documents.jsonl).

One record per document: kind, number, date, issuer, province, signer, the task tables' row counts, a few rows
with lead/coordinators/time and a few agency sections. `check(parsed, facts)` compares field by field; names
are compared on folded, abbreviation-free keys so "UBND" = "Ủy ban nhân dân" and case does not matter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.agencies import agency_of_title, canonical
from index.metadata import UNKNOWN
from index.parse import ParsedPlan
from index.provinces import same_province
from index.text import collapse_ws, fold, normalize_tones

DOCUMENTS = Path(__file__).with_name("documents.jsonl")
META_FIELDS = ("kind", "number", "date", "issuer", "province", "signer", "signer_title")


@dataclass(frozen=True)
class Check:
    """One verified fact and whether the parse states it."""

    doc: str
    field: str
    expected: str
    got: str
    ok: bool


def load_facts(path: Path = DOCUMENTS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def key(text: str) -> str:
    """Folded, tone-normalized, punctuation-free comparison key."""
    return collapse_ws(re.sub(r"[^\w\s/]", " ", fold(normalize_tones(text or "")).lower()))


def _same_name(expected: str, got: str) -> bool:
    return bool(got) and (canonical(expected) == canonical(got) or key(expected) == key(got))


def _meta_checks(plan: ParsedPlan, facts: dict) -> list[Check]:
    m = plan.meta
    out = []
    for f in META_FIELDS:
        if f not in facts:
            continue
        exp = facts[f] or ""
        got = getattr(m, f) if getattr(m, f) != UNKNOWN else ""
        if f == "province":
            ok = (not exp and not got) or bool(
                exp
                and got
                and same_province(exp, got)
                and key(exp).replace("thanh pho ", "") == key(got).replace("thanh pho ", "")
            )
        elif f in ("issuer", "signer", "signer_title", "kind"):
            ok = (not exp and not got) or _same_name(exp, got) if exp or got else True
        else:
            ok = key(exp) == key(got)
        out.append(Check(facts["doc"], f, exp, got, ok))
    if facts.get("also"):
        out.append(Check(facts["doc"], "also", ", ".join(facts["also"]), m.also, m.also in facts["also"]))
    if facts.get("title_words"):
        ok = key(facts["title_words"]) in key(m.title)
        out.append(Check(facts["doc"], "title", facts["title_words"], m.title, ok))
    return out


def _row_count(plan: ParsedPlan) -> int:
    """Task rows as a person counts them: one per task text (a row split per lead agency, same task, is one)."""
    return len({(r.appendix, r.number, key(r.name)) for r in plan.table_rows})


def _find_row(plan: ParsedPlan, words: str):
    want = key(words)
    starts = [r for r in plan.rows if want and key(r.name).startswith(want)]
    return (
        starts[0]
        if starts
        else next((r for r in plan.rows if want and want in key(r.name + " " + " ".join(r.cells))), None)
    )


def _row_checks(plan: ParsedPlan, facts: dict) -> list[Check]:
    doc = facts["doc"]
    out = []
    tables = facts.get("task_tables") or []
    if tables or plan.table_rows:
        expected = sum(t["rows"] for t in tables)
        out.append(Check(doc, "task_rows", str(expected), str(_row_count(plan)), expected == _row_count(plan)))
    if "labelled_items" in facts or plan.items:
        want, got = facts.get("labelled_items", 0), len(plan.items)
        out.append(Check(doc, "labelled_items", str(want), str(got), want == got))
    for row in facts.get("rows") or []:
        r = _find_row(plan, row["task_words"])
        label = f"row '{row['task_words']}'"
        if r is None:
            out.append(Check(doc, label, "found", "missing", False))
            continue
        lead_ok = all(key(x) in key(r.lead) or canonical(x) in canonical(r.lead) for x in row.get("lead") or [])
        coord_ok = all(
            key(x) in key(r.coordinate) or canonical(x) in canonical(r.coordinate) for x in row.get("coordinate") or []
        )
        time_ok = not row.get("time") or key(row["time"]) in key(r.time)
        out.append(Check(doc, label + " lead", "; ".join(row.get("lead") or []), r.lead, lead_ok))
        out.append(Check(doc, label + " coordinate", "; ".join(row.get("coordinate") or []), r.coordinate, coord_ok))
        out.append(Check(doc, label + " time", row.get("time") or "", r.time, time_ok))
    return out


def _section_checks(plan: ParsedPlan, facts: dict) -> list[Check]:
    out = []
    for sec in facts.get("agency_sections") or []:
        want, words = canonical(sec["agency"]), key(sec["duty_words"])
        hits = [
            s
            for s in plan.sections
            if s.kind == "body"
            and (a := agency_of_title(s.title))
            and (want in canonical(a) or canonical(a) in want)
            and words in key(plan.section_text(s) + " " + _subtree(plan, s))
        ]
        out.append(
            Check(
                facts["doc"],
                f"section '{sec['agency']}'",
                sec["duty_words"],
                hits[0].path_str if hits else "",
                bool(hits),
            )
        )
    return out


def _subtree(plan: ParsedPlan, section) -> str:
    prefix = section.path_str + " > "
    return " ".join(plan.section_text(s) for s in plan.sections if s.path_str.startswith(prefix))


def check(plan: ParsedPlan, facts: dict) -> list[Check]:
    """Every verified fact of one document against its parse."""
    return _meta_checks(plan, facts) + _row_checks(plan, facts) + _section_checks(plan, facts)

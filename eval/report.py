"""Evaluation reports: Markdown tables, JSON with every number and failure, a PNG chart; CSV export/import
for human evaluators."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)
TYPE_LABELS = {
    "lead": "chủ trì",
    "coordinate": "phối hợp",
    "time": "thời gian",
    "target": "chỉ tiêu",
    "duty": "nhiệm vụ",
    "budget": "kinh phí",
    "fact": "thông tin văn bản",
    "cross-plan": "nhiều văn bản",
    "unanswerable": "không có câu trả lời",
}


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def markdown(rep: dict) -> str:
    lines = [
        "# Báo cáo đánh giá planqa",
        "",
        f"Số câu hỏi: {rep['questions']} — độ chính xác tổng: **{pct(rep['accuracy'])}** "
        f"(có dấu {pct(rep['accuracy_accented'])}, không dấu {pct(rep['accuracy_no_diacritics'])}).",
        "",
        "## Độ chính xác theo loại câu hỏi",
        "",
        "| loại | số câu | đúng |",
        "|---|---:|---:|",
    ]
    for k, v in rep["by_type"].items():
        lines.append(f"| {k} ({TYPE_LABELS.get(k, k)}) | {v['n']} | {pct(v['correct'])} |")
    lines += ["", "## Theo cách hỏi", "", "| cách hỏi | số câu | đúng |", "|---|---:|---:|"]
    for k, v in rep["by_style"].items():
        lines.append(f"| {k} | {v['n']} | {pct(v['correct'])} |")
    lines += [
        "",
        f"## Truy hồi bằng chứng ({rep['retrieval_questions']} câu có bằng chứng)",
        "",
        "| hệ thống | hit@1 | hit@5 | MRR@10 |",
        "|---|---:|---:|---:|",
    ]
    for name, m in rep["retrieval"].items():
        lines.append(f"| {name} | {pct(m['hit@1'])} | {pct(m['hit@5'])} | {m['mrr@10']:.3f} |")
    a = rep["abstention"]
    lines += [
        "",
        "## Trích dẫn, từ chối trả lời, độ trễ",
        "",
        f"- Văn bản của trích dẫn đầu tiên đúng: {pct(rep['citation_doc_accuracy'])}; mục đúng: "
        f"{pct(rep['citation_section_accuracy'])}",
        f"- Trích dẫn nguyên văn (kiểm với tệp gốc): {pct(rep['quotes_verified'])}",
        f"- Câu trả lời một trường (chủ trì, phối hợp, thời gian, kinh phí) không quá 300 ký tự: "
        f"{pct(rep.get('concise_single_field', 0.0))}",
        f"- Từ chối trả lời: precision {pct(a['precision'])}, recall {pct(a['recall'])} "
        f"({a['abstained']} lần từ chối, {a['should_abstain']} câu không có câu trả lời)",
        f"- Độ trễ mỗi câu: p50 {rep['latency_ms']['p50']:.1f} ms, p95 {rep['latency_ms']['p95']:.1f} ms",
        "",
        f"## Câu sai ({len(rep['failures'])})",
        "",
        "| id | loại | câu hỏi | đáp án | trả lời |",
        "|---|---|---|---|---|",
    ]
    for f in rep["failures"]:
        got = f["got"].replace("\n", " ").replace("|", "/")[:160]
        lines.append(f"| {f['id']} | {f['type']} | {f['question'][:90]} | {'; '.join(f['expected'][:2])} | {got} |")
    return "\n".join(lines) + "\n"


def chart(rep: dict, path: Path) -> None:
    """Accuracy per type and style, and evidence hit@5 per system, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    groups = {
        **{k: v["correct"] for k, v in rep["by_type"].items()},
        **{f"[{k}]": v["correct"] for k, v in rep["by_style"].items()},
    }
    axes[0].barh(list(groups), [100 * v for v in groups.values()], color="#2b7a78")
    axes[0].set_xlim(0, 100)
    axes[0].set_title("planqa: độ chính xác câu trả lời (%)")
    axes[0].invert_yaxis()
    systems = rep["retrieval"]
    axes[1].barh(list(systems), [100 * m["hit@5"] for m in systems.values()], color="#3a506b")
    axes[1].set_xlim(0, 100)
    axes[1].set_title("Bằng chứng trong top-5 (%)")
    axes[1].invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_reports(rep: dict, out_dir: Path) -> list[Path]:
    """report.md, report.json, report.png in out_dir (each written to a temp name, then renamed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.md", out_dir / "report.json", out_dir / "report.png"]
    tmp = [p.with_name(p.name + ".tmp") for p in paths]
    tmp[0].write_text(markdown(rep), encoding="utf-8")
    tmp[1].write_text(json.dumps(rep, ensure_ascii=False, indent=1), encoding="utf-8")
    chart(rep, tmp[2].with_suffix(".png.tmp.png"))
    tmp[2].with_suffix(".png.tmp.png").replace(tmp[2])
    for t, p in zip(tmp, paths):
        t.replace(p)
    return paths


EXPORT_FIELDS = (
    "id",
    "type",
    "style",
    "question",
    "answer",
    "abstained",
    "citations",
    "auto_correct",
    "human_verdict",
    "human_comment",
)


def export_csv(rep: dict, path: Path) -> None:
    """One row per question with empty columns for a human verdict (đúng/sai) and comment."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=EXPORT_FIELDS)
        w.writeheader()
        for r in rep["records"]:
            cites = " | ".join(f"{c['plan']} — {c['section']}: “{c['quote']}”" for c in r["citations"])
            w.writerow(
                {
                    "id": r["id"],
                    "type": r["type"],
                    "style": r["style"],
                    "question": r["question"],
                    "answer": r["got"],
                    "abstained": r["abstained"],
                    "citations": cites,
                    "auto_correct": r["correct"],
                    "human_verdict": "",
                    "human_comment": "",
                }
            )


def agreement(rep: dict, path: Path) -> dict:
    """Agreement between human verdicts (CSV from export_csv, filled in) and the automatic score."""
    auto = {r["id"]: r["correct"] for r in rep["records"]}
    yes = {"đúng", "dung", "1", "true", "yes", "x", "correct"}
    no = {"sai", "0", "false", "no", "wrong"}
    pairs = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            verdict = (row.get("human_verdict") or "").strip().lower()
            if row.get("id") in auto and verdict in yes | no:
                pairs.append((verdict in yes, auto[row["id"]]))
    n = len(pairs)
    agree = sum(h == a for h, a in pairs)
    return {
        "judged": n,
        "agreement": agree / n if n else 0.0,
        "human_accuracy": sum(h for h, _ in pairs) / n if n else 0.0,
        "auto_accuracy_on_judged": sum(a for _, a in pairs) / n if n else 0.0,
        "human_yes_auto_no": sum(h and not a for h, a in pairs),
        "human_no_auto_yes": sum(a and not h for h, a in pairs),
    }

"""`planqa eval`: run the question set, print the summary, write the reports (and CSV for human evaluators)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.answer import Assistant

from .questionset import load_questions
from .report import agreement, export_csv, pct, write_reports
from .run import evaluate


def cmd_eval(args: argparse.Namespace) -> int:
    questions = load_questions(Path(args.questions))
    assistant = Assistant.load(
        Path(args.index), Path(args.corpus) if Path(args.corpus).is_dir() else None, search=args.search
    )
    if args.fusion:
        from .fusion import compare_fusion

        rows = compare_fusion(assistant, questions)
        out = ["| cách kết hợp | hit@1 | hit@5 | MRR@10 |", "|---|---:|---:|---:|"]
        out += [f"| {name} | {pct(m['hit@1'])} | {pct(m['hit@5'])} | {m['mrr@10']:.3f} |" for name, m in rows]
        sys.stdout.write("\n".join(out) + "\n")
        return 0
    rep = evaluate(
        assistant,
        questions,
        Path(args.corpus),
        baselines=not args.no_baselines,
        progress=not args.json,
        cache_dir=Path(args.cache) if args.cache else None,
    )
    paths = write_reports(rep, Path(args.out))
    if args.export:
        export_csv(rep, Path(args.export))
    if args.import_judgements:
        rep["human_agreement"] = agreement(rep, Path(args.import_judgements))
    if args.json:
        sys.stdout.write(json.dumps({k: v for k, v in rep.items() if k != "records"}, ensure_ascii=False) + "\n")
        return 0
    out = [
        f"Đánh giá {rep['questions']} câu hỏi: đúng {pct(rep['accuracy'])} "
        f"(có dấu {pct(rep['accuracy_accented'])}, không dấu {pct(rep['accuracy_no_diacritics'])})",
        "  theo loại: " + ", ".join(f"{k} {pct(v['correct'])} ({v['n']})" for k, v in rep["by_type"].items()),
        "  theo cách hỏi: " + ", ".join(f"{k} {pct(v['correct'])}" for k, v in rep["by_style"].items()),
        "  bằng chứng top-5: " + ", ".join(f"{k} {pct(m['hit@5'])}" for k, m in rep["retrieval"].items()),
        f"  từ chối trả lời: precision {pct(rep['abstention']['precision'])}, recall {pct(rep['abstention']['recall'])}",
        f"  trích dẫn: văn bản đúng {pct(rep['citation_doc_accuracy'])}, mục đúng {pct(rep['citation_section_accuracy'])},"
        f" nguyên văn {pct(rep['quotes_verified'])}",
        f"  câu trả lời một trường (chủ trì, phối hợp, thời gian, kinh phí) <= 300 ký tự: "
        f"{pct(rep['concise_single_field'])}",
        f"  độ trễ: p50 {rep['latency_ms']['p50']:.1f} ms, p95 {rep['latency_ms']['p95']:.1f} ms",
        "Báo cáo: " + ", ".join(str(p) for p in paths),
    ]
    if "human_agreement" in rep:
        h = rep["human_agreement"]
        out.append(f"Đối chiếu người chấm: {h['judged']} câu, trùng {pct(h['agreement'])} với chấm tự động")
    if args.export:
        out.append(f"Đã xuất {args.export} để người chấm điền cột human_verdict (đúng/sai).")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from assistant.cli import _common

    p = sub.add_parser("eval", help="chấm bộ câu hỏi đánh giá và viết báo cáo")
    p.add_argument("--questions", default="eval/questions.jsonl", help="tệp câu hỏi JSONL, hoặc thư mục các tệp .jsonl")
    p.add_argument("--json", action="store_true", help="in tóm tắt dạng JSON")
    p.add_argument("--out", default="eval/reports", help="thư mục báo cáo")
    p.add_argument("--no-baselines", action="store_true", help="bỏ qua các hệ thống so sánh")
    p.add_argument(
        "--fusion", action="store_true", help="so sánh các cách kết hợp điểm (trọng số, RRF) trên bộ câu hỏi"
    )
    p.add_argument("--export", metavar="CSV", help="xuất câu trả lời ra CSV cho người chấm")
    p.add_argument("--import-judgements", metavar="CSV", help="đọc CSV người chấm đã điền và báo độ trùng khớp")
    _common(p, corpus=True)
    p.set_defaults(func=cmd_eval)

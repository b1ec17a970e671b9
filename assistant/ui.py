"""The Gradio chat (the only module that imports gradio). Vietnamese interface; every text shown is escaped."""

from __future__ import annotations

import csv
import html
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from index.errors import QuestionError
from index.text import fold

from .analysis import MAX_QUESTION_CHARS
from .answer import Answer, Assistant
from .feedback import VERDICTS, FeedbackStore
from .live import LiveAssistant
from .responsibilities import COLUMNS, agency_choices, responsibilities
from .terms import STOP_WORDS

log = logging.getLogger(__name__)
EXAMPLES = (
    "Ai chủ trì nhiệm vụ phát triển hầm biogas?",
    "ai lo vu ham biogas o ca mau",
    "Sở Tài chính Bến Tre có nhiệm vụ gì?",
    "Kinh phí nuôi sò huyết theo VietGAP là bao nhiêu?",
    "Ở Hưng Yên, cơ quan nào vận hành nền tảng chia sẻ dữ liệu kinh tế tuần hoàn?",
)
ALL = "Tất cả"
CSS = """
.planqa-source {border:1px solid #d0d7de; border-radius:8px; padding:8px 12px; margin:8px 0;}
.planqa-source .src-head {font-weight:600;}
.planqa-source blockquote {margin:6px 0; padding-left:10px; border-left:3px solid #2b7a78;}
.planqa-source mark {background:#fff3b0;}
.planqa-abstain {background:#fff4e5; border-left:4px solid #f0a020; padding:6px 10px; margin:6px 0;}
.src-full {white-space:pre-wrap; font-size:0.92em; max-height:360px; overflow:auto;}
"""


@dataclass(frozen=True)
class UIConfig:
    feedback_db: str = "artifacts/feedback.sqlite"
    max_chars: int = MAX_QUESTION_CHARS
    corpus_dir: str = "corpus"
    index_dir: str = "artifacts/index"
    max_upload_mb: int = 20  # enforced by the web server while the upload streams in, before it is stored
    cache_dir: str | None = None  # embedding cache for uploads (None: beside the index folder)
    answer_slots: int = 1  # questions answered at once: 1 model instance, or N with `serve --replicas N`


# (question, plan, province, previous question) -> Answer, e.g. the replicas' ReplicaPool.ask
Answerer = Callable[[str, str | None, str | None, str | None], Answer]


_LABEL_WORDS = {
    fold(w)
    for w in "cơ quan chủ trì phối hợp thời gian thực hiện nhiệm vụ kinh phí được giao theo mục "
    "kế hoạch ngày của".split()
} | {fold(w) for w in STOP_WORDS if w not in ("sở", "ban")}


def highlight(quote: str, answer: str) -> str:
    """Escaped quote with the words it shares with the answer's main statement marked (not the labels and
    function words: 'Cơ quan chủ trì', 'và', 'có')."""
    words = {fold(w) for w in re.findall(r"\w+", answer) if len(w) > 1} - _LABEL_WORDS
    parts = re.split(r"(\w+)", quote)
    return "".join(
        f"<mark>{html.escape(p)}</mark>" if p and fold(p) in words and len(p) > 1 else html.escape(p) for p in parts
    )


def sources_html(ans: Answer, assistant: Assistant) -> str:
    """The answer's numbered source cards, each expandable to its full section text."""
    if not ans.citations:
        note = "Câu trả lời này không có nguồn trích dẫn." if ans.abstained else ""
        return f"<div class='planqa-abstain'>{html.escape(note)}</div>" if note else ""
    cards = []
    for n, c in enumerate(ans.citations, 1):
        full = assistant.plans[c.doc].subtree_text(c.section) if c.doc in assistant.plans else ""
        cards.append(
            f"<div class='planqa-source' data-doc='{html.escape(c.doc)}'>"
            f"<div class='src-head'>[{n}] {html.escape(c.plan)} — {html.escape(c.section)}</div>"
            f"<blockquote>“{highlight(c.quote, ans.answer.split(chr(10))[0])}”</blockquote>"
            f"<details><summary>Xem toàn văn mục {html.escape(c.section)}</summary>"
            f"<div class='src-full'>{html.escape(full)}</div></details></div>"
        )
    return "".join(cards)


def answer_markdown(ans: Answer) -> str:
    """Chat text: the answer, escaped, with a visible note when the assistant abstains."""
    text = html.escape(ans.answer).replace("\n", "  \n")
    if ans.abstained:
        text = "⚠️ **Không tìm thấy câu trả lời trong các văn bản.**  \n" + text
    return text


def _plan_views(assistant: Assistant):
    plans = sorted(assistant.plans.values(), key=lambda p: p.doc_id)
    table = [[p.doc_id, p.meta.citation_title(), p.meta.province, p.meta.implements] for p in plans]
    return plans, table, [(p.meta.citation_title(), p.doc_id) for p in plans]


def plan_lists(assistant: Assistant) -> tuple:
    """Everything on the page that lists plans, from the index: plan filter, province filter, the Văn bản table,
    the plan viewer's choices, the agency list."""
    plans, table, docs = _plan_views(assistant)
    provinces = [ALL] + sorted({p.meta.province for p in plans})
    return (
        gr.update(choices=[ALL] + docs),
        gr.update(choices=provinces),
        table,
        gr.update(choices=docs),
        gr.update(choices=agency_choices(assistant)),
    )


def build_app(assistant: Assistant, cfg: UIConfig = UIConfig(), answerer: Answerer | None = None) -> gr.Blocks:
    """The chat. Questions go to `answerer` when given (replicas), else to the assistant in this process."""
    store = FeedbackStore(Path(cfg.feedback_db))
    corpus = Path(cfg.corpus_dir)
    live = LiveAssistant(assistant, Path(cfg.index_dir), corpus if corpus.is_dir() else None)
    plans, plan_table, doc_choices = _plan_views(assistant)
    plan_choices = [ALL] + doc_choices
    provinces = [ALL] + sorted({p.meta.province for p in plans})

    def ask(question: str, plan: str, province: str, previous: str | None = None) -> Answer:
        current = live.refresh()  # the page's plan lists and source cards follow the index in any case
        plan = None if plan in (None, "", ALL) else plan
        province = None if province in (None, "", ALL) else province
        if answerer is not None:
            return answerer(question, plan, province, previous)
        return current.ask(question, plan=plan, province=province, previous=previous)

    def chat(question, history, plan, province, last_q):
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            return "", history, gr.update(), last_q, None
        if len(question) > cfg.max_chars:
            history.append(
                {
                    "role": "assistant",
                    "content": f"Câu hỏi dài {len(question)} ký tự; xin rút gọn dưới {cfg.max_chars} ký tự.",
                }
            )
            return "", history, "", last_q, None
        history.append({"role": "user", "content": html.escape(question)})
        try:
            ans = ask(question, plan, province, previous=last_q or None)
        except QuestionError as exc:
            history.append({"role": "assistant", "content": html.escape(exc.message)})
            return "", history, "", last_q, None
        history.append({"role": "assistant", "content": answer_markdown(ans)})
        return "", history, sources_html(ans, live.current), question, ans.to_json()

    def api_ask(question: str, plan: str = "", province: str = "") -> dict:
        """The answer JSON, as `planqa ask --json` prints it."""
        try:
            return ask(question, plan or None, province or None).to_json()
        except QuestionError as exc:
            return Answer("", str(question), exc.message, True).to_json()

    def give_feedback(verdict, comment, last):
        if not last:
            return "Chưa có câu trả lời nào để đánh giá."
        store.add(last["question"], last["answer"], last["citations"], verdict, comment or "")
        return f"Đã ghi nhận đánh giá “{verdict}”. Cảm ơn bạn!"

    def show_responsibilities(agency):
        rows = [r.as_row() for r in responsibilities(live.refresh(), agency or "")]
        path = None
        if rows:
            tmp = Path(tempfile.mkdtemp(prefix="planqa-")) / "trach-nhiem.csv"
            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(COLUMNS)
                w.writerows(rows)
            path = str(tmp)
        msg = f"{len(rows)} mục cho “{agency}”." if rows else f"Không tìm thấy trách nhiệm nào của “{agency}”."
        return rows or [["", "", "", "", ""]], msg, gr.update(value=path, visible=bool(path))

    def upload(file_path):
        from index.errors import PlanqaError
        from index.manage import add_plans, update_config

        unchanged = (gr.update(),) * 5
        if not file_path:
            return ("Chưa chọn tệp.", gr.update(), *unchanged)
        src = Path(file_path)
        try:  # another plan with the same name is never replaced: the upload gets the next free name
            res = add_plans(
                corpus,
                Path(cfg.index_dir),
                [src],
                names=[f"tai-len-{Path(src.name).stem}"],
                cfg=update_config(Path(cfg.index_dir), cfg.cache_dir),
                on_conflict="rename",
                max_mb=cfg.max_upload_mb,
            )
        except PlanqaError as exc:
            return (f"Không thêm được: {html.escape(exc.message)}", None, *unchanged)
        except OSError as exc:
            from index.errors import os_error_message

            return (f"Không thêm được: {html.escape(os_error_message(exc))}", None, *unchanged)
        if not res.added:
            return (f"Văn bản này đã có trong kho (trùng với “{html.escape(res.duplicates[0][1])}”).", None, *unchanged)
        current = live.refresh()
        title = current.plans[res.added[0]].meta.citation_title()
        note = "".join(
            f" Tên tệp này đã được một văn bản khác dùng nên văn bản được lưu thành “{html.escape(doc)}”."
            for _, doc in res.renamed
        )
        return (
            f"Đã thêm “{html.escape(title)}” ({res.manifest['counts']['embedded']} đoạn mới được nhúng).{note} "
            "Có thể hỏi ngay.",
            None,
            *plan_lists(current),
        )

    def show_plan(doc_id):
        assistant = live.refresh()
        plan = assistant.plans.get(doc_id)
        if not plan:
            return "", [["", "", "", "", ""]]
        m = plan.meta
        lines = [
            f"### {html.escape(m.citation_title())}",
            "",
            f"- Loại: {m.kind} — Số hiệu: {m.number} — Ngày: {m.date} — Người ký: {m.signer}",
            f"- Tên: {html.escape(m.title)}",
            f"- Thực hiện: {html.escape(m.implements)}",
            "",
            "**Cấu trúc:**",
            "",
        ]
        for path, kind, _ in plan.sections:
            if kind != "row":
                depth = path.count(" > ")
                lines.append("  " * depth + f"- {html.escape(path.split(' > ')[-1])}")
        rows = [
            [r.section_path, r.name, r.lead, r.coordinate, r.time] for r in assistant.index.rows if r.doc_id == doc_id
        ]
        return "\n".join(lines), rows or [["", "", "", "", ""]]

    with gr.Blocks(title="planqa — Hỏi đáp kế hoạch kinh tế tuần hoàn") as app:
        gr.Markdown(
            "# planqa — Hỏi đáp về các kế hoạch kinh tế tuần hoàn, sản xuất và tiêu dùng bền vững\n"
            "Mỗi câu trả lời kèm trích dẫn nguyên văn từ văn bản. Có thể hỏi có dấu hoặc không dấu."
        )
        last_q = gr.State("")
        last_answer = gr.State(None)
        with gr.Tab("Hỏi đáp"):
            with gr.Row():
                plan_dd = gr.Dropdown(plan_choices, value=ALL, label="Văn bản", elem_id="planqa-plan-filter")
                prov_dd = gr.Dropdown(provinces, value=ALL, label="Tỉnh")
            chatbot = gr.Chatbot(label="Hội thoại", height=380, elem_id="planqa-chat")
            with gr.Row():
                box = gr.Textbox(
                    placeholder="Nhập câu hỏi, ví dụ: Ai chủ trì nhiệm vụ phát triển hầm biogas?",
                    label="Câu hỏi",
                    scale=5,
                    elem_id="planqa-question",
                )
                send = gr.Button("Hỏi", variant="primary", scale=1, elem_id="planqa-send")
            gr.Examples(list(EXAMPLES), inputs=box, label="Câu hỏi mẫu")
            sources = gr.HTML(label="Nguồn", elem_id="planqa-sources")
            with gr.Row():
                fb_buttons = [
                    gr.Button(v.capitalize(), size="sm", elem_id=f"planqa-fb-{i}") for i, v in enumerate(VERDICTS)
                ]
                fb_comment = gr.Textbox(label="Góp ý (không bắt buộc)", scale=3, elem_id="planqa-fb-comment")
            fb_status = gr.Markdown(elem_id="planqa-fb-status")
            clear = gr.Button("Cuộc hội thoại mới", size="sm")
        with gr.Tab("Trách nhiệm theo cơ quan"):
            agency_dd = gr.Dropdown(
                agency_choices(assistant),
                label="Cơ quan (gõ tên hoặc viết tắt, ví dụ Sở NN&PTNT)",
                allow_custom_value=True,
                elem_id="planqa-agency",
            )
            show_btn = gr.Button("Xem trách nhiệm", variant="primary", elem_id="planqa-agency-go")
            resp_msg = gr.Markdown(elem_id="planqa-agency-msg")
            resp_table = gr.Dataframe(headers=list(COLUMNS), type="array", wrap=True, elem_id="planqa-agency-table")
            download = gr.DownloadButton("Tải CSV", visible=False)
        with gr.Tab("Văn bản"):
            plans_df = gr.Dataframe(
                plan_table,
                headers=["Mã", "Văn bản", "Tỉnh", "Thực hiện"],
                type="array",
                wrap=True,
                elem_id="planqa-plans",
            )
            doc_dd = gr.Dropdown(doc_choices, label="Chọn văn bản để xem", elem_id="planqa-plan-viewer")
            plan_md = gr.Markdown()
            plan_rows = gr.Dataframe(
                headers=["Mục", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"], type="array", wrap=True
            )
        with gr.Tab("Thêm văn bản"):
            gr.Markdown(
                f"Thêm kế hoạch mới (.docx, .pdf có lớp chữ, .txt; tối đa {cfg.max_upload_mb} MB). "
                "Tệp được kiểm tra, lưu vào kho với tên an toàn và chỉ mục được cập nhật ngay."
            )
            up_file = gr.File(
                file_types=[".docx", ".pdf", ".txt"], type="filepath", label="Tệp văn bản", elem_id="planqa-upload"
            )
            up_btn = gr.Button("Thêm vào kho", variant="primary", elem_id="planqa-upload-go")
            up_msg = gr.Markdown(elem_id="planqa-upload-msg")

        outputs = [box, chatbot, sources, last_q, last_answer]
        # every way of asking shares the answer slots: one model instance, or one per replica
        answering = {"concurrency_id": "answer", "concurrency_limit": cfg.answer_slots}
        send.click(chat, [box, chatbot, plan_dd, prov_dd, last_q], outputs, api_name=False, **answering)
        box.submit(chat, [box, chatbot, plan_dd, prov_dd, last_q], outputs, api_name=False, **answering)
        clear.click(lambda: ([], "", "", None), None, [chatbot, sources, last_q, last_answer], api_name=False)
        for btn, verdict in zip(fb_buttons, VERDICTS):
            btn.click(
                lambda c, la, v=verdict: give_feedback(v, c, la), [fb_comment, last_answer], fb_status, api_name=False
            )
        show_btn.click(show_responsibilities, agency_dd, [resp_table, resp_msg, download], api_name=False)
        doc_dd.change(show_plan, doc_dd, [plan_md, plan_rows], api_name=False)
        lists = [plan_dd, prov_dd, plans_df, doc_dd, agency_dd]
        # an upload builds its index while questions keep being answered from the current one
        up_btn.click(
            upload, up_file, [up_msg, up_file, *lists], api_name=False, concurrency_id="upload", concurrency_limit=1
        )
        app.load(
            lambda: plan_lists(live.refresh()),
            None,
            lists,
            api_name=False,
            concurrency_id="page-load",
            concurrency_limit=None,
        )
        api_q, api_plan, api_prov, api_out = (
            gr.Textbox(visible=False),
            gr.Textbox(visible=False),
            gr.Textbox(visible=False),
            gr.JSON(visible=False),
        )
        gr.Button(visible=False).click(api_ask, [api_q, api_plan, api_prov], api_out, api_name="ask", **answering)
    app.queue(default_concurrency_limit=1)  # beyond the answer slots, requests wait their turn
    return app


def launch(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    share: bool = False,
    cfg: UIConfig = UIConfig(),
    block: bool = True,
    answerer: Answerer | None = None,
):
    """Start the chat; with block=False returns (blocks, local_url) so a caller can close it."""
    app = build_app(assistant, cfg, answerer)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=share,
        css=CSS,
        theme=None,
        prevent_thread_lock=not block,
        footer_links=["api"],
        quiet=not block,
        max_file_size=cfg.max_upload_mb * 1_000_000,
    )
    return app, url

"""The Gradio chat, served for real on loopback: its API, concurrency, and a real browser (Debian's chromium)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, TEST_CACHE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(assistant, index_dir, tmp_path_factory):
    """The chat on loopback, over copies of the corpus and index (uploads must not touch the real ones)."""
    from assistant.ui import UIConfig, launch

    work = tmp_path_factory.mktemp("ui")
    shutil.copytree(ROOT / "corpus", work / "corpus")
    shutil.copytree(index_dir, work / "index")
    db = work / "feedback.sqlite"
    cfg = UIConfig(
        feedback_db=str(db), corpus_dir=str(work / "corpus"), index_dir=str(work / "index"), cache_dir=str(TEST_CACHE)
    )
    app, url = launch(assistant, port=_free_port(), cfg=cfg, block=False)
    yield {"url": url, "db": db, "corpus": work / "corpus"}
    app.close()


def test_api_returns_the_same_answer_json_as_the_cli(server, index_dir):
    from gradio_client import Client

    q = "Ai chủ trì nhiệm vụ phát triển hầm biogas?"
    got = Client(server["url"], verbose=False).predict(q, "", "", api_name="/ask")
    cli = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", q, "--json", "--index", str(index_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    want = json.loads(cli.stdout)
    for d in (got, want):
        d.pop("latency_ms")
    assert got == want


def test_twenty_concurrent_requests_all_get_right_answers(server):
    """Each answer must be a real answer (not an abstention that happens to name the agency) from the right plan."""
    from gradio_client import Client

    cases = [
        ("ai chu tri ham biogas o ca mau", "Sở Nông nghiệp và PTNT", "camau-kh64-2023-kinh-te-tuan-hoan"),
        ("Sở Tài chính Bến Tre có nhiệm vụ gì?", "cân đối nguồn ngân sách", "bentre-kh-kinh-te-tuan-hoan"),
        ("Kế hoạch 56 của Hưng Yên do ai ký?", "Nguyễn Lê Huy", "hungyen-kh56-2025-kinh-te-tuan-hoan"),
        (
            "kinh phi nuoi so huyet theo vietgap bao nhieu",
            "720 triệu đồng",
            "camau-kh211-2024-san-xuat-tieu-dung-ben-vung",
        ),
    ] * 5

    def call(case) -> list[str]:
        q, expected, doc = case
        got = Client(server["url"], verbose=False).predict(q, "", "", api_name="/ask")
        problems = ["abstained"] if got["abstained"] else []
        problems += [] if expected in got["answer"] else [f"no '{expected}'"]
        problems += [] if got["citations"] and got["citations"][0]["doc"] == doc else ["wrong plan"]
        return [f"{q}: {p}" for p in problems]

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert [p for found in pool.map(call, cases) for p in found] == []


def test_upload_limit_is_enforced_while_the_file_streams_in(server):
    """Over the limit the server answers 413 and keeps nothing; a small file is accepted (the limit is real)."""
    import httpx

    url = server["url"].rstrip("/") + "/gradio_api/upload"
    big = httpx.post(url, files={"files": ("lon.txt", b"x" * 21_000_000, "text/plain")}, timeout=120)
    assert big.status_code == 413, big.text
    small = httpx.post(url, files={"files": ("nho.txt", "kế hoạch".encode(), "text/plain")}, timeout=60)
    assert small.status_code == 200 and small.json()[0].endswith("nho.txt")


def test_login_rules():
    from assistant.serve_cli import parse_auth
    from index.errors import PlanqaError

    assert parse_auth(None) is None and parse_auth("canbo:matkhau-dai") == ("canbo", "matkhau-dai")
    for bad in ("canbo", "canbo:ngan", ":matkhau-dai"):
        with pytest.raises(PlanqaError):
            parse_auth(bad)


@pytest.fixture(scope="module")
def browser(server):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield chromium
        chromium.close()


def _open(browser, url: str):
    """A new browser session on the chat, once its question box is rendered."""
    pg = browser.new_page(viewport={"width": 1280, "height": 1100})
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(url, wait_until="load")
    pg.locator("#planqa-question textarea").wait_for(timeout=WAIT_MS)
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    return pg


@pytest.fixture(scope="module")
def page(browser, server):
    pg = _open(browser, server["url"])
    yield pg
    pg.close()


# Waits end as soon as the element is rendered; the limit only bounds a broken run, on any machine speed.
WAIT_MS = 180_000
BOT = "#planqa-chat [data-testid='bot']"


def _ask(page, question: str):
    """Ask in the chat and return the new answer's element, once it is rendered (and its sources with it)."""
    from playwright.sync_api import expect

    bots = page.locator(BOT)
    before = bots.count()
    page.locator("#planqa-question textarea").fill(question)
    page.locator("#planqa-send").click()
    expect(bots).to_have_count(before + 1, timeout=WAIT_MS)
    answer = bots.nth(before)
    expect(answer).not_to_be_empty(timeout=WAIT_MS)
    return answer


def _new_conversation(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Cuộc hội thoại mới").click()
    expect(page.locator(BOT)).to_have_count(0, timeout=WAIT_MS)


def test_browser_chat_sources_and_feedback(page, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    answer = _ask(page, "Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    card = page.locator("#planqa-sources .planqa-source").first
    card.wait_for(timeout=WAIT_MS)
    print(f"\nsubmit -> rendered answer in the browser: {(time.perf_counter() - t) * 1000:.0f} ms")
    assert answer.inner_text().startswith("Cơ quan chủ trì: Sở Nông nghiệp và PTNT")
    head = card.locator(".src-head").inner_text()
    assert "Kế hoạch số 64/KH-UBND ngày 13/3/2023 của UBND tỉnh Cà Mau" in head and "PHỤ LỤC > 17" in head
    card.locator("summary").click()
    assert card.locator("details").get_attribute("open") is not None
    assert "hầm biogas (05 công trình)" in card.locator(".src-full").inner_text()
    page.screenshot(path=str(SHOTS / "chat-biogas.png"), full_page=True)

    page.locator("#planqa-fb-comment textarea").fill("Đúng với phụ lục")
    page.locator("#planqa-fb-0").click()
    page.get_by_text("Đã ghi nhận đánh giá").wait_for(timeout=WAIT_MS)
    from assistant.feedback import FeedbackStore

    out = server["db"].parent / "feedback.csv"
    FeedbackStore(server["db"]).export_csv(out)
    text = out.read_text(encoding="utf-8-sig")
    assert "Ai chủ trì nhiệm vụ phát triển hầm biogas?" in text and "đúng" in text and "Đúng với phụ lục" in text


def test_browser_follow_up_question(page):
    """A fresh conversation: the follow-up's own answer (the second message) must use the first question's task;
    alone, 'còn phối hợp với ai?' is not answerable."""
    _new_conversation(page)
    _ask(page, "Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    follow_up = _ask(page, "còn phối hợp với ai?").inner_text()
    assert follow_up.startswith("Cơ quan phối hợp: Các Sở, ban, ngành, UBND các huyện"), follow_up
    assert "hầm biogas (05 công trình)" in follow_up and "Không tìm thấy" not in follow_up


def test_browser_script_in_question_renders_as_text(page):
    _new_conversation(page)
    answer = _ask(page, "<script>alert(1)</script> ai chủ trì hầm biogas")
    shown = page.locator("#planqa-chat [data-testid='user']").last.inner_text()
    assert shown == "<script>alert(1)</script> ai chủ trì hầm biogas"
    assert "Sở Nông nghiệp và PTNT" in answer.inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "chat-escaped-script.png"), full_page=True)


def test_browser_responsibilities_tab(page):
    page.get_by_role("tab", name="Trách nhiệm theo cơ quan").click()
    box = page.locator("#planqa-agency input")
    box.fill("Sở Tài nguyên và Môi trường")
    box.press("Enter")
    page.locator("#planqa-agency-go").click()
    page.get_by_text("mục cho “Sở Tài nguyên và Môi trường”").wait_for(timeout=WAIT_MS)
    table = page.locator("#planqa-agency-table").inner_text()
    plans = {
        p
        for p in ("Kế hoạch số 64/KH-UBND", "Kế hoạch số 211/KH-UBND", "UBND tỉnh Bến Tre", "UBND tỉnh Kon Tum")
        if p in table
    }
    assert len(plans) >= 2, table[:500]
    page.screenshot(path=str(SHOTS / "responsibilities.png"), full_page=True)


def _upload(page, path: Path, number: str) -> str:
    """Upload a plan in the Thêm văn bản tab; returns the message once it names the new plan."""
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Thêm văn bản").click()
    msg = page.locator("#planqa-upload-msg")
    page.locator("#planqa-upload input[type=file]").set_input_files(str(path))
    page.locator("#planqa-upload-go").click()
    expect(msg).to_contain_text(f"Đã thêm “Kế hoạch số {number}/KH-UBND", timeout=WAIT_MS)
    return msg.inner_text()


def test_browser_upload_a_word_plan_and_ask_about_it(page, server, tmp_path):
    from plan_files import write_docx

    docx_file = write_docx(tmp_path / "Kế hoạch mới.docx", number="777")
    _upload(page, docx_file, "777")
    assert (server["corpus"] / "tai-len-ke-hoach-moi.docx").exists()
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
    page.get_by_role("tab", name="Hỏi đáp").click()
    _new_conversation(page)
    answer = _ask(page, "Ai chủ trì mô hình nuôi cá tra tuần hoàn nước khép kín?")
    assert answer.inner_text().startswith("Cơ quan chủ trì: Sở Nông nghiệp và Môi trường")
    assert "Kế hoạch số 777/KH-UBND" in page.locator("#planqa-sources").inner_text()


def test_browser_same_name_upload_keeps_both_plans(page, server, tmp_path):
    from plan_files import write_docx

    (tmp_path / "b").mkdir()
    message = _upload(page, write_docx(tmp_path / "b" / "Kế hoạch mới.docx", number="778"), "778")
    assert "được lưu thành “tai-len-ke-hoach-moi-2”" in message
    assert (server["corpus"] / "tai-len-ke-hoach-moi.docx").exists()
    assert (server["corpus"] / "tai-len-ke-hoach-moi-2.docx").exists()


def test_other_sessions_see_the_uploaded_plan(browser, server):
    """A new session (a reload, another user) lists the uploaded plan in the plan filter, the Văn bản table and
    the plan viewer, and the plan can be chosen as the filter."""
    from playwright.sync_api import expect

    pg = _open(browser, server["url"])
    try:
        title = "Kế hoạch số 778/KH-UBND ngày 10/2/2026 của UBND tỉnh Đồng Tháp"
        pg.get_by_role("tab", name="Văn bản", exact=True).click()
        expect(pg.locator("#planqa-plans")).to_contain_text("tai-len-ke-hoach-moi-2", timeout=WAIT_MS)
        pg.locator("#planqa-plan-viewer input").click()
        expect(pg.get_by_role("option", name=title)).to_be_visible(timeout=WAIT_MS)
        pg.keyboard.press("Escape")
        pg.get_by_role("tab", name="Hỏi đáp").click()
        pg.locator("#planqa-plan-filter input").click()
        pg.get_by_role("option", name=title).click()
        answer = _ask(pg, "Ai chủ trì mô hình nuôi cá tra tuần hoàn nước khép kín?")
        assert answer.inner_text().startswith("Cơ quan chủ trì: Sở Nông nghiệp và Môi trường")
        sources = pg.locator("#planqa-sources .planqa-source")
        expect(sources.first).to_be_visible(timeout=WAIT_MS)
        assert {sources.nth(i).get_attribute("data-doc") for i in range(sources.count())} == {"tai-len-ke-hoach-moi-2"}
    finally:
        pg.close()

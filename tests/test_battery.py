"""The operator's battery of issue 14, on copies of the corpus and index: nothing is lost, every failure is one
line (what, where, how to fix) without a traceback, and a kill at any step of a change leaves a corpus and an
index that agree. Kills are real process exits (PLANQA_FAULT=<step>: os._exit at that step, no cleanup)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, TEST_CACHE, build_config

SMALL_PLAN = "kontum-cv-2022-kinh-te-tuan-hoan"
NEW_PLAN = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
Số: 99/KH-UBND
Đồng Tháp, ngày 05 tháng 01 năm 2026
KẾ HOẠCH
Phát triển mô hình nuôi ong mật tuần hoàn
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì xây dựng mô hình nuôi ong mật kết hợp trồng cây dược liệu tại các xã vùng Đồng Tháp Mười.
"""


def planqa(*args: str, cwd: Path = ROOT, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, **env},
    )


def one_line_error(res: subprocess.CompletedProcess, *needles: str) -> str:
    err = res.stderr.decode() if isinstance(res.stderr, bytes) else res.stderr
    assert res.returncode == 1, (res.returncode, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("Lỗi: ") and "Traceback" not in err, err
    assert all(n in err for n in needles), err
    return err


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder (hidden ones included) with the hash of its content."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """One plan (Kon Tum) and its index: every change below costs seconds, not minutes."""
    from index.store import build_index

    base = tmp_path_factory.mktemp("battery")
    (base / "corpus").mkdir()
    for name in (f"{SMALL_PLAN}.txt", "plans.toml"):
        shutil.copy(CORPUS / name, base / "corpus" / name)
    build_index(base / "corpus", base / "idx" / "index", build_config(), progress=False)
    (base / "in").mkdir()
    (base / "in" / "dongthap.txt").write_text(NEW_PLAN, encoding="utf-8")
    return base


@pytest.fixture()
def work(small, tmp_path) -> Path:
    dst = tmp_path / "w"
    shutil.copytree(small, dst)
    return dst


def _paths(w: Path) -> tuple[str, ...]:
    return "--index", str(w / "idx" / "index"), "--corpus", str(w / "corpus")


# ---- data loss -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "add", "remove"])
@pytest.mark.parametrize("target", ["corpus", "user-folder", "file"])
def test_index_option_never_replaces_what_is_not_an_index(work, command, target):
    docs = work / "docs"
    docs.mkdir()
    (docs / "bao-cao.docx").write_bytes(b"a user's document")
    (work / "ghi-chu.txt").write_text("a user's note", encoding="utf-8")
    index = {"corpus": work / "corpus", "user-folder": docs, "file": work / "ghi-chu.txt"}[target]
    before = snapshot(work)
    extra = {"build": [], "add": [str(work / "in" / "dongthap.txt")], "remove": [SMALL_PLAN]}[command]
    res = planqa("index", command, *extra, "--quiet", "--index", str(index), "--corpus", str(work / "corpus"))
    one_line_error(res, "planqa không ghi đè", "--index")
    assert snapshot(work) == before and sorted(p.name for p in work.iterdir()) == [
        "corpus",
        "docs",
        "ghi-chu.txt",
        "idx",
        "in",
    ]


def test_a_name_taken_by_another_plan_is_refused(work):
    clash = work / "in" / "Kontum CV 2022 kinh te tuan hoan.txt"  # another plan under the same safe name
    clash.write_text(NEW_PLAN, encoding="utf-8")
    before = snapshot(work / "corpus")
    one_line_error(
        planqa("index", "add", str(clash), "--quiet", *_paths(work)),
        "planqa không ghi đè",
        f"planqa index remove {SMALL_PLAN}",
        "--rename",
    )
    assert snapshot(work / "corpus") == before
    same = work / "in" / "ban-sao.txt"
    shutil.copy(work / "corpus" / f"{SMALL_PLAN}.txt", same)
    dup = planqa("index", "add", str(same), "--quiet", *_paths(work))
    assert dup.returncode == 0 and "trùng nội dung" in dup.stdout.decode() and snapshot(work / "corpus") == before
    renamed = planqa("index", "add", str(clash), "--rename", "--quiet", *_paths(work))
    assert renamed.returncode == 0 and f"lưu thành '{SMALL_PLAN}-2'" in renamed.stdout.decode()
    assert (work / "corpus" / f"{SMALL_PLAN}.txt").read_bytes() == (CORPUS / f"{SMALL_PLAN}.txt").read_bytes()
    assert (work / "corpus" / f"{SMALL_PLAN}-2.txt").read_bytes() == clash.read_bytes()
    assert planqa("index", "info", "--check", *_paths(work)).returncode == 0


def test_web_uploads_with_the_same_name_are_both_kept(work):
    """The chat's upload policy (tai-len-<name>, next free name when taken), through the same add_plans call."""
    from index.manage import add_plans

    corpus, index = work / "corpus", work / "idx" / "index"
    first, second = work / "in" / "a" / "Kế hoạch.txt", work / "in" / "b" / "Kế hoạch.txt"
    for path, n in ((first, "98"), (second, "97")):
        path.parent.mkdir()
        path.write_text(NEW_PLAN.replace("Số: 99", f"Số: {n}"), encoding="utf-8")
    kw = {"names": ["tai-len-Kế hoạch"], "on_conflict": "rename", "cfg": build_config()}
    assert add_plans(corpus, index, [first], **kw).added == ("tai-len-ke-hoach",)
    res = add_plans(corpus, index, [second], **kw)
    assert res.added == ("tai-len-ke-hoach-2",) and res.renamed == (("Kế hoạch.txt", "tai-len-ke-hoach-2"),)
    assert (corpus / "tai-len-ke-hoach.txt").read_bytes() == first.read_bytes()
    assert (corpus / "tai-len-ke-hoach-2.txt").read_bytes() == second.read_bytes()


# ---- kill points ---------------------------------------------------------------------------------------------


def _leftovers(w: Path) -> list[str]:
    around = [p.name for p in (w / "idx").iterdir() if p.name not in ("index", ".index.lock")]
    return around + [p.name for p in (w / "corpus").iterdir() if p.name.startswith(".")]


def _consistent(w: Path) -> dict:
    """The next command sees one consistent state: recovery ran, nothing left over, the index matches."""
    res = planqa("index", "info", "--check", "--json", *_paths(w))
    assert res.returncode == 0, res.stderr.decode()
    assert _leftovers(w) == []
    return json.loads(res.stdout)


ADD_KILLS = [
    ("tx:prepared", False),
    ("tx:staged", False),
    ("build:written", False),
    ("tx:committed", True),
    ("tx:corpus-applied", True),
    ("swap:exchanged", True),
    ("tx:index-swapped", True),
    ("swap:moved-old,swap:no-exchange", True),
]


@pytest.mark.parametrize("fault, done", ADD_KILLS, ids=[f for f, _ in ADD_KILLS])
def test_killed_add_leaves_before_or_after_never_between(work, fault, done):
    before = snapshot(work / "corpus")
    killed = planqa("index", "add", str(work / "in" / "dongthap.txt"), "--quiet", *_paths(work), PLANQA_FAULT=fault)
    assert killed.returncode == 137
    manifest = _consistent(work)
    names = sorted(p.name for p in (work / "corpus").iterdir())
    if done:
        assert "dongthap.txt" in names and manifest["counts"]["plans"] == 2
        assert {k: v for k, v in snapshot(work / "corpus").items() if k != "dongthap.txt"} == before
    else:
        assert snapshot(work / "corpus") == before and manifest["counts"]["plans"] == 1


REMOVE_KILLS = [("tx:staged", False), ("build:written", False), ("tx:committed", True), ("tx:corpus-applied", True)]


@pytest.mark.parametrize("fault, done", REMOVE_KILLS, ids=[f for f, _ in REMOVE_KILLS])
def test_killed_remove_leaves_before_or_after_never_between(work, fault, done):
    from index.manage import add_plans

    add_plans(work / "corpus", work / "idx" / "index", [work / "in" / "dongthap.txt"], cfg=build_config())
    killed = planqa("index", "remove", "dongthap", "--quiet", *_paths(work), PLANQA_FAULT=fault)
    assert killed.returncode == 137
    manifest = _consistent(work)
    assert (work / "corpus" / "dongthap.txt").exists() != done and manifest["counts"]["plans"] == (1 if done else 2)


@pytest.mark.parametrize("fault", ["build:written", "swap:exchanged", "swap:moved-old,swap:no-exchange"])
def test_killed_build_keeps_an_index(work, fault):
    assert planqa("index", "build", "--quiet", *_paths(work), PLANQA_FAULT=fault).returncode == 137
    assert _consistent(work)["counts"]["plans"] == 1


def test_leftovers_of_the_previous_version_are_repaired(work):
    """The old swap could leave the index in `.index.old` only, and its temporary folders for good."""
    index = work / "idx" / "index"
    index.rename(work / "idx" / ".index.old")
    shutil.copytree(work / "idx" / ".index.old", work / "idx" / ".index.k3x9q2ab")
    assert _consistent(work)["counts"]["plans"] == 1


def test_ask_answers_from_the_current_index_while_add_runs(work, tmp_path):
    """`index add` paused after building its new index: questions are answered from the current one; once the
    change is committed, the new plan is answered."""
    from assistant.answer import Assistant

    gate = tmp_path / "gate"
    adder = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "index",
            "add",
            str(work / "in" / "dongthap.txt"),
            "--quiet",
            *_paths(work),
        ],
        cwd=ROOT,
        env={**os.environ, "PLANQA_FAULT": f"build:written=pause:{gate}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(gate / "paused", adder)
        during = Assistant.load(work / "idx" / "index", work / "corpus", warm=False)
        ans = during.ask("Ở Kon Tum, sở nào chủ trì tham mưu bố trí vốn sự nghiệp cho nhiệm vụ kinh tế tuần hoàn?")
        assert not ans.abstained and "Sở Tài chính" in ans.answer and "dongthap" not in during.plans
    finally:
        (gate / "go").touch()
        assert adder.wait(timeout=300) == 0, adder.stderr.read().decode()
    after = Assistant.load(work / "idx" / "index", work / "corpus", warm=False)
    ans = after.ask("Ở Đồng Tháp, ai chủ trì xây dựng mô hình nuôi ong mật?")
    assert "Sở Nông nghiệp và Môi trường" in ans.answer and ans.citations[0].doc == "dongthap"


def _wait_for(path: Path, proc: subprocess.Popen) -> None:
    import time

    deadline = time.monotonic() + 300
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the paused process never reached its pause"
        time.sleep(0.05)


# ---- batch lines ---------------------------------------------------------------------------------------------


def test_every_batch_line_is_answered_or_gets_its_own_error(index_dir):
    lines = [
        json.dumps({"id": 1, "question": "ai chu tri ham biogas"}).encode(),
        b'{"id": "utf8", "question": "ai ch\xff tr\xec ham biogas"}',
        json.dumps({"id": 3, "question": "\ud800 ai chủ trì"}).encode(),
        json.dumps({"id": [4], "question": "Sở Tài chính Bến Tre có nhiệm vụ gì?", "plan": ["x"]}).encode(),
        json.dumps({"id": {"k": 5}, "question": "Sở Tài chính Bến Tre có nhiệm vụ gì?", "province": 5}).encode(),
        json.dumps({"id": None, "question": None}).encode(),
        json.dumps({"id": 7.5, "question": 42}).encode(),
        b"{not json",
        json.dumps({"id": True, "question": "Kế hoạch 56 của Hưng Yên do ai ký?"}).encode(),
        json.dumps(
            {"id": "q10", "question": "Sở Tài chính Bến Tre có nhiệm vụ gì?", "province": "Bến Tre"}, ensure_ascii=False
        ).encode(),
    ]
    res = planqa("ask", "--jsonl", "--index", str(index_dir), stdin=b"\n".join(lines) + b"\n")
    assert res.returncode == 0 and b"Traceback" not in res.stderr, res.stderr.decode()
    out = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == [1, "utf8", 3, [4], {"k": 5}, None, 7.5, None, True, "q10"]
    assert "Sở Nông nghiệp và PTNT" in out[0]["answer"] and not out[0]["abstained"]
    errors = {i: o["error"] for i, o in enumerate(out) if "error" in o}
    assert set(errors) == {1, 2, 3, 4, 5, 6, 7}
    assert "UTF-8" in errors[1] and "surrogate" in errors[2] and "'plan'" in errors[3] and "'province'" in errors[4]
    assert "thiếu câu hỏi" in errors[5] and "'question'" in errors[6] and "JSON" in errors[7]
    assert all(e.startswith(f"dòng {i + 1}:") for i, e in errors.items())
    assert "Nguyễn Lê Huy" in out[8]["answer"] and "cân đối nguồn ngân sách" in out[9]["answer"]


# ---- integrity -----------------------------------------------------------------------------------------------


def _copy_index(index_dir: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "idx"
    shutil.copytree(index_dir, dst)
    return dst


def _edit_manifest(folder: Path, edit) -> None:
    path = folder / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    edit(m)
    path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")


def test_a_manifest_without_its_file_list_is_corrupt(index_dir, tmp_path):
    folder = _copy_index(index_dir, tmp_path)
    _edit_manifest(folder, lambda m: m.update(files={}))
    one_line_error(
        planqa("index", "info", "--check", "--index", str(folder)), "không liệt kê tệp nào", "planqa index build"
    )
    _edit_manifest(folder, lambda m: m.update(files={"plans.json": "0" * 64}))
    one_line_error(planqa("ask", "ai chủ trì hầm biogas", "--index", str(folder)), "không khớp các tệp")


def test_tampered_plans_are_never_served_as_verified_quotes(index_dir, tmp_path):
    """plans.json changed and its hash updated in the manifest: the quote no longer matches the corpus file."""
    from assistant.answer import Assistant

    folder = _copy_index(index_dir, tmp_path)
    plans = folder / "plans.json"
    text = plans.read_text(encoding="utf-8")
    assert "hầm biogas (05 công trình)" in text
    plans.write_text(text.replace("hầm biogas (05 công trình)", "hầm biogas (99 công trình)"), encoding="utf-8")
    _edit_manifest(folder, lambda m: m["files"].update({"plans.json": hashlib.sha256(plans.read_bytes()).hexdigest()}))
    ans = Assistant.load(folder, CORPUS, warm=False).ask("Ai chủ trì nhiệm vụ phát triển hầm biogas?")
    assert all("99 công trình" not in c.quote for c in ans.citations)
    from index.text import collapse_ws, nfc

    assert all(
        c.quote in collapse_ws(nfc((CORPUS / f"{c.doc}.txt").read_text(encoding="utf-8"))) for c in ans.citations
    )


def test_tampered_rows_are_refused(index_dir, tmp_path):
    folder = _copy_index(index_dir, tmp_path)
    rows = folder / "rows.jsonl"
    rows.write_text(
        rows.read_text(encoding="utf-8").replace("Sở Nông nghiệp và PTNT", "Sở Tài chính"), encoding="utf-8"
    )
    one_line_error(planqa("index", "info", "--check", "--index", str(folder)), "rows.jsonl", "bị hỏng")


@pytest.mark.parametrize("key", ["embedder", "counts"])
def test_a_manifest_missing_a_field_is_one_line(index_dir, tmp_path, key):
    folder = _copy_index(index_dir, tmp_path)
    _edit_manifest(folder, lambda m: m.pop(key))
    for args in (("index", "info"), ("ask", "ai chủ trì hầm biogas")):
        one_line_error(planqa(*args, "--index", str(folder)), f"thiếu trường '{key}'", "planqa index build")


# ---- one line, never a traceback -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command, fault, message",
    [
        ("add", "build:written=enospc", "đĩa đầy"),
        ("add", "tx:prepared=erofs", "chỉ đọc"),
        ("build", "build:written=enospc", "đĩa đầy"),
    ],
)
def test_full_disk_and_read_only_filesystem(work, command, fault, message):
    before_corpus, before_index = snapshot(work / "corpus"), snapshot(work / "idx" / "index")
    extra = [str(work / "in" / "dongthap.txt")] if command == "add" else []
    one_line_error(planqa("index", command, *extra, "--quiet", *_paths(work), PLANQA_FAULT=fault), message)
    assert snapshot(work / "corpus") == before_corpus and snapshot(work / "idx" / "index") == before_index
    assert _leftovers(work) == []


def test_bad_things_given_to_index_add(work):
    one_line_error(planqa("index", "add", str(work / "in"), *_paths(work)), "thư mục, không phải tệp")
    one_line_error(planqa("index", "add", "/dev/zero", *_paths(work)), "không phải tệp thông thường")
    one_line_error(
        planqa("index", "add", str(work / "in" / "dongthap.txt"), "--max-mb", "0.0001", *_paths(work)),
        "vượt giới hạn 0.0001 MB",
        "--max-mb",
    )
    big = work / "in" / "lon.txt"
    with big.open("wb") as f:
        f.truncate(21_000_000)  # 21 MB: refused by size before it is read
    one_line_error(planqa("index", "add", str(big), *_paths(work)), "vượt giới hạn 20 MB")


def test_serve_on_a_busy_port_or_a_port_out_of_range(index_dir):
    one_line_error(planqa("serve", "--port", "70000", "--index", str(index_dir)), "cổng 70000 không hợp lệ")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        one_line_error(planqa("serve", "--port", str(port), "--index", str(index_dir)), f"cổng {port} đang được")


def test_global_options_before_the_subcommand(index_dir):
    res = planqa("--index", str(index_dir), "--corpus", str(CORPUS), "ask", "ai chu tri ham biogas", "--json")
    assert res.returncode == 0 and "Sở Nông nghiệp và PTNT" in json.loads(res.stdout)["answer"]
    res = planqa("--index", str(index_dir), "index", "info", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["counts"]["plans"] == 5


def test_the_embedding_cache_sits_beside_the_index_not_in_the_working_directory(work, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(TEST_CACHE, work / "idx" / "cache")  # a warm cache beside the index
    env = {k: v for k, v in os.environ.items() if k != "PLANQA_CACHE"}
    res = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "index", "build", "--quiet", *_paths(work)],
        cwd=elsewhere,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "(0 đoạn nhúng mới" in res.stdout and list(elsewhere.iterdir()) == []

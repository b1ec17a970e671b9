"""`planqa inspect` and exit codes, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_inspect_json_lists_31_rows():
    res = run("inspect", "camau-kh64-2023-kinh-te-tuan-hoan", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["task_rows"]) == 31
    row = next(r for r in data["task_rows"] if r["number"] == "17")
    assert row["lead"] == "Sở Nông nghiệp và PTNT" and row["time"] == "2025 - 2030"
    assert data["metadata"]["number"] == "64/KH-UBND"


def test_inspect_human_output_is_vietnamese():
    res = run("inspect", "hungyen-kh56-2025-kinh-te-tuan-hoan")
    assert res.returncode == 0 and "Nhiệm vụ trong phụ lục" in res.stdout and "PHỤ LỤC I > 1.3.1" in res.stdout


def test_bad_files_exit_1_with_one_line(tmp_path):
    for name, content in [("empty.txt", b""), ("binary.txt", b"\x00\x01\x02" * 100), ("latin.txt", b"K\xe9 ho\xe1ch")]:
        path = tmp_path / name
        path.write_bytes(content)
        res = run("inspect", str(path))
        assert res.returncode == 1
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and "Traceback" not in res.stderr


def test_unknown_doc_lists_choices_and_usage_error_is_2():
    res = run("inspect", "khong-co")
    assert res.returncode == 1 and "camau-kh64-2023-kinh-te-tuan-hoan" in res.stderr
    assert run("inspect").returncode == 2

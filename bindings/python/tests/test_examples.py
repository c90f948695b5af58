"""examples/match_roster.py: an Excel roster in, an Excel workbook out."""

import datetime
import os
import subprocess
import sys

import pytest

import xjlink
from conftest import SOURCE_ROOT

openpyxl = pytest.importorskip("openpyxl")
SCRIPT = SOURCE_ROOT / "examples" / "match_roster.py"


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, env=os.environ, timeout=120)


def write_roster(path, roster_rows):
    """The sample roster as a school sends it: a title row above the header,
    template column names, native dates and numbers in some cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "新生名单"
    ws.append(["某某小学2024年一年级新生调档名单"])
    header = ["序号", "*姓名", "性别", "*出生日期（格式：20150101）", "身份证件类型", "身份证号", "备注"]
    ws.append(header)
    for i, r in enumerate(roster_rows):
        born = r["出生日期"]
        try:  # a real date cell where the text is an ISO date, as Excel keeps them
            born = datetime.datetime.strptime(born, "%Y-%m-%d")
        except ValueError:
            pass
        gender = {"男": 1, "女": 2}.get(r["性别"], r["性别"]) if i % 2 else r["性别"]
        ws.append([i + 1, r["姓名"], gender, born, r["身份证件类型"], r["身份证件号"], r["备注"]])
    ws.append([])  # the trailing empty row Excel users leave
    wb.save(path)


def test_match_roster_example(tmp_path, registry_csv, roster_rows):
    roster = tmp_path / "roster.xlsx"
    out = tmp_path / "matched.xlsx"
    write_roster(roster, roster_rows)
    done = run(registry_csv, roster, out, "--threads", "2")
    assert done.returncode == 0, done.stderr

    wb = openpyxl.load_workbook(out)
    ws = wb["匹配结果"]
    rows = list(ws.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:7] == ("序号", "*姓名", "性别", "*出生日期（格式：20150101）", "身份证件类型",
                          "身份证号", "备注")
    assert header[7:] == ("处理状态", "匹配学前学籍ID", "得分", "候选学前学籍", "原因", "问题")
    assert len(body) == len(roster_rows)

    # the same statuses as matching the CSV roster directly
    with xjlink.Index.from_csv(registry_csv) as ix:
        want = [ix.match(r) for r in roster_rows]
    labels = {"matched": "已匹配学前学籍", "pending": "待确认学前学籍",
              "not_found": "未查到学前学籍", "error": "错误"}
    assert [row[7] for row in body] == [labels[r.status] for r in want]
    assert [row[8] or None for row in body] == [r.match_id for r in want]
    for row, r in zip(body, want):
        if r.candidates:
            assert row[10].split()[0].startswith(r.candidates[0].id)
        if r.status == "error":
            assert row[12]  # the problem, in Chinese

    # colour-coded by status
    fills = {}
    for i, r in enumerate(want, start=2):
        fills.setdefault(r.status, set()).add(ws.cell(i, 8).fill.fgColor.rgb)
    assert all(len(v) == 1 for v in fills.values())
    assert len({next(iter(v)) for v in fills.values()}) == 4

    summary = {row[1]: row[2] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert sum(summary.values()) == len(roster_rows)
    assert done.stdout.split() == [f"{s}={summary[s]}" for s in ("matched", "pending", "not_found", "error")]


def test_match_roster_reports_a_missing_registry(tmp_path, roster_rows):
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, roster_rows[:3])
    done = run(tmp_path / "missing.csv", roster, tmp_path / "out.xlsx")
    assert done.returncode != 0
    assert "missing.csv" in done.stderr


def test_match_roster_reports_a_sheet_without_header(tmp_path, registry_csv):
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "bad.xlsx")
    done = run(registry_csv, tmp_path / "bad.xlsx", tmp_path / "out.xlsx")
    assert done.returncode != 0 and "姓名" in done.stderr

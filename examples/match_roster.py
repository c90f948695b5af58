#!/usr/bin/env python3
"""match_roster: match a school's intake roster (调档名单), as schools send it
in Excel, against a preschool registry, and write the roster back with each
row's processing status (处理状态), candidates and reasons.

    match_roster.py REGISTRY.csv ROSTER.xlsx OUT.xlsx [--sheet NAME] [--threads N]

The roster's header may sit below a title row and name its columns as school
templates do (姓名, *出生日期（格式：20150101）, 身份证号, ...).  Rows are coloured
by status: green matched, yellow pending (the school confirms), red not
found, grey error (the row cannot be matched as typed).  Needs openpyxl
(Debian: python3-openpyxl).
"""

import argparse
import sys
from collections import Counter

import openpyxl
from openpyxl.styles import Font, PatternFill

import xjlink

FILLS = {
    "matched": PatternFill("solid", fgColor="C6EFCE"),
    "pending": PatternFill("solid", fgColor="FFEB9C"),
    "not_found": PatternFill("solid", fgColor="FFC7CE"),
    "error": PatternFill("solid", fgColor="D9D9D9"),
}
ADDED = ["处理状态", "匹配学前学籍ID", "得分", "候选学前学籍", "原因", "问题"]


def find_header(ws, look=10):
    """The first row (within `look`) naming the name column and two more key columns."""
    for r, row in enumerate(ws.iter_rows(max_row=look, values_only=True), start=1):
        cols = xjlink.key_columns([str(v) if v is not None else "" for v in row])
        if cols[0] is not None and sum(c is not None for c in cols) >= 3:
            return r, [str(v) if v is not None else "" for v in row]
    raise SystemExit(f"match_roster: no header with 姓名 and the other key columns in the "
                     f"first {look} rows of sheet '{ws.title}'")


def problems(result):
    """The query's findings in Chinese, one per line."""
    q = result.query
    return "\n".join(q.messages("zh"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("registry", help="registry CSV (UTF-8 or GB18030)")
    ap.add_argument("roster", help="roster .xlsx")
    ap.add_argument("out", help="output .xlsx")
    ap.add_argument("--sheet", help="roster sheet (default: the first)")
    ap.add_argument("--threads", type=int, default=0, help="matching threads (0: all cores)")
    a = ap.parse_args()

    wb = openpyxl.load_workbook(a.roster, read_only=True, data_only=True)
    ws = wb[a.sheet] if a.sheet else wb.worksheets[0]
    header_row, header = find_header(ws)
    rows = [list(r) for r in ws.iter_rows(min_row=header_row + 1, values_only=True)
            if any(v not in (None, "") for v in r)]
    wb.close()
    records = [dict(zip(header, r)) for r in rows]

    try:
        with xjlink.Index.from_csv(a.registry, threads=a.threads) as registry:
            results = registry.match_many(records, threads=a.threads)
    except xjlink.Error as e:
        raise SystemExit(f"match_roster: {e}")

    out = openpyxl.Workbook()
    sheet = out.active
    sheet.title = "匹配结果"
    sheet.append(header + ADDED)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    counts = Counter()
    for row, res in zip(rows, results):
        counts[res.status] += 1
        cands = " ".join(f"{c.id}({c.score:.1f})" for c in res.candidates)
        sheet.append(list(row) + [res.status_zh, res.match_id or "", round(res.score, 2), cands,
                                  res.reasons, problems(res)])
        for cell in sheet[sheet.max_row]:
            cell.fill = FILLS[res.status]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    summary = out.create_sheet("汇总")
    summary.append(["处理状态", "status", "行数"])
    for status in ("matched", "pending", "not_found", "error"):
        label = xjlink.core.xjl_status_label_zh(["matched", "pending", "not_found", "error"].index(status))
        summary.append([label, status, counts[status]])
        summary.cell(summary.max_row, 1).fill = FILLS[status]
    out.save(a.out)
    print(" ".join(f"{s}={counts[s]}" for s in ("matched", "pending", "not_found", "error")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

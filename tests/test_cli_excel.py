"""Excel out of the xjlink program: `--out FILE.xlsx` writes a workbook whose
cells are the CSV output's fields as text (ID numbers and record ids intact),
scores as numbers, the status coloured, and a summary sheet.  Read back with
openpyxl, a reader independent of the writer."""
import csv
import os
import subprocess

import pytest

openpyxl = pytest.importorskip("openpyxl")

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
ROOT = os.environ.get("XJL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
ROSTER = os.path.join(ROOT, "examples", "data", "roster_sample.csv")
REGISTRY = os.path.join(ROOT, "examples", "data", "registry_sample.csv")


def run(*args):
    return subprocess.run([XJLINK, *args], capture_output=True, text=True)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_match_xlsx_holds_the_csv_output_as_text(tmp_path):
    out_csv, out_xlsx = tmp_path / "m.csv", tmp_path / "m.xlsx"
    for out in (out_csv, out_xlsx):
        r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(out))
        assert r.returncode == 0, r.stderr
    want = read_csv(out_csv)
    wb = openpyxl.load_workbook(out_xlsx)
    ws = wb.worksheets[0]
    got = [list(row) for row in ws.iter_rows(values_only=True)]
    header = want[0]
    assert got[0] == header
    assert len(got) == len(want)
    score = header.index("score")
    for g, w in zip(got[1:], want[1:]):
        for i, (gv, wv) in enumerate(zip(g, w)):
            if i == score and wv:
                assert isinstance(gv, (int, float)) and f"{gv:.2f}" == wv
            else:
                # every other cell is text: an ID number stays all its digits
                assert (gv if gv is not None else "") == wv and (gv is None or isinstance(gv, str))
    ids = [row[header.index("身份证件号")] for row in got[1:]]
    assert "510104201802146389" in ids
    # the header frozen and filtered; ID cells formatted as text ("@")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.cell(2, header.index("身份证件号") + 1).number_format == "@"
    # statuses coloured, one colour per status
    status = header.index("status")
    colours = {}
    for r in range(2, len(got) + 1):
        c = ws.cell(r, status + 1)
        colours.setdefault(c.value, set()).add(c.fill.fgColor.rgb)
    assert set(colours) == {"matched", "pending", "not_found", "error"}
    assert all(len(v) == 1 for v in colours.values())
    assert len({next(iter(v)) for v in colours.values()}) == 4
    # the summary sheet counts them
    summary = dict(list(wb.worksheets[1].iter_rows(values_only=True))[1:])
    assert summary["行数 rows"] == len(want) - 1
    for s in ("matched", "pending", "not_found", "error"):
        assert summary[s] == sum(1 for row in want[1:] if row[status] == s)


def test_check_report_as_xlsx(tmp_path):
    out_csv, out_xlsx = tmp_path / "c.csv", tmp_path / "c.xlsx"
    for out in (out_csv, out_xlsx):
        r = run("check", ROSTER, "--out", str(out))
        assert r.returncode == 3, r.stderr
    want = read_csv(out_csv)
    got = [[v if v is not None else "" for v in row]
           for row in openpyxl.load_workbook(out_xlsx).worksheets[0].iter_rows(values_only=True)]
    assert got == want


def test_xlsx_output_that_cannot_be_written(tmp_path):
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER,
            "--out", str(tmp_path / "no" / "such" / "dir.xlsx"))
    assert r.returncode != 0
    assert "dir.xlsx" in r.stderr


def test_dedup_clusters_as_xlsx(tmp_path):
    out_csv, out_xlsx = tmp_path / "d.csv", tmp_path / "d.xlsx"
    for out in (out_csv, out_xlsx):
        r = run("dedup", "--registry", REGISTRY, "--out", str(out))
        assert r.returncode == 0, r.stderr
    want = read_csv(out_csv)
    got = [[v if v is not None else "" for v in row]
           for row in openpyxl.load_workbook(out_xlsx).worksheets[0].iter_rows(values_only=True)]
    assert got == want and len(want) > 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "d.xlsx"]  # no temp left


def to_xlsx(csv_path, xlsx_path, title=None, as_numbers=()):
    """A CSV file as a school's workbook: an optional title row and a blank row
    above the header; columns in as_numbers stored as numbers where they can."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    rows = read_csv(csv_path)
    for i, row in enumerate(rows):
        out = []
        for j, v in enumerate(row):
            if i and rows[0][j] in as_numbers and v.isdigit() and len(v) < 15:
                out.append(int(v))
            else:
                out.append(v if v != "" else None)
        ws.append(out)
    wb.save(xlsx_path)
    return str(xlsx_path)


def test_match_reads_xlsx_roster_and_registry(tmp_path):
    roster = to_xlsx(ROSTER, tmp_path / "roster.xlsx", title="某某小学新生名单", as_numbers=("序号",))
    registry = to_xlsx(REGISTRY, tmp_path / "registry.xlsx")
    want, got = tmp_path / "want.csv", tmp_path / "got.csv"
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(want))
    assert r.returncode == 0, r.stderr
    r = run("match", "--registry", registry, "--roster", roster, "--out", str(got))
    assert r.returncode == 0, r.stderr
    assert read_csv(got) == read_csv(want)


def test_check_xlsx_names_sheet_rows(tmp_path):
    roster = to_xlsx(ROSTER, tmp_path / "roster.xlsx", title="名单")
    csv_out = run("check", ROSTER)
    xlsx_out = run("check", roster)
    assert xlsx_out.returncode == csv_out.returncode == 3
    # the same findings, each at its row of the sheet: the CSV's line + 2 (title, blank)
    def findings(text, name):
        out = []
        for line in text.splitlines():
            if line.startswith(name + ":"):
                where, rest = line[len(name) + 1:].split(":", 1)
                if where.isdigit():
                    out.append((int(where), rest))
        return out
    a, b = findings(csv_out.stdout + csv_out.stderr, ROSTER), findings(
        xlsx_out.stdout + xlsx_out.stderr, roster)
    assert a and [(n + 2, m) for n, m in a] == b


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n"])
def test_rows_after_a_cell_with_line_breaks_keep_their_sheet_row(tmp_path, brk):
    # a note of three lines takes three lines of the text the reader reads:
    # the rows after it are still named by the row Excel shows
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "备注"])
    # (a line of the note with as many commas as a row: no stray quote in
    # a workbook, whose quoting is the library's own)
    ws.append(["王小明", "男", "2018-03-01", "居民身份证", None,
               brk.join(["一", "a,b,c,d,e,f", "三"])])
    ws.append(["李小红", "女", "2018-13-45", "居民身份证", None, None])
    ws.append(["张三", "男", "2018-03-01", "居民身份证", None, None])
    ws.append(["赵四", "男", "bad", "居民身份证", None, None])
    book = tmp_path / "r.xlsx"
    wb.save(book)
    r = run("check", str(book))
    assert f"{book}:3: error birth_date date_invalid '2018-13-45'" in r.stdout, r.stdout
    assert f"{book}:5: error birth_date date_syntax 'bad'" in r.stdout, r.stdout
    assert "stray_quote" not in r.stdout and "4 rows read" in r.stderr, r.stdout + r.stderr


def test_xlsx_without_key_columns_names_the_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["学号", "名字"])
    wb.active.append(["1", "张三"])
    p = tmp_path / "bad.xlsx"
    wb.save(p)
    r = run("match", "--registry", REGISTRY, "--roster", str(p), "--out", str(tmp_path / "o.csv"))
    assert r.returncode == 2
    assert "bad.xlsx" in r.stderr and "missing column 姓名" in r.stderr and "PK" not in r.stderr
    assert "xjlink-sheet" not in r.stderr


def test_csv_under_lang_zh_has_a_bom_unless_told(tmp_path):
    for args, bom in (([], False), (["--lang", "zh"], True), (["--lang", "zh", "--no-bom"], False),
                      (["--excel"], True)):
        out = tmp_path / "o.csv"
        r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(out), *args)
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith(b"\xef\xbb\xbf") == bom, args
        rep = tmp_path / "c.csv"
        run("check", ROSTER, "--out", str(rep), *args)
        assert rep.read_bytes().startswith(b"\xef\xbb\xbf") == bom, args


def test_columns_mapping_and_standard_codes(tmp_path):
    rows = read_csv(ROSTER)
    codes = {"姓名": "XM", "性别": "XBM", "出生日期": "CSRQ", "身份证件类型": "SFZJLXM",
             "身份证件号": "SFZJH"}
    own = {"姓名": "学生名称", "身份证件号": "ZJHM"}

    def renamed(mapping, name):
        p = tmp_path / name
        with open(p, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([[mapping.get(h, h) for h in rows[0]], *rows[1:]])
        return str(p)

    want = tmp_path / "want.csv"
    assert run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(want)).returncode == 0
    statuses = [r[-5] for r in read_csv(want)[1:]]
    out = tmp_path / "o.csv"
    r = run("match", "--registry", REGISTRY, "--roster", renamed(codes, "codes.csv"),
            "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert [r[-5] for r in read_csv(out)[1:]] == statuses
    roster = renamed(own, "own.csv")
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
    assert r.returncode == 2 and "missing column 姓名 (name)" in r.stderr and "姓名=XM" in r.stderr
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out),
            "--columns", "姓名=学生名称,身份证件号=ZJHM")
    assert r.returncode == 0, r.stderr
    assert [r[-5] for r in read_csv(out)[1:]] == statuses
    r = run("check", roster, "--columns", "姓名=学生名称，SFZJH=ZJHM")
    assert r.returncode == 3, r.stderr
    r = run("check", roster, "--columns", "姓名=学生")
    assert r.returncode == 2 and "no column named '学生'" in r.stderr and "own.csv" in r.stderr
    r = run("check", roster, "--columns", "民族=MZ")
    assert r.returncode == 2 and "FIELD=COLUMN" in r.stderr


def test_registry_columns(tmp_path):
    """--registry-columns (match), --columns (dedup, index build): the
    registry's key columns mapped by hand, as a roster's are."""
    reg = read_csv(REGISTRY)
    own = {"姓名": "学生名称", "身份证件号": "ZJHM"}
    renamed = tmp_path / "reg_own.csv"
    with open(renamed, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[own.get(h, h) for h in reg[0]], *reg[1:]])
    want, out = tmp_path / "want.csv", tmp_path / "out.csv"
    assert run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(want)).returncode == 0
    r = run("match", "--registry", str(renamed), "--roster", ROSTER, "--out", str(out))
    assert r.returncode == 2 and "missing column 姓名 (name)" in r.stderr and "reg_own.csv" in r.stderr
    mapping = "姓名=学生名称,身份证件号=ZJHM"
    r = run("match", "--registry", str(renamed), "--roster", ROSTER, "--out", str(out),
            "--registry-columns", mapping)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == want.read_bytes()
    r = run("match", "--registry", str(renamed), "--roster", ROSTER, "--out", str(out),
            "--registry-columns", "姓名=学生")
    assert r.returncode == 2 and "no column named '学生'" in r.stderr
    # dedup and index build take the same mapping
    d1, d2 = tmp_path / "d1.csv", tmp_path / "d2.csv"
    assert run("dedup", "--registry", REGISTRY, "--out", str(d1)).returncode == 0
    r = run("dedup", "--registry", str(renamed), "--out", str(d2), "--columns", mapping)
    assert r.returncode == 0, r.stderr
    assert d1.read_bytes() == d2.read_bytes()
    ix = tmp_path / "reg.xjx"
    r = run("index", "build", str(renamed), "--out", str(ix), "--columns", mapping)
    assert r.returncode == 0, r.stderr
    r = run("match", "--index", str(ix), "--roster", ROSTER, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == want.read_bytes()
    r = run("match", "--index", str(ix), "--roster", ROSTER, "--out", str(out),
            "--registry-columns", mapping)
    assert r.returncode == 2 and "--registry-columns" in r.stderr


def test_a_part_said_to_unpack_past_the_limit_is_refused_unread(tmp_path):
    # a zip bomb: the sheet's size as the zip states it, over the 1 GiB a
    # part may unpack to, is refused before anything is inflated (it was
    # inflated up to the limit first: tens of seconds and gigabytes)
    book = tmp_path / "r.xlsx"
    to_xlsx(ROSTER, book)
    data = bytearray(book.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    patched = 0
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        while at >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (0xC0000000).to_bytes(4, "little")
                patched += 1
            at = data.find(sig, at + 4)
    assert patched == 2
    book.write_bytes(bytes(data))
    r = run("check", str(book))
    assert r.returncode == 2 and "larger than 1073741824 bytes unpacked" in r.stderr, r.stderr

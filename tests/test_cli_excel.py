"""Excel out of the xjlink program: `--out FILE.xlsx` writes a workbook whose
cells are the CSV output's fields as text (ID numbers and record ids intact),
scores as numbers, the status coloured, and a summary sheet.  Read back with
openpyxl, a reader independent of the writer."""
import csv
import os
import re
import resource
import shutil
import signal
import subprocess
import xml.etree.ElementTree as ET
import zipfile

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


# ---- the workbook as written: its XML read directly ---------------------------

def roster_with(tmp_path, name, extra=(), note=None, encode=True):
    """The sample roster with extra columns (name, value) before its own, and
    the note (备注) of its first row set to note (bytes or str)."""
    rows = read_csv(ROSTER)
    head = [n for n, _ in extra] + rows[0]
    body = [[v for _, v in extra] + row for row in rows[1:]]
    p = tmp_path / name
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head, *body])
    if note is not None:
        data = p.read_bytes().split(b"\n")
        note = note if isinstance(note, bytes) else note.encode("utf-8")
        assert data[1].endswith(b",\r")
        data[1] = data[1][:-1] + b'"' + note.replace(b'"', b'""') + b'"\r'
        p.write_bytes(b"\n".join(data))
    return str(p)


def ooxml_text(s):
    """A cell's text as Excel reads it: _xHHHH_ is the character HHHH."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def sheet_rows(path, sheet=1):
    """The rows of a sheet as {column letters: text or number}, parsed with a
    strict XML parser (a character XML 1.0 does not allow fails here)."""
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(f"xl/worksheets/sheet{sheet}.xml"))
    rows = []
    for row in root.iterfind(".//s:sheetData/s:row", ns):
        cells = {}
        for c in row.iterfind("s:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            if c.get("t") == "inlineStr":
                cells[col] = ooxml_text("".join(c.find("s:is", ns).itertext()))
            else:
                v = c.find("s:v", ns)
                cells[col] = float(v.text) if v is not None else None
        rows.append(cells)
    return rows


def col_of(header_row, name):
    return next(k for k, v in header_row.items() if v == name)


def test_xlsx_staging_is_no_file_of_the_user(tmp_path):
    # the CSV staged beside the workbook once was OUT.xlsx.tmp.csv, written
    # over and removed whatever it was, an input included
    mine = tmp_path / "out.xlsx.tmp.csv"
    mine.write_bytes(b"mine\n")
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(tmp_path / "out.xlsx"))
    assert r.returncode == 0, r.stderr
    assert mine.read_bytes() == b"mine\n"
    reg = tmp_path / "r.xlsx.tmp.csv"
    shutil.copy(REGISTRY, reg)
    r = run("dedup", "--registry", str(reg), "--out", str(tmp_path / "r.xlsx"))
    assert reg.read_bytes() == open(REGISTRY, "rb").read(), r.stderr
    assert r.returncode == 0, r.stderr
    roster = tmp_path / "m.xlsx.tmp.csv"
    shutil.copy(ROSTER, roster)
    r = run("match", "--registry", REGISTRY, "--roster", str(roster), "--out", str(tmp_path / "m.xlsx"))
    assert roster.read_bytes() == open(ROSTER, "rb").read(), r.stderr
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "m.xlsx", "m.xlsx.tmp.csv", "out.xlsx", "out.xlsx.tmp.csv", "r.xlsx", "r.xlsx.tmp.csv"]
    for book in ("m.xlsx", "out.xlsx", "r.xlsx"):
        assert len(sheet_rows(tmp_path / book)) > 1


def limited(limit):
    """A child with a file size limit whose writes past it fail (EFBIG)
    instead of killing it (SIGXFSZ)."""
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


@pytest.mark.parametrize("cmd", ["check", "match"])
def test_xlsx_write_failure_keeps_the_previous_workbook(tmp_path, cmd):
    rows = read_csv(ROSTER)
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0]] + rows[1:] * 150)
    out = tmp_path / "out.xlsx"
    args = ["check", str(big)] if cmd == "check" else [
        "match", "--registry", REGISTRY, "--roster", str(big)]
    r = run(*args, "--out", str(out))
    assert r.returncode in (0, 3), r.stderr
    old = out.read_bytes()
    os.chmod(out, 0o640)
    # the staged CSV of match fits under the limit, the workbook's sheet does not
    r = run(*args, "--out", str(tmp_path / "out.csv"))
    limit = max(64 << 10, (tmp_path / "out.csv").stat().st_size + (16 << 10))
    (tmp_path / "out.csv").unlink()
    r = subprocess.run([XJLINK, *args, "--out", str(out)], capture_output=True, text=True,
                       preexec_fn=limited(limit))
    assert r.returncode == 1, r.stderr
    assert "out.xlsx" in r.stderr
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "out.xlsx"]
    # and without the limit the workbook replaces it, with its permissions
    r = run(*args, "--out", str(out))
    assert r.returncode in (0, 3), r.stderr
    assert (os.stat(out).st_mode & 0o777) == 0o640
    assert len(sheet_rows(out)) > 1000


@pytest.mark.parametrize("note,want", [
    # not UTF-8, a surrogate, U+FFFE, U+FFFF: each a U+FFFD (the workbook
    # could not be opened)
    (b"bad\xff\xfe byte \xed\xa0\x80 surrogate \xef\xbf\xbe \xef\xbf\xbf cut \xe5\x8f",
     "bad\ufffd\ufffd byte \ufffd surrogate \ufffd \ufffd cut \ufffd\ufffd"),
    # NUL too (the cell ended there); control characters and a character
    # past U+FFFF as they are
    (b"nul\x00end ctl\x01\x1f tab\tx \xf0\xa0\x80\x80", "nul\ufffdend ctl\x01\x1f tab\tx \U00020000"),
], ids=["not-xml", "nul"])
def test_xlsx_cells_hold_only_what_xml_can(tmp_path, note, want):
    roster = roster_with(tmp_path, "r.csv", note=note)
    out = tmp_path / "out.xlsx"
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    assert rows[1][col_of(rows[0], "备注")] == want
    openpyxl.load_workbook(out)


def test_xlsx_literal_escapes_stay_text(tmp_path):
    # "_x0041_" is the OOXML escape of "A": a field holding it literally is
    # written with its underscore escaped (_x005F_), so that Excel shows it
    note = "_x0041_ _x000D_ _X0041_ _x00zz_ x_x005F_ __x0041__ _x0041"
    roster = roster_with(tmp_path, "r.csv", note=note)
    out = tmp_path / "out.xlsx"
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    assert rows[1][col_of(rows[0], "备注")] == note


def test_xlsx_cell_past_excels_limit_keeps_its_start_and_says_so(tmp_path):
    # Excel's limit is 32,767 characters, counted in UTF-16 units: a cell
    # past it was left empty without a word
    long_bmp, long_astral = "中" * 40000, "a" + "\U00020000" * 20000
    rows = read_csv(ROSTER)
    p = tmp_path / "r.csv"
    rows[1][-1], rows[2][-1] = long_bmp, long_astral
    with open(p, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "out.xlsx"
    r = run("match", "--registry", REGISTRY, "--roster", str(p), "--out", str(out))
    assert r.returncode == 0, r.stderr
    got = sheet_rows(out)
    note = col_of(got[0], "备注")
    assert got[1][note] == long_bmp[:32767]
    assert got[2][note] == long_astral[:1 + 16383]  # 32,767 units: not half a pair
    assert r.stderr.count("warning") == 1, r.stderr
    assert f"{note}2" in r.stderr and "32,767" not in r.stderr and "32767" in r.stderr
    assert "2 cells" in r.stderr and "CSV" in r.stderr


def test_xlsx_roster_status_column_is_the_rosters(tmp_path):
    # a roster of its own 状态 column (在读): the result's status column is
    # the one the program appended, coloured and counted
    roster = roster_with(tmp_path, "r.csv", extra=[("状态", "在读"), ("status", "x")])
    out = tmp_path / "out.xlsx"
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["状态", "status"] and header.count("status") == 2
    own, result = 1, len(header) - header[::-1].index("status")
    assert {ws.cell(r, own).fill.fgColor.rgb for r in range(2, ws.max_row + 1)} == {"00000000"}
    assert len({ws.cell(r, result).fill.fgColor.rgb for r in range(2, ws.max_row + 1)}) == 4
    summary = dict(list(wb.worksheets[1].iter_rows(values_only=True))[1:])
    assert "在读" not in summary and "x" not in summary
    assert {"matched", "pending", "not_found", "error"} <= set(summary)


def test_xlsx_roster_decimals_stay_text(tmp_path):
    # a class 3.1 or a height 1.205 is the roster's text, not a score
    roster = roster_with(tmp_path, "r.csv", extra=[("班级", "3.1"), ("身高", "1.205"),
                                                   ("score", "12.50")])
    out = tmp_path / "out.xlsx"
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    head = rows[0]
    for row in rows[1:]:
        assert row["A"] == "3.1" and row["B"] == "1.205" and row["C"] == "12.50"
    score = [k for k, v in head.items() if v == "score"][-1]
    assert score != "C"
    assert any(isinstance(row.get(score), float) for row in rows[1:])


def big_check_roster(path, rows):
    """A roster of rows rows, each with one finding (a wrong check character)."""
    line = "董语桐,女,2018-02-14,居民身份证,510104201802146380\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("姓名,性别,出生日期,身份证件类型,身份证件号\n")
        f.write(line * rows)


def test_xlsx_row_limit_is_excels(tmp_path):
    # 1,048,576 rows, the header's included, is what a sheet holds: written;
    # one more is refused and nothing is written
    roster, out = tmp_path / "r.csv", tmp_path / "out.xlsx"
    big_check_roster(roster, 1048575)
    r = run("check", str(roster), "--out", str(out))
    assert r.returncode == 3 and "more rows" not in r.stderr, r.stderr
    with zipfile.ZipFile(out) as z, z.open("xl/worksheets/sheet1.xml") as f:
        assert b'<dimension ref="A1:E1048576"/>' in f.read(4096)
    before = out.read_bytes()
    big_check_roster(roster, 1048576)
    r = run("check", str(roster), "--out", str(out))
    assert r.returncode == 1 and "more rows than an Excel sheet holds" in r.stderr, r.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "r.csv"]

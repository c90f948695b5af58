"""The xjlink program: options, exit codes, `check` and `match` on the sample data.

Run by meson (`meson test -C build test_cli`), which sets XJLINK to the built
program and XJL_SOURCE_ROOT to the source tree.
"""
import csv
import re
import io
import os
import subprocess

import pytest

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
ROOT = os.environ.get("XJL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
ROSTER = os.path.join(ROOT, "examples", "data", "roster_sample.csv")
REGISTRY = os.path.join(ROOT, "examples", "data", "registry_sample.csv")
HEADER = "姓名,性别,出生日期,身份证件类型,身份证件号"


def run(*args, **kw):
    return subprocess.run([XJLINK, *args], capture_output=True, text=True, **kw)


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def sample_rows():
    """序号 → (line in the file, row as a dict) of the sample roster."""
    with open(ROSTER, encoding="utf-8-sig", newline="") as f:
        return {int(r["序号"]): r for r in csv.DictReader(f)}


# ---- the program as a whole ---------------------------------------------------

def test_version():
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("xjlink 0.")


def test_help_lists_commands_and_exit_codes():
    r = run("--help")
    assert r.returncode == 0
    for word in ("check", "match", "Exit status", "  3  "):
        assert word in r.stdout
    for cmd in ("check", "match"):
        r = run(cmd, "--help")
        assert r.returncode == 0 and r.stdout.startswith("Usage: xjlink " + cmd)


@pytest.mark.parametrize("sub", ["build", "info", "verify", "update", "compact"])
def test_index_subcommand_help_is_the_help_alone(sub):
    # --help opens no file: nothing is printed after the help (info and
    # verify printed a report of no index, from memory never written)
    r = run("index", sub, "--help")
    want = run("index", "--help")
    assert r.returncode == 0 and r.stdout == want.stdout and r.stderr == "", r.stdout[-300:]


@pytest.mark.parametrize("args, says", [
    ((), "Usage"),
    (("frobnicate",), "unknown command 'frobnicate'"),
    (("--frob",), "unknown option '--frob'"),
    (("check", ROSTER, "--frob"), "unknown option '--frob'"),
    (("check", ROSTER, "--out"), "'--out' needs a value"),
    (("check", ROSTER, "--encoding", "latin1"), "latin1"),
    (("check", ROSTER, "--lang", "fr"), "fr"),
    (("check",), "a roster file is needed"),
    (("check", ROSTER, ROSTER), "unexpected argument"),
    (("match", "--roster", ROSTER), "--registry or --index, --roster and --out are needed"),
    (("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", "-", "--threads", "x"),
     "'x' is not a number"),
])
def test_usage_errors(args, says):
    r = run(*args)
    assert r.returncode == 2
    assert says in r.stderr


# ---- check ------------------------------------------------------------------

def findings_by_line(stdout):
    """line → list of (severity, field, finding) from `check` output."""
    out = {}
    for text in stdout.splitlines():
        where, rest = text.split(": ", 1)
        line = int(where.rsplit(":", 1)[1])
        severity, field, finding = rest.split(" ", 3)[:3]
        out.setdefault(line, []).append((severity, field, finding))
    return out


def test_check_sample_roster(tmp_path):
    report = tmp_path / "report.csv"
    r = run("check", ROSTER, "--out", str(report))
    assert r.returncode == 3, r.stderr  # the sample has rows with errors
    found = findings_by_line(r.stdout)
    rows = sample_rows()
    line = {n: n + 1 for n in rows}  # one header line, no quoted line breaks
    for n in range(1, 9):  # exact copies of registry records
        assert line[n] not in found, r.stdout
    # Spoiled on purpose: each must be an error on the right field.
    for n, field in [(26, "id_number"), (27, "id_number"), (28, "id_number"),
                     (33, "name"), (34, "gender"), (35, "id_number")]:
        assert ("error", field) in [(s, f) for s, f, _ in found.get(line[n], [])], (n, r.stdout)
    assert ("error", "id_number", "id_check") in found[line[26]]
    assert ("error", "id_number", "id_length") in found[line[28]]
    # Missing ID number, and fields that disagree with the ID number: warnings.
    assert all(s == "warning" for s, _, _ in found[line[29]])
    assert any(f == "dob_mismatch" for _, _, f in found[line[30]])
    assert any(f == "gender_mismatch" for _, _, f in found[line[31]])
    # The summary.
    assert "43 rows read" in r.stderr
    errors = sum(1 for fs in found.values() if any(s == "error" for s, _, _ in fs))
    assert "%d with errors" % errors in r.stderr
    assert "id_check" in r.stderr
    # The report has one row per finding printed.
    table = read_csv(report)
    assert table[0] == ["line", "field", "finding", "value", "message"]
    assert len(table) - 1 == len(r.stdout.splitlines())
    by_line = {int(t[0]): t for t in table[1:] if t[2] == "id_length"}
    assert by_line[line[28]][3] == rows[28]["身份证件号"]  # the value as it came


def test_check_in_chinese():
    r = run("check", ROSTER, "--lang", "zh")
    assert r.returncode == 3
    assert "校验码" in r.stdout
    # all Chinese: the finding in words, not its code
    assert "错误 身份证件号 '42010620180401044X'：证件号校验码错误，应为3" in r.stdout
    assert "id_check" not in r.stdout + r.stderr
    assert "共43行" in r.stderr


def test_check_gb18030_gives_the_same_findings(tmp_path):
    with open(ROSTER, encoding="utf-8-sig") as f:
        text = f.read()
    gb = write(tmp_path / "roster_gb.csv", text, "gb18030")
    utf8 = run("check", ROSTER)
    for args in ((gb,), (gb, "--encoding", "gbk")):
        r = run("check", *args)
        assert r.returncode == 3
        assert r.stdout.replace(gb, ROSTER) == utf8.stdout


def test_check_clean_file_exits_0(tmp_path):
    path = write(tmp_path / "clean.csv",
                 HEADER + "\n张三,男,2018-03-05,居民身份证,360426201803050019\n")
    r = run("check", path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    assert "1 rows read: 0 with errors, 0 with warnings only, 1 clean" in r.stderr


def test_check_bad_rows_are_reported(tmp_path):
    data = (HEADER + "\n"
            "张三,男,2018-03-05,居民身份证\n"                    # a field short
            "李四,女,2018-03-05,居民身份证,360426201803050027,,\n"  # empty extras: fine
            "王\0五,男,2018-03-05,居民身份证,360426201803050019\n")  # a NUL byte
    r = run("check", write(tmp_path / "bad.csv", data))
    assert r.returncode == 3
    found = findings_by_line(r.stdout)
    assert ("error", "record", "field_count") in found[2]
    assert 3 not in found
    assert ("error", "name", "nul") in found[4]
    assert "3 rows read" in r.stderr


def test_check_unreadable_files(tmp_path):
    r = run("check", str(tmp_path / "nope.csv"))
    assert r.returncode == 2 and "nope.csv" in r.stderr
    r = run("check", write(tmp_path / "cols.csv", "姓名,出生日期,证件号\n张三,2018-01-01,1\n"))
    assert r.returncode == 2
    assert "性别 (gender)" in r.stderr and "cols.csv" in r.stderr
    r = run("check", write(tmp_path / "empty.csv", ""))
    assert r.returncode == 2 and "no header" in r.stderr
    r = run("check", write(tmp_path / "quote.csv",
                           HEADER + "\n张三,男,2018-03-05,居民身份证,360426201803050019\n"
                           "张三,男,2018-03-05,\"居民身份证,360426201803050019\n"))
    assert r.returncode == 2 and "unterminated quote" in r.stderr and "line 3" in r.stderr
    assert "1 rows read" in r.stderr  # what was read is still summed up


# ---- match ------------------------------------------------------------------

def match(tmp_path, *extra, roster=ROSTER):
    out = tmp_path / "out.csv"
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out), *extra)
    return r, out


def registry_ids():
    """ID number → registry ids having it."""
    ids = {}
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            ids.setdefault(rec["身份证件号"], []).append(rec["学前学籍ID"])
    return ids


def test_match_sample(tmp_path):
    r, out = match(tmp_path, "--threads", "2")
    assert r.returncode == 0, r.stderr
    table = read_csv(out)
    with open(ROSTER, encoding="utf-8-sig", newline="") as f:
        roster = list(csv.reader(f))
    added = ["status", "match_id", "candidates", "score", "reasons", "weights"]
    assert table[0] == roster[0] + added
    assert [t[:len(roster[0])] for t in table[1:]] == roster[1:]  # columns unchanged, in order
    col = {name: i for i, name in enumerate(table[0])}
    rows = {int(t[0]): t for t in table[1:]}
    ids = registry_ids()
    for n in range(1, 9):  # exact copies
        t = rows[n]
        assert t[col["status"]] == "matched", t
        assert [t[col["match_id"]]] == ids[t[col["身份证件号"]]]
        assert t[col["candidates"]].split(";")[0] == t[col["match_id"]]
        assert float(t[col["score"]]) > 0
        # the weights column: each field's level and part; the parts sum to the score
        parts = re.findall(r"(\w+)=(\w+)\(([-+0-9.]+)\)", t[col["weights"]])
        assert [p[0] for p in parts] == ["name", "dob", "gender", "type", "id"], t
        assert abs(sum(float(p[2]) for p in parts) - float(t[col["score"]])) < 0.3, t
    twice = rows[40]  # registered twice in the registry: never matched automatically
    assert twice[col["status"]] == "pending"
    assert set(twice[col["candidates"]].split(";")[:2]) == set(ids[twice[col["身份证件号"]]])
    for n in (41, 42, 43):  # never in a kindergarten
        assert rows[n][col["status"]] == "not_found", rows[n]
        assert rows[n][col["match_id"]] == ""
    statuses = [t[col["status"]] for t in table[1:]]
    assert set(statuses) <= {"matched", "pending", "not_found", "error"}
    for st in ("matched", "pending", "not_found"):
        assert "%d %s" % (statuses.count(st), st) in r.stderr
    assert "43 rows" in r.stderr and "rows/s" in r.stderr
    # Threads do not change the result.
    r1, out1 = match(tmp_path, "--threads", "1")
    assert out1.read_bytes() == out.read_bytes() or read_csv(out1) == table


def test_match_chinese_and_excel(tmp_path):
    r, out = match(tmp_path, "--lang", "zh", "--excel", "--max-candidates", "2")
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = read_csv(out)
    col = table[0].index("处理状态")
    assert table[0][-6:] == ["处理状态", "匹配学前学籍ID", "候选学前学籍ID", "得分", "原因", "各项得分"]
    assert {t[col] for t in table[1:]} <= {"已匹配学前学籍", "待确认学前学籍", "未查到学前学籍", "错误"}
    assert "已匹配学前学籍" in {t[col] for t in table[1:]}
    reasons = {t[-2] for t in table[1:]}
    assert "证件号一致、姓名一致、出生日期一致、性别一致、证件类型一致" in reasons
    assert not any("=" in r for r in reasons)  # words, not id=exact
    cands = table[0].index("候选学前学籍ID")
    assert all(len(t[cands].split(";")) <= 2 for t in table[1:])
    plain = match(tmp_path)[1].read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain


def test_match_bad_rows_get_status_error(tmp_path):
    data = (HEADER + ",备注\n"
            "张三,男,2018-03-05,居民身份证\n"
            "李四,女,2018-03-05,居民身份证,360426201803050027,\n"
            "王五,男,2018-03-05,居民身份证,360426201803050019,x,y\n")
    r, out = match(tmp_path, roster=write(tmp_path / "bad.csv", data))
    assert r.returncode == 0, r.stderr  # error rows are results, not a failure
    table = read_csv(out)
    assert len(table) == 4  # no row dropped
    col = table[0].index("status")
    reasons = table[0].index("reasons")
    assert table[1][col] == "error" and "4 fields" in table[1][reasons]
    assert table[2][col] != "error"
    assert table[3][col] == "error" and "7 fields" in table[3][reasons]
    assert table[3][:6] == ["王五", "男", "2018-03-05", "居民身份证", "360426201803050019", "x"]
    assert "2 unreadable rows" in r.stderr


@pytest.mark.parametrize("lang,label", [
    ("en", "the values past the header, as CSV: "),
    ("zh", "表头之外的值（CSV格式）："),
])
def test_match_keeps_the_values_past_the_header_in_the_reason(tmp_path, lang, label):
    """A row longer than its header keeps every value: the ones past the
    header are in its reason, as a CSV line would hold them, quotes and all."""
    extras = ["y", "", "a,b", 'say "hi"', "第二\n行"]
    row = ["王五", "男", "2018-03-05", "居民身份证", "360426201803050019", "x"] + extras + ["", ""]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER.split(",") + ["备注"], row])
    r, out = match(tmp_path, "--lang", lang, roster=write(tmp_path / "long.csv", buf.getvalue()))
    assert r.returncode == 0, r.stderr
    table = read_csv(out)
    assert len(table) == 2 and len(table[1]) == len(table[0])
    reason = table[1][-2]
    assert label in reason, reason
    kept = reason.split(label, 1)[1]
    assert next(csv.reader(io.StringIO(kept, newline=""))) == extras  # trailing empties are no error


def test_match_unreadable_inputs(tmp_path):
    r, _ = match(tmp_path, roster=str(tmp_path / "nope.csv"))
    assert r.returncode == 2 and "nope.csv" in r.stderr
    r, _ = match(tmp_path, roster=write(tmp_path / "cols.csv", "姓名,性别\n张三,男\n"))
    assert r.returncode == 2 and "出生日期 (birth_date)" in r.stderr
    out = tmp_path / "o.csv"
    r = run("match", "--registry", str(tmp_path / "none.csv"), "--roster", ROSTER,
            "--out", str(out))
    assert r.returncode == 2 and "none.csv" in r.stderr


@pytest.mark.parametrize("name", ["out.csv", "out.xlsx"])
def test_match_refuses_a_directory_as_output_before_matching(tmp_path, name):
    """An existing directory as --out is a usage error said at once (a
    workbook's was said only after the whole run), and no summary of a
    match follows."""
    (tmp_path / name).mkdir()
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(tmp_path / name))
    assert r.returncode == 2 and "is a directory" in r.stderr, r.stderr
    assert "rows" not in r.stderr, r.stderr


def test_match_refuses_to_overwrite_an_input(tmp_path):
    roster = write(tmp_path / "r.csv", open(ROSTER, encoding="utf-8-sig").read())
    before = open(roster, "rb").read()
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", roster)
    assert r.returncode == 2 and "overwrite" in r.stderr
    assert open(roster, "rb").read() == before


def test_match_many_chunks_keep_order(tmp_path):
    """More rows than one chunk (65,536): order and count survive."""
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        recs = list(csv.reader(f))[1:]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["n", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号"])
    total = 70000
    for i in range(total):
        rec = recs[i % len(recs)]
        w.writerow([i] + rec[1:6])
    r, out = match(tmp_path, "--progress", roster=write(tmp_path / "big.csv", buf.getvalue()))
    assert r.returncode == 0, r.stderr[-2000:]
    table = read_csv(out)
    assert len(table) == total + 1
    assert [int(t[0]) for t in table[1:]] == list(range(total))
    assert "%d rows" % total in r.stderr


def many_rows_roster(tmp_path, total, tail=""):
    """A roster of `total` sample registry rows (more than a chunk if asked),
    numbered in column n, with `tail` appended as raw text."""
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        recs = list(csv.reader(f))[1:]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["n", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号"])
    for i in range(total):
        w.writerow([i] + recs[i % len(recs)][1:6])
    return write(tmp_path / "many.csv", buf.getvalue() + tail)


def test_match_read_error_after_chunks_keeps_rows_and_names_the_fault(tmp_path):
    """A roster that breaks after more than a chunk: the rows before are
    written, in order, and the message names the file's fault (not an
    earlier row's matching message)."""
    total, bad = 70000, 2000  # then rows whose ID number fails its check character
    tail = "".join("%d,张三,男,2018-01-01,居民身份证,110101201801010001\n" % (total + i)
                   for i in range(bad))
    roster = many_rows_roster(tmp_path, total, tail + '"unterminated,x\n')
    r, out = match(tmp_path, roster=roster)
    assert r.returncode == 2
    assert "line %d: unterminated quote" % (total + bad + 2) in r.stderr
    assert "check character" not in r.stderr
    table = read_csv(out)
    assert [int(t[0]) for t in table[1:]] == list(range(total + bad))


def test_match_output_write_failure(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    roster = many_rows_roster(tmp_path, 70000)
    r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", "/dev/full")
    assert r.returncode == 1
    assert "writing /dev/full failed" in r.stderr


def test_match_quotes_output_fields(tmp_path):
    """Fields with a comma, quote or LF come out quoted (and read back
    the same); others, an embedded NUL included, come out as they are."""
    note = ['a,b', 'say "hi"', 'two\nlines', '"', 'plain', 'x\0y']
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        rec = list(csv.reader(f))[1][1:6]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([HEADER.split(",")[0], *HEADER.split(",")[1:], "note"])
    for n in note:
        w.writerow(rec + [n])
    r, out = match(tmp_path, roster=write(tmp_path / "notes.csv", buf.getvalue()))
    assert r.returncode == 0, r.stderr
    raw = open(out, "rb").read()
    assert b',"a,b",' in raw and b',"say ""hi""",' in raw and b',"""",' in raw
    assert b',plain,' in raw and b',x\0y,' in raw
    with open(out, encoding="utf-8", newline="") as f:
        got = [t[5] for t in csv.reader(f)][1:]
    assert got == note


# ---- index ------------------------------------------------------------------

def test_index_build_info_verify_and_match_with_it(tmp_path):
    ix = str(tmp_path / "reg.xjx")
    r = run("index", "build", REGISTRY, "--out", ix, "--threads", "2")
    assert r.returncode == 0, r.stderr
    assert "bytes/record" in r.stderr
    r = run("index", "info", ix)
    assert r.returncode == 0
    assert "format version  7" in r.stdout
    assert "birth dates" in r.stdout
    assert "records" in r.stdout
    r = run("index", "verify", ix)
    assert r.returncode == 0 and "sound" in r.stdout
    a, b = str(tmp_path / "a.csv"), str(tmp_path / "b.csv")
    assert run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", a).returncode == 0
    assert run("match", "--index", ix, "--roster", ROSTER, "--out", b).returncode == 0
    assert open(a, "rb").read() == open(b, "rb").read()
    a, b = str(tmp_path / "da.csv"), str(tmp_path / "db.csv")
    assert run("dedup", "--registry", REGISTRY, "--out", a).returncode == 0
    assert run("dedup", "--index", ix, "--out", b).returncode == 0
    assert open(a, "rb").read() == open(b, "rb").read()


def test_index_damaged_files_are_refused_by_name(tmp_path):
    ix = tmp_path / "reg.xjx"
    assert run("index", "build", REGISTRY, "--out", str(ix)).returncode == 0
    data = ix.read_bytes()
    cut = tmp_path / "cut.xjx"
    cut.write_bytes(data[: len(data) // 2])
    for cmd in (("index", "info", str(cut)), ("index", "verify", str(cut)),
                ("match", "--index", str(cut), "--roster", ROSTER, "--out", "-"),
                ("dedup", "--index", str(cut), "--out", "-")):
        r = run(*cmd)
        assert r.returncode == 2
        assert "truncated" in r.stderr and str(cut) in r.stderr, (cmd, r.stderr)
    flipped = tmp_path / "flipped.xjx"
    flipped.write_bytes(data[:-100] + bytes([data[-100] ^ 1]) + data[-99:])
    r = run("index", "verify", str(flipped))
    assert r.returncode == 2 and str(flipped) in r.stderr and "sound" not in r.stdout
    for cmd in (("index", "info", REGISTRY), ("dedup", "--index", REGISTRY, "--out", "-")):
        r = run(*cmd)
        assert r.returncode == 2 and "not an xjlink index file" in r.stderr, (cmd, r.stderr)


@pytest.mark.parametrize("args, says", [
    (("index",), "Usage"),
    (("index", "frob"), "unknown step 'frob'"),
    (("index", "build", REGISTRY), "--out FILE are needed"),
    (("index", "build", REGISTRY, "--out", REGISTRY), "would overwrite"),
    (("index", "info"), "one index file is needed"),
    (("match", "--index", "x.xjx", "--registry", REGISTRY, "--roster", ROSTER, "--out", "-"),
     "--registry or --index"),
    (("match", "--index", "x.xjx", "--id-column", "id", "--roster", ROSTER, "--out", "-"),
     "--index takes no --id-column"),
    (("match", "--index", "/nonexistent.xjx", "--roster", ROSTER, "--out", "-"),
     "/nonexistent.xjx"),
])
def test_index_usage_errors(args, says):
    r = run(*args)
    assert r.returncode == 2
    assert says in r.stderr


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_dedup_refuses_to_overwrite_the_registry(tmp_path, how):
    """`dedup --out` naming the registry (through any link) once emptied it."""
    registry = write(tmp_path / "reg.csv", open(REGISTRY, encoding="utf-8").read())
    before = open(registry, "rb").read()
    out = registry
    if how == "symlink":
        out = str(tmp_path / "link.csv")
        os.symlink(registry, out)
    elif how == "hardlink":
        out = str(tmp_path / "hard.csv")
        os.link(registry, out)
    r = run("dedup", "--registry", registry, "--out", out)
    assert r.returncode == 2 and "same file" in r.stderr, r.stderr  # a usage error, as in match
    assert open(registry, "rb").read() == before
    # the registry's index file is an input as well
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", registry, "--out", ix).returncode == 0
    built = open(ix, "rb").read()
    r = run("dedup", "--index", ix, "--out", ix)
    assert r.returncode == 2 and "same file" in r.stderr, r.stderr
    assert open(ix, "rb").read() == built


def test_failed_run_keeps_the_previous_output(tmp_path):
    """A run that fails leaves the output it would have replaced as it was,
    and no temporary file: outputs are renamed into place when complete."""
    out = tmp_path / "out.csv"
    out.write_text("previous result\n")
    r = run("dedup", "--registry", str(tmp_path / "none.csv"), "--out", str(out))
    assert r.returncode == 2
    assert out.read_text() == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    r = run("dedup", "--registry", REGISTRY, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert read_csv(out)[0] == ["cluster_id", "class", "record_id", "reasons"]


def _registry_rows():
    with open(REGISTRY, encoding="utf-8") as f:
        return [line.rstrip("\n").split(",") for line in f]


def test_index_update_and_compact_match_as_the_changed_registry(tmp_path):
    rows = _registry_rows()
    header, body = rows[0], rows[1:]
    roster = [line.rstrip("\n").split(",") for line in open(ROSTER, encoding="utf-8-sig")][1:]
    new_child = roster[0][1:6]  # 姓名..身份证件号 of the roster's first row
    # the changes: an update, a removal, an addition, and three bad rows
    upd = list(body[2])
    upd[1] = "陈思源"
    changes = tmp_path / "changes.csv"
    changes.write_text(
        "op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
        + ",".join(["修改"] + upd[:6]) + "\n"
        + f"remove,{body[5][0]},,,,,\n"
        + ",".join(["add", "XQNEW0001"] + new_child) + "\n"
        + f"rename,{body[7][0]},,,,,\n"
        + f"update,NOPE,张三,男,2019-01-01,居民身份证,\n"
        + ",".join(["add", body[9][0]] + body[9][1:6]) + "\n",
        encoding="utf-8")
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    r = run("index", "update", ix, str(changes))
    assert r.returncode == 3, r.stderr
    report = r.stdout.splitlines()
    assert report[0] == "line,op,record_id,result,message"
    assert report[1] == f"2,update,{upd[0]},ok"
    assert report[2] == f"3,remove,{body[5][0]},ok"
    assert report[3] == "4,add,XQNEW0001,ok"
    # a row refused for its op shows the op and the id as written
    assert report[4].startswith(f"5,rename,{body[7][0]},refused,") and "not an op" in report[4]
    assert report[5].startswith("6,update,NOPE,refused,") and "no record" in report[5]
    assert report[6].startswith(f"7,add,{body[9][0]},refused,") and "already" in report[6]
    # bad rows named by file, line, column and value
    assert f"{changes}:5: op 'rename'" in r.stderr
    assert f"{changes}:6: 学前学籍ID 'NOPE'" in r.stderr
    assert "3 refused" in r.stderr
    info = run("index", "info", ix)
    assert "(3 changes not compacted)" in info.stdout
    assert run("index", "verify", ix).returncode == 0

    # the registry as it is now: the updated record moves to the end
    final = [b for i, b in enumerate(body) if i not in (2, 5)]
    final += [upd, ["XQNEW0001"] + new_child + [""]]
    final_csv = tmp_path / "final.csv"
    final_csv.write_text("\n".join(",".join(x) for x in [header] + final) + "\n",
                         encoding="utf-8")
    want, got = tmp_path / "want.csv", tmp_path / "got.csv"
    assert run("match", "--registry", str(final_csv), "--roster", ROSTER,
               "--out", str(want)).returncode == 0
    assert run("match", "--index", ix, "--roster", ROSTER, "--out", str(got)).returncode == 0
    assert want.read_bytes() == got.read_bytes()
    assert "XQNEW0001" in got.read_text(encoding="utf-8-sig")
    # dedup folds the file's changes in first
    dw, dg = tmp_path / "dw.csv", tmp_path / "dg.csv"
    assert run("dedup", "--registry", str(final_csv), "--out", str(dw)).returncode == 0
    assert run("dedup", "--index", ix, "--out", str(dg)).returncode == 0
    assert dw.read_bytes() == dg.read_bytes()

    compacted = str(tmp_path / "compact.xjx")
    r = run("index", "compact", ix, "--out", compacted)
    assert r.returncode == 0, r.stderr
    assert "3 changes folded in" in r.stderr
    assert "(0 changes not compacted)" in run("index", "info", compacted).stdout
    assert run("match", "--index", compacted, "--roster", ROSTER,
               "--out", str(got)).returncode == 0
    assert want.read_bytes() == got.read_bytes()


def test_index_update_reports_every_row_in_order_across_its_batches(tmp_path):
    # more rows than one batch of changes holds (4,096), refusals of both
    # kinds (a bad op read before the batch, an id the index has found in it)
    # between them: every row reported once, in file order
    body = _registry_rows()[1:]
    lines, want, added = [], [], -1
    for i in range(9000):
        line = i + 2
        if i % 997 == 5:
            lines.append(f"rename,X{i},,,,,")
            want.append(f"{line},rename,X{i},refused")
        elif i % 1009 == 7:
            lines.append(",".join(["add", body[0][0]] + body[0][1:6]))
            want.append(f"{line},add,{body[0][0]},refused")
        elif i % 2 == 0:
            lines.append(",".join(["add", f"N{i}"] + body[i % len(body)][1:6]))
            want.append(f"{line},add,N{i},")
        else:  # the add before it may have been one of the refusals
            lines.append(f"remove,N{i - 1},,,,,")
            want.append(f"{line},remove,N{i - 1}," + ("ok" if added == i - 1 else "refused"))
        if lines[-1].startswith("add,N"):
            added = i
    changes = tmp_path / "changes.csv"
    changes.write_text("op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                       + "\n".join(lines) + "\n", encoding="utf-8")
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    r = run("index", "update", ix, str(changes))
    assert r.returncode == 3, r.stderr
    report = r.stdout.splitlines()[1:]
    assert len(report) == len(want)
    for got, expect in zip(report, want):
        assert got.startswith(expect), (got, expect)
    refused = sum(1 for w in want if w.endswith("refused"))
    assert f"{refused} refused" in r.stderr
    info = run("index", "info", ix).stdout
    assert f"({9000 - refused} changes not compacted)" in info, info
    assert run("index", "verify", ix).returncode == 0


def test_index_update_names_findings_and_refuses_a_field_too_long(tmp_path):
    # a registry row with findings is kept, as `index build` keeps it, but its
    # line says which finding, field and value; a field longer than the
    # roster side reads is refused by file, line and column
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    big = "张" * 3_000_000  # 9 MB
    changes = tmp_path / "changes.csv"
    changes.write_bytes(
        "op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n".encode()
        + b"add,XQBAD0001,\xff\xfe\xe5,1,2018-01-01,1,\n"
        + ("add,XQBIG0001," + big + ",1,2018-01-01,1,\n").encode()
        + "add,XQOK00001,王小明,男,2018-03-01,居民身份证,110108201803010011\n".encode())
    r = subprocess.run([XJLINK, "index", "update", ix, str(changes)], capture_output=True)
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 3, err
    lines = out.splitlines()
    assert lines[1].startswith("2,add,XQBAD0001,warning,"), lines[1]
    assert "name:encoding '\\xFF\\xFE\\xE5'" in lines[1]
    assert lines[2].startswith("3,add,XQBIG0001,refused,"), lines[2][:200]
    assert "姓名: 9000000 bytes" in lines[2] and len(lines[2]) < 400
    assert lines[3] == "4,add,XQOK00001,ok"
    assert f"{changes}:2: applied, with findings: name:encoding" in err
    assert f"{changes}:3: 姓名 '张张" in err and "9000000 bytes" in err
    assert len(err) < 2000
    assert "3 rows: 2 added, 0 updated, 0 removed, 1 refused, 1 with findings" in err
    assert "302 records, 2 changes not compacted" in err
    # the refused record is not in the index, the others are
    got = tmp_path / "got.csv"
    roster = write(tmp_path / "r.csv", HEADER + "\n王小明,男,2018-03-01,居民身份证,110108201803010011\n")
    assert run("match", "--index", ix, "--roster", roster, "--out", str(got)).returncode == 0
    assert "XQOK00001" in got.read_text(encoding="utf-8-sig")


def test_index_update_refuses_a_nul_byte_and_cuts_a_huge_id(tmp_path):
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = tmp_path / "changes.csv"
    changes.write_bytes(
        "op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n".encode()
        + "add,XQNUL0001,王\0小明,男,2018-03-01,居民身份证,\n".encode()
        + b"add," + b"X" * 5_000_000 + ",王小明,男,2018-03-01,居民身份证,\n".encode()
        + '"add","XQ,01",王小明,男,2018-03-01,居民身份证,\n'.encode())
    r = subprocess.run([XJLINK, "index", "update", ix, str(changes)], capture_output=True)
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 3, err
    lines = out.splitlines()
    # the NUL would have cut the name to 王: the row is refused, its column named
    assert lines[1].startswith("2,add,XQNUL0001,refused,") and "NUL" in lines[1], lines[1]
    assert f"{changes}:2: 姓名 ''" in err
    # a 5 MB id is refused and shown cut, in the report and on stderr
    assert lines[2].startswith("3,add,XXXX") and ",refused," in lines[2] and len(lines[2]) < 600
    assert "record id of 5000000 bytes (at most 256)" in lines[2], lines[2]
    assert len(err) < 3000
    # an id with a comma stays one CSV field of the report
    assert lines[3] == '4,add,"XQ,01",warning,"applied, with findings: id_number:id_missing"'


def test_index_update_reports_damaged_bytes_by_row_in_a_short_utf8_file(tmp_path):
    # two rows with more damaged bytes than good characters once made the
    # encoding detection read the file as GB18030: its UTF-8 header came out
    # garbled, "no record id column", and nothing was applied
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = tmp_path / "c.csv"
    changes.write_bytes("op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n".encode()
                        + b"add,XQENC0001,\xff\xfe\xff\xfe\xff\xfe\xff\xfe,\xe7\x94,2018-03-01,\xc3\xff,\n"
                        + "add,XQENC0002,王小明,男,2018-03-01,居民身份证,110108201803010011\n".encode())
    r = run("index", "update", ix, str(changes))
    assert r.returncode == 3, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("2,add,XQENC0001,") and "encoding" in lines[1], lines[1]
    assert lines[2] == "3,add,XQENC0002,ok", lines[2]
    assert f"{changes}:2:" in r.stderr


def test_index_update_takes_trailing_empty_cells_as_build_does(tmp_path):
    # a change file saved from a spreadsheet can end its rows with empty
    # cells past the header: they are no fault, as for `index build` and the
    # roster; a row short of the header, or with a value past it, is refused
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = write(tmp_path / "c.csv", "op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                    "add,XQCEL0001,王小明,男,2018-03-01,居民身份证,110108201803010011,,\n"
                    "add,XQCEL0002,李小红,女,2018-04-01,居民身份证,,x\n"
                    "remove,XQCEL0001\n")
    r = run("index", "update", ix, changes)
    assert r.returncode == 3, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == "2,add,XQCEL0001,ok", lines[1]
    assert lines[2].startswith("3,add,XQCEL0002,refused,") and "8 fields" in lines[2], lines[2]
    assert lines[3].startswith("4,remove,XQCEL0001,refused,") and "2 fields" in lines[3]
    assert f"{changes}:3: row 'XQCEL0002'" in r.stderr and "the header has 7" in r.stderr
    assert "1 added, 0 updated, 0 removed, 2 refused" in r.stderr


def test_index_update_and_compact_summaries_count_in_the_singular(tmp_path):
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = write(tmp_path / "c.csv", "op,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                    "add,XQONE0001,王小明,男,2018-03-01,居民身份证,110108201803010011\n")
    r = run("index", "update", ix, changes)
    assert r.returncode == 0, r.stderr
    assert ": 1 row: 1 added" in r.stderr and "1 change not compacted" in r.stderr
    r = run("index", "compact", ix)
    assert r.returncode == 0 and "1 change folded in, 301 records" in r.stderr
    r = run("--lang", "zh", "index", "update", ix, changes)
    assert r.returncode == 3 and "1行：新增0" in r.stderr and "rows" not in r.stderr


def test_index_update_refuses_a_change_file_without_its_columns(tmp_path):
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    before = open(ix, "rb").read()
    changes = tmp_path / "c.csv"
    changes.write_text("学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n", encoding="utf-8")
    r = run("index", "update", ix, str(changes))
    assert r.returncode == 2 and "no op column" in r.stderr and str(changes) in r.stderr
    assert open(ix, "rb").read() == before


KEYS6 = "姓名,性别,出生日期,身份证件类型,身份证件号"


@pytest.mark.parametrize("reg_head,ids,change_head", [
    # a registry keyed by ID: its change file, of the same layout, finds it
    ("ID," + KEYS6, ("XQ001", "XQ002"), "op,ID," + KEYS6),
    # 学前学籍id beside a generic id (a row number): both take 学前学籍id
    ("id,学前学籍id," + KEYS6, ("1,XQ001", "2,XQ002"), "op,id,学前学籍id," + KEYS6),
])
def test_index_update_takes_the_id_column_build_takes(tmp_path, reg_head, ids, change_head):
    reg = write(tmp_path / "reg.csv", reg_head + "\n"
                f"{ids[0]},王小明,男,2019-01-01,居民身份证,110108201901010015\n"
                f"{ids[1]},李小红,女,2019-02-02,居民身份证,110108201902020020\n")
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", reg, "--out", ix).returncode == 0
    extra = "3," if change_head.startswith("op,id,") else ""
    drop = "1," if extra else ""
    changes = write(tmp_path / "c.csv", change_head + "\n"
                    f"add,{extra}XQ003,张三,男,2019-03-03,居民身份证,110108201903030036\n"
                    f"remove,{drop}XQ001,,,,,\n")
    r = run("index", "update", ix, changes)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[1:] == ["2,add,XQ003,ok", "3,remove,XQ001,ok"]
    roster = write(tmp_path / "q.csv", "row," + KEYS6 + "\n"
                   "R1,张三,男,2019-03-03,居民身份证,110108201903030036\n"
                   "R2,王小明,男,2019-01-01,居民身份证,110108201901010015\n")
    out = tmp_path / "o.csv"
    assert run("match", "--index", ix, "--roster", roster, "--out", str(out)).returncode == 0
    got = {row[0]: row[6:8] for row in read_csv(out)[1:]}
    assert got == {"R1": ["matched", "XQ003"], "R2": ["not_found", ""]}, got


def test_index_update_of_removals_alone_needs_no_key_columns(tmp_path):
    """A file of op and id only: its removals apply; an add in it is
    refused by line with the reason, and the rest still runs."""
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = write(tmp_path / "c.csv", "op,学前学籍ID\nremove,XQ65010200001\nadd,XQNEW\n"
                    "删除,XQ65010200002\n")
    r = run("index", "update", ix, changes)
    assert r.returncode == 3, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1] == "2,remove,XQ65010200001,ok" and lines[3] == "4,remove,XQ65010200002,ok"
    assert lines[2].startswith("3,add,XQNEW,refused,") and "needs the five key columns" in lines[2]
    assert f"{changes}:3: " in r.stderr and "missing column 姓名" in r.stderr, r.stderr
    assert "0 added, 0 updated, 2 removed, 1 refused" in r.stderr
    assert re.search(r"^records +298 ", run("index", "info", ix).stdout, re.M)


def test_index_update_maps_key_columns_as_build_does(tmp_path):
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = write(tmp_path / "c.csv", "op,学前学籍ID,XM,XB,CSRQ,ZJLX,ZJHM\n"
                    "add,XQMAP1,王小明,男,2019-01-01,居民身份证,110108201901010015\n")
    r = run("index", "update", ix, changes, "--columns", "姓名=XM,性别=XB,出生日期=CSRQ,"
            "身份证件类型=ZJLX,身份证件号=ZJHM")
    assert r.returncode == 0 and r.stdout.splitlines()[1] == "2,add,XQMAP1,ok", r.stderr


def test_index_updates_of_one_file_at_once_keep_every_change(tmp_path):
    """Two `index update` runs on one file at the same time (a scheduled job
    and an operator): the second waits for the first, then applies its own
    changes to the first's file; no run's changes are lost."""
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    head = "op,学前学籍ID," + KEYS6 + "\n"
    files = []
    for who in "AB":
        rows = "".join(f"add,{who}{i},王小明,男,2019-01-01,居民身份证,\n" for i in range(20000))
        files.append(write(tmp_path / f"{who}.csv", head + rows))
    for _round in range(2):
        logs = [open(tmp_path / f"{k}.err", "w+", encoding="utf-8") for k in range(2)]
        procs = [subprocess.Popen([XJLINK, "index", "update", ix, f], stdout=subprocess.DEVNULL,
                                  stderr=log) for f, log in zip(files, logs)]
        codes = [p.wait() for p in procs]
        errs = [log.seek(0) or log.read()[-300:] for log in logs]
        for log in logs:
            log.close()
        assert codes == [3, 3], errs  # 3: the rows' findings
        # the second run removes what the first added, then both add again
        info = run("index", "info", ix).stdout
        assert re.search(r"^records +40300 ", info, re.M), info
        rm = write(tmp_path / "rm.csv", "op,学前学籍ID\n" + "".join(
            f"remove,{w}{i}\n" for w in "AB" for i in range(20000)))
        assert run("index", "update", ix, rm).returncode == 0


def test_index_update_names_a_read_error_after_queued_rows(tmp_path):
    """Rows queued for the index, then a row the reader cannot read: the
    reader's message is printed, not an empty one, and nothing is saved."""
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    before = open(ix, "rb").read()
    changes = write(tmp_path / "c.csv", "op,学前学籍ID," + KEYS6 + "\n"
                    "remove,XQ65010200001,,,,,\n"
                    'remove,"XQ65010200002,,,,,\n')
    r = run("index", "update", ix, changes)
    assert r.returncode == 2
    assert "unterminated quote" in r.stderr and "(nothing saved)" in r.stderr, r.stderr
    assert open(ix, "rb").read() == before
    # the row before the bad one was applied in memory, never saved: the
    # report says so rather than "ok"
    assert r.stdout.splitlines()[1:] == ["2,remove,XQ65010200001,not_saved"], r.stdout


@pytest.mark.parametrize("lang, results", [
    ("en", ["not_saved", "refused", 'not_saved,"not saved; with findings: id_number:id_missing"']),
    ("zh", ["未保存", "拒绝", '未保存,"未保存；有问题：身份证件号:无身份证件号"']),
])
def test_index_update_reports_no_row_ok_when_the_save_fails(tmp_path, lang, results):
    """The report said "ok" for each applied row before the save; when the
    save then failed only stderr and the exit status told.  The report now
    waits for the save: every applied row reads not_saved, refusals stay."""
    ix = str(tmp_path / "reg.xjx")
    assert run("index", "build", REGISTRY, "--out", ix).returncode == 0
    changes = write(tmp_path / "c.csv", "op,学前学籍ID," + KEYS6 + "\n"
                    "remove,XQ65010200001,,,,,\n"
                    "remove,XQNOSUCH,,,,,\n"
                    "add,XQSAVE0001,王小明,男,2018-03-01,居民身份证,\n")
    out = str(tmp_path / "no such dir" / "reg.xjx")
    r = run("--lang", lang, "index", "update", ix, changes, "--out", out)
    assert r.returncode == 1, r.stderr
    rows = r.stdout.splitlines()[1:]
    got = [row.split(",", 3)[3] for row in rows]
    assert got[0] == results[0] and got[2] == results[2], r.stdout
    assert got[1].startswith(results[1] + ',"xjl_index_remove'), r.stdout
    assert not os.path.exists(out)
    # the same file saved: the same rows read ok, refused and warning
    r = run("index", "update", ix, changes)
    assert r.returncode == 3, r.stderr
    assert [row.split(",", 4)[3] for row in r.stdout.splitlines()[1:]] == ["ok", "refused", "warning"]


def test_a_stray_quote_that_swallows_rows_is_reported(tmp_path):
    # a quote opened in a free-text cell and closed on a later row (text
    # after the closing quote, or whole rows inside) would read the rows in
    # between into that cell: the row is reported by its lines and column,
    # never taken as one row with the others silently gone
    head = "序号,姓名,性别,出生日期,身份证件类型,身份证件号,备注\n"
    rows = ['1,董语桐,女,2018-02-14,居民身份证,510104201802146389,\n',
            '2,彭宇,男,2018-08-10,居民身份证,110108201808107015,"见附件\n',
            '3,阿依古丽·买买提,女,2018-04-17,居民身份证,650102201804174824,\n',
            '4,麦麦提·艾力,男,2019-03-17,居民身份证,650102201903174950,{}\n',
            '5,陈思远,男,2019-01-04,居民身份证,370202201901046013,\n']
    for last in ('"转学"', '转学"'):
        roster = write(tmp_path / "r.csv", head + "".join(rows).replace("{}", last))
        out = tmp_path / "out.csv"
        r = run("match", "--registry", REGISTRY, "--roster", roster, "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert "1 error (1 unreadable rows)" in r.stderr, r.stderr
        got = list(csv.reader(open(out, encoding="utf-8-sig")))[1:]
        error = [g for g in got if g[0] == "2"][0]
        assert error[7] == "error" and "lines 4-5" in error[11] and "备注" in error[11], error
        # the registry side refuses such a row by file, line and column
        reg = write(tmp_path / "reg.csv",
                    head.replace("序号", "学前学籍ID") + "".join(rows).replace("{}", last))
        r = run("index", "build", reg, "--out", str(tmp_path / "reg.xjx"))
        assert r.returncode == 0 and f"{reg}:3: " in r.stderr and "备注" in r.stderr, r.stderr
        assert "2 records (1 bad rows" in r.stderr, r.stderr
        # the program's own readers ask the library (xjl_csv_row_check)
        r = run("check", roster)
        assert r.returncode == 3 and f"{roster}:3: error record stray_quote" in r.stdout, r.stdout
        assert "3 rows read: 1 with errors" in r.stderr, r.stderr
        ix = str(tmp_path / "reg.xjx")
        changes = write(tmp_path / "c.csv", "op," + head.replace("序号", "学前学籍ID")
                        + "".join("add,N" + x for x in rows).replace("{}", last))
        r = run("index", "update", ix, changes)
        assert r.returncode == 3 and "3,add,N2,refused," in r.stdout and "备注" in r.stdout, r.stdout
        assert "3 rows: 2 added, 0 updated, 0 removed, 1 refused" in r.stderr, r.stderr


def test_a_registry_record_without_its_id_is_a_bad_row(tmp_path):
    # a file with record ids: a record whose id is empty would be matched
    # with no match_id to act on; it is refused by file, line and column
    reg = write(tmp_path / "reg.csv", "学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                "XQ1,王小明,男,2018-03-01,居民身份证,110108201803010011\n"
                ",李小红,女,2018-04-01,居民身份证,\n")
    roster = write(tmp_path / "q.csv", "姓名,性别,出生日期,身份证件类型,身份证件号\n"
                   "李小红,女,2018-04-01,居民身份证,\n")
    for args in (("index", "build", reg, "--out", str(tmp_path / "r.xjx")),
                 ("match", "--registry", reg, "--roster", roster, "--out", str(tmp_path / "o.csv"))):
        r = run(*args)
        assert f"{reg}:3: " in r.stderr and "学前学籍ID is empty" in r.stderr, r.stderr
        assert "1 bad rows" in r.stderr
    got = list(csv.reader(open(tmp_path / "o.csv", encoding="utf-8-sig")))
    assert got[1][5] == "not_found", got


def test_dedup_out_dash_is_the_standard_output(tmp_path):
    # "-" is the standard output for every output, as for match (dedup wrote
    # a file named "-")
    r = subprocess.run([os.path.abspath(XJLINK), "dedup", "--registry", os.path.abspath(REGISTRY),
                        "--out", "-"], capture_output=True, text=True, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("cluster_id,class,record_id,reasons\n") and "same_id" in r.stdout
    assert not (tmp_path / "-").exists()


def test_dedup_counts_the_records_it_cannot_search(tmp_path):
    """Records whose name or birth date cannot be read are found by no search
    but their ID number's: even two copies of one stay apart. The summary
    counts them and says how to list them; `check` names each."""
    bad_name = "王".encode() + b"\xff"  # not UTF-8
    reg = write(tmp_path / "reg.csv",
                ("id," + HEADER + "\n").encode()
                + b"A1," + bad_name + ",男,2015-02-03,,\n".encode()
                + b"A2," + bad_name + ",男,2015-02-03,,\n".encode()
                + "B1,李明,男,2015-02-30,,\nB2,李明,男,2015-02-30,,\nC1,赵六,男,2015-02-03,,\n"
                .encode())
    r = run("dedup", "--registry", reg, "--out", "-")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "cluster_id,class,record_id,reasons\n"  # nothing joined them
    assert "4 records with a name or birth date that cannot be read" in r.stderr, r.stderr
    listed = run("check", reg)
    assert {line.split(":")[1] for line in listed.stdout.splitlines()
            if " error " in line} == {"2", "3", "4", "5"}, listed.stdout

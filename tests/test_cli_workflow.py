"""xjlink intake / xjlink enrol: each subcommand a thin layer over the
library; exit status 4 for a step the workflow refuses."""
import csv
import io
import os
import subprocess

import pytest

XJLINK = os.environ.get("XJLINK", "xjlink")

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen(first17):
    s = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[s]


ID1 = citizen("11010120180301011")
ID2 = citizen("11010520180101091")
REGISTRY = (
    "学前学籍ID,姓名,性别码,出生日期,出生地码,民族码,国籍/地区码,身份证件类型码,身份证件号,"
    "港澳台侨外码,户口性质,户口所在地码,现住址,残疾类型码,是否独生子女,是否留守儿童,"
    "是否进城务工人员子女,是否孤儿\n"
    f"P001,张伟,1,2018-03-01,110101,01,CHN,1,{ID1},00,2,110101,某街1号,0,1,0,0,0\n"
    "P002,李娜,2,2018-05-02,110101,60,CHN,1,,00,2,110101,某街2号,0,1,0,0,0\n"
)
ROSTER = (
    "姓名,性别,出生日期,身份证件类型,身份证件号\n"
    f"张伟,男,2018-03-01,居民身份证,{ID1}\n"
    f"刘洋,男,2018-01-01,居民身份证,{ID2}\n"
)


def run(*args, ok=(0,)):
    p = subprocess.run([XJLINK, *args], capture_output=True, text=True, timeout=120)
    assert p.returncode in ok, (args, p.returncode, p.stdout, p.stderr)
    return p


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture()
def ws(tmp_path):
    (tmp_path / "reg.csv").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return tmp_path


def test_intake_walk(ws):
    db = str(ws / "ws.db")
    p = run("intake", "load-registry", db, str(ws / "reg.csv"), "--operator", "admin-1")
    # The bad code is reported with file:line, column and value; the rest loads.
    assert "reg.csv:3: 民族码 '60'" in p.stderr
    assert "1 inserted" in p.stderr
    run("intake", "import", db, "--school", "S1", str(ws / "roster.csv"), "--operator", "t-1")
    listed = rows(run("intake", "list", db, "--school", "S1").stdout)
    assert [r["status"] for r in listed] == ["matched", "not_found"]
    pending = rows(run("intake", "list", db, "--school", "S1", "--status", "not_found").stdout)
    assert [r["name"] for r in pending] == ["刘洋"]
    matched_id = listed[0]["id"]
    # A refused step: exit status 4 and a message that says why.
    p = run("intake", "edit", db, matched_id, "--name", "张三", ok=(4,))
    assert "已匹配学前学籍" in p.stderr
    sup = rows(run("intake", "supplement", db, matched_id, "民族码=满族", "--done").stdout)
    assert sup[0]["ethnicity"] == "11" and sup[0]["state"] == "done"
    p = run("intake", "supplement", db, matched_id, "姓名=张三", ok=(4,))
    assert "key" in p.stderr
    out = ws / "nf.csv"
    run("intake", "export-not-found", db, "--school", "S1", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "刘洋" in data.decode("utf-8-sig")
    run("intake", "submit", db, "--school", "S1")
    run("intake", "school", db, "--school", "S1", "--region", "110101")
    run("intake", "approve", db, "--school", "S1", "--operator", "county-1")
    shown = run("intake", "show", db, matched_id).stdout
    assert "G" + ID1 in shown
    audit = rows(run("intake", "audit", db, "--object", "row", "--id", matched_id).stdout)
    assert [a["operator"] for a in audit][-1] == "county-1"
    run("intake", "nosuch", db, ok=(2,))


GRADUATES = (
    "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
    f"G{ID1},张伟,男,2010-03-01,居民身份证,{ID1},某中学,110101,初中,1,0\n"
)


def test_enrol_walk(ws):
    db = str(ws / "ws.db")
    (ws / "grad.csv").write_text(GRADUATES, encoding="utf-8")
    run("enrol", "load-graduates", db, str(ws / "grad.csv"))
    for school, kind in (("H1", "高中"), ("V1", "中职")):
        run("enrol", "school-kind", db, "--school", school, "--kind", kind)
        run("enrol", "quota", db, "--school", school, "--year", "2025", "--set", "1")
    run("enrol", "admit", db, "--school", "V1", "--year", "2025", "G" + ID1)
    p = run("enrol", "admit", db, "--school", "H1", "--year", "2025", "G" + ID1)
    assert "double admission" in p.stderr and "V1" in p.stderr
    both = rows(run("enrol", "double", db, "--year", "2025").stdout)
    assert both[0]["senior_school"] == "H1" and both[0]["vocational_school"] == "V1"
    p = run("enrol", "quota", db, "--school", "H1", "--year", "2025")
    assert rows(p.stdout)[0]["used"] == "1"
    (ws / "sen.csv").write_text("学校,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                                f"H1,张伟,男,2010-03-01,居民身份证,{ID1}\n", encoding="utf-8")
    (ws / "voc.csv").write_text("学校,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                                f"V1,张玮,男,2010-03-01,身份证,{ID1}\n", encoding="utf-8")
    cross = rows(run("enrol", "cross-check", str(ws / "sen.csv"), str(ws / "voc.csv")).stdout)
    assert len(cross) == 1 and cross[0]["vocational_name"] == "张玮"


def ws_snapshot(db):
    """The workspace's bytes and its listing: what an output must not change."""
    return open(db, "rb").read(), run("intake", "list", db, "--school", "S1").stdout


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "wal"])
def test_outputs_never_replace_the_workspace(ws, how):
    """`--out` and export-not-found naming the workspace (itself, through a
    link, or its -wal) are refused, and the workspace stays as it was."""
    db = str(ws / "ws.db")
    run("intake", "load-registry", db, str(ws / "reg.csv"))
    run("intake", "import", db, "--school", "S1", str(ws / "roster.csv"))
    target = db
    if how == "symlink":
        target = str(ws / "link.db")
        os.symlink(db, target)
    elif how == "hardlink":
        target = str(ws / "hard.db")
        os.link(db, target)
    elif how == "wal":
        target = db + "-wal"
        open(target, "ab").close()
    before = ws_snapshot(db)
    p = run("intake", "list", db, "--school", "S1", "--out", target, ok=(1, 2))
    assert "same file" in p.stderr and target in p.stderr
    p = run("intake", "export-not-found", db, "--school", "S1", target, ok=(1, 2))
    assert "same file" in p.stderr
    p = run("enrol", "list", db, "--school", "S1", "--year", "2024", "--out", target, ok=(1, 2))
    assert "same file" in p.stderr
    assert ws_snapshot(db) == before


def test_listing_output_replaced_whole(ws):
    """A listing to a file that exists replaces it whole, keeping its mode,
    and leaves no temporary file beside it."""
    db = str(ws / "ws.db")
    run("intake", "load-registry", db, str(ws / "reg.csv"))
    run("intake", "import", db, "--school", "S1", str(ws / "roster.csv"))
    out = ws / "list.csv"
    out.write_text("old content that is longer than the new listing\n" * 100)
    os.chmod(out, 0o640)
    run("intake", "list", db, "--school", "S1", "--out", str(out))
    assert [r["name"] for r in rows(out.read_text())] == ["张伟", "刘洋"]
    assert os.stat(out).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in ws.iterdir() if ".tmp-" in p.name) == []

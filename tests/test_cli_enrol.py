"""xjlink enrol: the rules of secondary enrolment that hold across steps: one
pupil under two numbers, a pool reloaded under live flows, the authority's
switch and scope, a number twice in one pool file."""
import pytest

from test_cli_workflow import citizen, rows, run

ID1 = citizen("11010120100301011")
ID2 = citizen("11010520100101091")
ID3 = citizen("11010520100202092")
HEADER = "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
ZHANG = f"G{ID1},张伟,男,2010-03-01,居民身份证,{ID1},某中学,110101,初中"
LIU = f"G{ID2},刘洋,男,2010-01-01,居民身份证,{ID2},某中学,110105,初中"


def pool(ws, name, *lines):
    path = ws / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture()
def db(tmp_path):
    """A pool of 张伟 and 刘洋; senior schools H1 and H2, 中职 V1, in
    county 110101, H2 in 120101; each with one place in 2025."""
    path = str(tmp_path / "ws.db")
    run("enrol", "init", path)
    run("enrol", "load-graduates", path, pool(tmp_path, "grad.csv", ZHANG + ",1,0", LIU + ",1,0"))
    for school, kind, region in (("H1", "高中", "110101"), ("H2", "高中", "120101"),
                                 ("V1", "中职", "110101")):
        run("enrol", "school-kind", path, "--school", school, "--kind", kind)
        run("enrol", "quota", path, "--school", school, "--year", "2025", "--set", "1")
        run("intake", "school", path, "--school", school, "--region", region)
    return path


def admit(db, school, number, ok=(0,)):
    run("enrol", "assign", db, "--school", school, "--year", "2025", number)
    return run("enrol", "admit", db, "--school", school, "--year", "2025", number, ok=ok)


def test_a_pupil_under_an_l_and_then_a_g_number_is_one_pupil(db, tmp_path):
    """The national check turns an L number into G + the citizen number, and
    the next pool holds both: an admission under either sees the flows of
    the other, and the authority resolves the pair."""
    temp = "L110101202506011234"
    zhao = ",赵六,女,2010-02-02,居民身份证," + ID3 + ",某中学,110101,初中,1,0"
    run("enrol", "load-graduates", db, pool(tmp_path, "p1.csv", temp + zhao))
    admit(db, "V1", temp)
    run("enrol", "load-graduates", db, pool(tmp_path, "p2.csv", "G" + ID3 + zhao))
    # a second senior school: refused, as the same number would be
    p = admit(db, "H2", "G" + ID3, ok=(3,))
    assert "double admission" in p.stderr and "V1" in p.stderr, p.stderr
    p = admit(db, "H1", "G" + ID3, ok=(4,))
    assert "H2" in p.stderr, p.stderr
    both = rows(run("enrol", "double", db, "--year", "2025").stdout)
    assert [(b["senior_school"], b["vocational_school"]) for b in both] == [("H2", "V1")], both
    keep, cancel = both[0]["senior_admission"], both[0]["vocational_admission"]
    run("enrol", "resolve", db, keep, cancel, "--reason", "本人选择普高")
    assert rows(run("enrol", "double", db, "--year", "2025").stdout) == []


@pytest.mark.parametrize("reload, says", [("1,1", "archived"), ("0,0", "not a graduate")])
def test_a_reloaded_pool_reaches_the_flows_that_wait(db, tmp_path, reload, says):
    """A pool reload that archives a graduate (问题学籍) or says it did not
    graduate: the flows made before it may no longer go on, as a new
    admission may not (continue, the kept side of 重复招生处理, 调档)."""
    admit(db, "V1", "G" + ID1)
    admit(db, "H1", "G" + ID1, ok=(3,))  # pending: a double admission
    run("enrol", "load-graduates", db, pool(tmp_path, "again.csv", ZHANG + "," + reload))
    for step in (("continue", "2"), ("resolve", "2", "1", "--reason", "本人选择普高"),
                 ("transfer-archive", "1")):
        p = run("enrol", step[0], db, *step[1:], ok=(4,))
        assert says in p.stderr, (step, p.stderr)
    states = {r["id"]: r["state"] for r in rows(run("enrol", "list", db, "--school", "H1",
                                                     "--year", "2025").stdout)}
    assert states == {"2": "pending"}, states


def test_the_authority_switch_covers_every_authority_step(db, tmp_path):
    """With enrol-authority switched off, setting a school's kind and
    importing an assigned list (which assigns) are refused as assigning is,
    and nothing changes."""
    audited = len(rows(run("enrol", "audit", db, "--object", "school").stdout))
    run("enrol", "policy", db, "--process", "enrol-authority", "--off", "--operator", "prov-1")
    p = run("enrol", "school-kind", db, "--school", "H1", "--kind", "中职", ok=(4,))
    assert "enrol-authority" in p.stderr and "prov-1" in p.stderr, p.stderr
    (tmp_path / "list.csv").write_text("学籍号\nG" + ID1 + "\n", encoding="utf-8")
    p = run("enrol", "import-assigned", db, "--school", "H1", "--year", "2025",
            str(tmp_path / "list.csv"), ok=(4,))
    assert "enrol-authority" in p.stderr, p.stderr
    assert len(rows(run("enrol", "audit", db, "--object", "school").stdout)) == audited
    assert rows(run("enrol", "list", db, "--school", "H1", "--year", "2025").stdout) == []


def test_an_authority_acts_only_within_its_scope(db):
    """A county operator moves a pupil only into a school of its county (it
    takes that school's place), and changes only its county's graduates; a
    school still hands its pupil over to any school."""
    county = ("--role", "county", "--scope", "110101")
    admit(db, "H1", "G" + ID1)
    run("enrol", "transfer-archive", db, "1", *county)  # 调档 done: the pupil may move
    p = run("enrol", "school-transfer", db, "1", "--to", "H2", *county, ok=(4,))
    assert "H2" in p.stderr and "outside the scope" in p.stderr, p.stderr
    assert rows(run("enrol", "quota", db, "--school", "H2", "--year", "2025").stdout)[0]["used"] == "0"
    p = run("enrol", "restore", db, "G" + ID2, "--reason", "x", *county, ok=(4,))
    assert "110105" in p.stderr and "outside the scope" in p.stderr, p.stderr
    moved = run("enrol", "school-transfer", db, "1", "--to", "H2", "--role", "school",
                "--scope", "H1").stdout.strip()
    assert rows(run("enrol", "quota", db, "--school", "H2", "--year", "2025").stdout)[0]["used"] == "1"
    # the move is in the audit of both flows
    for flow in ("1", moved):
        audit = rows(run("enrol", "audit", db, "--object", "admission", "--id", flow).stdout)
        assert [a["action"] for a in audit][-1] == "school-transfer", (flow, audit)


def test_a_number_twice_in_one_pool_file_is_refused_not_overwritten(tmp_path):
    """The second row of a 学籍号 (here another pupil, a typing slip) once
    replaced the first without a word; it is refused with both lines."""
    db = str(tmp_path / "ws.db")
    run("enrol", "init", db)
    slip = f"G{ID1},李四,女,2010-05-01,居民身份证,{ID3},某中学,110101,初中,1,0"
    p = run("enrol", "load-graduates", db, pool(tmp_path, "g.csv", ZHANG + ",1,0", slip),
            ok=(3,))
    assert "g.csv:3:" in p.stderr and "line 2" in p.stderr and "G" + ID1 in p.stderr, p.stderr
    assert "1 inserted" in p.stderr and "1 not loaded" in p.stderr, p.stderr
    assert rows(run("enrol", "graduate", db, "G" + ID1).stdout)[0]["name"] == "张伟"
    # the same file again: every row met again, the repeat refused again
    p = run("enrol", "load-graduates", db, str(tmp_path / "g.csv"), ok=(3,))
    assert "1 unchanged" in p.stderr and "line 2" in p.stderr, p.stderr
    # thousands of numbers between the two (the table of numbers grows)
    given = "伟芳娜敏静丽强磊军洋"
    many = [f"G1101012010030{i:05d},王{given[i % 10]}{given[i // 10 % 10]},男,2010-03-01,其他,,"
            "某中学,110101,初中,1,0" for i in range(5000)]
    p = run("enrol", "load-graduates", db, pool(tmp_path, "big.csv", *many, many[17]), ok=(3,))
    assert "big.csv:5002:" in p.stderr and "line 19" in p.stderr, p.stderr
    assert "5000 inserted" in p.stderr and "1 not loaded" in p.stderr, p.stderr


def test_a_number_with_other_characters_is_refused(tmp_path):
    """A 学籍号 of the right length whose characters are not 18 digits (the
    last may be X) was loaded as it was, invalid UTF-8 included."""
    db = str(tmp_path / "ws.db")
    run("enrol", "init", db)
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"G\xff\xfe0101201003010115,\xe5\xbc\xa0\xe4\xbc\x9f,"
                     + "男,2010-03-01,其他,,某中学,110101,初中,1,0\n".encode()
                     + "G11010120100301011a,李四,女,2010-03-01,其他,,某中学,110101,初中,1,0\n".encode())
    p = run("enrol", "load-graduates", db, str(path), ok=(3,))
    assert p.stderr.count("not a national student number") == 2, p.stderr
    assert "0 inserted" in p.stderr and "2 not loaded" in p.stderr, p.stderr


@pytest.mark.parametrize("header, line", [
    ("全国学籍号", "G" + ID1),
    ("姓名,性别,出生日期,身份证件类型,身份证件号", f"张伟,男,2010-03-01,居民身份证,{ID1}")])
def test_a_double_admission_on_an_assigned_list_names_the_lists_own_columns(db, tmp_path,
                                                                             header, line):
    """An assigned list's row that waits as a double admission is named as
    the list gives it: under its number column's own name, or by its key
    fields when the list has no number."""
    admit(db, "V1", "G" + ID1)
    (tmp_path / "list.csv").write_text(header + "\n" + line + "\n", encoding="utf-8")
    p = run("enrol", "import-assigned", db, "--school", "H1", "--year", "2025",
            str(tmp_path / "list.csv"), ok=(3,))
    warning = [w for w in p.stderr.splitlines() if "list.csv:2" in w]
    assert len(warning) == 1 and header in warning[0] and line in warning[0], p.stderr
    assert [r["state"] for r in rows(run("enrol", "list", db, "--school", "H1",
                                         "--year", "2025").stdout)] == ["pending"]

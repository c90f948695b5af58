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
    run("intake", "init", db)
    p = run("intake", "load-registry", db, str(ws / "reg.csv"), "--operator", "admin-1", ok=(3,))
    # The bad code is reported with file:line, column and value; the rest loads.
    assert "reg.csv:3: 民族码 '60'" in p.stderr
    assert "1 inserted" in p.stderr
    # An unknown school code is refused: the authority adds the school first.
    p = run("intake", "import", db, "--school", "S1", str(ws / "roster.csv"), ok=(4,))
    assert "school S1 is not known" in p.stderr
    run("intake", "school", db, "--school", "S1", "--name", "第一小学")
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
    shown = run("intake", "show", db, matched_id, "--full-ids").stdout
    assert "G" + ID1 in shown
    audit = rows(run("intake", "audit", db, "--object", "row", "--id", matched_id).stdout)
    assert [a["operator"] for a in audit][-1] == "county-1"
    run("intake", "nosuch", db, ok=(2,))


GRADUATES = (
    "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
    f"G{ID1},张伟,男,2010-03-01,居民身份证,{ID1},某中学,110101,初中,1,0\n"
)


@pytest.mark.parametrize("step", [("intake", "load-registry"), ("enrol", "load-graduates")])
def test_load_with_refused_rows_exits_3(ws, step):
    """A load that went through but refused a row exits 3 (done, with rows
    refused), as `index update` and `intake import` do; a clean load exits 0."""
    db = str(ws / "ws.db")
    run(step[0], "init", db)
    if step[1] == "load-registry":
        good = REGISTRY.split("\n", 2)[0] + "\n" + REGISTRY.split("\n")[1] + "\n"
        bad = REGISTRY  # row 3: 民族码 '60' is no code
        refused = "bad.csv:3: 民族码 '60'"
    else:
        good = GRADUATES
        bad = GRADUATES + f"G{ID2},刘洋,X,2010-01-01,居民身份证,{ID2},某中学,110101,初中,1,0\n"
        refused = "bad.csv:3: 性别码 'X'"
    (ws / "good.csv").write_text(good, encoding="utf-8")
    (ws / "bad.csv").write_text(bad, encoding="utf-8")
    p = run(*step, db, str(ws / "bad.csv"), ok=(3,))
    assert refused in p.stderr and "1 inserted" in p.stderr, p.stderr
    p = run(*step, db, str(ws / "good.csv"), ok=(0,))
    assert "1 unchanged" in p.stderr, p.stderr


def test_load_shows_hostile_values_shortened(ws):
    """A refused row's value is shown as the terminal can take it: a name of
    megabytes cut short, bytes that are not UTF-8 escaped; the rows are
    still reported by line and the step exits 3."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    header, row = REGISTRY.split("\n")[0:2]
    data = (header + "\n").encode() + row.replace("张伟", "王" * 2_000_000).encode() + b"\n"
    data += row.replace("张伟", "@").encode().replace(b"@", b"\xff\xfe") + b"\n"
    (ws / "hostile.csv").write_bytes(data)
    p = run("intake", "load-registry", db, str(ws / "hostile.csv"), ok=(3,))
    lines = p.stderr.splitlines()
    assert len(p.stderr) < 4000, p.stderr[:300]
    assert any("hostile.csv:2:" in line and "..." in line for line in lines), p.stderr
    assert any("hostile.csv:3:" in line and "\\xFF\\xFE" in line for line in lines), p.stderr


def test_enrol_walk(ws):
    db = str(ws / "ws.db")
    run("enrol", "init", db)
    (ws / "grad.csv").write_text(GRADUATES, encoding="utf-8")
    run("enrol", "load-graduates", db, str(ws / "grad.csv"))
    for school, kind in (("H1", "高中"), ("V1", "中职")):
        run("enrol", "school-kind", db, "--school", school, "--kind", kind)
        run("enrol", "quota", db, "--school", school, "--year", "2025", "--set", "1")
    # Unified enrolment admits only the graduates the authority assigned.
    p = run("enrol", "admit", db, "--school", "V1", "--year", "2025", "G" + ID1, ok=(4,))
    assert "assigned" in p.stderr
    for school in ("V1", "H1"):
        run("enrol", "assign", db, "--school", school, "--year", "2025", "G" + ID1)
    run("enrol", "admit", db, "--school", "V1", "--year", "2025", "G" + ID1)
    p = run("enrol", "admit", db, "--school", "H1", "--year", "2025", "G" + ID1, ok=(3,))
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
    # 重复招生处理: the authority keeps the senior admission, cancels the 中职 one.
    senior, vocational = both[0]["senior_admission"], both[0]["vocational_admission"]
    run("enrol", "resolve", db, senior, vocational, ok=(2,))
    p = run("enrol", "resolve", db, senior, vocational, "--reason", "本人选择普高",
            "--role", "school", "--scope", "H1", ok=(4,))
    assert "authority" in p.stderr
    run("enrol", "resolve", db, senior, vocational, "--reason", "本人选择普高", "--operator", "c-1")
    assert rows(run("enrol", "double", db, "--year", "2025").stdout) == []
    shown = rows(run("enrol", "show", db, senior).stdout)[0]
    assert shown["state"] == "admitted"
    assert rows(run("enrol", "show", db, vocational).stdout)[0]["state"] == "cancelled"
    audit = run("enrol", "audit", db, "--object", "admission").stdout
    assert "本人选择普高" in audit and "c-1" in audit


def test_cross_check_lists_every_vocational_row_of_the_pupil(ws):
    """A pupil on the vocational list twice (V1 and V2) is a double admission
    at both: one row per vocational row, none lost behind the first; the
    count on stderr is of pupils."""
    key = "学校,姓名,性别,出生日期,身份证件类型,身份证件号\n"
    (ws / "sen.csv").write_text(key + f"H1,张伟,男,2018-03-01,居民身份证,{ID1}\n"
                                f"H1,刘洋,男,2018-01-01,居民身份证,{ID2}\n", encoding="utf-8")
    (ws / "voc.csv").write_text(key + f"V1,张伟,男,2018-03-01,居民身份证,{ID1}\n"
                                f"V2,张伟,男,2018-03-01,居民身份证,{ID1}\n"
                                f"V3,刘洋,男,2018-01-01,居民身份证,{ID2}\n"
                                "V4,李娜,女,2018-05-02,居民身份证,\n", encoding="utf-8")
    p = run("enrol", "cross-check", str(ws / "sen.csv"), str(ws / "voc.csv"))
    cross = rows(p.stdout)
    got = sorted((r["senior_line"], r["vocational_line"], r["vocational_school"], r["status"])
                 for r in cross)
    assert got == [("2", "2", "V1", "pending"), ("2", "3", "V2", "pending"),
                   ("3", "4", "V3", "matched")], p.stdout
    assert "2 pupils on both lists" in p.stderr, p.stderr
    # the result never replaces either list it was made from
    for target in ("sen.csv", "voc.csv"):
        before = (ws / target).read_bytes()
        p = run("enrol", "cross-check", str(ws / "sen.csv"), str(ws / "voc.csv"), "--out",
                str(ws / target), ok=(1, 2))
        assert "same file" in p.stderr and (ws / target).read_bytes() == before, p.stderr


def test_only_a_temporary_number_may_be_deleted(ws):
    """A J number is formal, like a G one (given after the national check to
    a pupil without an ID number): the record stays, and the refusal says
    why. Only an L number (temporary) may be deleted."""
    db = str(ws / "ws.db")
    run("enrol", "init", db)
    jn, ln = "J110101201803011234", "L110105201801011234"
    (ws / "grad.csv").write_text(
        GRADUATES + f"{jn},王芳,女,2018-03-01,其他,,某中学,110101,初中,1,0\n"
        f"{ln},刘洋,男,2018-01-01,居民身份证,{ID2},某中学,110105,初中,1,0\n", encoding="utf-8")
    run("enrol", "load-graduates", db, str(ws / "grad.csv"))
    for number, letter in ((jn, "J"), ("G" + ID1, "G")):
        p = run("enrol", "delete-graduate", db, number, "--reason", "x", ok=(4,))
        assert f"a {letter} number is a formal" in p.stderr, p.stderr
        assert rows(run("enrol", "graduate", db, number).stdout)[0]["deleted"] == "0"
    p = run("enrol", "delete-graduate", db, jn, "--reason", "x", "--lang", "zh", ok=(4,))
    assert "正式" in p.stderr, p.stderr
    run("enrol", "delete-graduate", db, ln, "--reason", "迁出")
    assert rows(run("enrol", "graduate", db, ln).stdout)[0]["deleted"] == "1"


def enrol_ws(ws, school, kind):
    """A workspace with the GRADUATES pool and one school of the kind, with
    a quota of 5 for 2025."""
    db = str(ws / "ws.db")
    run("enrol", "init", db)
    (ws / "grad.csv").write_text(GRADUATES, encoding="utf-8")
    run("enrol", "load-graduates", db, str(ws / "grad.csv"))
    run("enrol", "school-kind", db, "--school", school, "--kind", kind)
    run("enrol", "quota", db, "--school", school, "--year", "2025", "--set", "5")
    return db


def test_refused_row_of_a_list_without_numbers_names_its_key_fields(ws):
    """A list without a 学籍号 column finds its graduates by the key fields:
    a refused row is reported with file:line, those columns and the values
    read, not as a 学籍号 the file does not have."""
    db = enrol_ws(ws, "H1", "高中")
    id3 = citizen("11010520110101092")
    zhang = f"张伟,男,2010-03-01,居民身份证,{ID1}"
    (ws / "list.csv").write_text("姓名,性别,出生日期,身份证件类型,身份证件号\n"
                                 f"{zhang}\n赵六,女,2011-01-01,居民身份证,{id3}\n{zhang}\n",
                                 encoding="utf-8")
    p = run("enrol", "import-assigned", db, "--school", "H1", "--year", "2025",
            str(ws / "list.csv"), ok=(3,))
    keys = "姓名,性别,出生日期,身份证件类型,身份证件号"
    assert (f"list.csv:3: {keys} '赵六,女,2011-01-01,居民身份证,{id3}': "
            "no unambiguous graduate") in p.stderr, p.stderr
    assert f"list.csv:4: {keys} '{zhang}': " in p.stderr, p.stderr
    assert "学籍号 ''" not in p.stderr, p.stderr
    assert "1 admitted" in p.stderr and "2 refused" in p.stderr, p.stderr


def test_preschool_record_locked_for_other_schools(ws):
    db = intake_ws(ws, ROSTER)
    run("intake", "school", db, "--school", "S2")
    p = run("intake", "import", db, "--school", "S2", str(ws / "r.csv"), ok=(3,))
    # the warning is the note's message, not its stored form
    assert "pulled (调档) by school S1 (row " in p.stderr, p.stderr
    listed = rows(run("intake", "list", db, "--school", "S2").stdout)
    assert listed[0]["status"] == "pending" and "school S1" in listed[0]["note"]
    p = run("intake", "confirm", db, listed[0]["id"], "P001", ok=(4,))
    assert "pulled (调档) by school S1" in p.stderr
    # an edit matches again as an import would: the record stays locked
    run("intake", "edit", db, listed[0]["id"], "--name", "张伟")
    edited = rows(run("intake", "list", db, "--school", "S2").stdout)[0]
    assert edited["status"] == "pending" and "school S1" in edited["note"], edited


def test_an_edit_keeps_the_checks_of_an_import(ws):
    """A number held by another school's approved row stays said after an
    edit; an edit that makes a row without a citizen number the same as
    another is refused, as importing it again is."""
    db = intake_ws(ws, HEADER + f"刘洋,男,2018-01-01,居民身份证,{ID2}\n")
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    run("intake", "approve", db, "--school", "S1")
    run("intake", "school", db, "--school", "S2", "--region", "110101")
    run("intake", "import", db, "--school", "S2", str(ws / "r.csv"), ok=(3,))
    row = rows(run("intake", "list", db, "--school", "S2").stdout)[0]
    assert "number_held" in row["findings"] and "row 1" in row["note"]
    run("intake", "edit", db, row["id"], "--name", "刘洋")
    row = rows(run("intake", "list", db, "--school", "S2").stdout)[0]
    assert "number_held" in row["findings"] and "row 1" in row["note"], row
    (ws / "s2.csv").write_text(HEADER + "李明,男,2018-02-02,其他,\n李亮,男,2018-02-02,其他,\n",
                               encoding="utf-8")
    run("intake", "import", db, "--school", "S2", str(ws / "s2.csv"), ok=(0, 3))
    ids = {r["name"]: r["id"] for r in rows(run("intake", "list", db, "--school", "S2").stdout)}
    p = run("intake", "edit", db, ids["李亮"], "--name", "李明", ok=(4,))
    assert f"as row {ids['李明']}" in p.stderr, p.stderr
    names = sorted(r["name"] for r in rows(run("intake", "list", db, "--school", "S2").stdout))
    assert names == ["刘洋", "李亮", "李明"]


# ---- defects of the workflows as a province runs them ----------------------------------------


def intake_ws(ws, roster):
    """A workspace with the registry loaded and a school S1 (region 110101)."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    run("intake", "load-registry", db, str(ws / "reg.csv"), ok=(3,))
    run("intake", "school", db, "--school", "S1", "--name", "第一小学", "--region", "110101")
    (ws / "r.csv").write_text(roster, encoding="utf-8")
    run("intake", "import", db, "--school", "S1", str(ws / "r.csv"), ok=(0, 3))
    return db


def supplement_all(db, school="S1"):
    for r in rows(run("intake", "list", db, "--school", school).stdout):
        run("intake", "supplement", db, r["id"], "民族码=01", "国籍/地区码=CHN",
            "港澳台侨外码=00", "--done")


HEADER = "姓名,性别,出生日期,身份证件类型,身份证件号\n"


def test_findings_block_a_formal_number_until_overridden(ws):
    female = citizen("11010120180601002")  # sequence digit 0: female
    db = intake_ws(ws, HEADER + f"王刚,男,2018-06-01,居民身份证,{female}\n")
    row = rows(run("intake", "list", db, "--school", "S1").stdout)[0]
    assert "record:gender_mismatch" in row["findings"]
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    p = run("intake", "approve", db, "--school", "S1", ok=(3,))
    assert "1 held" in p.stderr
    shown = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]
    assert shown["student_number"] == "" and "gender_mismatch" in shown["note"]
    run("intake", "override", db, row["id"], ok=(2,))
    run("intake", "override", db, row["id"], "--reason", "户籍证明已核", "--operator", "county-1")
    run("intake", "approve", db, "--school", "S1")
    shown = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]
    assert shown["student_number"] == "G" + female
    audit = run("intake", "audit", db, "--object", "row", "--id", row["id"]).stdout
    assert "户籍证明已核" in audit


def test_wrong_check_character_is_held_not_given_an_l_number(ws):
    good = citizen("11010120180601001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    db = intake_ws(ws, HEADER + f"王刚,男,2018-06-01,居民身份证,{bad}\n")
    supplement = run("intake", "supplement", db, "1", "民族码=01", "国籍/地区码=CHN",
                     "港澳台侨外码=00", "--done", ok=(0, 4))
    assert supplement.returncode == 0
    run("intake", "submit", db, "--school", "S1")
    run("intake", "approve", db, "--school", "S1", ok=(3,))
    shown = rows(run("intake", "list", db, "--school", "S1").stdout)[0]
    assert shown["student_number"] == "" and "id_number:id_check" in shown["findings"]


def test_15_digit_id_of_a_child_born_2019_is_held(ws):
    db = intake_ws(ws, HEADER + "李明,男,2019-03-04,居民身份证,440308190304151\n")
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    run("intake", "approve", db, "--school", "S1", ok=(3,))
    shown = rows(run("intake", "list", db, "--school", "S1").stdout)[0]
    assert shown["student_number"] == ""
    assert "id_converted15" in shown["findings"] or "id_converted15" in shown["note"]


def test_findings_travel_with_the_export(ws):
    female = citizen("11010120180601002")
    db = intake_ws(ws, HEADER + f"王刚,男,2018-06-01,居民身份证,{female}\n")
    out = ws / "nf.csv"
    run("intake", "export-not-found", db, "--school", "S1", str(out))
    got = rows(out.read_text(encoding="utf-8-sig"))
    assert "gender_mismatch" in got[0]["findings"]


def test_school_update_keeps_what_is_not_given(ws):
    db = str(ws / "ws.db")
    run("intake", "init", db)
    run("intake", "school", db, "--school", "S1", "--region", "110101",
        "--identifier", "2111000001")
    run("intake", "school", db, "--school", "S1", "--name", "第一小学")
    s = rows(run("intake", "schools", db).stdout)[0]
    assert (s["name"], s["region"], s["identifier"]) == ("第一小学", "110101", "2111000001")
    p = run("intake", "school", db, "--school", "S1", "--region", "abc", ok=(2,))
    assert "--region 'abc'" in p.stderr
    audit = rows(run("intake", "audit", db, "--object", "school").stdout)
    assert "S1" in audit[-1]["detail"]


def test_refused_supplement_changes_nothing(ws):
    db = intake_ws(ws, ROSTER)
    p = run("intake", "supplement", db, "1", "民族码=满族", "国籍/地区码=XXX", ok=(2, 4))
    assert p.returncode != 0
    sup = rows(run("intake", "supplement", db, "1").stdout)[0]
    assert sup["ethnicity"] != "11"


def test_a_saved_supplement_emptied_is_a_draft_again(ws):
    """A required field emptied after the supplement was saved makes it a
    draft again: the row is not submitted until it is saved once more.
    Values given with a --done that is refused are kept, and it says so."""
    db = intake_ws(ws, ROSTER)
    supplement_all(db)
    run("intake", "supplement", db, "1", "民族码=")
    listed = {r["id"]: r for r in rows(run("intake", "list", db, "--school", "S1").stdout)}
    assert listed["1"]["supplement"] == "draft", listed["1"]
    assert listed["2"]["supplement"] == "done"
    p = run("intake", "supplement", db, "1", "现住址=某街9号", "--done", ok=(4,))
    assert "kept: the 1 value given" in p.stderr, p.stderr
    assert rows(run("intake", "supplement", db, "1").stdout)[0]["address"] == "某街9号"
    p = run("intake", "submit", db, "--school", "S1")
    assert "1 row submitted, 1 stay" in p.stderr, p.stderr
    # an optional field changed keeps a saved supplement saved
    run("intake", "supplement", db, "1", "民族码=01", "--done")
    run("intake", "supplement", db, "1", "现住址=某街10号")
    assert rows(run("intake", "list", db, "--school", "S1").stdout)[0]["supplement"] == "done"


def test_numbers_are_parsed_strictly(ws):
    db = str(ws / "ws.db")
    run("enrol", "init", db)
    run("enrol", "school-kind", db, "--school", "H1", "--kind", "高中")
    for args in (("--set", "abc"), ("--set", "-1"), ("--year", "abc")):
        base = {"--set": "1", "--year": "2025"}
        base[args[0]] = args[1]
        p = run("enrol", "quota", db, "--school", "H1", "--year", base["--year"],
                "--set", base["--set"], ok=(2,))
        assert f"'{args[1]}'" in p.stderr
        assert "18446744073709551615" not in p.stderr


def test_not_found_export_reads_back_through_import_and_check(ws):
    db = intake_ws(ws, ROSTER)
    out = ws / "nf.csv"
    run("intake", "export-not-found", db, "--school", "S1", str(out))
    run("check", str(out))
    run("intake", "school", db, "--school", "S2")
    run("intake", "import", db, "--school", "S2", str(out))
    assert [r["name"] for r in rows(run("intake", "list", db, "--school", "S2").stdout)] == ["刘洋"]


def test_show_out_keeps_every_table(ws):
    db = intake_ws(ws, ROSTER)
    out = ws / "show.csv"
    run("intake", "show", db, "1", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "status_zh" in text and "rank" in text and "operator" in text


def test_return_needs_a_reason(ws):
    db = intake_ws(ws, ROSTER)
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    p = run("intake", "return", db, "1", ok=(2,))
    assert "--reason" in p.stderr
    run("intake", "return", db, "1", "--reason", "地址不全")
    # Unchanged, it does not go back.
    p = run("intake", "submit", db, "--school", "S1", ok=(0, 4))
    assert "returned" in p.stderr


def test_a_mistyped_workspace_is_not_created(ws):
    missing = ws / "typo.db"
    p = run("intake", "list", str(missing), "--school", "S1", ok=(2,))
    assert "no such workspace" in p.stderr and not missing.exists()
    run("enrol", "stats", str(missing), "--year", "2025", ok=(2,))
    assert not missing.exists()
    run("intake", "init", str(missing))
    run("intake", "init", str(missing), ok=(2,))


def test_listings_mask_id_numbers_unless_asked(ws):
    db = intake_ws(ws, ROSTER)
    listed = run("intake", "list", db, "--school", "S1").stdout
    assert ID1 not in listed and ID1[:6] + "********" + ID1[-4:] in listed
    assert ID1 in run("intake", "list", db, "--school", "S1", "--full-ids").stdout
    audit = run("intake", "audit", db).stdout
    assert ID1 not in audit


def test_listings_mask_full_width_numbers_by_character(ws):
    """A number typed in full-width digits is masked as one in ASCII, one
    '*' for each hidden character: the listing stays valid UTF-8 (the
    output is decoded strictly here)."""
    wide = ID2.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    db = intake_ws(ws, ROSTER.replace(ID2, wide) + "赵六,女,2018-02-02,护照,Ｅ１２３４５６７８\n")
    listed = {r["name"]: r["id_number"] for r in rows(run("intake", "list", db, "--school",
                                                          "S1").stdout)}
    assert listed["刘洋"] == wide[:6] + "********" + wide[-4:], listed
    assert listed["赵六"] == "Ｅ１*****７８", listed
    run("intake", "list", db, "--school", "S1", "--out", str(ws / "list.xlsx"))
    assert run("check", str(ws / "list.xlsx"), ok=(0, 3)).stderr


def test_excel_listing_has_a_bom(ws):
    db = intake_ws(ws, ROSTER)
    p = subprocess.run([XJLINK, "intake", "list", db, "--school", "S1", "--excel"],
                       capture_output=True, timeout=60)
    assert p.stdout.startswith(b"\xef\xbb\xbf") and b"\r\n" in p.stdout


def test_submit_says_what_stays_behind(ws):
    db = intake_ws(ws, ROSTER)
    run("intake", "supplement", db, "1", "民族码=01", "国籍/地区码=CHN", "港澳台侨外码=00", "--done")
    p = run("intake", "submit", db, "--school", "S1")
    assert "1 row submitted, 1 stays behind" in p.stderr and "刘洋" in p.stderr


def test_refused_rows_show_in_the_exit_status(ws):
    db = intake_ws(ws, ROSTER)
    (ws / "again.csv").write_text(ROSTER, encoding="utf-8")
    p = run("intake", "import", db, "--school", "S1", str(ws / "again.csv"), ok=(3,))
    assert "already on school S1's list" in p.stderr


# ---- roles and scope, policy ----------------------------------------------------------------


def test_roles_and_scope(ws):
    db = intake_ws(ws, ROSTER)
    run("intake", "school", db, "--school", "S2", "--region", "120101")
    school = ("--role", "school", "--scope", "S1", "--operator", "t-1")
    county = ("--role", "county", "--scope", "110101", "--operator", "c-1")
    # A school operator does its own school's steps, not the authority's.
    run("intake", "list", db, "--school", "S1", *school)
    p = run("intake", "list", db, "--school", "S2", *school, ok=(4,))
    assert "outside the scope" in p.stderr
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1", *school)
    p = run("intake", "approve", db, "--school", "S1", *school, ok=(4,))
    assert "authority" in p.stderr
    p = run("intake", "load-registry", db, str(ws / "reg.csv"), *school, ok=(4,))
    assert "authority" in p.stderr
    # A county operator approves in its county only, and sees only its schools.
    p = run("intake", "approve", db, "--school", "S2", *county, ok=(4,))
    assert "outside the scope" in p.stderr
    run("intake", "approve", db, "--school", "S1", *county)
    assert [s["school"] for s in rows(run("intake", "schools", db, *county).stdout)] == ["S1"]
    city = ("--role", "city", "--scope", "120100")
    assert [s["school"] for s in rows(run("intake", "schools", db, *city).stdout)] == ["S2"]
    run("intake", "list", db, "--school", "S1", "--role", "county", "--scope", "abc", ok=(2,))
    # A school's kind is an authority step in the school's scope, as its quota is.
    p = run("enrol", "school-kind", db, "--school", "S2", "--kind", "中职", *county, ok=(4,))
    assert "outside the scope" in p.stderr
    p = run("enrol", "school-kind", db, "--school", "S9", "--kind", "中职", *county, ok=(4,))
    assert "outside the scope" in p.stderr
    run("enrol", "school-kind", db, "--school", "S1", "--kind", "中职", *county)


def test_policy_switches_and_windows(ws):
    db = intake_ws(ws, ROSTER)
    run("intake", "policy", db, "--process", "intake", "--off", "--operator", "prov-1")
    p = run("intake", "submit", db, "--school", "S1", ok=(4,))
    assert "switched off" in p.stderr and "prov-1" in p.stderr
    run("intake", "policy", db, "--process", "intake", "--on", "--from", "2000-01-01",
        "--to-date", "2000-12-31")
    p = run("intake", "none", db, "1", ok=(4,))
    assert "closed on" in p.stderr and "2000-01-01" in p.stderr
    # Authority steps have their own switch.
    run("intake", "policy", db, "--process", "intake-authority", "--off")
    p = run("intake", "approve", db, "--school", "S1", ok=(4,))
    assert "intake-authority" in p.stderr
    listed = {r["process"]: r for r in rows(run("intake", "policy", db).stdout)}
    assert listed["intake"]["open_to"] == "2000-12-31" and listed["intake-authority"]["enabled"] == "0"
    run("intake", "policy", db, "--process", "nosuch", "--on", ok=(2,))
    run("intake", "policy", db, "--process", "intake", "--on", "--role", "school",
        "--scope", "S1", ok=(4,))
    audit = rows(run("intake", "audit", db, "--object", "policy").stdout)
    assert len(audit) == 3


def registered(ws):
    """S1's list approved: row 1 (张伟) holds G+ID1."""
    db = intake_ws(ws, ROSTER)
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    run("intake", "approve", db, "--school", "S1", ok=(0, 3))
    return db


def test_key_data_change(ws):
    db = registered(ws)
    # Before the request the supplement refuses a key field and sends users here.
    p = run("intake", "key-change", db, "1", "姓名=张炜", ok=(2,))
    assert "reason" in p.stderr
    req = run("intake", "key-change", db, "1", "姓名=张炜", "--reason", "户口簿更正",
              "--operator", "t-1").stdout.strip()
    run("intake", "key-change", db, "1", "出生日期=2018-03-02", "--reason", "x", ok=(4,))
    p = run("intake", "decide-key-change", db, req, "--approve", "--role", "school",
            "--scope", "S1", ok=(4,))
    assert "authority" in p.stderr
    run("intake", "decide-key-change", db, req, "--approve", "--operator", "county-1")
    changes = rows(run("intake", "key-changes", db, "--school", "S1").stdout)
    assert changes[0]["old_value"] == "张伟" and changes[0]["new_value"] == "张炜"
    assert changes[0]["state"] == "approved" and "rematch" in changes[0]["result"]
    assert rows(run("intake", "supplement", db, "1").stdout)[0]["name"] == "张炜"
    audit = run("intake", "audit", db, "--object", "key_change").stdout
    assert "户口簿更正" in audit and "county-1" in audit
    # 查重: a new ID number another record holds is refused, and nothing changes.
    req = run("intake", "key-change", db, "2", f"身份证件号={ID1}", "--reason", "更正").stdout.strip()
    p = run("intake", "decide-key-change", db, req, "--approve", ok=(4,))
    assert "held already" in p.stderr
    assert rows(run("intake", "supplement", db, "2", "--full-ids").stdout)[0]["id_number"] == ID2


def test_key_data_change_of_the_id_number_follows_the_pupil(ws):
    """The student number is for life: an approved change of the ID number
    keeps G+old, but the row now shows the new number, and the pupil is
    found by it: on the school's own list, at another school's import, at a
    key-data change of another row and at the approval of another list."""
    db = registered(ws)
    new = citizen("11010120180301035")  # 张伟's birth date, male
    req = run("intake", "key-change", db, "1", f"身份证件号={new}", "--reason", "户口簿更正").stdout.strip()
    run("intake", "decide-key-change", db, req, "--approve")
    row = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]
    assert row["id_number"] == new and row["student_number"] == "G" + ID1, row
    shown = run("intake", "show", db, "1", "--full-ids").stdout
    assert "key-change-approve" in shown and f"'{ID1}' -> '{new}'" in shown, shown
    # the same pupil on the same list again: refused, as any second row of one number is
    (ws / "again.csv").write_text(HEADER + f"张伟,男,2018-03-01,居民身份证,{new}\n", encoding="utf-8")
    p = run("intake", "import", db, "--school", "S1", str(ws / "again.csv"), ok=(3,))
    assert "already on school S1's list as row 1" in p.stderr, p.stderr
    # on another school's list: a warning that names the row and the number it holds
    run("intake", "school", db, "--school", "S2", "--region", "110101")
    run("intake", "import", db, "--school", "S2", str(ws / "again.csv"), ok=(0, 3))
    other = rows(run("intake", "list", db, "--school", "S2", "--full-ids").stdout)[0]
    assert "number_held" in other["findings"], other
    assert "row 1" in other["note"] and "G" + ID1 in other["note"], other
    # another row's change to the number is refused as a duplicate
    req = run("intake", "key-change", db, "2", f"身份证件号={new}", "--reason", "更正").stdout.strip()
    p = run("intake", "decide-key-change", db, req, "--approve", ok=(4,))
    assert "held already by row 1" in p.stderr, p.stderr
    # and the other school's row, once approved, is returned as a duplicate
    supplement_all(db, "S2")
    run("intake", "submit", db, "--school", "S2")
    run("intake", "approve", db, "--school", "S2", ok=(3,))
    other = rows(run("intake", "list", db, "--school", "S2", "--full-ids").stdout)[0]
    assert other["student_number"] == "" and "row 1" in other["note"], other
    # a registration outside grade 1 with it: the centre's pass is refused as held
    req = run("intake", "register", db, "--school", "S1", "--grade", "3", "--name", "张伟",
              "--gender", "男", "--birth-date", "2018-03-01", "--id-type", "居民身份证",
              "--id-number", new).stdout.strip()
    run("intake", "export-check", db, str(ws / "check.csv"))
    (ws / "result.csv").write_text(f"申请号,结果\n{req},通过\n", encoding="utf-8")
    p = run("intake", "import-check", db, str(ws / "result.csv"))
    assert "0 registered, 1 refused" in p.stderr, p.stderr


def test_key_data_change_that_puts_a_pupil_twice_on_a_list_is_refused(ws):
    db = registered(ws)
    twin = citizen("11010120180301043")
    (ws / "more.csv").write_text(HEADER + f"张伟,男,2018-03-01,居民身份证,{twin}\n", encoding="utf-8")
    run("intake", "import", db, "--school", "S1", str(ws / "more.csv"), ok=(0, 3))
    third = rows(run("intake", "list", db, "--school", "S1").stdout)[-1]["id"]
    req = run("intake", "key-change", db, "1", f"身份证件号={twin}", "--reason", "更正").stdout.strip()
    p = run("intake", "decide-key-change", db, req, "--approve", ok=(4,))
    assert f"on school S1's list twice (row {third})" in p.stderr, p.stderr
    row = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]
    assert row["id_number"] == ID1, row
    assert rows(run("intake", "supplement", db, "1", "--full-ids").stdout)[0]["id_number"] == ID1


def test_registration_outside_grade_1_and_the_national_check(ws):
    db = registered(ws)
    run("intake", "school", db, "--school", "S1", "--region", "110101")
    id3 = citizen("11010120150203031")
    common = ("--school", "S1", "--gender", "男", "--birth-date", "2015-02-03")
    a = run("intake", "register", db, *common, "--grade", "3", "--name", "赵强",
            "--id-type", "居民身份证", "--id-number", id3).stdout.strip()
    b = run("intake", "register", db, *common, "--grade", "4", "--name", "钱明",
            "--id-type", "居民身份证", "--id-number", ID1).stdout.strip()
    c = run("intake", "register", db, *common, "--grade", "2", "--name", "孙亮",
            "--id-type", "其他").stdout.strip()
    run("intake", "register", db, *common, "--grade", "1", "--name", "x", ok=(2,))
    reqs = {r["id"]: r for r in rows(run("intake", "registrations", db).stdout)}
    assert reqs[a]["state"] == "queued" and reqs[c]["state"] == "proof"
    # The pupil without an ID waits for the proof, then the authority decides by hand.
    run("intake", "decide-register", db, c, "--approve", "--reason", "核实", ok=(4,))
    run("intake", "proof", db, c, "--proof", "在校就读证明 2025-017")
    run("intake", "decide-register", db, c, "--approve", "--reason", "核实", "--operator", "c-1")
    j = rows(run("intake", "registrations", db, "--full-ids").stdout)
    j = {r["id"]: r for r in j}[c]["student_number"]
    assert j.startswith("J110101") and len(j) == 19
    # The monthly check: export for the centre, import its result.
    out = ws / "check.csv"
    run("intake", "export-check", db, str(out), "--role", "school", "--scope", "S1", ok=(4,))
    run("intake", "export-check", db, str(out))
    sent = rows(out.read_text(encoding="utf-8-sig"))
    assert sorted(r["申请号"] for r in sent) == sorted([a, b])
    (ws / "result.csv").write_text(
        f"申请号,结果,说明\n{a},通过,\n{b},重复,与在籍学生重复\n99,通过,\n", encoding="utf-8")
    p = run("intake", "import-check", db, str(ws / "result.csv"), ok=(3,))
    assert "1 registered, 1 refused" in p.stderr and "99" in p.stderr
    reqs = {r["id"]: r for r in rows(run("intake", "registrations", db, "--full-ids").stdout)}
    assert reqs[a]["state"] == "registered" and reqs[a]["student_number"] == "G" + id3
    assert reqs[b]["state"] == "refused" and "与在籍学生重复" in reqs[b]["result"]


def test_numbers_given_by_registration_are_never_given_again(ws):
    """A G number a registration request holds is held for intake and for
    other requests; J numbers of one county and birth date count on."""
    db = intake_ws(ws, ROSTER)
    idx = citizen("11010120150203031")
    common = ("--school", "S1", "--gender", "男", "--birth-date", "2015-02-03")
    a = run("intake", "register", db, *common, "--grade", "3", "--name", "赵强",
            "--id-type", "居民身份证", "--id-number", idx).stdout.strip()
    b = run("intake", "register", db, *common, "--grade", "4", "--name", "赵强",
            "--id-type", "居民身份证", "--id-number", idx).stdout.strip()
    run("intake", "export-check", db, str(ws / "check.csv"))
    # the centre passes both: the second is refused as held by the first,
    # and the rest of the file still applies
    (ws / "result.csv").write_text(f"申请号,结果\n{a},通过\n{b},通过\n", encoding="utf-8")
    p = run("intake", "import-check", db, str(ws / "result.csv"))
    assert "1 registered, 1 refused" in p.stderr, p.stderr
    reqs = {r["id"]: r for r in rows(run("intake", "registrations", db, "--full-ids").stdout)}
    assert reqs[a]["state"] == "registered" and reqs[a]["student_number"] == "G" + idx
    assert reqs[b]["state"] == "refused" and "G" + idx in reqs[b]["result"]
    # the same child on another school's intake list: warned at import,
    # returned as a duplicate at approval (and audited so), never numbered
    run("intake", "school", db, "--school", "S2", "--region", "110101")
    (ws / "s2.csv").write_text(HEADER + f"赵强,男,2015-02-03,居民身份证,{idx}\n", encoding="utf-8")
    run("intake", "import", db, "--school", "S2", str(ws / "s2.csv"), ok=(0, 3))
    row = rows(run("intake", "list", db, "--school", "S2", "--full-ids").stdout)[0]
    assert "number_held" in row["findings"], row
    supplement_all(db, "S2")
    run("intake", "submit", db, "--school", "S2")
    p = run("intake", "approve", db, "--school", "S2", ok=(3,))
    assert "1 returned as duplicates" in p.stderr
    row = rows(run("intake", "list", db, "--school", "S2", "--full-ids").stdout)[0]
    assert row["review"] == "returned" and row["student_number"] == ""
    audit = rows(run("intake", "audit", db, "--object", "row", "--id", row["id"]).stdout)
    assert audit[-1]["action"] == "return", audit[-1]
    assert "registration request 1" in audit[-1]["detail"] and idx[-4:] in audit[-1]["detail"]
    # two pupils without an ID number, one county, one birth date: J...001, J...002
    js = []
    for name in ("孙亮", "李明"):
        c = run("intake", "register", db, *common, "--grade", "2", "--name", name,
                "--id-type", "其他").stdout.strip()
        run("intake", "proof", db, c, "--proof", "在校就读证明 " + c)
        run("intake", "decide-register", db, c, "--approve", "--reason", "核实")
        js.append({r["id"]: r for r in rows(run("intake", "registrations", db,
                                                 "--full-ids").stdout)}[c]["student_number"])
    assert [j[:17] for j in js] == ["J1101012015020300", "J1101012015020300"], js
    assert js[0][17] == "1" and js[1][17] == "2", js


@pytest.mark.parametrize("deleted", [False, True])
def test_temporary_number_becomes_formal_on_the_centres_result(ws, deleted):
    """...unless its row was deleted meanwhile: then the result's row is
    bad, counted once, and nothing is converted."""
    good = citizen("11010120180601001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    db = intake_ws(ws, HEADER + f"王刚,男,2018-06-01,居民身份证,{bad}\n")
    supplement_all(db)
    run("intake", "submit", db, "--school", "S1")
    run("intake", "approve", db, "--school", "S1", ok=(3,))
    run("intake", "override", db, "1", "--reason", "先发临时学籍号")
    run("intake", "approve", db, "--school", "S1")
    temp = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]["student_number"]
    assert temp.startswith("L")
    req = run("intake", "key-change", db, "1", f"身份证件号={good}", "--reason", "校验位更正").stdout.strip()
    run("intake", "decide-key-change", db, req, "--approve")
    out = ws / "check.csv"
    run("intake", "export-check", db, str(out))
    sent = rows(out.read_text(encoding="utf-8-sig"))
    assert [r["学籍号"] for r in sent] == [temp]
    (ws / "result.csv").write_text(f"学籍号,结果\n{temp},通过\n", encoding="utf-8")
    if deleted:
        run("intake", "delete", db, "1", "--reason", "转学")
        p = run("intake", "import-check", db, str(ws / "result.csv"), ok=(3,))
        assert "0 L -> G" in p.stderr and "1 bad" in p.stderr, p.stderr
        audit = run("intake", "audit", db, "--object", "registration").stdout
        assert "0 L -> G" in audit and "1 L -> G" not in audit
        return
    p = run("intake", "import-check", db, str(ws / "result.csv"))
    assert "1 L -> G" in p.stderr
    now = rows(run("intake", "list", db, "--school", "S1", "--full-ids").stdout)[0]
    assert now["student_number"] == "G" + good


def test_authority_reviews_admissions_with_the_education_stage(ws):
    db = enrol_ws(ws, "V1", "中职")
    run("enrol", "assign", db, "--school", "V1", "--year", "2025", "G" + ID1)
    adm = run("enrol", "admit", db, "--school", "V1", "--year", "2025", "G" + ID1).stdout.strip()
    # The stage the reviewer selects must be the school's: 高中 for a 中职 is refused.
    p = run("enrol", "review", db, adm, "--stage", "高中", "--approve", ok=(4,))
    assert "教育阶段" in p.stderr and "vocational" in p.stderr
    run("enrol", "review", db, adm, "--stage", "中职", "--reject", ok=(2,))
    run("enrol", "review", db, adm, "--stage", "中职", "--approve", "--operator", "c-1")
    shown = rows(run("enrol", "show", db, adm).stdout)[0]
    assert shown["review"].startswith("approved: vocational")
    audit = run("enrol", "audit", db, "--object", "admission", "--id", adm).stdout
    assert "招生录取审核" in audit and "c-1" in audit




def ws_snapshot(db):
    """The workspace's bytes and its listing: what an output must not change."""
    return open(db, "rb").read(), run("intake", "list", db, "--school", "S1").stdout


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "wal"])
def test_outputs_never_replace_the_workspace(ws, how):
    """`--out`, export-not-found and export-check naming the workspace
    (itself, through a link, or its -wal) are refused, and the workspace
    stays as it was."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    run("intake", "school", db, "--school", "S1", "--region", "110101")
    run("intake", "load-registry", db, str(ws / "reg.csv"), ok=(3,))
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
    p = run("intake", "export-check", db, target, ok=(1, 2))
    assert "same file" in p.stderr and target in p.stderr
    p = run("enrol", "list", db, "--school", "S1", "--year", "2024", "--out", target, ok=(1, 2))
    assert "same file" in p.stderr
    p = run("intake", "show", db, "1", "--out", target, ok=(1, 2))
    assert "same file" in p.stderr
    assert ws_snapshot(db) == before


def test_a_workbook_listing_never_replaces_the_workspace(ws):
    """A listing written as a workbook is refused over the workspace too
    (a workspace someone named .xlsx)."""
    db = intake_ws(ws, ROSTER)
    odd = str(ws / "ws.xlsx")
    os.rename(db, odd)
    before = ws_snapshot(odd)
    for step in (("list", odd, "--school", "S1"), ("show", odd, "1")):
        p = run("intake", *step, "--out", odd, ok=(1, 2))
        assert "same file" in p.stderr, p.stderr
    assert ws_snapshot(odd) == before


def test_exports_are_csv_and_refuse_a_workbook_name(ws):
    """The exchange files are CSV: named .xlsx they are refused (a CSV under
    a workbook's name, which Excel would not open, was written), and
    nothing is written or marked."""
    db = intake_ws(ws, ROSTER)
    for step in (("export-not-found", db, "--school", "S1"), ("export-check", db)):
        p = run("intake", *step, str(ws / "out.xlsx"), ok=(2,))
        assert "CSV" in p.stderr and "out.xlsx" in p.stderr, p.stderr
        assert not (ws / "out.xlsx").exists()


def test_listing_output_replaced_whole(ws):
    """A listing to a file that exists replaces it whole, keeping its mode,
    and leaves no temporary file beside it."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    run("intake", "school", db, "--school", "S1", "--region", "110101")
    run("intake", "load-registry", db, str(ws / "reg.csv"), ok=(3,))
    run("intake", "import", db, "--school", "S1", str(ws / "roster.csv"))
    out = ws / "list.csv"
    out.write_text("old content that is longer than the new listing\n" * 100)
    os.chmod(out, 0o640)
    run("intake", "list", db, "--school", "S1", "--out", str(out))
    assert [r["name"] for r in rows(out.read_text())] == ["张伟", "刘洋"]
    assert os.stat(out).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in ws.iterdir() if ".tmp-" in p.name) == []


def test_one_row_is_one_row(ws):
    """English messages count in the singular for one: "1 row", not "1 rows"."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    (ws / "one.csv").write_text(REGISTRY.split("\n", 2)[0] + "\n" + REGISTRY.split("\n")[1] + "\n",
                                encoding="utf-8")
    p = run("intake", "load-registry", db, str(ws / "one.csv"))
    assert "1 row: 1 inserted" in p.stderr
    run("intake", "school", db, "--school", "S1", "--name", "第一小学", "--region", "110101")
    (ws / "r1.csv").write_text(ROSTER.split("\n")[0] + "\n" + ROSTER.split("\n")[2] + "\n",
                               encoding="utf-8")
    run("intake", "import", db, "--school", "S1", str(ws / "r1.csv"), ok=(0, 3))
    p = run("intake", "submit", db, "--school", "S1", ok=(4,))
    assert "1 row waits" in p.stderr or "1 for their supplement" in p.stderr, p.stderr
    p = run("intake", "audit", db)
    assert "1 row," in p.stdout and "1 rows" not in p.stdout


def test_a_short_row_is_named_by_its_first_field(ws):
    """A row the row rule refuses on import is shown by file, line and its
    first field, as the registry's loader shows one (it read row '')."""
    db = intake_ws(ws, ROSTER)
    (ws / "short.csv").write_text("序号,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                                  "A17,王小明,男,2018-03-01,居民身份证\n", encoding="utf-8")
    p = run("intake", "import", db, "--school", "S1", str(ws / "short.csv"), ok=(3,))
    assert f"{ws / 'short.csv'}:2: row 'A17': row has 5 fields" in p.stderr, p.stderr


def test_intake_columns_map_registry_and_list(ws):
    """--columns: a registry and a list whose key columns the names do not find."""
    db = str(ws / "ws.db")
    run("intake", "init", db)
    (ws / "reg_own.csv").write_text(REGISTRY.replace("姓名", "学生名称", 1), encoding="utf-8")
    (ws / "roster_own.csv").write_text(ROSTER.replace("身份证件号", "ZJHM", 1), encoding="utf-8")
    p = run("intake", "load-registry", db, str(ws / "reg_own.csv"), ok=(2,))
    assert "姓名" in p.stderr and "reg_own.csv" in p.stderr
    p = run("intake", "load-registry", db, str(ws / "reg_own.csv"), "--columns", "姓名=学生名称",
            ok=(0, 3))
    assert "1 inserted" in p.stderr
    run("intake", "school", db, "--school", "S1", "--name", "第一小学")
    run("intake", "import", db, "--school", "S1", str(ws / "roster_own.csv"), ok=(2,))
    run("intake", "import", db, "--school", "S1", str(ws / "roster_own.csv"),
        "--columns", "身份证件号=ZJHM")
    listed = rows(run("intake", "list", db, "--school", "S1").stdout)
    assert [r["status"] for r in listed] == ["matched", "not_found"]
    p = run("intake", "load-registry", db, str(ws / "reg_own.csv"), "--columns", "姓名=无此列",
            ok=(2,))
    assert "无此列" in p.stderr


def as_reader():
    """Runs a command as a user who may not write (nobody, when the tests
    run as root, who may write anything)."""
    if os.geteuid() != 0:
        return None

    def drop():
        os.setgid(65534)
        os.setuid(65534)

    return drop


def side_files(db):
    return [p for p in (db + "-wal", db + "-shm") if os.path.exists(p)]


def test_listings_of_a_read_only_workspace(tmp_path):
    """A workspace of mode 0444 in a read-only folder (or another user's)
    is listed, and the listing leaves no -wal/-shm behind; a write step on
    it is refused naming the file (listings failed, readers left both)."""
    import shutil
    import tempfile

    # a folder the other user can walk into (pytest's is private)
    top = tempfile.mkdtemp(dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        os.chmod(top, 0o755)
        db = os.path.join(top, "ws.db")
        run("enrol", "init", db)
        run("enrol", "quota", db, "--school", "H1", "--year", "2026", "--set", "5")
        assert side_files(db) == []
        listings = [
            ("enrol", "quota", db, "--school", "H1", "--year", "2026"),
            ("enrol", "list", db, "--school", "H1", "--year", "2026"),
            ("enrol", "audit", db),
            ("enrol", "policy", db),
            ("intake", "list", db, "--school", "H1"),
            ("intake", "schools", db),
        ]
        for folder_mode in (0o777, 0o555):
            os.chmod(db, 0o444)
            os.chmod(top, folder_mode)
            for args in listings:
                p = subprocess.run([XJLINK, *args], capture_output=True, text=True,
                                   timeout=120, preexec_fn=as_reader())
                assert p.returncode == 0, (args, p.stdout, p.stderr)
                assert side_files(db) == [], args
            p = subprocess.run([XJLINK, *listings[0]], capture_output=True, text=True,
                               timeout=120, preexec_fn=as_reader())
            assert rows(p.stdout) == [{"school": "H1", "year": "2026", "quota": "5", "used": "0"}]
            p = subprocess.run([XJLINK, "enrol", "quota", db, "--school", "H1", "--year", "2026",
                                "--set", "6"], capture_output=True, text=True, timeout=120,
                               preexec_fn=as_reader())
            assert p.returncode != 0
            assert db in p.stderr and "read-only" in p.stderr, p.stderr
            assert side_files(db) == []
        # the owner, the file writable again, lists it too and leaves nothing
        os.chmod(top, 0o755)
        os.chmod(db, 0o644)
        run("enrol", "audit", db)
        assert side_files(db) == []
    finally:
        os.chmod(top, 0o755)
        shutil.rmtree(top)

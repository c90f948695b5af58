"""Gender and ID type are shown one way in every listing and export of the
workflows: the standard's name (男, 女; 居民身份证) followed by its code, whatever
the school or the registry wrote ("1", "男", "M", "male", "２"; "1", "身份证")."""
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


# input as written -> (display, code)
GENDERS = [("1", "男", "1"), ("男", "男", "1"), ("M", "男", "1"), ("male", "男", "1"),
           ("２", "女", "2"), ("女性", "女", "2")]
ID_TYPES = [("1", "居民身份证", "1"), ("居民身份证", "居民身份证", "1"), ("身份证", "居民身份证", "1"),
            ("１", "居民身份证", "1"), ("户口薄", "户口簿", "B")]


def run(*args, ok=(0,), cwd=None):
    p = subprocess.run([XJLINK, *args], capture_output=True, text=True, timeout=120, cwd=cwd)
    assert p.returncode in ok, (args, p.returncode, p.stdout, p.stderr)
    return p


def rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def child(i, gender_code, born="20180301"):
    # the sequence digit's parity is the gender, so that no row has a finding
    return citizen(f"110108{born}{i:02d}{(2 * i + (gender_code == '1')) % 10}")


def shown(row, display, code, prefix=""):
    return (row[prefix + "gender"], row.get(prefix + "gender_code", code)) == (display, code)


@pytest.fixture()
def season(tmp_path):
    """Matched rows (the registry writes codes), not-found rows, a
    registration and an enrolment, each with one way of writing the fields."""
    reg = ["学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号"]
    roster = ["姓名,性别,出生日期,身份证件类型,身份证件号"]
    for i, (g, _, code) in enumerate(GENDERS):
        t = ID_TYPES[i % len(ID_TYPES)][0]
        idn = child(i, code)
        reg.append(f"P{i},张{'一二三四五六七'[i]},{code},2018-03-0{1 + i // 10},1,{idn}")
        roster.append(f"张{'一二三四五六七'[i]},{g},2018-03-0{1 + i // 10},{t},{idn}")
    for i, (g, _, code) in enumerate(GENDERS):  # not in the registry
        t = ID_TYPES[i % len(ID_TYPES)][0]
        roster.append(f"李{'一二三四五六七'[i]},{g},2018-05-0{1 + i // 10},{t},{child(i, code, '20180501')}")
    (tmp_path / "reg.csv").write_text("\n".join(reg) + "\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    db = str(tmp_path / "ws.db")
    run("intake", "init", db)
    run("intake", "school", db, "--school", "S1", "--region", "110108")
    run("intake", "load-registry", db, str(tmp_path / "reg.csv"))
    run("intake", "import", db, "--school", "S1", str(tmp_path / "roster.csv"), ok=(0, 3))
    return tmp_path, db


def test_roster_rows_and_their_candidates_show_one_gender(season):
    tmp, db = season
    listed = rows(run("intake", "list", db, "--school", "S1").stdout)
    assert len(listed) == 2 * len(GENDERS)
    for k, row in enumerate(listed):
        g, display, code = GENDERS[k % len(GENDERS)]
        t, tdisplay, tcode = ID_TYPES[k % len(GENDERS) % len(ID_TYPES)]
        assert shown(row, display, code), (g, row)
        assert (row["id_type"], row["id_type_code"]) == (tdisplay, tcode), (t, row)
        # intake show: the row, then its candidates (the registry's codes)
        tables = run("intake", "show", db, row["id"]).stdout.split("\n\n")
        one = rows(tables[0])[0]
        assert shown(one, display, code) and one["id_type"] == tdisplay
        if row["status"] == "matched":
            cand = rows(tables[1])[0]
            assert shown(cand, display, code) and cand["id_type"] == "居民身份证", (g, cand)
        # the supplement starts from the registry record or the row
        sup = rows(run("intake", "supplement", db, row["id"]).stdout)[0]
        assert shown(sup, display, code), (g, sup)
        want_type = "居民身份证" if row["status"] == "matched" else tdisplay
        assert sup["id_type"] == want_type, (t, sup)


def test_the_not_found_export_shows_them_so_and_reads_back(season):
    tmp, db = season
    out = tmp / "nf.csv"
    run("intake", "export-not-found", db, "--school", "S1", str(out))
    exported = rows(out.read_text(encoding="utf-8-sig"))
    assert [r["性别"] for r in exported] == [d for _, d, _ in GENDERS]
    assert [r["身份证件类型"] for r in exported] == [
        ID_TYPES[k % len(ID_TYPES)][1] for k in range(len(GENDERS))]
    # read back by check and by an import into another school
    p = run("check", str(out), ok=(0, 3))
    assert "gender" not in p.stdout and "id_type" not in p.stdout, p.stdout
    run("intake", "school", db, "--school", "S2", "--region", "110108")
    run("intake", "import", db, "--school", "S2", str(out), ok=(0, 3))
    again = rows(run("intake", "list", db, "--school", "S2").stdout)
    assert [(r["gender"], r["gender_code"]) for r in again] == [(d, c) for _, d, c in GENDERS]


@pytest.mark.parametrize("g,display,code", GENDERS)
def test_registrations_and_their_check_export_show_one_gender(tmp_path, g, display, code):
    db = str(tmp_path / "ws.db")
    run("intake", "init", db)
    run("intake", "school", db, "--school", "S1", "--region", "110108")
    run("intake", "register", db, "--school", "S1", "--grade", "3", "--name", "赵强",
        "--gender", g, "--birth-date", "2015-02-03", "--id-type", "身份证",
        "--id-number", child(3, code, "20150203"))
    reg = rows(run("intake", "registrations", db).stdout)[0]
    assert shown(reg, display, code) and reg["id_type"] == "居民身份证", reg
    out = tmp_path / "check.csv"
    run("intake", "export-check", db, str(out))
    sent = rows(out.read_text(encoding="utf-8-sig"))[0]
    assert (sent["性别"], sent["身份证件类型"]) == (display, "居民身份证")


@pytest.mark.parametrize("g,display,code", GENDERS)
def test_enrolment_listings_show_one_gender(tmp_path, g, display, code):
    idn = child(1, code, "20100301")
    (tmp_path / "grad.csv").write_text(
        "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
        f"G{idn},王浩,{g},2010-03-01,身份证,{idn},某中学,110108,初中,1,0\n", encoding="utf-8")
    db = str(tmp_path / "ws.db")
    run("enrol", "init", db)
    run("enrol", "load-graduates", db, str(tmp_path / "grad.csv"))
    for school, kind in (("H1", "高中"), ("V1", "中职")):
        run("enrol", "school-kind", db, "--school", school, "--kind", kind)
        run("enrol", "quota", db, "--school", school, "--year", "2025", "--set", "5")
        run("enrol", "assign", db, "--school", school, "--year", "2025", "G" + idn)
    run("enrol", "admit", db, "--school", "H1", "--year", "2025", "G" + idn)
    run("enrol", "admit", db, "--school", "V1", "--year", "2025", "G" + idn, ok=(3,))
    for listing in (rows(run("enrol", "list", db, "--school", "H1", "--year", "2025").stdout),
                    rows(run("enrol", "show", db, "1").stdout),
                    rows(run("enrol", "graduate", db, "G" + idn).stdout)):
        assert shown(listing[0], display, code) and listing[0]["id_type"] == "居民身份证", listing
    both = rows(run("enrol", "double", db, "--year", "2025").stdout)[0]
    assert shown(both, display, code), both
    for side, school in (("senior", "H1"), ("vocational", "V1")):
        (tmp_path / f"{side}.csv").write_text(
            f"学校,姓名,性别,出生日期,身份证件类型,身份证件号\n{school},王浩,{g},2010-03-01,1,{idn}\n",
            encoding="utf-8")
    p = run("enrol", "cross-check", str(tmp_path / "senior.csv"), str(tmp_path / "vocational.csv"))
    assert "1 pupil on both lists" in p.stderr, p.stderr
    cross = rows(p.stdout)[0]
    assert (cross["senior_gender"], cross["vocational_gender"]) == (display, display), cross


def test_the_code_columns_are_named_in_chinese_under_lang_zh(season):
    tmp, db = season
    head = run("--lang", "zh", "intake", "list", db, "--school", "S1").stdout.splitlines()[0]
    assert ",性别,性别码,出生日期,身份证件类型,身份证件类型码," in head, head

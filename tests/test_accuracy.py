"""Accuracy of `xjlink match` on generated data, and the harness that measures it.

The harness tests (everything but test_matcher_accuracy) check the two
independent pieces the accuracy figure rests on:
  - bench/gen_registry.c: deterministic, valid citizen numbers, and a truth
    whose categories say exactly what was done to each row (checked here with
    a normaliser of this file's own, not the library's);
  - bench/score_match.py: passes the right answer and names every target a
    wrong answer misses.
test_matcher_accuracy then runs the built `xjlink match` on a 50,000-record
registry and a 10,000-row roster and requires every target of score_match.

Run by meson (suite 'accuracy'), which sets XJL_GEN, XJL_CLI, XJL_SCORER,
XJL_REGIONS and XJL_ACCURACY_DIR.
"""
import csv
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest

SEED = 20240601
REGISTRY_SIZE = 50_000
ROSTER_SIZE = 10_000
FIELDS = ("姓名", "性别", "出生日期", "身份证件类型", "身份证件号")


def env(name):
    v = os.environ.get(name)
    if not v:
        pytest.fail(f"{name} is not set: run this through `meson test --suite accuracy`")
    return v


@pytest.fixture(scope="session")
def workdir():
    d = os.path.join(env("XJL_ACCURACY_DIR"))
    os.makedirs(d, exist_ok=True)
    return d


def generate(outdir, seed, n, m, *extra):
    shutil.rmtree(outdir, ignore_errors=True)
    r = subprocess.run([env("XJL_GEN"), "--seed", str(seed), "--registry-size", str(n),
                        "--roster-size", str(m), "--out-dir", outdir, "--regions", env("XJL_REGIONS"),
                        *extra],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return {k: os.path.join(outdir, f"{k}.csv") for k in ("registry", "roster", "truth")}


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def data(workdir):
    files = generate(os.path.join(workdir, f"data-seed{SEED}"), SEED, REGISTRY_SIZE, ROSTER_SIZE)
    registry = {r["id"]: r for r in read_rows(files["registry"])}
    roster = {r["row_id"]: r for r in read_rows(files["roster"])}
    truth = read_rows(files["truth"])
    return files, registry, roster, truth


# ---------------------------------------------------------------------------
# An independent normaliser: just enough to tell formatting from errors.

DOTS = "\u00b7\u2022\u30fb\u2027\u2219.-"
INVISIBLE = "\u200b\u200c\u200d\ufeff"


def norm_name(s):
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if not c.isspace() and c not in DOTS and c not in INVISIBLE).casefold()


def norm_gender(s):
    s = unicodedata.normalize("NFKC", s).strip()
    return {"男": 1, "1": 1, "男性": 1, "M": 1, "女": 2, "2": 2, "女性": 2, "F": 2}[s]


def norm_date(s):
    s = unicodedata.normalize("NFKC", s).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s) or \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        return datetime.date(*map(int, m.groups()))
    if re.fullmatch(r"\d{5}", s):  # Excel's serial day number
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(s))
    raise ValueError(f"not a date spelling: {s!r}")


def norm_type(s):
    return {"居民身份证": "1", "1": "1", "户口簿": "B", "户口薄": "B", "B": "B", "其他": "Z", "Z": "Z",
            "护照": "A", "A": "A", "": ""}[s]


def norm_id(s):
    return "".join(unicodedata.normalize("NFKC", s).split()).upper()


def normalise(rec):
    return (norm_name(rec["姓名"]), norm_gender(rec["性别"]), norm_date(rec["出生日期"]),
            norm_type(rec["身份证件类型"]), norm_id(rec["身份证件号"]))


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_char(body):
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def citizen_id_valid(s):
    return bool(re.fullmatch(r"\d{17}[\dX]", s)) and check_char(s[:17]) == s[17]


# ---------------------------------------------------------------------------
# The generator.

def test_generator_is_deterministic(workdir):
    a = generate(os.path.join(workdir, "det-a"), 7, 20_000, 4_000)
    b = generate(os.path.join(workdir, "det-b"), 7, 20_000, 4_000)
    c = generate(os.path.join(workdir, "det-c"), 8, 20_000, 4_000)
    for k in a:
        with open(a[k], "rb") as fa, open(b[k], "rb") as fb, open(c[k], "rb") as fc:
            da, db, dc = fa.read(), fb.read(), fc.read()
        assert da == db, f"{k}.csv differs between two runs with the same seed"
        assert da != dc, f"{k}.csv is the same for seeds 7 and 8"


NAME_ERROR_KINDS = ("polyphone", "fuzzy", "lookalike", "other_char")


def test_generator_name_errors(workdir):
    """--name-errors yes: rows with one wrong character of the name, alone or
    with the ID number missing, one character substituted or two neighbours
    swapped; --name-errors no is the default stream, byte for byte."""
    base = generate(os.path.join(workdir, "ne-default"), 7, 20_000, 4_000)
    no = generate(os.path.join(workdir, "ne-no"), 7, 20_000, 4_000, "--name-errors", "no")
    yes = generate(os.path.join(workdir, "ne-yes"), 7, 20_000, 8_000, "--name-errors", "yes")
    for k in base:
        with open(base[k], "rb") as fa, open(no[k], "rb") as fb:
            assert fa.read() == fb.read(), f"{k}.csv: --name-errors no changed the default stream"
    registry = {r["id"]: r for r in read_rows(yes["registry"])}
    roster = {r["row_id"]: r for r in read_rows(yes["roster"])}
    seen = set()
    for t in read_rows(yes["truth"]):
        kind, _, with_ = t["category"].partition("+")
        if kind not in NAME_ERROR_KINDS:
            continue
        seen.add(t["category"])
        reg, row = registry[t["true_id"]], roster[t["row_id"]]
        a, b = norm_name(reg["姓名"]), norm_name(row["姓名"])
        assert len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1, t
        assert (norm_gender(row["性别"]), norm_date(row["出生日期"])) == \
            (norm_gender(reg["性别"]), norm_date(reg["出生日期"])), t
        ra, rb = norm_id(reg["身份证件号"]), norm_id(row["身份证件号"])
        if with_ == "id_missing":
            assert ra and not rb, t
        elif with_ == "id_sub":
            assert len(ra) == len(rb) == 18 and sum(x != y for x, y in zip(ra, rb)) == 1, t
        elif with_ == "id_swap":
            d = [i for i in range(18) if ra[i] != rb[i]]
            assert len(d) == 2 and d[1] == d[0] + 1 and ra[d[0]] == rb[d[1]], t
        else:
            assert ra == rb, t
    assert seen == {k + w for k in NAME_ERROR_KINDS
                    for w in ("", "+id_missing", "+id_sub", "+id_swap")}


@pytest.mark.parametrize("argv, message", [
    ([], "usage"),
    (["--seed", "1", "--registry-size", "x", "--roster-size", "1", "--out-dir", "."], "--registry-size"),
    (["--seed", "1", "--registry-size", "0", "--roster-size", "1", "--out-dir", "."], "at least 1"),
    (["--seed", "-", "--registry-size", "5", "--roster-size", "1", "--out-dir", "."], "--seed"),
])
def test_generator_rejects_bad_arguments(argv, message):
    r = subprocess.run([env("XJL_GEN")] + argv, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert message in r.stderr


def test_registry_records_are_valid(data):
    files, registry, _, _ = data
    with open(files["registry"], encoding="utf-8") as f:
        assert f.readline() == "id,姓名,性别,出生日期,身份证件类型,身份证件号\n"
    with open(env("XJL_REGIONS"), encoding="utf-8") as f:
        regions = {line.split("\t")[0] for line in f}
    assert list(registry) == [f"P{i:08d}" for i in range(1, REGISTRY_SIZE + 1)]
    seen = {}
    noid = minority = latin = outside_bmp = 0
    for rid, r in registry.items():
        dob = datetime.date.fromisoformat(r["出生日期"])
        assert datetime.date(2018, 1, 1) <= dob <= datetime.date(2020, 12, 31), rid
        assert r["性别"] in ("男", "女"), rid
        num, typ = r["身份证件号"], r["身份证件类型"]
        if typ in ("居民身份证", "户口簿"):
            assert citizen_id_valid(num), f"{rid}: invalid citizen number {num}"
            assert num[:6] in regions, f"{rid}: region {num[:6]} not in GB/T 2260"
            assert num[6:14] == dob.strftime("%Y%m%d"), rid
            assert (int(num[16]) % 2 == 1) == (r["性别"] == "男"), f"{rid}: sequence parity vs gender"
        elif typ == "其他":
            assert num == "", rid
            noid += 1
        else:
            assert typ == "护照" and re.fullmatch(r"E\d{8}", num), rid
            latin += 1
            assert re.fullmatch(r"[A-Za-z]+ [A-Za-z]+", r["姓名"]), rid
        if num:
            seen.setdefault(num, []).append(rid)
        minority += "\u00b7" in r["姓名"]
        outside_bmp += any(ord(c) > 0xFFFF for c in r["姓名"])
    # one ID number, one child: shared only by a child's two records
    assert max(len(v) for v in seen.values()) <= 2
    assert 0.02 < noid / len(registry) < 0.045
    assert 0.005 < minority / len(registry) < 0.015
    assert 0.001 < latin / len(registry) < 0.004
    assert outside_bmp >= 1
    # a heavy head: the commonest name is shared by many children
    names = {}
    for r in registry.values():
        names[r["姓名"]] = names.get(r["姓名"], 0) + 1
    assert max(names.values()) >= 20


def test_twins_are_in_the_registry(data):
    _, registry, _, _ = data
    by_key = {}
    for rid, r in registry.items():
        num = r["身份证件号"]
        if len(num) == 18:
            by_key.setdefault((num[:14], r["姓名"][0]), []).append((int(num[14:17]), r["姓名"], rid))
    pairs = 0
    for recs in by_key.values():
        recs.sort()
        for (s1, n1, _), (s2, n2, _) in zip(recs, recs[1:]):
            pairs += s2 - s1 <= 2 and n1 != n2
    assert pairs >= 100  # about 0.6% of births are twins


def differing(reg, row):
    """Which of name, gender, dob, id (type and number together) differ after normalisation."""
    a, b = normalise(reg), normalise(row)
    out = set()
    if a[0] != b[0]:
        out.add("name")
    if a[1] != b[1]:
        out.add("gender")
    if a[2] != b[2]:
        out.add("dob")
    if a[4] != b[4] or (a[3] != b[3] and b[4]):
        out.add("id")
    return out


def check_error(cat, reg, row):
    """Asserts that row is reg with exactly the error named by cat."""
    a, b = normalise(reg), normalise(row)
    diff = differing(reg, row)
    if cat in ("trad", "homophone"):
        assert diff == {"name"}
        assert len(a[0]) == len(b[0]) and a[0][0:1] != "" and a[0] != b[0]
        if cat == "homophone":  # one given-name character, never the surname
            assert sum(x != y for x, y in zip(a[0], b[0])) == 1 and a[0][0] == b[0][0]
    elif cat == "id_sub":
        assert diff == {"id"} and len(a[4]) == len(b[4])
        assert sum(x != y for x, y in zip(a[4], b[4])) == 1
    elif cat == "id_swap":
        assert diff == {"id"} and len(a[4]) == len(b[4])
        pos = [i for i, (x, y) in enumerate(zip(a[4], b[4])) if x != y]
        assert len(pos) == 2 and pos[1] == pos[0] + 1 and a[4][pos[0]] == b[4][pos[1]]
    elif cat == "dob_swap":
        assert diff == {"dob"} and (b[2].month, b[2].day) == (a[2].day, a[2].month)
    elif cat == "dob_pm1":
        assert diff == {"dob"} and abs((b[2] - a[2]).days) == 1
    elif cat == "id_missing":
        assert diff == {"id"} and a[4] and not b[4]
    elif cat == "gender_wrong":
        assert diff == {"gender"}
    elif cat == "two_errors":
        assert len(diff) == 2
    else:
        raise AssertionError(f"unknown error category {cat}")


def test_truth_categories_are_exact(data):
    _, registry, roster, truth = data
    assert len(truth) == ROSTER_SIZE == len(roster)
    counts = {}
    registered_ids = {r["身份证件号"] for r in registry.values() if r["身份证件号"]}
    exact_person, exact_noid = {}, set()
    for rid, r in registry.items():
        key = (norm_name(r["姓名"]), r["性别"], r["出生日期"])
        exact_person.setdefault(key, []).append(rid)
        if not r["身份证件号"]:
            exact_noid.add(key)
    namesakes_of_new = 0
    for t in truth:
        cat = t["category"]
        counts[cat] = counts.get(cat, 0) + 1
        row = roster[t["row_id"]]
        if t["true_id"]:
            reg = registry[t["true_id"]]
            if cat in ("clean", "format", "twin"):
                assert reg["身份证件号"], f"{t}: no ID number, so category noid"
            if cat == "noid":
                assert not reg["身份证件号"] and not norm_id(row["身份证件号"]), t
            if cat == "clean":
                assert all(row[f] == reg[f] for f in FIELDS), t
            elif cat in ("format", "twin", "registered_twice", "namesake_reg", "noid"):
                assert differing(reg, row) == set(), t
                assert normalise(row)[3] == normalise(reg)[3], t
                if cat == "format":
                    assert any(row[f] != reg[f] for f in FIELDS), t
            else:
                check_error(cat, reg, row)
            for also in filter(None, t["also_ids"].split(";")):
                assert cat == "registered_twice"
                a = registry[also]
                assert a["性别"] == reg["性别"] and a["出生日期"] == reg["出生日期"]
                assert a["身份证件号"] in ("", reg["身份证件号"]), t
        else:
            assert cat in ("new", "namesake_new", "namesake_noid"), t
            num = norm_id(row["身份证件号"])
            assert num not in registered_ids, f"{t}: a new pupil with a registered ID number"
            if len(num) == 18:
                assert citizen_id_valid(num), t
            key = (norm_name(row["姓名"]), "男" if norm_gender(row["性别"]) == 1 else "女",
                   norm_date(row["出生日期"]).isoformat())
            # nobody could tell such a pupil from the registered record
            assert num or key not in exact_noid, f"{t}: same five fields as a registered record"
            if key in exact_person:
                namesakes_of_new += 1
                # an exact namesake is one by sound as well
                assert cat in ("namesake_new", "namesake_noid"), t
    registered = sum(n for c, n in counts.items() if c not in ("new", "namesake_new", "namesake_noid"))
    assert abs(registered - 0.85 * ROSTER_SIZE) <= 1
    assert namesakes_of_new >= 0.10 * (ROSTER_SIZE - registered)
    assert counts["clean"] + counts["format"] > 0.9 * registered
    assert 0.02 * registered < counts["noid"] < 0.04 * registered
    for cat in ("trad", "homophone", "id_sub", "id_swap", "dob_swap", "dob_pm1", "id_missing",
                "gender_wrong", "two_errors"):
        assert 0.001 * registered <= counts.get(cat, 0) <= 0.01 * registered, (cat, counts.get(cat))
    assert counts.get("twin", 0) >= 0.005 * registered
    assert counts.get("registered_twice", 0) >= 5


# ---------------------------------------------------------------------------
# The scorer.

def write_output(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["row_id", "姓名", "status", "match_id", "candidates", "score", "reasons"])
        for r in rows:
            w.writerow([r["row_id"], "x", r["status"], r["match_id"], r["candidates"], "", ""])


def right_answer(truth):
    """What a correct matcher answers: a match where one is due, candidates
    with every record of the child where the school must choose, nothing for
    pupils not registered."""
    rows = []
    for t in truth:
        ids = ([t["true_id"]] if t["true_id"] else []) + [x for x in t["also_ids"].split(";") if x]
        if t["category"] in ("clean", "format", "twin", "noid"):
            rows.append({"row_id": t["row_id"], "status": "matched", "match_id": ids[0], "candidates": ids[0]})
        elif ids:
            rows.append({"row_id": t["row_id"], "status": "pending", "match_id": "", "candidates": ";".join(ids)})
        else:
            rows.append({"row_id": t["row_id"], "status": "not_found", "match_id": "", "candidates": ""})
    return rows


def run_scorer(out_path, truth_path, *extra):
    return subprocess.run([sys.executable, env("XJL_SCORER"), out_path, truth_path, *extra],
                          capture_output=True, text=True, timeout=300)


def test_scorer_accepts_the_right_answer(data, workdir):
    files, _, _, truth = data
    out = os.path.join(workdir, "right.csv")
    write_output(out, right_answer(truth))
    r = run_scorer(out, files["truth"], "--check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all targets met" in r.stdout
    assert "false automatic matches" in r.stdout and "namesake_new" in r.stdout


def first(truth, pred, n=1):
    got = [i for i, t in enumerate(truth) if pred(t)][:n]
    assert len(got) == n, "not enough rows of the kind wanted in the generated set"
    return got


def mut_new_matched(truth, rows):
    i = first(truth, lambda t: t["category"] == "namesake_new")[0]
    rows[i].update(status="matched", match_id="P00000001", candidates="P00000001")


def mut_clean_matched_wrong(truth, rows):
    i = first(truth, lambda t: t["category"] == "clean")[0]
    wrong = "P00000002" if truth[i]["true_id"] != "P00000002" else "P00000003"
    rows[i].update(match_id=wrong, candidates=wrong)


def mut_errors_not_found(truth, rows):
    for i in first(truth, lambda t: t["category"] in ("id_sub", "dob_pm1", "homophone"), 20):
        rows[i].update(status="not_found", match_id="", candidates="")


def mut_clean_pending(truth, rows):
    for i in first(truth, lambda t: t["category"] == "clean", 20):
        rows[i].update(status="pending", match_id="")


def mut_new_alarms(truth, rows):
    for i in first(truth, lambda t: t["category"] == "new", 10):
        rows[i].update(status="pending", candidates="P00000001")


def mut_twice_one_offered(truth, rows):
    i = first(truth, lambda t: t["also_ids"] != "")[0]
    rows[i].update(status="pending", candidates=truth[i]["true_id"])


def mut_twice_matched_other_record(truth, rows):
    # matching the child's other record is no false match, but the school
    # never sees that the child was registered twice
    i = first(truth, lambda t: t["also_ids"] != "")[0]
    also = truth[i]["also_ids"].split(";")[0]
    rows[i].update(status="matched", match_id=also, candidates=also)


def mut_row_dropped(truth, rows):
    del rows[5]


def mut_bad_status(truth, rows):
    rows[3]["status"] = "maybe"


@pytest.mark.parametrize("mutate, missed", [
    (mut_new_matched, "false automatic matches: 1"),
    (mut_clean_matched_wrong, "false automatic matches: 1"),
    (mut_errors_not_found, "recall"),
    (mut_clean_pending, "automation on clean+format"),
    (mut_new_alarms, "false alarms on new pupils"),
    (mut_twice_one_offered, "registered twice"),
    (mut_twice_matched_other_record, "registered twice"),
    (mut_row_dropped, "whole output"),
    (mut_bad_status, "whole output"),
])
def test_scorer_names_each_missed_target(data, workdir, mutate, missed):
    files, _, _, truth = data
    rows = right_answer(truth)
    mutate(truth, rows)
    out = os.path.join(workdir, f"{mutate.__name__}.csv")
    write_output(out, rows)
    r = run_scorer(out, files["truth"], "--check")
    assert r.returncode == 1, r.stdout + r.stderr
    assert missed in r.stderr, r.stderr
    # one mistake, one target: nothing else is reported missed
    assert r.stderr.count(";") == 0, r.stderr
    # without --check the report is printed and the exit status is 0
    assert run_scorer(out, files["truth"]).returncode == 0


def test_scorer_counts_the_other_record_as_no_false_match(data, workdir):
    files, _, _, truth = data
    rows = right_answer(truth)
    mut_twice_matched_other_record(truth, rows)
    out = os.path.join(workdir, "other_record.csv")
    write_output(out, rows)
    r = run_scorer(out, files["truth"])
    assert re.search(r"ok\s+false automatic matches\s+0\b", r.stdout), r.stdout


def test_scorer_reports_unreadable_input(data, workdir):
    files, _, _, _ = data
    r = run_scorer(os.path.join(workdir, "no-such-file.csv"), files["truth"], "--check")
    assert r.returncode == 2 and "no-such-file.csv" in r.stderr
    bad = os.path.join(workdir, "no-status.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("row_id,match_id,candidates\nR00000001,,\n")
    r = run_scorer(bad, files["truth"], "--check")
    assert r.returncode == 2 and "no column 'status'" in r.stderr
    empty = os.path.join(workdir, "empty.csv")
    open(empty, "w").close()
    r = run_scorer(empty, files["truth"], "--check")
    assert r.returncode == 2 and "empty file" in r.stderr


# ---------------------------------------------------------------------------
# The matcher itself.

def test_matcher_accuracy(data, workdir):
    files, _, _, _ = data
    out = os.path.join(workdir, "xjlink-match.csv")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([env("XJL_CLI"), "match", "--registry", files["registry"], "--roster", files["roster"],
                        "--out", out, "--threads", "2"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"xjlink match failed (exit {r.returncode}):\n{r.stdout}\n{r.stderr}"
    assert os.path.exists(out), f"xjlink match exited 0 but wrote no {out}:\n{r.stdout}\n{r.stderr}"
    s = run_scorer(out, files["truth"], "--check", "--label", "xjlink match", "--examples", "10")
    print(s.stdout)
    assert s.returncode == 0, s.stdout + s.stderr

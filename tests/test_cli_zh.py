"""All Chinese under --lang zh (and under a zh_CN locale): every command's
output, messages, --help, summaries, progress and refusals, with no English
word left over.  Codes, ids, file paths, numbers and option names may stay
ASCII; any other run of two or more Latin letters is an English word the
catalogue lacks.

Run by meson (`meson test -C build test_cli_zh`), which sets XJLINK and
XJL_SOURCE_ROOT.
"""
import csv
import io
import os
import re
import resource
import signal
import subprocess

import pytest

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
ROOT = os.environ.get("XJL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
ROSTER = os.path.join(ROOT, "examples", "data", "roster_sample.csv")
REGISTRY = os.path.join(ROOT, "examples", "data", "registry_sample.csv")
WORKSPACE = os.environ.get("XJL_WITH_WORKSPACE", "1") == "1"

# Words that are names, not English: the program, formats, encodings, the
# language codes, the national standard's column codes, and the command and
# step names one types.
ALLOWED = {
    "xjlink", "CSV", "RFC", "UTF", "BOM", "GBK", "GB", "Excel", "xlsx", "xjx", "ID", "CRLF",
    "ISO", "MOD", "auto", "utf", "gb", "gbk", "en", "zh", "zh_CN", "LC_ALL", "LC_MESSAGES",
    "LANG", "XM", "XBM", "CSRQ", "SFZJLXM", "SFZJH", "XSMC", "ZJHM", "check", "match",
    "dedup", "index", "intake", "enrol", "build", "info", "verify", "help", "version", "id",
    # the workflows' subcommands and the values one types (xjlink intake --help)
    "init", "schools", "school", "import", "list", "show", "edit", "confirm", "none", "delete",
    "supplement", "submit", "return", "override", "approve", "reject", "register", "proof",
    "registrations", "audit", "policy", "graduate", "restore", "quota", "assign", "resolve",
    "review", "admit", "continue", "cancel", "double", "stats", "requests", "matched",
    "pending", "error", "confirmed", "county", "city", "province", "junior", "senior",
    "vocational", "self", "unified", "registration", "L",
    # the index's steps, the ops of a change file and the report's format
    "update", "compact", "op", "add", "remove", "record_id", "html", "HTML",
    # a code a listing shows as stored (GB/T 2659: China)
    "CHN",
}


def english_words(text):
    """The English words of text: what is left after taking out option names,
    file paths, ids and codes (letters with digits, '_' or '.'), numbers."""
    words = []
    for token in re.split(r"[\s,;:'\"()（），；：、。=|\[\]`]+", text):
        if not token or token.startswith("-") or "/" in token or "\\" in token:
            continue  # an option name, a file path
        for w in re.findall(r"[A-Za-z0-9_.$%*?+-]+", token):
            if re.search(r"[0-9_.$%]", w) or len(re.sub(r"[^A-Za-z]", "", w)) < 2:
                continue  # an id, a code, a number, a file name, a conversion
            if re.fullmatch(r"[a-z]+(-[a-z]+)+", w):  # load-registry: a name one types
                continue  # an id, a code, a number, a file name, a conversion
            if w.strip("*?+-") not in ALLOWED:
                words.append(w)
    return words


def test_the_scanner_finds_english():
    assert english_words("学籍库 /a/b.csv：300条记录，XQ51010400011，--registry，id_check") == []
    assert english_words("名单 roster.csv：43 rows were read") == ["rows", "were", "read"]


def run(*args, env=None, ok=(0,), preexec_fn=None):
    p = subprocess.run([XJLINK, *args], capture_output=True, text=True, timeout=120,
                       env=env, preexec_fn=preexec_fn)
    assert p.returncode in ok, (args, p.returncode, p.stdout, p.stderr)
    return p


def input_words(args):
    """Words the user gave: the arguments and the input files' text (a
    value echoed back, such as a pupil's Latin name, is not the program's)."""
    words = set(english_words(" ".join(str(a) for a in args)))
    for a in args:
        if str(a).endswith(".csv") and os.path.exists(a) and os.path.getsize(a) < 10**6:
            with open(a, encoding="utf-8-sig", errors="replace") as fh:
                words |= set(english_words(fh.read()))
    return words


def all_chinese(p, *files):
    text = p.stdout + p.stderr
    for f in files:
        with open(f, encoding="utf-8-sig") as fh:
            text += fh.read()
    given = input_words([a for a in p.args if str(a) not in map(str, files)])
    words = [w for w in english_words(text) if w not in given]
    assert not words, (p.args, words, text[:2000])
    assert re.search(r"[\u4e00-\u9fff]", p.stdout + p.stderr + (files and "中" or ""))


ZH_LOCALE = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.fixture(params=["option", "locale"])
def zh(request):
    """The two ways to ask for Chinese: --lang zh, or a zh_CN locale."""
    if request.param == "option":
        return lambda *a, **kw: run(*a, "--lang", "zh", **kw)
    return lambda *a, **kw: run(*a, env=ZH_LOCALE, **kw)


COMMANDS = ["check", "match", "dedup", "index"] + (["intake", "enrol"] if WORKSPACE else [])


def test_help(zh):
    all_chinese(zh("--help"))
    for cmd in COMMANDS:
        all_chinese(zh(cmd, "--help"))


def test_match_check_dedup_index(zh, tmp_path):
    out = tmp_path / "结果.csv"
    p = zh("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", str(out), "--progress")
    all_chinese(p, out)
    rep = tmp_path / "报告.csv"
    all_chinese(zh("check", ROSTER, "--out", str(rep), ok=(3,)), rep)
    d = tmp_path / "重复.csv"
    all_chinese(zh("dedup", "--registry", REGISTRY, "--out", str(d)), d)
    ix = tmp_path / "reg.xjx"
    all_chinese(zh("index", "build", REGISTRY, "--out", str(ix)))
    all_chinese(zh("index", "info", str(ix)))
    all_chinese(zh("index", "verify", str(ix)))
    p = zh("match", "--index", str(ix), "--roster", ROSTER, "--out", str(out))
    all_chinese(p, out)


def test_index_update_rows(zh, tmp_path):
    """Every line of a change file's report: applied, applied with a finding,
    and refused for each cause (op, record id, an id the index has already or
    lacks, field count)."""
    ix = tmp_path / "reg.xjx"
    all_chinese(zh("index", "build", REGISTRY, "--out", str(ix)))
    changes = tmp_path / "修改.csv"
    changes.write_text(
        "操作,学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n"
        "新增,XQ9,王小明,男,2018-03-01,居民身份证,110101201803010017\n"
        "新增,XQ10,李小红,女,2018-05-02,居民身份证,110101201805020010\n"
        "修改,XQ65010200002,麦麦提·艾力,男,2019-03-17,居民身份证,650102201903174950\n"
        "删除,XQ9,,,,,\n"
        "新增,XQ65010200001,王五,男,2018-01-01,居民身份证,\n"
        "修改,XQ404,王五,男,2018-01-01,居民身份证,\n"
        "合并,XQ11,赵六,男,2018-01-01,居民身份证,\n"
        "新增,,钱七,男,2018-01-01,居民身份证,\n"
        "新增,XQ12,孙八\n", encoding="utf-8")
    p = zh("index", "update", str(ix), str(changes), ok=(3,))
    all_chinese(p)
    assert "成功" in p.stdout and "警告" in p.stdout and "拒绝" in p.stdout


def test_errors_and_refusals(zh, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,性别,出生日期\n张三,男,2018-01-01\n", encoding="utf-8")
    quote = tmp_path / "quote.csv"
    quote.write_text('姓名,性别,出生日期,身份证件类型,身份证件号\n"张三,男\n', encoding="utf-8")
    cases = [
        ("frobnicate",),
        ("check",),
        ("check", ROSTER, "--frob"),
        ("check", ROSTER, "--out"),
        ("check", ROSTER, "--encoding", "latin1"),
        ("check", str(tmp_path / "missing.csv")),
        ("check", str(bad)),
        ("check", str(quote)),
        ("check", ROSTER, "--columns", "民族=MZ"),
        ("check", ROSTER, "--columns", "姓名=无此列"),
        ("match", "--roster", ROSTER),
        ("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", "-", "--threads", "x"),
        ("match", "--registry", str(bad), "--roster", ROSTER, "--out", str(tmp_path / "o.csv")),
        ("dedup", "--registry", REGISTRY),
        ("index", "frob"),
        ("index", "verify", str(bad)),
    ]
    for args in cases:
        all_chinese(zh(*args, ok=(2,)))


# ---- the program's own messages: catalogue entries, not English literals ----

EN_LOCALE = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def file_size_limit(limit):
    """A child whose writes past limit bytes fail (EFBIG) instead of killing
    it (SIGXFSZ), as `ulimit -f` does."""
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def case_workbook_cannot_be_created(tmp_path):
    # a name of 240 bytes: the library's check of the output passes (its
    # temporary file is unnamed, or .NAME.tmp-PID-N), but the workbook's
    # temporary file beside it, .NAME.tmp-PID-N-XXXXXX, is past 255 bytes
    out = str(tmp_path / ("a" * 235 + ".xlsx"))
    return dict(args=["check", ROSTER, "--out", out], ok=(1,),
                zh=f"xjlink check: 无法写入 {out}：文件名过长\n",
                en=f"xjlink check: cannot write {out}: File name too long\n")


def case_workbook_write_fails(tmp_path):
    # a file size limit the workbook's sheet passes while it is written
    with open(ROSTER, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0]] + rows[1:] * 150)
    out = str(tmp_path / "out.xlsx")
    return dict(args=["check", str(big), "--out", out], ok=(1,),
                preexec_fn=file_size_limit(256 << 10),
                zh=f"xjlink check: 写入 {out} 失败：文件过大；文件保持原样\n",
                en=f"xjlink check: writing {out} failed: File too large; the file is left as it was\n")


def case_workbook_cells_cut(tmp_path):
    # two notes longer than Excel's 32,767 characters of a cell
    with open(ROSTER, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][-1], rows[2][-1] = "中" * 40000, "中" * 33000
    roster = tmp_path / "r.csv"
    with open(roster, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out, col = str(tmp_path / "out.xlsx"), chr(ord("A") + len(rows[0]) - 1)
    return dict(args=["match", "--registry", REGISTRY, "--roster", str(roster), "--out", out],
                zh=f"xjlink match: 警告：{out}：工作表“结果”的单元格{col}2超过 Excel 单元格"
                   "32767个字符的上限，只写入了前32767个字符（共2个单元格被截断）："
                   "CSV 输出保留完整内容\n",
                en=f"xjlink match: warning: {out}: cell {col}2 of sheet 结果 Results is longer "
                   "than Excel's limit of 32767 characters; its first 32767 are written (2 cells "
                   "cut): the CSV output keeps the whole value\n")


def case_report_is_the_out_file(tmp_path):
    page = str(tmp_path / "r.html")
    return dict(args=["check", ROSTER, "--out", page, "--report", page], ok=(2,),
                zh=f"xjlink check: --report {page} 与 --out 是同一个文件\n",
                en=f"xjlink check: --report {page} is also the --out file\n")


def case_output_is_a_directory(tmp_path):
    """The library's own check of an output (every command's --out)."""
    d = tmp_path / "out.xlsx"
    d.mkdir()
    return dict(args=["check", ROSTER, "--out", str(d)], ok=(1,),
                zh=f"xjlink check: 无法写入 {d}：这是一个目录\n",
                en=f"xjlink check: cannot write {d}: it is a directory\n")


def case_output_is_the_input(tmp_path):
    reg = tmp_path / "reg.csv"
    reg.write_bytes(open(REGISTRY, "rb").read())
    link = tmp_path / "link.csv"
    link.symlink_to(reg)
    return dict(args=["dedup", "--registry", str(reg), "--out", str(link)], ok=(1, 2),
                zh=f"与输入 {reg} 是同一文件：写入会毁掉输入",
                en=f"is the same file as the input {reg}: writing it would destroy the input")


def case_version(tmp_path):
    return dict(args=["--version"], zh="（程序库 0.", en="(library 0.")


MESSAGE_CASES = {
    "workbook-cannot-be-created": case_workbook_cannot_be_created,
    "workbook-write-fails": case_workbook_write_fails,
    "workbook-cells-cut": case_workbook_cells_cut,
    "report-is-the-out-file": case_report_is_the_out_file,
    "version": case_version,
    "output-is-a-directory": case_output_is_a_directory,
    "output-is-the-input": case_output_is_the_input,
}


@pytest.mark.parametrize("case", MESSAGE_CASES)
def test_program_messages_in_chinese(zh, tmp_path, case):
    """What the program itself says (the workbook writer, --report, --version)
    is in Chinese, with no English sentence left over."""
    c = MESSAGE_CASES[case](tmp_path)
    p = zh(*c["args"], ok=c.get("ok", (0,)), preexec_fn=c.get("preexec_fn"))
    assert c["zh"] in p.stdout + p.stderr, (p.stdout[-1000:], p.stderr[-2000:])
    all_chinese(p)


@pytest.mark.parametrize("case", MESSAGE_CASES)
def test_program_messages_in_english(tmp_path, case):
    """The same messages in the default language, as they were."""
    c = MESSAGE_CASES[case](tmp_path)
    p = run(*c["args"], env=EN_LOCALE, ok=c.get("ok", (0,)), preexec_fn=c.get("preexec_fn"))
    assert c["en"] in p.stdout + p.stderr, (p.stdout[-1000:], p.stderr[-2000:])
    assert c["zh"] not in p.stdout + p.stderr


def test_lang_en_wins_over_the_locale(tmp_path):
    p = run("check", ROSTER, "--lang", "en", env=ZH_LOCALE, ok=(3,))
    assert "rows read" in p.stderr and "共" not in p.stderr
    p = run("--help", env={**ZH_LOCALE, "LC_ALL": "C"})  # LC_ALL decides first
    assert p.stdout.startswith("Usage:")
    p = run("check", ROSTER, "--lang", "fr", ok=(2,))
    assert "unknown language 'fr'" in p.stderr


# ---- the workflows: a whole intake and enrolment season in Chinese ----------


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen(first17):
    s = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[s]


ID1 = citizen("11010120180301011")
ID2 = citizen("11010520180101091")
FEMALE = citizen("11010120180601002")  # sequence digit 0: a girl's number
PRESCHOOL = (
    "学前学籍ID,姓名,性别码,出生日期,出生地码,民族码,国籍/地区码,身份证件类型码,身份证件号,"
    "港澳台侨外码,户口性质,户口所在地码,现住址,残疾类型码,是否独生子女,是否留守儿童,"
    "是否进城务工人员子女,是否孤儿\n"
    f"P001,张伟,1,2018-03-01,110101,01,CHN,1,{ID1},00,2,110101,某街1号,0,1,0,0,0\n"
    "P002,李娜,2,2018-05-02,110101,60,CHN,1,,00,2,110101,某街2号,0,1,0,0,0\n"
)
SEASON_ROSTER = (
    "姓名,性别,出生日期,身份证件类型,身份证件号\n"
    f"张伟,男,2018-03-01,居民身份证,{ID1}\n"
    f"刘洋,男,2018-01-01,居民身份证,{ID2}\n"
    f"王刚,男,2018-06-01,居民身份证,{FEMALE}\n"
)
GRADUATES = (
    "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
    f"G{ID1},张伟,男,2010-03-01,居民身份证,{ID1},某中学,110101,初中,1,0\n"
    f"G{ID2},刘洋,男,2010-01-01,居民身份证,{ID2},某中学,110105,初中,1,0\n"
    f"G{FEMALE},王芳,女,2010-06-01,居民身份证,{FEMALE},某中学,110101,初中,abc,0\n"
)


def chinese_step(zh, *args, ok=(0,), files=()):
    """One step of a season under Chinese: no English word on stdout, stderr
    or in the files it wrote (what the user gave aside)."""
    p = zh(*args, ok=ok)
    text = p.stdout + p.stderr
    for f in files:
        with open(f, encoding="utf-8-sig") as fh:
            text += fh.read()
    given = input_words([a for a in p.args if str(a) not in map(str, files)])
    words = [w for w in english_words(text) if w not in given]
    assert not words, (p.args, words, text[:2000])
    return p


@pytest.mark.skipif(not WORKSPACE, reason="built without the workspace")
def test_intake_season(zh, tmp_path):
    (tmp_path / "学前.csv").write_text(PRESCHOOL, encoding="utf-8")
    (tmp_path / "名单.csv").write_text(SEASON_ROSTER, encoding="utf-8")
    db = str(tmp_path / "ws.db")
    step = lambda *a, **kw: chinese_step(zh, *a, **kw)  # noqa: E731
    step("intake", "list", db, "--school", "S1", ok=(2,))  # no such workspace
    assert "已创建" in step("intake", "init", db).stderr
    step("intake", "init", db, ok=(2,))  # exists already
    # the bad 民族码 of P002 is reported, the rest loads
    p = step("intake", "load-registry", db, str(tmp_path / "学前.csv"), ok=(3,))
    assert "新增" in p.stderr and "民族码" in p.stderr
    step("intake", "import", db, "--school", "S1", str(tmp_path / "名单.csv"), ok=(4,))
    step("intake", "school", db, "--school", "S1", "--name", "第一小学")
    p = step("intake", "import", db, "--school", "S1", str(tmp_path / "名单.csv"), ok=(0, 3))
    assert "导入3行" in p.stderr
    listed = {r["姓名"]: r for r in csv_rows(step("intake", "list", db, "--school", "S1").stdout)}
    zhang, liu, wang = (listed[n]["编号"] for n in ("张伟", "刘洋", "王刚"))
    step("intake", "show", db, zhang)
    step("intake", "show", db, "x", ok=(2,))
    step("intake", "edit", db, zhang, "--name", "张三", ok=(4,))  # matched: not editable
    step("intake", "confirm", db, liu, "P001", ok=(4,))  # not a pending row
    step("intake", "supplement", db, zhang, "姓名=张三", ok=(4,))  # a key field
    step("intake", "supplement", db, zhang, "民族码=火星族", ok=(2, 4))  # not a code
    step("intake", "supplement", db, zhang, "无此字段=1", ok=(2,))
    step("intake", "supplement", db, zhang, "民族码=满族", "--done")
    p = step("intake", "submit", db, "--school", "S1")
    assert "未上报" in p.stderr
    step("intake", "delete", db, zhang, ok=(4,))  # submitted: the authority reviews it
    step("intake", "return", db, zhang, ok=(2,))  # needs a reason
    step("intake", "approve", db, "--school", "S1", "--role", "school", "--scope", "S1",
         ok=(4,))  # a step of the authority
    step("intake", "approve", db, "--school", "S2", "--role", "county", "--scope", "120101",
         ok=(4,))  # outside the county's scope
    step("intake", "school", db, "--school", "S1", "--region", "110101")
    step("intake", "approve", db, "--school", "S1")
    step("intake", "approve", db, "--school", "S1", ok=(4,))  # nothing submitted any more
    step("intake", "return", db, zhang, "--reason", "请核对", ok=(4,))  # approved already
    step("intake", "key-change", db, zhang, "姓名=张炜", ok=(2,))  # needs a reason
    step("intake", "key-change", db, liu, "姓名=刘阳", "--reason", "更正", ok=(4,))
    req = step("intake", "key-change", db, zhang, "姓名=张炜", "--reason", "户口簿更正").stdout
    step("intake", "decide-key-change", db, req.strip(), "--approve", "--role", "school",
         "--scope", "S1", ok=(4,))
    step("intake", "decide-key-change", db, req.strip(), "--approve")
    step("intake", "decide-key-change", db, req.strip(), "--approve", ok=(4,))  # decided
    # required fields missing (the row is not matched: its key fields need an edit)
    step("intake", "supplement", db, wang, "民族码=汉族", "--done", ok=(4,))
    step("intake", "export-not-found", db, "--school", "S1", str(tmp_path / "未查到.csv"))
    step("intake", "register", db, "--school", "S1", "--grade", "1", "--name", "赵强", ok=(2,))
    step("intake", "policy", db, "--process", "intake", "--off")
    step("intake", "supplement", db, liu, "民族码=汉族", ok=(4,))  # switched off
    step("intake", "policy", db, "--process", "无此业务", "--on", ok=(2,))
    step("intake", "nosuch", db, ok=(2,))
    for listing in ("schools", "audit", "key-changes", "registrations", "policy"):
        step("intake", listing, db)


@pytest.mark.skipif(not WORKSPACE, reason="built without the workspace")
def test_enrol_season(zh, tmp_path):
    (tmp_path / "毕业生.csv").write_text(GRADUATES, encoding="utf-8")
    db = str(tmp_path / "ws.db")
    step = lambda *a, **kw: chinese_step(zh, *a, **kw)  # noqa: E731
    step("enrol", "init", db)
    p = step("enrol", "load-graduates", db, str(tmp_path / "毕业生.csv"), ok=(3,))
    assert "是否毕业" in p.stderr  # the bad row is named
    g1, g2 = "G" + ID1, "G" + ID2
    step("enrol", "graduate", db, "G000000000000000000", ok=(4,))
    step("enrol", "admit", db, "--school", "H1", "--year", "2025", g1, ok=(4,))  # no kind
    for school, kind in (("H1", "高中"), ("V1", "中职")):
        step("enrol", "school-kind", db, "--school", school, "--kind", kind)
    step("enrol", "school-kind", db, "--school", "H1", "--kind", "大学", ok=(2,))
    step("enrol", "admit", db, "--school", "H1", "--year", "2025", g1, ok=(4,))  # no quota
    for school in ("H1", "V1"):
        step("enrol", "quota", db, "--school", school, "--year", "2025", "--set", "1")
    step("enrol", "quota", db, "--school", "H1", "--year", "2025", "--set", "abc", ok=(2,))
    step("enrol", "admit", db, "--school", "V1", "--year", "2025", g1, ok=(4,))  # not assigned
    for school in ("V1", "H1"):
        step("enrol", "assign", db, "--school", school, "--year", "2025", g1)
    step("enrol", "admit", db, "--school", "V1", "--year", "2025", g1)
    step("enrol", "admit", db, "--school", "V1", "--year", "2025", g1, ok=(4,))  # admitted
    p = step("enrol", "admit", db, "--school", "H1", "--year", "2025", g1, ok=(3,))
    assert "警告" in p.stderr
    step("enrol", "assign", db, "--school", "H1", "--year", "2025", g2)
    step("enrol", "admit", db, "--school", "H1", "--year", "2025", g2, ok=(4, 5))  # quota full
    step("enrol", "admit", db, "--school", "H1", "--year", "2025", g2, "--route", "self",
         ok=(4, 5))
    step("enrol", "admit", db, "--school", "H1", "--year", "2025", g1, "--route", "x", ok=(2,))
    req = step("enrol", "request-quota", db, "--school", "H1", "--year", "2025", "--quota", "2")
    step("enrol", "request-quota", db, "--school", "H1", "--year", "2025", "--quota", "3",
         ok=(4,))  # one open request at a time
    step("enrol", "decide-quota", db, req.stdout.strip(), "--approve", "--role", "school",
         "--scope", "H1", ok=(4,))
    step("enrol", "decide-quota", db, req.stdout.strip(), "--approve")
    both = csv_rows(step("enrol", "double", db, "--year", "2025").stdout)
    keep, cancel = both[0]["高中录取号"], both[0]["中职录取号"]
    step("enrol", "resolve", db, keep, cancel, ok=(2,))  # needs a reason
    step("enrol", "resolve", db, keep, keep, "--reason", "本人选择", ok=(2, 4))
    step("enrol", "resolve", db, keep, cancel, "--reason", "本人选择普高")
    step("enrol", "continue", db, cancel, ok=(4,))  # cancelled already
    step("enrol", "transfer-archive", db, keep)
    step("enrol", "transfer-archive", db, keep, ok=(4,))  # final
    step("enrol", "school-transfer", db, keep, "--to", "V1", ok=(4,))  # another stage
    step("enrol", "delete-graduate", db, g1, "--reason", "重复", ok=(4,))
    step("enrol", "show", db, "999", ok=(4,))
    for listing in (("list", "--school", "H1", "--year", "2025"), ("stats", "--year", "2025"),
                    ("requests",), ("audit",), ("schools",), ("show", keep)):
        step("enrol", listing[0], db, *listing[1:])


def namesakes_registry(path, n):
    """n children named 张伟 born on 2015-03-01, each with a number of their
    own: a name key with more records than the default block limit (2000)
    when n is more."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,姓名,性别,出生日期,身份证件类型,身份证件号\n")
        for i in range(n):
            seq = 2 * (i % 500) + i % 2  # odd: a boy's number
            region = ("110101", "110102", "110105", "110106", "110107")[i // 500]
            number = citizen(region + "20150301" + "%03d" % seq)
            f.write("K%d,张伟,%s,2015-03-01,居民身份证,%s\n" % (i, "男" if i % 2 else "女", number))


def test_dedup_capped_block(zh, tmp_path):
    """A namesake block over the block limit is said in a line of its own and
    counted in the summary, in English and in Chinese; one within the limit
    leaves stderr as it was (its three summary lines) and the clusters file
    unchanged."""
    reg, out = tmp_path / "namesakes.csv", tmp_path / "dups.csv"
    namesakes_registry(reg, 2003)
    r = run("dedup", "--registry", str(reg), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert (
        "xjlink dedup: block 2015: 张伟 born 2015-03-01, 2003 records (first cut: record K0), "
        "over the block limit of 2000: 2003 searches cut, 6009 pairs not compared\n" in r.stderr
    )
    assert ("search keys over the block limit of 2000: 1 (listed above), 6009 pairs not "
            "compared\n" in r.stderr)
    p = zh("dedup", "--registry", str(reg), "--out", str(out))
    all_chinese(p, out)
    assert ("查重分块2015：姓名张伟、出生日期2015-03-01的记录2003条（首条被截断检索的记录：K0），"
            "超出每个检索键2000条的上限：2003次检索被截断，6009对记录未比对\n" in p.stderr)
    assert "记录超出每键2000条上限的检索键：1个（见上），6009对记录未比对\n" in p.stderr

    small = tmp_path / "small.csv"
    namesakes_registry(small, 2000)
    r = run("dedup", "--registry", str(small), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "block limit" not in r.stderr
    assert len(r.stderr.splitlines()) == 3, r.stderr  # registry, clusters, seconds
    assert run("dedup", "--registry", REGISTRY, "--out", str(out)).stderr.count("\n") == 3


def test_dedup_reasons_in_chinese_keep_whole_record_ids(tmp_path):
    """The duplicate check's reasons in Chinese name the other record by its
    whole id, spaces and "; " included, then its score and the levels; the
    first record of a cluster (its id sorts first) is 组内首条 even when it
    also resembles another."""
    reg = tmp_path / "reg.csv"
    reg.write_text("id,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                   "XQ 001,王明,男,2015-02-03,,\n"
                   "XQ 002,王明,男,2015-02-03,,\n"
                   "K; 3 more alike,李四,女,2015-02-03,,\n"
                   "L4,李四,女,2015-02-03,,\n", encoding="utf-8")
    rows = csv_rows(run("dedup", "--registry", str(reg), "--out", "-", "--lang",
                        "zh").stdout.lstrip("\ufeff"))
    why = {r["学籍ID"]: r["原因"] for r in rows}
    assert why["XQ 001"] == why["K; 3 more alike"] == "组内首条", why
    assert why["XQ 002"].startswith("与XQ 001相连，得分13.00，证件号缺失、姓名一致"), why
    assert why["L4"].startswith("与K; 3 more alike相连，得分13.00，证件号缺失"), why
    assert "另有" not in why["L4"], why

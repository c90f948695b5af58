"""All Chinese under --lang zh (and under a zh_CN locale): every command's
output, messages, --help, summaries, progress and refusals, with no English
word left over.  Codes, ids, file paths, numbers and option names may stay
ASCII; any other run of two or more Latin letters is an English word the
catalogue lacks.

Run by meson (`meson test -C build test_cli_zh`), which sets XJLINK and
XJL_SOURCE_ROOT.
"""
import os
import re
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
    "vocational", "self", "registration", "L",
    # the index's steps, the ops of a change file and the report's format
    "update", "compact", "op", "add", "remove", "record_id", "html", "HTML",
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


def run(*args, env=None, ok=(0,)):
    p = subprocess.run([XJLINK, *args], capture_output=True, text=True, timeout=120,
                       env=env)
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


def test_lang_en_wins_over_the_locale(tmp_path):
    p = run("check", ROSTER, "--lang", "en", env=ZH_LOCALE, ok=(3,))
    assert "rows read" in p.stderr and "共" not in p.stderr
    p = run("--help", env={**ZH_LOCALE, "LC_ALL": "C"})  # LC_ALL decides first
    assert p.stdout.startswith("Usage:")
    p = run("check", ROSTER, "--lang", "fr", ok=(2,))
    assert "unknown language 'fr'" in p.stderr

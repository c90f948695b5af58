"""`xjlink match|dedup|check --report FILE.html`: the page of a run.

What the page says is read back with the standard library's HTML parser and
compared with the run's own output file; its size is checked to stay bounded
as the roster grows; hostile values (markup in names, ids, genders) must come
out as text.  Then a real browser (Debian's chromium, headless) opens it: it
renders, a screenshot is taken, the console stays silent, and the DOM it
built holds no element the input smuggled in.

Run by meson (`meson test -C build test_cli_report`), which sets XJLINK.
"""
import csv
import html.parser
import os
import re
import shutil
import subprocess

import pytest

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
ROOT = os.environ.get("XJL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
ROSTER = os.path.join(ROOT, "examples", "data", "roster_sample.csv")
REGISTRY = os.path.join(ROOT, "examples", "data", "registry_sample.csv")
HEADER = "姓名,性别,出生日期,身份证件类型,身份证件号"

SCRIPT_NAME = "<script>document.title='pwned'</script>"
IMG_GENDER = "<img src=x onerror=\"document.title='pwned'\">"
HOSTILE_ID = "<b>R1</b>&amp;\"'"
HOSTILE_FILE = "<i onclick='x'>roster.csv"


def run(*args, **kw):
    return subprocess.run([XJLINK, *args], capture_output=True, text=True, **kw)


def citizen_id(first17):
    """An 18-character citizen number with its ISO 7064 MOD 11-2 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[s % 11]


class Page(html.parser.HTMLParser):
    """What a test reads off a page: elements by tag, the text of elements by
    id and class, and the whole text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.text = []
        self.ids = set()
        self.sections = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section" and a.get("class") == "r":
            self.sections += 1
        for k in a:
            assert not k.startswith("on"), f"an event handler attribute {k} in the page"

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self):
        return "".join(self.text)


def read_page(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text, Page(text)


def statuses(out_csv):
    with open(out_csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return counts


@pytest.fixture
def hostile(tmp_path):
    """A registry and a roster whose values are markup: the roster's first row
    is pending (its name sounds the same) with a candidate whose id is markup;
    markup in a key field makes the field an error (rows 2 and 3: status
    error, shown by `check`); the roster's file name is markup too."""
    rid = citizen_id("11010120180301001")
    reg = tmp_path / "registry.csv"
    reg.write_text("id," + HEADER + "\n"
                   f"\"{HOSTILE_ID.replace(chr(34), chr(34) * 2)}\",王小明,男,2018-03-01,"
                   f"居民身份证,{rid}\n"
                   f"R2,李四,女,2018-05-02,居民身份证,{citizen_id('11010120180502002')}\n",
                   encoding="utf-8")
    roster = tmp_path / HOSTILE_FILE
    roster.write_text(HEADER + "\n"
                      f"王晓明,男,2018-03-01,居民身份证,{rid}\n"
                      f"{SCRIPT_NAME},女,2018-05-02,居民身份证,{citizen_id('11010120180502002')}\n"
                      f"李四,\"{IMG_GENDER.replace(chr(34), chr(34) * 2)}\",2018-05-02,"
                      f"居民身份证,{citizen_id('11010120180502002')}\n",
                      encoding="utf-8")
    return str(reg), str(roster)


# ---- what the page says --------------------------------------------------------

def test_match_report_agrees_with_the_output(tmp_path):
    out, page = str(tmp_path / "out.csv"), str(tmp_path / "run.html")
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", out, "--report", page)
    assert r.returncode == 0, r.stderr
    counts = statuses(out)
    text, p = read_page(page)
    assert text.startswith("<!DOCTYPE html>")
    assert {"counts", "scores", "levels", "findings", "rows"} <= p.ids
    # one section per pending row, each the row beside its candidates
    assert counts["pending"] > 0 and p.sections == counts["pending"]
    for status, n in counts.items():
        assert re.search(rf">{status}</text>.*?>{n} \(", text), status
    assert "review threshold 6.00" in p.all_text
    # self-contained: nothing is fetched, nothing runs
    assert p.tags.get("script", 0) == 0
    assert not re.search(r"(src|href)\s*=", text)


def test_report_in_chinese(tmp_path):
    out, page = str(tmp_path / "out.csv"), str(tmp_path / "run.html")
    assert run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", out,
               "--report", page, "--lang", "zh").returncode == 0
    text, p = read_page(page)
    assert '<html lang="zh-CN">' in text
    assert "待确认阈值 6.00" in p.all_text
    assert "待确认学前学籍" in p.all_text and "匹配报告" in p.all_text


def test_hostile_values_are_text(tmp_path, hostile):
    reg, roster = hostile
    out, page = str(tmp_path / "out.csv"), str(tmp_path / "run.html")
    r = run("match", "--registry", reg, "--roster", roster, "--out", out, "--report", page)
    assert r.returncode == 0, r.stderr
    assert statuses(out) == {"pending": 1, "error": 2}
    text, p = read_page(page)
    assert p.tags.get("script", 0) == 0 and p.tags.get("img", 0) == 0
    assert "b" not in p.tags and "i" not in p.tags
    assert HOSTILE_ID in p.all_text      # shown, as text
    assert HOSTILE_FILE in p.all_text
    assert "&lt;b&gt;R1&lt;/b&gt;&amp;amp;&quot;&#39;" in text

    page2 = str(tmp_path / "check.html")
    r = run("check", roster, "--report", page2)
    assert r.returncode == 3  # the name is an error
    text, p = read_page(page2)
    assert p.tags.get("script", 0) == 0 and p.tags.get("img", 0) == 0
    assert SCRIPT_NAME in p.all_text and IMG_GENDER in p.all_text
    assert "&lt;img src=x onerror=&quot;" in text


def test_report_rows_are_capped_and_the_page_says_so(tmp_path):
    out, page = str(tmp_path / "out.csv"), str(tmp_path / "run.html")
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", out, "--report", page,
            "--report-rows", "2")
    assert r.returncode == 0, r.stderr
    pending = statuses(out)["pending"]
    _, p = read_page(page)
    assert p.sections == 2
    assert "cap" in p.ids
    assert f"Shown: the first 2 of {pending}" in p.all_text


def test_report_size_is_bounded(tmp_path):
    """A roster 8 times longer, all pending, makes a page of the same size:
    what grows with the run is counted, not shown."""
    with open(ROSTER, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    out = str(tmp_path / "out.csv")
    assert run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", out).returncode == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        pending = [r[:len(head)] for r in csv.reader(f) if "pending" in r]
    sizes = []
    for copies in (60, 480):
        roster = tmp_path / f"roster{copies}.csv"
        with open(roster, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(head)
            for _ in range(copies):
                w.writerows(pending)
        page = str(tmp_path / f"run{copies}.html")
        r = run("match", "--registry", REGISTRY, "--roster", str(roster), "--out", out,
                "--report", page, "--report-rows", "50")
        assert r.returncode == 0, r.stderr
        _, p = read_page(page)
        assert p.sections == 50
        sizes.append(os.path.getsize(page))
    assert len(pending) * 60 > 50
    # the counts' digits may differ; nothing else
    assert abs(sizes[1] - sizes[0]) < 200, sizes


def test_check_report(tmp_path):
    page = str(tmp_path / "check.html")
    r = run("check", ROSTER, "--report", page)
    errors = int(re.search(r"(\d+) with errors", r.stderr).group(1))
    assert r.returncode == 3
    text, p = read_page(page)
    assert {"counts", "findings", "rows"} <= p.ids and "scores" not in p.ids
    assert f"Rows with errors ({errors})" in p.all_text
    assert "id_check" in p.all_text and "wrong check character" in p.all_text


def test_dedup_report(tmp_path):
    out, page = str(tmp_path / "d.csv"), str(tmp_path / "d.html")
    r = run("dedup", "--registry", REGISTRY, "--out", out, "--report", page)
    assert r.returncode == 0, r.stderr
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    clusters = {r["cluster_id"] for r in rows if r["cluster_id"]}
    text, p = read_page(page)
    assert f"Clusters ({len(clusters)})" in p.all_text
    for r in rows:
        if r["cluster_id"]:
            assert r["record_id"] in p.all_text
    assert {"counts", "scores", "levels", "findings", "rows"} <= p.ids


@pytest.mark.parametrize("cmd", ["match", "check", "dedup"])
def test_report_never_overwrites_an_input(tmp_path, cmd):
    roster = tmp_path / "roster.csv"
    shutil.copy(ROSTER, roster)
    before = roster.read_bytes()
    out = str(tmp_path / "out.csv")
    args = {"match": ["match", "--registry", REGISTRY, "--roster", str(roster), "--out", out],
            "check": ["check", str(roster)],
            "dedup": ["dedup", "--registry", str(roster), "--out", out]}[cmd]
    r = run(*args, "--report", str(roster))
    assert r.returncode == 2, r.stderr
    assert "roster.csv" in r.stderr
    assert roster.read_bytes() == before


def test_report_is_not_the_output(tmp_path):
    out = str(tmp_path / "out.csv")
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out", out, "--report", out)
    assert r.returncode == 2 and "--report" in r.stderr
    assert not os.path.exists(out)


def test_unwritable_report_fails_before_the_run(tmp_path):
    page = str(tmp_path / "no" / "such" / "dir" / "run.html")
    r = run("match", "--registry", REGISTRY, "--roster", ROSTER, "--out",
            str(tmp_path / "out.csv"), "--report", page)
    assert r.returncode == 2
    assert "run.html" in r.stderr
    assert not os.path.exists(tmp_path / "out.csv")


# ---- in a real browser ---------------------------------------------------------

def chromium():
    path = shutil.which("chromium")
    if not path and os.environ.get("XJL_REQUIRE_BROWSER"):  # CI installed it: its absence fails
        pytest.fail("chromium is not installed, and XJL_REQUIRE_BROWSER is set")
    if not path:
        pytest.skip("chromium is not installed (tools/deps.sh test installs it; "
                    "Debian package chromium): the page was not opened in a browser")
    return path


def browse(tmp_path, url, *args):
    """Runs headless chromium on url; returns (stdout, console lines)."""
    cmd = [chromium(), "--headless", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update",
           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
           *args, url]
    if os.geteuid() == 0:  # CI runs as root: chromium refuses its sandbox there
        cmd.insert(2, "--no-sandbox")
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS="disabled:")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    # what the page's console received: "...:INFO:CONSOLE:1] "message", source: ..."
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    return r.stdout, console


def test_the_console_check_sees_errors(tmp_path):
    """The console check below can fail: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p>"
                   "<script>no_such_function();</script></body></html>", encoding="utf-8")
    _, console = browse(tmp_path, bad.as_uri(), "--dump-dom")
    assert any("no_such_function" in l for l in console), console


def test_page_renders_in_chromium(tmp_path, hostile):
    reg, roster = hostile
    # the sample's pending rows and the hostile ones, in one page
    both = tmp_path / "both.csv"
    with open(ROSTER, encoding="utf-8-sig") as a, open(roster, encoding="utf-8") as b:
        sample = list(csv.DictReader(a))
        extra = list(csv.DictReader(b))
    with open(both, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER.split(","))
        for r in sample + extra:
            w.writerow([r[k] for k in HEADER.split(",")])
    registry = tmp_path / "registry_all.csv"
    with open(REGISTRY, encoding="utf-8") as a, open(reg, encoding="utf-8") as b:
        reg_rows = [r for r in csv.DictReader(a)]
        hostile_rows = [r for r in csv.DictReader(b)]
    with open(registry, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + HEADER.split(","))
        for r in reg_rows:
            w.writerow([r["学前学籍ID"]] + [r[k] for k in HEADER.split(",")])
        for r in hostile_rows:
            w.writerow([r["id"]] + [r[k] for k in HEADER.split(",")])
    page = tmp_path / "run.html"
    r = run("match", "--registry", str(registry), "--roster", str(both), "--out",
            str(tmp_path / "out.csv"), "--report", str(page))
    assert r.returncode == 0, r.stderr

    shot = tmp_path / "run.png"
    _, console = browse(tmp_path, page.as_uri(), f"--screenshot={shot}",
                        "--window-size=1200,2000", "--hide-scrollbars")
    assert console == [], console
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000)
    assert len(data) > 20000  # charts and tables, not a blank page

    dom, console = browse(tmp_path, page.as_uri(), "--dump-dom")
    assert console == [], console
    p = Page(dom)
    assert p.tags.get("script", 0) == 0 and p.tags.get("img", 0) == 0
    assert "<title>xjlink: Match report</title>" in dom  # no script renamed it
    assert HOSTILE_ID in p.all_text
    assert p.tags.get("svg", 0) >= 3 and p.tags.get("rect", 0) > 10
    keep = os.environ.get("XJL_REPORT_SCREENSHOT")
    if keep:  # for a look at what the browser drew
        shutil.copy(shot, keep)

"""The season of README.md's workflow section, run through the CLI.

The commands are read from the README's fenced blocks (so that the README
cannot drift from what runs) and run in order, in one shell, in a temporary
directory holding the shipped samples of examples/data under the names the
README uses.  Each command's exit status and key output are checked against
the table below, which names the commands in the README's order: a command
added, dropped or reordered in the README fails the test until the table
says what it must do.
"""
import csv
import io
import os
import re
import shutil
import subprocess

XJLINK = os.path.abspath(os.environ.get("XJLINK", "build/cli/xjlink"))
ROOT = os.environ.get("XJL_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(ROOT, "examples", "data")

# the README's file names and the samples they stand for
SAMPLES = {
    "registry.csv": "registry_sample.csv",
    "roster.csv": "roster_sample.csv",
    "graduates.csv": "graduates_sample.csv",
    "assigned.csv": "assigned_sample.csv",
    "senior.csv": "senior_sample.csv",
    "vocational.csv": "vocational_sample.csv",
    "result.csv": "check_result_sample.csv",
}


def rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def season_commands():
    """The shell lines of the fenced sh blocks of "### The workflows"."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    start = text.index("### The workflows")
    end = text.index("\n### ", start + 1)
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text[start:end], re.S):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()  # the comments say what the table checks
            if line:
                lines.append(line)
    return lines


def ok(rc=0, out=(), err=()):
    return {"rc": rc, "out": out, "err": err}


# (the command's start, what it must do), in the README's order
EXPECT = [
    ('A="--role county', ok()),
    ('S="--role school', ok()),
    ("xjlink intake init ws.db", ok(err=["created"])),
    ("xjlink intake policy ws.db --process intake --on", ok(out=["intake,1,2025-06-01"])),
    ("xjlink intake school ws.db --school S1", ok()),
    ("xjlink intake load-registry ws.db registry.csv", ok(err=["300 rows: 300 inserted"])),
    ("xjlink intake import ws.db --school S1 roster.csv",
     ok(err=["43 rows imported: 26 已匹配 matched, 12 待确认 pending, 3 未查到 not found, 2 error"])),
    ("xjlink intake list ws.db --school S1 --status pending", ok(out=["30,S1,31,曾可馨", "record:dob_mismatch"])),
    ("xjlink intake confirm ws.db 16 XQ37020200003", ok()),
    ("xjlink intake none ws.db 30", ok()),
    ("xjlink intake supplement ws.db 7 ", ok(out=[",done"])),
    ("xjlink intake supplement ws.db 30 ", ok(out=[",done"])),
    ("xjlink intake export-not-found ws.db --school S1 new.csv", ok(err=["4 not-found rows"])),
    ("xjlink intake submit ws.db --school S1", ok(err=["stays: row 1 董语桐 (supplement not done)"])),
    ("xjlink intake approve ws.db --school S1", ok(3, err=["1 approved", "1 held for their findings"])),
    ("xjlink intake override ws.db 30 --reason", ok()),
    ("xjlink intake approve ws.db --school S1", ok(err=["1 approved", "0 held"])),
    ("xjlink intake key-change ws.db 7 姓名=宋宇轩", ok(out=["1"])),
    ("xjlink intake decide-key-change ws.db 1 --approve", ok()),
    ("xjlink intake register ws.db --school S1 --grade 3", ok(out=["1"])),
    ("xjlink intake export-check ws.db check.csv", ok(err=["1 record for the national"])),
    ("xjlink intake import-check ws.db result.csv", ok(err=["1 registered, 0 refused"])),
    ("xjlink intake audit ws.db --object row --id 7",
     ok(out=["supplement-done", "formal number G510104********3819"])),
    ("xjlink enrol load-graduates ws.db graduates.csv", ok(err=["2 rows: 2 inserted"])),
    ("xjlink intake school ws.db --school H1", ok()),
    ("xjlink intake school ws.db --school V1", ok()),
    ("xjlink enrol school-kind ws.db --school H1 --kind 高中", ok()),
    ("xjlink enrol school-kind ws.db --school V1 --kind 中职", ok()),
    ("xjlink enrol quota ws.db --school H1 --year 2025 --set 300", ok()),
    ("xjlink enrol quota ws.db --school V1 --year 2025 --set 100", ok()),
    ("xjlink enrol import-assigned ws.db --school H1", ok(err=["2 rows: 2 admitted"])),
    ("xjlink enrol assign ws.db --school V1 --year 2025 G11010820100301011X", ok()),
    ("xjlink enrol admit ws.db --school V1 --year 2025 G11010820100301011X",
     ok(3, out=["3"], err=["double admission", "senior school H1"])),
    ("xjlink enrol double ws.db --year 2025", ok(out=["王浩宇,男,1,", ",1,H1,admitted,", ",3,V1,pending,"])),
    ("xjlink enrol resolve ws.db 1 3 --reason", ok()),
    ("xjlink enrol transfer-archive ws.db 1", ok()),
    ("xjlink enrol stats ws.db --year 2025", ok(out=["H1,第一中学,,senior,2,0"])),
    ("xjlink enrol cross-check senior.csv vocational.csv", ok(out=["王皓宇"], err=["both lists"])),
]


def test_readme_season_runs_as_written(tmp_path):
    commands = season_commands()
    assert [c for c in commands] and len(commands) == len(EXPECT), commands
    for cmd, (start, _) in zip(commands, EXPECT):
        assert cmd.startswith(start), (cmd, start)
    for name, sample in SAMPLES.items():
        shutil.copy(os.path.join(DATA, sample), tmp_path / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(os.path.abspath(XJLINK), bin_dir / "xjlink")
    # one shell, so that the README's variables hold for the later lines
    script = ["set -u"]
    for i, cmd in enumerate(commands):
        script.append(f"{cmd} >out.{i} 2>err.{i}; echo $? >rc.{i}")
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", LANG="C.UTF-8")
    env.pop("LC_ALL", None)
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, env=env, check=True,
                   timeout=600)
    for i, (cmd, (_, want)) in enumerate(zip(commands, EXPECT)):
        rc = int((tmp_path / f"rc.{i}").read_text())
        out = (tmp_path / f"out.{i}").read_text(encoding="utf-8")
        err = (tmp_path / f"err.{i}").read_text(encoding="utf-8")
        assert rc == want["rc"], (cmd, rc, out[:2000], err[:2000])
        for s in want["out"]:
            assert s in out, (cmd, s, out[:2000])
        for s in want["err"]:
            assert s in err, (cmd, s, err[:2000])

    def xjlink(*args):
        p = subprocess.run([XJLINK, *args], cwd=tmp_path, capture_output=True, text=True)
        assert p.returncode == 0, (args, p.stderr)
        return rows(p.stdout)

    # the numbers the season issued
    listed = {r["id"]: r for r in xjlink("intake", "list", "ws.db", "--school", "S1", "--full-ids")}
    assert listed["7"]["student_number"] == "G510104201802113819"
    assert listed["30"]["student_number"] == "G320102201810142064"
    assert listed["30"]["override"] == "户籍证明已核"
    assert listed["16"]["status"] == "confirmed"
    reg = xjlink("intake", "registrations", "ws.db", "--full-ids")
    assert reg[0]["state"] == "registered" and reg[0]["student_number"] == "G110108201502030318"
    assert xjlink("intake", "key-changes", "ws.db")[0]["state"] == "approved"
    flows = {}
    for flow in ("1", "2", "3"):
        flows.update({r["id"]: (r["school"], r["state"]) for r in xjlink("enrol", "show", "ws.db", flow)})
    assert flows == {"1": ("H1", "done"), "2": ("H1", "admitted"), "3": ("V1", "cancelled")}
    assert xjlink("enrol", "double", "ws.db", "--year", "2025") == []
    # the export of the not-found rows goes back through check and import
    p = subprocess.run([XJLINK, "check", "new.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode in (0, 3) and "4 rows read" in p.stdout + p.stderr, p.stderr

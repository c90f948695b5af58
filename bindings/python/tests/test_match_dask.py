"""Rosters matched on Dask: examples/match_dask.py on a LocalCluster of two
worker processes writes, for each roster file, the file `xjlink match
--index` writes, byte for byte; a roster that cannot be read is named and
the others are still matched; match_partitions over a Dask DataFrame gives
Index.match_dataframe of the whole frame.  The registry and roster are
bench/gen_registry's."""

import os
import re
import subprocess

import pytest
from conftest import CLI, GEN, SOURCE_ROOT, load_example

import xjlink


dask_distributed = pytest.importorskip("dask.distributed")
pytestmark = pytest.mark.skipif(not os.access(GEN, os.X_OK),
                                reason="bench/gen_registry is not built")

# the roster's rows cut into schools of these sizes (the generator's 3,000)
SCHOOLS = (1200, 800, 600, 400)


def cli_match(index, roster, out, *extra):
    """`xjlink match --index`: its summary line of the roster (in English)."""
    p = subprocess.run([CLI, "match", "--index", index, "--roster", roster, "--out", out, *extra],
                       capture_output=True, text=True, check=True)
    lines = [s for s in p.stderr.splitlines() if s.startswith("roster ")]
    return lines[0] if lines else None


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The index file, the schools' roster files (one in GB18030, one with
    rows that cannot be read) and what `xjlink match --index` makes of each."""
    d = tmp_path_factory.mktemp("match_dask")
    subprocess.run([GEN, "--seed", "5", "--registry-size", "20000", "--roster-size", "3000",
                    "--out-dir", str(d), "--regions",
                    os.path.join(SOURCE_ROOT, "data", "gb2260_region_codes.tsv")],
                   check=True, capture_output=True)
    index = str(d / "registry.xjx")
    subprocess.run([CLI, "index", "build", str(d / "registry.csv"), "--out", index],
                   check=True, capture_output=True)
    header, *rows = (d / "roster.csv").read_text(encoding="utf-8").splitlines(True)
    (d / "in").mkdir()
    (d / "cli").mkdir()
    rosters, cli_out, cli_lines, start = [], {}, {}, 0
    for k, n in enumerate(SCHOOLS):
        text = header + "".join(rows[start:start + n])
        start += n
        path = d / "in" / f"school{k}.csv"
        if k == 1:
            path.write_bytes(text.encode("gb18030"))
        else:
            if k == 2:  # a row with too few fields, one with a NUL byte
                text += "X1,张三,男\n" + "X2,李\0四,女,2019-01-01,居民身份证,\n"
            path.write_text(text, encoding="utf-8")
        rosters.append(str(path))
        out = str(d / "cli" / path.name)
        cli_lines[str(path)] = cli_match(index, str(path), out)
        with open(out, "rb") as f:
            cli_out[path.name] = f.read()
    assert "(2 unreadable rows)" in cli_lines[rosters[2]]
    return {"dir": d, "index": index, "rosters": rosters, "cli": cli_out, "lines": cli_lines}


def shared_on_worker(path):
    """The id of the Index this worker process opened for path (None: none)."""
    import xjlink.matching
    held = xjlink.matching._SHARED.get(path)
    return None if held is None else id(held[1])


def test_files_equal_the_program(data, client, tmp_path):
    ex = load_example("match_dask")
    out, work = tmp_path / "out", tmp_path / "work"
    results = ex.match_files(client, data["index"], data["rosters"], str(out), str(work))
    for r in results:
        name = os.path.basename(r["roster"])
        assert (out / name).read_bytes() == data["cli"][name], name
    assert sorted(os.listdir(out)) == sorted(data["cli"])
    assert os.listdir(work) == []  # the results were moved out, the run's directory removed
    # each roster's line as the program prints it, then the sums over the files
    lines = ex.summary(results)
    assert lines[:-1] == [data["lines"][r] for r in data["rosters"]]
    sums = [sum(int(re.search(rf"(\d+) {what}", line).group(1)) for line in lines[:-1])
            for what in ("rows", "matched", "pending", "not_found", "error", "unreadable")]
    assert lines[-1] == (f"4 of 4 rosters matched: {sums[0]} rows: {sums[1]} matched, "
                         f"{sums[2]} pending, {sums[3]} not_found, {sums[4]} error "
                         f"({sums[5]} unreadable rows)")
    assert sums[0] == sum(SCHOOLS) + 2 and sums[5] == 2
    # every worker process opened the index file once: a second run finds it open
    path = os.path.abspath(data["index"])
    opened = client.run(shared_on_worker, path)
    assert len(opened) == 2 and None not in opened.values()
    ex.match_files(client, data["index"], data["rosters"][:2], str(tmp_path / "again"), str(work))
    assert client.run(shared_on_worker, path) == opened


def test_workbook_roster_gives_a_csv(data, client, tmp_path):
    """A roster as an .xlsx workbook: NAME.csv, as `xjlink match --out NAME.csv`."""
    openpyxl = pytest.importorskip("openpyxl")
    import csv
    book = openpyxl.Workbook()
    with open(data["rosters"][3], encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            book.active.append(row)
    roster = str(tmp_path / "county.xlsx")
    book.save(roster)
    cli_match(data["index"], roster, str(tmp_path / "cli.csv"))
    example = load_example("match_dask")
    (r,) = example.match_files(client, data["index"], [roster], str(tmp_path / "out"),
                               str(tmp_path / "work"))
    assert r["out"] == str(tmp_path / "out" / "county.csv") and r["counts"]["rows"] == SCHOOLS[3]
    assert (tmp_path / "out" / "county.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()


@pytest.mark.parametrize("extra", [("--lang", "zh"), ("--lang", "zh", "--no-bom")])
def test_chinese_results_equal_the_program(data, tmp_path, extra):
    """--lang zh (and --no-bom): the program's Chinese file, BOM and all."""
    ex = load_example("match_dask")
    rosters = data["rosters"][1:3]  # the GB18030 one, the one with unreadable rows
    (tmp_path / "cli").mkdir()
    for r in rosters:
        cli_match(data["index"], r, str(tmp_path / "cli" / os.path.basename(r)), *extra)
    out = tmp_path / "out"
    assert ex.main([data["index"], str(out), *rosters, "--workers", "2", *extra]) == 0
    for r in rosters:
        name = os.path.basename(r)
        got = (out / name).read_bytes()
        assert got == (tmp_path / "cli" / name).read_bytes(), name
        assert got.startswith(b"\xef\xbb\xbf") == ("--no-bom" not in extra)
        assert "待确认学前学籍".encode() in got


def test_unreadable_rosters_are_named(data, tmp_path, capsys):
    """A missing roster, one of binary garbage and one without the key
    columns: each named with the reason, the others matched, exit status 2."""
    ex = load_example("match_dask")
    bad = tmp_path / "bad"
    bad.mkdir()
    garbage, nocols = bad / "garbage.csv", bad / "nocols.csv"
    garbage.write_bytes(bytes(range(256)) * 16)
    nocols.write_text("学号,班级\n1,一班\n", encoding="utf-8")
    missing = str(bad / "missing.csv")
    good = data["rosters"][1:3]
    out = tmp_path / "out"
    rc = ex.main([data["index"], str(out), good[0], missing, str(garbage), str(nocols), good[1],
                  "--workers", "2"])
    assert rc == 2
    err = capsys.readouterr().err.splitlines()
    for path in (missing, str(garbage), str(nocols)):
        # the reason `xjlink match` gives for the file
        p = subprocess.run([CLI, "match", "--index", data["index"], "--roster", path, "--out",
                            str(tmp_path / "cli.csv")], capture_output=True, text=True)
        assert p.returncode == 2 and p.stderr.startswith("xjlink match: file ")
        reason = p.stderr.strip()[len("xjlink match: "):]
        assert f"not matched: {path}: {reason}" in err
    said = "\n".join(err)
    assert "cannot open: No such file" in said and "missing column 姓名" in said
    assert [s for s in err if " of 5 rosters matched: " in s][0].startswith("2 of 5 rosters")
    assert [data["lines"][g] for g in good] == [s for s in err if s.startswith("roster ")]
    assert sorted(os.listdir(out)) == ["school1.csv", "school2.csv"]  # nothing else, no work dir
    for name in os.listdir(out):
        assert (out / name).read_bytes() == data["cli"][name]


def test_another_index_file_is_refused(data, client, tmp_path):
    """A worker whose file at the path is not the client's is named, before
    any roster is matched and by the task itself."""
    ex = load_example("match_dask")
    other = str(tmp_path / "other.xjx")
    with xjlink.Index.from_csv(os.path.join(data["dir"], "registry.csv"), threads=1) as ix:
        ix.remove(ix.record_id(0))
        ix.save(other)
    with xjlink.Index.open(other) as ix:
        theirs = ex.identity(ix)
    path = os.path.abspath(data["index"])
    with pytest.raises(RuntimeError) as e:
        ex.check_workers(client, path, theirs)
    said = str(e.value).splitlines()
    assert len(said) == 3 and all("is not the client's index file" in s for s in said[1:])
    f = client.submit(ex.match_file, data["rosters"][0], str(tmp_path / "x.csv"), path, theirs,
                      pure=False)
    with pytest.raises(RuntimeError, match="19999 records"):
        f.result()
    assert not (tmp_path / "x.csv").exists()


def test_match_partitions_equals_the_whole_frame(data, client):
    dd = pytest.importorskip("dask.dataframe")
    import pandas
    ex = load_example("match_dask")
    df = pandas.read_csv(os.path.join(data["dir"], "roster.csv"), dtype=str)
    ddf = dd.from_pandas(df, npartitions=4)
    assert ddf.npartitions >= 3
    lazy = ex.match_partitions(ddf, data["index"])
    got = client.compute(lazy).result()
    with xjlink.Index.open(data["index"]) as ix:
        whole = ix.match_dataframe(df, threads=1)
    assert (whole["status"] == "matched").sum() > 2000
    pandas.testing.assert_frame_equal(got.reset_index(drop=True), whole.reset_index(drop=True))
    pandas.testing.assert_series_equal(lazy._meta.dtypes, got.dtypes)  # the meta is right
    opened = client.run(shared_on_worker, os.path.abspath(data["index"]))
    assert None not in opened.values()
    client.compute(ex.match_partitions(ddf, data["index"])).result()
    assert client.run(shared_on_worker, os.path.abspath(data["index"])) == opened

"""The duplicate check from Python and on Dask: examples/dedup_dask.py on a
LocalCluster of worker processes gives the same file, byte for byte, as
`xjlink dedup` in one process, on generated registries whose duplicates and
twins are known.

The registry generator here plants what the check must handle at block
edges (31 December / 1 January, a birth date in another year than the one in
the ID number, passports whose birth year was mistyped) besides children
registered twice and twins; with gen_registry built (bench/), a registry of
its making is checked too.
"""

import csv
import os
import random
import re
import subprocess

import pytest
from conftest import CLI, GEN, SOURCE_ROOT, load_example

import xjlink
import xjlink.dedup as xd


dask_distributed = pytest.importorskip("dask.distributed")

SURNAMES = "王李张刘陈杨黄赵吴周"
# homophone groups: a typo swaps a character for another of its group
HOMOPHONES = ["涵含晗", "宇雨语", "轩宣萱", "梓子紫", "欣新馨", "怡仪宜", "浩昊皓"]
GIVEN = "".join(HOMOPHONES) + "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
REGIONS = ["110101", "310104", "440305", "510104", "330106", "370102", "420102"]


def check_char(body):
    s = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body))
    return "10X98765432"[s % 11]


def citizen_id(region, ymd, seq):
    body = f"{region}{ymd}{seq:03d}"
    return body + check_char(body)


def homophone(name):
    for i in range(len(name) - 1, 0, -1):
        for g in HOMOPHONES:
            if name[i] in g:
                other = g[(g.index(name[i]) + 1) % len(g)]
                return name[:i] + other + name[i + 1:]
    return None


def generate(path, n, seed):
    """Writes a registry of about n records; returns (dup pairs, twin pairs),
    pairs of record ids."""
    rnd = random.Random(seed)
    used = set()
    rows, dups, twins = [], [], []

    def new_id(dob, male):
        while True:
            seq = rnd.randrange(1, 999)
            if (seq % 2 == 1) != male:
                seq += 1
            key = (dob, seq)
            if key not in used and seq < 1000:
                used.add(key)
                return citizen_id(rnd.choice(REGIONS), dob.replace("-", ""), seq)

    def add(name, male, dob, idtype, number):
        rid = f"R{len(rows) + 1:06d}"
        rows.append([rid, name, "男" if male else "女", dob, idtype, number])
        return rid

    def child():
        male = rnd.random() < 0.5
        y = rnd.choice([2017, 2018, 2019, 2020])
        m, d = rnd.randrange(1, 13), rnd.randrange(1, 29)
        if rnd.random() < 0.03:  # the block edges
            m, d = rnd.choice([(12, 31), (1, 1)])
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2])))
        return name, male, f"{y}-{m:02d}-{d:02d}"

    while len(rows) < n:
        name, male, dob = child()
        u = rnd.random()
        if u < 0.01:  # twins: valid consecutive numbers, homophone names
            other = homophone(name) or name + "一"
            a = new_id(dob, male)
            b = new_id(dob, male)
            twins.append((add(name, male, dob, "1", a), add(other, male, dob, "1", b)))
            continue
        if u < 0.015:  # a passport, registered again with the birth year mistyped
            number = f"E{rnd.randrange(10**7, 10**8)}"
            latin = rnd.choice(["DAVID WANG", "ANNA LI", "TOM ZHANG"])
            a = add(latin, male, dob, "护照", number)
            y = int(dob[:4]) + rnd.choice([-1, 1])
            dups.append((a, add(latin, male, f"{y}{dob[4:]}", "A", number)))
            continue
        if u < 0.02:  # the date in the ID number a year off the birth date
            idd = f"{int(dob[:4]) - 1}{dob[4:]}"
            number = new_id(idd, male)
            a = add(name, male, dob, "1", number)
            dups.append((a, add(name, male, idd, "B", number)))
            continue
        number = new_id(dob, male) if rnd.random() > 0.03 else ""
        a = add(name, male, dob, "1" if number else "Z", number)
        if rnd.random() < 0.03:  # registered twice, with one of the usual errors
            kind = rnd.choice(["same", "homophone", "noid", "typo", "pm1", "swap"])
            n2, dob2, t2, id2 = name, dob, "1" if number else "Z", number
            if kind == "homophone":
                n2 = homophone(name) or name
            elif kind == "noid":
                t2, id2 = "Z", ""
            elif kind == "typo" and number:
                digit = str((int(number[15]) + 1) % 10)
                id2 = number[:15] + digit + number[16:]
            elif kind == "pm1":
                t2, id2 = "Z", ""
                y, m, d = int(dob[:4]), int(dob[5:7]), int(dob[8:10])
                dob2 = {(12, 31): f"{y + 1}-01-01", (1, 1): f"{y - 1}-12-31"}.get(
                    (m, d), f"{y}-{m:02d}-{d + 1 if d < 28 else d - 1:02d}")
            elif kind == "swap":
                m, d = int(dob[5:7]), int(dob[8:10])
                if d <= 12 and d != m:
                    dob2, t2, id2 = f"{dob[:4]}-{d:02d}-{m:02d}", "Z", ""
            dups.append((a, add(n2, male, dob2, t2, id2)))
    rnd.shuffle(rows)  # duplicates anywhere, not next to each other
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号"])
        for i, r in enumerate(rows):
            w.writerow(r)
            if i == 7:
                w.writerow(["BAD1", "张三", "男"])  # a row that cannot be read
    return dups, twins


def read_clusters(path):
    """{record id: cluster} and {record id: [also ids]} of an output file."""
    cluster, also = {}, {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["class"] == "bad_id":
                continue
            cluster[r["record_id"]] = r["cluster_id"]
            also[r["record_id"]] = [a.split()[0] for a in r["reasons"].split("; also=")[1:]]
    return cluster, also


def assert_truth(path, dups, twins):
    cluster, also = read_clusters(path)
    for a, b in dups:
        together = a in cluster and cluster.get(a) == cluster.get(b)
        shown = a in also.get(b, []) or b in also.get(a, [])
        assert together or shown, f"planted duplicate {a} {b} not found"
    for a, b in twins:
        assert not (a in cluster and cluster.get(a) == cluster.get(b)), f"twins {a} {b} joined"


def run_cli(registry, out):
    p = subprocess.run([CLI, "dedup", "--registry", registry, "--out", out],
                       capture_output=True, text=True, check=True)
    assert "1 bad rows" in p.stderr or "0 bad rows" in p.stderr
    return p.stderr


def test_dask_equals_one_process(tmp_path, client, capsys):
    registry = str(tmp_path / "registry.csv")
    dups, twins = generate(registry, 6000, seed=7)
    one = str(tmp_path / "one.csv")
    stderr = run_cli(registry, one)
    # the bad row, by file:line (header, 8 rows, then it), column and value
    (bad_line,) = [line for line in stderr.splitlines() if ":10: " in line]

    example = load_example("dedup_dask")
    dask_out = str(tmp_path / "dask.csv")
    work = tmp_path / "work"
    result = example.check(registry, dask_out, client, str(work))
    assert bad_line in capsys.readouterr().err.splitlines()  # named as the program names it
    with open(one, "rb") as a, open(dask_out, "rb") as b:
        assert a.read() == b.read()
    assert result.stats["blocks"] > 5  # years, year edges, ID groups
    assert result.bad_rows == 1
    assert_truth(dask_out, dups, twins)
    s = result.stats
    assert s["clusters_same_id"] and s["clusters_no_id"] and s["clusters_fuzzy"]
    # the summary counts every class of cluster, as `xjlink dedup` does
    said = re.findall(r"(\d+) (same_id|no_id|one_id|fuzzy)", example.summary(result))
    assert sorted(c for _, c in said) == ["fuzzy", "no_id", "one_id", "same_id"]
    assert sum(int(n) for n, _ in said) == sum(s[f"clusters_{c}"] for _, c in said)


def test_python_whole_and_blocks(tmp_path):
    registry = str(tmp_path / "registry.csv")
    dups, twins = generate(registry, 3000, seed=11)
    whole = xd.dedup(registry, str(tmp_path / "whole.csv"), threads=2)
    assert whole.bad_rows == 1 and whole.diagnostics[0].line == 10
    blocks, diags = xd.split(registry, str(tmp_path / "blocks"))
    assert len(diags) == 1
    assert sum(b.records for b in blocks) >= whole.stats["records"]
    partials = [xd.run_block(b.path, b.key, str(tmp_path / f"p{b.key}.csv")) for b in blocks]
    merged = xd.merge(reversed(partials), str(tmp_path / "merged.csv"))  # any order
    assert merged.rows == whole.rows
    assert merged.stats["records"] == whole.stats["records"]
    assert_truth(str(tmp_path / "merged.csv"), dups, twins)
    # every row's class is a known one, and the Chinese file has the labels
    assert {r.cls for r in whole.rows} <= set(xd.CLASSES.values())
    whole.write_csv(str(tmp_path / "zh.csv"), lang="zh")
    assert "身份证件号重复" in (tmp_path / "zh.csv").read_text(encoding="utf-8")


def test_blocks_and_errors(tmp_path):
    assert xd.blocks(("张三", "男", "2018-12-31", "Z", "")) == (2018, 2019)
    assert xd.blocks({"姓名": "张三", "性别": "男", "出生日期": "2019-06-15",
                      "身份证件类型": "1", "身份证件号": ""}) == (2019,)
    (key,) = xd.blocks(("DAVID WANG", "男", "", "护照", "E12345678"))
    assert key >= xjlink.core.XJL_DEDUP_ID_GROUP_BASE
    bad = tmp_path / "nocol.csv"
    bad.write_text("id,姓名,性别,出生日期\n1,张三,男,2019-01-01\n", encoding="utf-8")
    with pytest.raises(xjlink.FormatError):
        xd.dedup(str(bad))
    with pytest.raises(xjlink.FormatError):
        xd.split(str(bad), str(tmp_path / "b"))
    with pytest.raises(xjlink.InvalidError):
        xd.Dedup({"no_such_parameter": 1})
    d = xd.Dedup({"review_threshold": 9})
    with pytest.raises(xjlink.FormatError):
        d.load(str(bad))
    d.finish()
    with pytest.raises(xjlink.StateError):
        d.finish()


def test_capped_blocks(tmp_path):
    """Namesakes over the block limit: the key, its figures and the line, in
    one process and merged from partials; none within the limit."""
    registry = tmp_path / "namesakes.csv"
    with open(registry, "w", encoding="utf-8") as f:
        f.write("id,姓名,性别,出生日期,身份证件类型,身份证件号\n")
        for i in range(6):
            number = citizen_id("110101", "20150301", 10 + 2 * i + i % 2)
            f.write(f"K{i},张伟,{'男' if i % 2 else '女'},2015-03-01,居民身份证,{number}\n")
    whole = xd.dedup(str(registry), params={"block_limit": 4}, threads=2)
    line = ("block 2015: 张伟 born 2015-03-01, 6 records (first cut: record K0), over the block "
            "limit of 4: 6 searches cut, 12 pairs not compared")
    assert whole.capped == [xd.Capped(2015, False, "张伟", "2015-03-01", "K0", 6, 4, 6, 12, line)]
    assert whole.stats["capped_blocks"] == 1 and whole.stats["not_compared"] == 12
    blocks, _ = xd.split(str(registry), str(tmp_path / "blocks"))
    partials = [xd.run_block(b.path, b.key, str(tmp_path / f"p{b.key}.csv"),
                             params={"block_limit": 4}) for b in blocks]
    merged = xd.merge(partials, params={"block_limit": 4})
    assert merged.capped == whole.capped and merged.rows == whole.rows
    within = xd.dedup(str(registry), params={"block_limit": 6})
    assert within.capped == [] and within.stats["not_compared"] == 0
    assert within.rows == xd.dedup(str(registry)).rows


@pytest.mark.skipif(not os.access(GEN, os.X_OK), reason="bench/gen_registry is not built")
def test_gen_registry_on_dask(tmp_path, client):
    subprocess.run([GEN, "--seed", "3", "--registry-size", "30000", "--roster-size", "10",
                    "--out-dir", str(tmp_path), "--regions",
                    os.path.join(SOURCE_ROOT, "data", "gb2260_region_codes.tsv")],
                   check=True, capture_output=True)
    registry = str(tmp_path / "registry.csv")
    one = str(tmp_path / "one.csv")
    run_cli(registry, one)
    dask_out = str(tmp_path / "dask.csv")
    load_example("dedup_dask").check(registry, dask_out, client, str(tmp_path / "work"))
    with open(one, "rb") as a, open(dask_out, "rb") as b:
        assert a.read() == b.read()


def test_workers_without_xjlink_fail_fast(client):
    """A worker that cannot import the binding: check() says so at once
    instead of waiting for tasks that never run.  (Worker processes get this
    process's sys.path, so a module no worker has stands for xjlink here.)"""
    import time
    ex = load_example("dedup_dask")
    ex.ensure_workers(client)  # this build's workers have it
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match="cannot import xjlink_on_no_worker"):
        ex.ensure_workers(client, module="xjlink_on_no_worker")
    assert time.monotonic() - t0 < 30

    class NoWorkers:
        def scheduler_info(self):
            return {"workers": {}}
    with pytest.raises(RuntimeError, match="no worker"):
        ex.check("registry.csv", "out.csv", NoWorkers(), ".")

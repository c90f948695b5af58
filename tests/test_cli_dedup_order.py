"""`xjlink dedup` of one registry in several row orders: the same clusters.

A registry from the generator (bench/gen_registry.c), with ties added: for
some children a namesake born the same day with a number of its own, and a
record of the child without number that resembles both equally; for some
records without number an identical copy.  Its data rows are shuffled with
fixed seeds; every order must give the same clusters as sets of record ids,
with the same class and every record's reasons (the row order and the
cluster numbers follow the registry and are left out of the comparison).

Run by meson (`meson test -C build test_cli_dedup_order`), which sets XJLINK
to the built program and XJL_GEN to the generator.
"""
import csv
import os
import random
import subprocess
from collections import Counter, defaultdict

XJLINK = os.environ.get("XJLINK", "build/cli/xjlink")
GEN = os.environ.get("XJL_GEN", "build/tests/gen_registry")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen(first17):
    s = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[s]


def registry_with_ties(tmp_path, size=30000, ties=200, copies=100):
    out = tmp_path / "gen"
    subprocess.run([GEN, "--seed", "11", "--registry-size", str(size), "--roster-size", "1",
                    "--out-dir", str(out), "--name-errors", "yes"],
                   check=True, capture_output=True)
    with open(out / "registry.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    numbers = {r[5] for r in rows}
    rng = random.Random(5)
    with_number = [r for r in rows
                   if len(r[5]) == 18 and r[5][:17].isdigit() and citizen(r[5][:17]) == r[5]]
    without = [r for r in rows if r[5] == "" and r[1] and r[3]]
    added = []
    for k, r in enumerate(rng.sample(with_number, ties)):
        # another child of the same name, gender and birth date (same
        # region and date, another sequence of the same parity)...
        seq = int(r[5][14:17])
        for step in range(2, 1000, 2):
            other = citizen(r[5][:14] + f"{(seq + step) % 1000:03d}")
            if other not in numbers:
                break
        numbers.add(other)
        added.append([f"T{k:04d}a", r[1], r[2], r[3], r[4], other])
        # ... and one of them registered again without a number
        added.append([f"T{k:04d}x", r[1], r[2], r[3], "", ""])
    for k, r in enumerate(rng.sample(without, copies)):
        added.append([f"T{k:04d}c"] + r[1:])
    rows += added
    path = tmp_path / "registry.csv"
    write_rows(path, header, rows)
    return path, header, rows


def write_rows(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def clusters(registry, out):
    r = subprocess.run([XJLINK, "dedup", "--registry", str(registry), "--out", str(out),
                        "--threads", "2"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    by_number = defaultdict(list)
    bad = Counter()
    with open(out, encoding="utf-8-sig", newline="") as f:
        rd = csv.reader(f)
        next(rd)
        for cluster, cls, rid, reasons in rd:
            if cls == "bad_id":
                bad[(rid, reasons, cluster != "")] += 1
            else:
                by_number[cluster].append((cls, rid, reasons))
    found = Counter()
    for members in by_number.values():
        assert len({m[0] for m in members}) == 1
        found[(members[0][0], tuple(sorted((rid, why) for _, rid, why in members)))] += 1
    return found, bad


def differing(a, b):
    return sum((a - b).values()) + sum((b - a).values())


def test_row_order_gives_the_same_clusters(tmp_path):
    path, header, rows = registry_with_ties(tmp_path)
    base, base_bad = clusters(path, tmp_path / "base.csv")
    # the ties are there: records without number between two namesakes,
    # and copies explained by one of them
    between = [c for c in base if c[0] == "one_id" and any(
        rid.endswith("x") and "; also=" in why for rid, why in c[1])]
    assert len(between) >= 100, len(between)
    assert sum(1 for c in base if any(rid.endswith("c") for rid, _ in c[1])) >= 50
    for seed in (1, 2, 3):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        spath = tmp_path / f"shuffled{seed}.csv"
        write_rows(spath, header, shuffled)
        found, bad = clusters(spath, tmp_path / f"out{seed}.csv")
        members = Counter({(c[0], tuple(rid for rid, _ in c[1])): n for c, n in found.items()})
        base_members = Counter({(c[0], tuple(rid for rid, _ in c[1])): n
                                for c, n in base.items()})
        assert differing(base_members, members) == 0, \
            f"seed {seed}: {differing(base_members, members)} clusters differ in records or class"
        assert differing(base, found) == 0, \
            f"seed {seed}: {differing(base, found)} clusters differ in their reasons"
        assert bad == base_bad

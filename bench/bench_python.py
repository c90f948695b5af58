#!/usr/bin/env python3
"""What the Python binding costs, measured against C on the same data:

  * the overhead of one Index.match() call over one xjl_matcher_match() call
    made from C (bench_binding), as a ratio;
  * Index.match_many() throughput against xjl_matcher_match_many() from C,
    and, end to end (load the registry, read the roster, match, write a CSV),
    against the `xjlink match` program;
  * two Python threads calling Index.match() against one (the GIL is released
    while the library matches);
  * resident memory over a million match() calls (a leak shows as growth).

    bench_python.py --gen GEN_REGISTRY --c-bench BENCH_BINDING --cli XJLINK
                    [--registry N] [--roster N] [--roster-phase]

--roster-phase measures only the roster phase (the CLI against
Index.match_csv and Index.match_dataframe, with and without
results_only, on the same roster), in wall and CPU seconds.

The data comes from gen_registry (the project's generator), in a temporary
directory.
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

import xjlink

def make_data(gen, tmp, n_registry, n_roster):
    """The project's deterministic generator (gen_registry, see README.md
    here): a registry with namesakes, twins and children registered twice,
    and a roster of registered children as schools retype them (formatting,
    homophones, Traditional characters, ID typos, day/month swaps, missing
    numbers) and new pupils."""
    subprocess.run([gen, "--seed", "1", "--registry-size", str(n_registry),
                    "--roster-size", str(n_roster), "--out-dir", tmp], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(tmp, "registry.csv"), os.path.join(tmp, "roster.csv")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


ROUNDS = 3


def timed(fn, rounds=ROUNDS):
    """Best time of `rounds` runs (the machine may be busy), and fn's result."""
    best, out = None, None
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best, out


def end_to_end(reg_path, roster_path, out_path):
    """What a Python user's script does: load, read, match, write."""
    with xjlink.Index.from_csv(reg_path) as x:
        with open(roster_path, encoding="utf-8", newline="") as f:
            rd = list(csv.DictReader(f))
        results = x.match_many(rd)
        with open(out_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(rd[0]) + ["status", "match_id", "candidates", "score", "reasons"])
            for row, r in zip(rd, results):
                w.writerow(list(row.values()) + [
                    r.status, r.match_id or "", ";".join(c.id for c in r.candidates),
                    f"{r.score:.2f}", r.reasons])


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def roster_phase(a, tmp, reg_path, roster_path, ix):
    """The roster phase alone: the CLI's "matched in S s" (read, match,
    write; the registry loaded) against Index.match_csv (the same streaming
    path) and Index.match_dataframe (a DataFrame already read; the whole
    frame back, and its result columns alone).

    They take turns, ROUNDS times, each keeping its best, so that other
    work on the machine slows them alike.  CPU seconds beside the wall
    clock: the CLI's are its run's less a run with a one-row roster (the
    registry's load), the Python ones the process's own over the call."""
    import re
    out_cli = os.path.join(tmp, "cli.csv")
    one_row = os.path.join(tmp, "roster_one_row.csv")
    with open(roster_path, encoding="utf-8") as f, open(one_row, "w", encoding="utf-8") as g:
        g.write(f.readline() + f.readline())

    def cli(roster):
        c = cpu_children()
        run = subprocess.run(
            [a.cli, "match", "--registry", reg_path, "--roster", roster, "--out", out_cli],
            check=True, capture_output=True, text=True)
        return float(re.search(r"matched in ([0-9.]+) s", run.stderr).group(1)), cpu_children() - c

    def py(fn):
        c, t = cpu_self(), time.perf_counter()
        out = fn()
        return time.perf_counter() - t, cpu_self() - c, out

    try:
        import pandas as pd
    except ImportError:
        pd = df = None
    else:
        df = pd.read_csv(roster_path, dtype=str, keep_default_na=False)
    out_mc = os.path.join(tmp, "match_csv.csv")
    best = {}

    def keep(name, wall, cpu):
        w, c = best.get(name, (wall, cpu))
        best[name] = (min(w, wall), min(c, cpu))

    out_df = None
    for _ in range(ROUNDS):
        wall, cpu = cli(roster_path)
        _, cpu_load = cli(one_row)
        keep("cli", wall, max(0.0, cpu - cpu_load))
        wall, cpu, _ = py(lambda: ix.match_csv(roster_path, out_mc))
        keep("match_csv", wall, cpu)
        if df is not None:
            out_df = None  # the last round's frame freed before the next is made
            wall, cpu, out_df = py(lambda: ix.match_dataframe(df))
            keep("match_dataframe", wall, cpu)
            wall, cpu, _ = py(lambda: ix.match_dataframe(df, results_only=True))
            keep("results_only", wall, cpu)
    cli(roster_path)  # the CLI's result file, for the comparisons
    with open(out_cli, encoding="utf-8") as f:
        cli_status = [row["status"] for row in csv.DictReader(f)]
    with open(out_mc, "rb") as f1, open(out_cli, "rb") as f2:
        same_file = f1.read() == f2.read()
    (cw, cc) = best["cli"]
    print("\nthe roster phase (read, match, write; the registry loaded), best of "
          f"{ROUNDS}: wall seconds, CPU seconds")
    print(f"  xjlink match (CLI)           {cw:7.2f} {cc:7.2f}   (baseline)")
    w, c = best["match_csv"]
    print(f"  Python Index.match_csv       {w:7.2f} {c:7.2f}   x{w / cw:.2f} wall, x{c / cc:.2f} CPU"
          f"   (same file byte for byte: {same_file})")
    if df is None:
        print("  (pandas not installed: match_dataframe not measured)")
    else:
        w, c = best["match_dataframe"]
        print(f"  Python Index.match_dataframe {w:7.2f} {c:7.2f}   x{w / cw:.2f} wall, x{c / cc:.2f} "
              f"CPU   (a DataFrame of {len(df)} rows already read; same statuses: "
              f"{list(out_df['status']) == cli_status})")
        w, c = best["results_only"]
        print(f"    results_only=True          {w:7.2f} {c:7.2f}   x{w / cw:.2f} wall, x{c / cc:.2f} "
              "CPU   (the result columns alone: no copy of the roster)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", help="gen_registry (not needed with --end-to-end)")
    ap.add_argument("--c-bench", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--registry", type=int, default=500_000)
    ap.add_argument("--roster", type=int, default=50_000)
    ap.add_argument("--single", type=int, default=200_000, help="single calls timed")
    ap.add_argument("--leak-calls", type=int, default=1_000_000)
    ap.add_argument("--roster-phase", action="store_true",
                    help="only the roster phase: CLI against match_csv and match_dataframe")
    ap.add_argument("--end-to-end", nargs=3, metavar=("REGISTRY", "ROSTER", "OUT"),
                    help="only run the end-to-end script (in a fresh process)")
    a = ap.parse_args()
    if a.end_to_end:
        end_to_end(*a.end_to_end)
        return 0

    with tempfile.TemporaryDirectory(prefix="xjlink-bench-") as tmp:
        reg_path, roster_path = make_data(a.gen, tmp, a.registry, a.roster)
        print(f"data: registry {a.registry} rows, roster {a.roster} rows; {os.cpu_count()} cores")
        if a.roster_phase:
            roster_phase(a, tmp, reg_path, roster_path, xjlink.Index.from_csv(reg_path))
            return 0

        load_s, ix = timed(lambda: xjlink.Index.from_csv(reg_path), rounds=1)
        with open(roster_path, encoding="utf-8", newline="") as f:
            dicts = list(csv.DictReader(f))
        tuples = [xjlink._convert.record_tuple(d) for d in dicts]  # the five fields
        ix.match_many(dicts[:2000])  # warm, as the C side is
        n = a.single
        rows = (dicts * (n // len(dicts) + 1))[:n]
        trows = (tuples * (n // len(tuples) + 1))[:n]
        m = ix._state[1]
        raw = xjlink.core.xjl_matcher_match
        status = xjlink.core.xjl_result_status

        # C and Python take turns, each keeping its best: other work on the
        # machine then slows both alike instead of one.
        cres = {}
        py_single = raw_single = py_batch = py_batch1 = None
        for _ in range(ROUNDS):
            c = subprocess.run([a.c_bench, reg_path, roster_path, str(a.single)], check=True,
                               capture_output=True, text=True).stdout
            for k, v in (line.split("=") for line in c.split()):
                v = float(v)
                better = min if k.endswith(("_us", "_s")) else max
                cres[k] = better(cres.get(k, v), v)
            dt, _ = timed(lambda: [ix.match(r).status for r in rows], rounds=1)
            py_single = min(py_single or dt, dt)
            dt, _ = timed(lambda: [status(raw(m, t)) for t in trows], rounds=1)
            raw_single = min(raw_single or dt, dt)
            dt, res = timed(lambda: ix.match_many(dicts), rounds=1)
            py_batch = max(py_batch or 0, len(dicts) / dt)
            dt, _ = timed(lambda: ix.match_many(dicts, threads=1), rounds=1)
            py_batch1 = max(py_batch1 or 0, len(dicts) / dt)
        py_single = py_single / n * 1e6
        raw_single = raw_single / n * 1e6
        c_single, c_batch, c_batch1 = (cres[k] for k in
                                       ("single_us", "batch_rows_per_s", "batch1_rows_per_s"))
        print("\nsingle match, per call (same rows, status read):")
        print(f"  C xjl_matcher_match          {c_single:7.2f} us   (baseline)")
        print(f"  Python core (raw SWIG)       {raw_single:7.2f} us   x{raw_single / c_single:.2f}"
              f"   overhead {raw_single - c_single:+.2f} us")
        print(f"  Python Index.match(dict)     {py_single:7.2f} us   x{py_single / c_single:.2f}"
              f"   overhead {py_single - c_single:+.2f} us")

        print("\nmatch_many, rows/s (dicts in, results out):")
        print(f"  C match_many, all cores      {c_batch:10.0f}   (baseline)")
        print(f"  Python match_many, all cores {py_batch:10.0f}   x{py_batch / c_batch:.2f}")
        print(f"  C match_many, 1 thread       {c_batch1:10.0f}   (baseline)")
        print(f"  Python match_many, 1 thread  {py_batch1:10.0f}   x{py_batch1 / c_batch1:.2f}")
        counts = res.counts()
        print(f"  statuses: {dict(counts)}")

        # ---- end to end against the CLI
        out_cli = os.path.join(tmp, "cli.csv")
        cli_s, _ = timed(lambda: subprocess.run(
            [a.cli, "match", "--registry", reg_path, "--roster", roster_path, "--out", out_cli],
            check=True, capture_output=True))
        out_py = os.path.join(tmp, "py.csv")
        # both in a fresh process: each pays for its start and the name tables
        e2e_s, _ = timed(lambda: subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--c-bench", a.c_bench, "--cli", a.cli,
             "--end-to-end", reg_path, roster_path, out_py], check=True))
        with open(out_cli, encoding="utf-8") as f:
            cli_status = [row["status"] for row in csv.DictReader(f)]
        same = cli_status == res.statuses()
        print("\nend to end (load registry, read roster, match, write CSV), seconds:")
        print(f"  xjlink match (CLI)           {cli_s:7.2f}   (baseline)")
        print(f"  Python script                {e2e_s:7.2f}   x{e2e_s / cli_s:.2f}"
              f"   (registry load alone {load_s:.2f} s in Python, {float(cres['load_s']):.2f} s in C)")
        print(f"  same statuses as the CLI: {same}")

        roster_phase(a, tmp, reg_path, roster_path, ix)

        # ---- threads: the GIL is released during match()
        half = trows[: n // 4]

        def worker():
            for t in half:
                ix.match(t)

        dt1, _ = timed(worker)

        def two():
            ts = [threading.Thread(target=worker) for _ in range(2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()

        dt2, _ = timed(two)
        print(f"\nIndex.match() from 2 Python threads: {2 * len(half) / dt2:.0f} calls/s against "
              f"{len(half) / dt1:.0f} from 1 (x{(2 * len(half) / dt2) / (len(half) / dt1):.2f})")

        # ---- a million calls: resident memory
        k = a.leak_calls
        q = tuples[0]
        for _ in range(50_000):
            ix.match(q).candidates
        before = rss()
        t = time.perf_counter()
        for i in range(k):
            r = ix.match(tuples[i % len(tuples)])
            r.status, r.candidates, r.reasons
        dt = time.perf_counter() - t
        grown = rss() - before
        print(f"\n{k} Index.match() calls in {dt:.1f} s: resident memory {before / 1e6:.1f} MB before, "
              f"grew {grown / 1e6:+.2f} MB ({grown / k:.2f} bytes/call)")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

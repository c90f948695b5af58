#!/usr/bin/env python3
"""accuracy_scale: accuracy of `xjlink match` against the registry's size.

    accuracy_scale.py --gen GEN_REGISTRY --xjlink XJLINK --workdir DIR
                      [--sizes 1000000,5000000,20000000,50000000] [--roster 1000000]
                      [--seed 11] [--baseline XJLINK2] [--keep-data] [--keep-outputs]
                      [--data SIZE=DIR ...]

For each registry size, one after the other: gen_registry makes a registry of
that size and a roster of the same recipe (--roster rows, 85% registered
children, with the generator's error mix), `xjlink match` matches it, and
score_match.py scores the output against the truth.  The generated files of a
size are deleted after its run unless --keep-data is given (a 50,000,000-record
registry is 3.4 GB); only one size's files exist at a time.

--data SIZE=DIR takes the registry of that size from DIR (registry.csv,
roster.csv and truth.csv, made by gen_registry with the same seed and roster
size) instead of generating it; DIR is only read, never deleted, and the
outputs go to --workdir.  A 50,000,000-record registry takes minutes to
generate, so one made once can serve several runs.

With --baseline, a second xjlink program (say, a build of the main branch) is
run on the same files right after the first, so that both columns are
measured on the same data under the same load.

Printed at each size: every figure of score_match's report (false automatic
matches, recall and the registered children missed, automation and the rows
sent to review, false alarms, children registered twice offered with all
records, mean candidates per pending row), the time to load and index the
registry and to match the roster (as `xjlink match` reports them), the wall
time, CPU time (user and system, the whole run) and peak RSS (wait4).  At the end, one table with a column per size and
a column for 200,000,000 records extrapolated from the curve: each rate
fitted as a straight line in log10(size) over the measured sizes, memory as
bytes per record of the largest size.  The extrapolation is a trend, not a
measurement.

Sizes also come from XJL_BENCH_SCALE_SIZES (comma-separated).  Exit status:
0 when every run succeeded, 1 otherwise.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score_match  # noqa: E402  (beside this file)

DEFAULT_SIZES = "1000000,5000000,20000000,50000000"
EXTRAPOLATE_TO = 200_000_000
LOAD_RE = re.compile(r"loaded and indexed in ([0-9.]+) s")
MATCH_RE = re.compile(r"matched in ([0-9.]+) s")


def parse_sizes(text):
    try:
        sizes = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        sys.exit(f"accuracy_scale: sizes {text!r}: expected whole numbers separated by commas")
    if not sizes or min(sizes) < 1:
        sys.exit(f"accuracy_scale: sizes {text!r}: expected positive sizes")
    return sizes


def run_measured(argv, log_path):
    """Runs argv; returns (exit status, wall seconds, peak RSS bytes, CPU seconds)."""
    with open(log_path, "wb") as log:
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
    return (os.waitstatus_to_exitcode(status), wall, ru.ru_maxrss * 1024,
            ru.ru_utime + ru.ru_stime)


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def parse_data(items):
    """--data SIZE=DIR items -> {size: dir}, each dir holding the three files."""
    data = {}
    for item in items or ():
        size, sep, d = item.partition("=")
        try:
            n = int(size.replace("_", ""))
        except ValueError:
            n = 0
        if not sep or n < 1 or not d:
            sys.exit(f"accuracy_scale: --data {item!r}: expected SIZE=DIR, e.g. 50000000=/data/50m")
        for k in ("registry", "roster", "truth"):
            if not os.path.isfile(os.path.join(d, f"{k}.csv")):
                sys.exit(f"accuracy_scale: --data {item!r}: no {k}.csv in {d}")
        data[n] = os.path.abspath(d)
    return data


def run_xjlink(name, program, files, outdir, registry, keep_out=False):
    """One `xjlink match`, scored; a dict of every figure, or None if it failed.
    Its output is deleted after scoring unless keep_out."""
    out = os.path.join(outdir, f"{name}.csv")
    log = os.path.join(outdir, f"{name}.log")
    status, wall, rss, cpu = run_measured([program, "match", "--registry", files["registry"], "--roster",
                                      files["roster"], "--out", out], log)
    if status != 0 or not os.path.exists(out):
        print(f"{name}: xjlink match failed (exit {status}):\n{tail(log)}")
        return None
    text = tail(log, 50)
    load, match = LOAD_RE.search(text), MATCH_RE.search(text)
    m = score_match.score_files(out, files["truth"])
    score_match.report(m, f"{name} at {registry:,} records", examples=3)
    if not keep_out:
        os.remove(out)
    m.update(wall=wall, rss=rss, cpu=cpu, rss_per_record=rss / registry,
             load_s=float(load.group(1)) if load else None,
             match_s=float(match.group(1)) if match else None)
    return m


# The rows of the summary: (label, how to show a run's figures).
def _pct(x):
    return score_match.pct(x)


ROWS = (
    ("false automatic matches", lambda m: str(m["false_matches"])),
    ("recall (registered children)", lambda m: _pct(m["recall"])),
    ("  registered children missed", lambda m: f"{m['registered'] - m['recalled']:,}"),
    ("automation (clean+format matched right)", lambda m: _pct(m["automation"])),
    ("  clean+format rows sent to review", lambda m: f"{m['auto_rows'] - m['auto_right']:,}"),
    ("false alarms (new pupils offered)", lambda m: _pct(m["false_alarm_rate"])),
    ("registered twice, all records offered",
     lambda m: f"{m['twice_all_offered']}/{m['twice_rows']}"),
    ("mean candidates per pending row",
     lambda m: "n/a" if m["mean_candidates_pending"] is None
     else f"{m['mean_candidates_pending']:.2f}"),
    ("load and index, s", lambda m: "n/a" if m["load_s"] is None else f"{m['load_s']:.1f}"),
    ("matching, s", lambda m: "n/a" if m["match_s"] is None else f"{m['match_s']:.2f}"),
    ("wall, s", lambda m: f"{m['wall']:.1f}"),
    ("CPU (user+system, load and match), s", lambda m: f"{m['cpu']:.1f}"),
    ("peak RSS, MiB", lambda m: f"{m['rss'] / 2**20:,.0f}"),
    ("peak RSS per record, bytes", lambda m: f"{m['rss_per_record']:.0f}"),
)

# Rates extrapolated to EXTRAPOLATE_TO: (label, key, shown as a percentage).
TRENDS = (
    ("recall (registered children)", "recall", True),
    ("automation (clean+format matched right)", "automation", True),
    ("false alarms (new pupils offered)", "false_alarm_rate", True),
    ("mean candidates per pending row", "mean_candidates_pending", False),
)


def fit_at(xs, ys, x):
    """Least-squares line through (log10 xs, ys), evaluated at log10 x."""
    lx = [math.log10(v) for v in xs]
    n = len(lx)
    mx, my = sum(lx) / n, sum(ys) / n
    sxx = sum((a - mx) ** 2 for a in lx)
    slope = sum((a - mx) * (b - my) for a, b in zip(lx, ys)) / sxx if sxx else 0.0
    return my + slope * (math.log10(x) - mx)


def summary(results, sizes, name):
    runs = [(s, results[s]) for s in sizes if results.get(s)]
    if not runs:
        return
    head = f"{name:<42}" + "".join(f"{s:>14,}" for s, _ in runs)
    extra = len(runs) >= 2
    if extra:
        head += f"{EXTRAPOLATE_TO:>14,}*"
    print(head)
    print("-" * len(head))
    for label, show in ROWS:
        line = f"{label:<42}" + "".join(f"{show(m):>14}" for _, m in runs)
        if extra:
            key = next((k for lab, k, _ in TRENDS if lab == label), None)
            pts = [(s, m[key]) for s, m in runs if key and m[key] is not None]
            if key and len(pts) >= 2:
                v = fit_at([p[0] for p in pts], [p[1] for p in pts], EXTRAPOLATE_TO)
                pct = next(p for lab, k, p in TRENDS if k == key)
                line += f"{_pct(v) if pct else f'{v:.2f}':>14}"
            elif label == "peak RSS per record, bytes":
                line += f"{runs[-1][1]['rss_per_record']:>14.0f}"
            elif label == "peak RSS, MiB":
                line += f"{runs[-1][1]['rss_per_record'] * EXTRAPOLATE_TO / 2**20:>14,.0f}"
        print(line)
    if extra:
        print(f"* extrapolated: rates on a line in log10(registry size) through the measured "
              f"sizes; memory at the largest size's bytes per record")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gen", required=True, help="the gen_registry program")
    ap.add_argument("--xjlink", required=True, help="the xjlink program measured")
    ap.add_argument("--baseline", help="a second xjlink program run on the same files")
    ap.add_argument("--workdir", required=True, help="where the data and outputs go")
    ap.add_argument("--sizes", default=os.environ.get("XJL_BENCH_SCALE_SIZES") or DEFAULT_SIZES)
    ap.add_argument("--roster", type=int, default=1_000_000, help="roster rows at every size")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep-data", action="store_true", help="keep the generated files")
    ap.add_argument("--keep-outputs", action="store_true",
                    help="keep each run's match output (NAME.csv beside its log) to study it")
    ap.add_argument("--data", action="append", metavar="SIZE=DIR",
                    help="an existing registry of SIZE records in DIR (only read)")
    args = ap.parse_args()
    sizes = parse_sizes(args.sizes)
    given = parse_data(args.data)
    programs = [("xjlink", os.path.abspath(args.xjlink))]
    if args.baseline:
        programs.append(("baseline", os.path.abspath(args.baseline)))
    os.makedirs(args.workdir, exist_ok=True)
    print(f"accuracy against registry size: {', '.join(f'{s:,}' for s in sizes)} records, "
          f"roster {args.roster:,} rows, seed {args.seed} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    results = {name: {} for name, _ in programs}
    ok = True
    for size in sizes:
        d = os.path.join(args.workdir, f"data-seed{args.seed}-r{size}-q{args.roster}")
        os.makedirs(d, exist_ok=True)
        src = given.get(size, d)
        files = {k: os.path.join(src, f"{k}.csv") for k in ("registry", "roster", "truth")}
        if size not in given and not all(os.path.exists(p) for p in files.values()):
            status, wall, _, _ = run_measured(
                [os.path.abspath(args.gen), "--seed", str(args.seed), "--registry-size", str(size),
                 "--roster-size", str(args.roster), "--out-dir", d], os.path.join(d, "gen.log"))
            if status != 0:
                print(f"gen_registry failed at {size:,} (exit {status}):\n"
                      f"{tail(os.path.join(d, 'gen.log'))}")
                ok = False
                continue
            print(f"\ndata: {size:,} records generated in {wall:.0f} s")
        for name, program in programs:
            print()
            m = run_xjlink(name, program, files, d, size, args.keep_outputs)  # outputs in d, never in src
            ok = ok and m is not None
            results[name][size] = m
        if not args.keep_data and args.keep_outputs:
            for k in ("registry", "roster", "truth"):  # the generated files only
                if size not in given and os.path.exists(os.path.join(d, f"{k}.csv")):
                    os.remove(os.path.join(d, f"{k}.csv"))
        elif not args.keep_data:
            shutil.rmtree(d)
    for name, _ in programs:
        print()
        summary(results[name], sizes, name)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""run_e2e: `xjlink match` end to end against DuckDB's exact join, same files, same run.

    run_e2e.py --gen GEN_REGISTRY --xjlink XJLINK --workdir DIR [--seed S]
               [--registry N] [--roster M] [--threads T] [--no-duckdb] [--name-errors]
               [--base-xjlink OLDER_XJLINK] [--no-accuracy]

Generates (once per seed and size, cached in DIR) a registry of N records and a
roster of M rows with gen_registry, then runs, one after the other:
  - `xjlink match --registry R --roster Q --out OUT --threads T`: read both
    files, build the index, match, write;
  - `xjlink index build` once (timed apart), then `xjlink match --index`: the
    registry's index file opened (its bounds checked) instead of the CSV read; its
    output must be byte-identical to the --registry run's;
  - with --base-xjlink, the same `match --registry` and `match --index` (of
    the same index file) by an older build (its output may differ; its time
    is compared, and whether its --index output is the same is said);
  - duckdb_join.mjs: DuckDB reading the same two files and joining them on
    the five raw columns (the package @duckdb/node-api is installed from npm
    into DIR at the first run; without npm the DuckDB column is skipped);
and prints wall and CPU (user + system) seconds, peak RSS (of each child process, from wait4), rows
per second, peak RSS per registry record, the ratios xjlink/DuckDB, and the
accuracy report of both outputs (score_match.py).

Sizes default to 5,000,000 and 1,000,000 and may be set by the environment:
XJL_BENCH_REGISTRY, XJL_BENCH_ROSTER, XJL_BENCH_SEED, XJL_BENCH_THREADS, and
XJL_BENCH_REPEAT (runs of each program, alternating, default 3; the fastest counts).
Exit status: 0 when xjlink ran (whatever its accuracy), 1 when it failed.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score_match  # noqa: E402  (beside this file)

DUCKDB_PACKAGE = "@duckdb/node-api"


def env_int(name, default):
    v = os.environ.get(name, "")
    if not v:
        return default
    try:
        n = int(v.replace("_", "").replace(",", ""))
    except ValueError:
        sys.exit(f"run_e2e: {name}={v!r} is not a whole number")
    if n < 1:
        sys.exit(f"run_e2e: {name}={v!r} must be at least 1")
    return n


class Run:
    """One measured child process."""

    def __init__(self, name, argv, log_path):
        self.name, self.argv, self.log_path = name, argv, log_path
        self.wall = self.maxrss = None  # of the fastest run
        self.cpu = None  # the least CPU seconds of any run (not always the fastest's)
        self.walls = []
        self.status = None
        self.ok = None  # None before the first run, then False after any failure

    def go(self, out_path=None):
        """Runs the program once more; True when it exited 0 and wrote out_path."""
        if out_path and os.path.exists(out_path):
            os.remove(out_path)  # never score a stale output
        with open(self.log_path, "wb") as log:
            t0 = time.monotonic()
            proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT)
            # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix
            # in every child waited for so far)
            _, status, ru = os.wait4(proc.pid, 0)
            wall = time.monotonic() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
        self.status = proc.returncode
        if self.status == 0 and out_path and not os.path.exists(out_path):
            self.status = f"0 but no {out_path} written"
        self.ok = self.status == 0 and self.ok is not False
        if self.ok:
            self.walls.append(wall)
            cpu = ru.ru_utime + ru.ru_stime
            if self.cpu is None or cpu < self.cpu:
                self.cpu = cpu
            if self.wall is None or wall < self.wall:
                self.wall = wall
                self.maxrss = ru.ru_maxrss * 1024  # Linux reports KiB
        return self.ok

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ensure_data(args):
    """The generated files for this seed and size, generated again only when
    the generator program changed."""
    ne = "-name-errors" if args.name_errors else ""
    d = os.path.join(args.workdir, f"data-seed{args.seed}-r{args.registry}-q{args.roster}{ne}")
    stamp = os.path.join(d, "complete")
    files = {k: os.path.join(d, f"{k}.csv") for k in ("registry", "roster", "truth")}
    gen_digest = f"gen_registry {file_digest(args.gen)}\n"
    if os.path.exists(stamp) and all(os.path.exists(p) for p in files.values()):
        with open(stamp) as f:
            if f.read() == gen_digest:
                print(f"data: cached in {d}")
                return files
    os.makedirs(d, exist_ok=True)
    if os.path.exists(stamp):
        os.remove(stamp)
    run = Run("gen_registry", [args.gen, "--seed", str(args.seed), "--registry-size", str(args.registry),
                               "--roster-size", str(args.roster), "--out-dir", d]
              + (["--name-errors", "yes"] if args.name_errors else []),
              os.path.join(d, "gen.log"))
    if not run.go():
        sys.exit(f"run_e2e: gen_registry failed (exit {run.status}):\n{run.log_tail()}")
    print(f"data: generated in {run.wall:.1f} s into {d}")
    with open(stamp, "w") as f:
        f.write(gen_digest)
    return files


def ensure_duckdb(workdir):
    """The npm prefix holding @duckdb/node-api, or None (and why) without npm."""
    prefix = os.path.join(workdir, "duckdb-node")
    if os.path.exists(os.path.join(prefix, "node_modules", *DUCKDB_PACKAGE.split("/"), "package.json")):
        return prefix, None
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "node or npm is not installed"
    os.makedirs(prefix, exist_ok=True)
    try:
        r = subprocess.run([npm, "install", "--prefix", prefix, "--no-audit", "--no-fund", DUCKDB_PACKAGE],
                           capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return None, f"npm install {DUCKDB_PACKAGE} timed out (registry unreachable?)"
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-3:]
        return None, f"npm install {DUCKDB_PACKAGE} failed (registry unreachable?): " + " | ".join(tail)
    return prefix, None


def fmt_int(n):
    return f"{n:,}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gen", required=True, help="the gen_registry program")
    ap.add_argument("--xjlink", required=True, help="the xjlink program")
    ap.add_argument("--workdir", required=True, help="where data, outputs and the npm package go")
    ap.add_argument("--seed", type=int, default=env_int("XJL_BENCH_SEED", 20240901))
    ap.add_argument("--registry", type=int, default=env_int("XJL_BENCH_REGISTRY", 5_000_000))
    ap.add_argument("--roster", type=int, default=env_int("XJL_BENCH_ROSTER", 1_000_000))
    ap.add_argument("--threads", type=int, default=env_int("XJL_BENCH_THREADS", os.cpu_count() or 1))
    ap.add_argument("--repeat", type=int, default=env_int("XJL_BENCH_REPEAT", 3),
                    help="runs of each program, alternating; the fastest counts")
    ap.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB column")
    ap.add_argument("--base-xjlink", help="an older xjlink program: its `match --registry` is timed too")
    ap.add_argument("--no-accuracy", action="store_true", help="time only, skip scoring the outputs")
    ap.add_argument("--name-errors", action="store_true",
                    help="data with one wrong character of the name (gen_registry --name-errors yes)")
    args = ap.parse_args()
    args.gen, args.xjlink = os.path.abspath(args.gen), os.path.abspath(args.xjlink)
    os.makedirs(args.workdir, exist_ok=True)

    print(f"e2e match: registry {fmt_int(args.registry)} records, roster {fmt_int(args.roster)} rows, "
          f"seed {args.seed}, {args.threads} threads, best of {args.repeat} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    data = ensure_data(args)
    outdir = os.path.join(args.workdir, f"out-seed{args.seed}-r{args.registry}-q{args.roster}")
    os.makedirs(outdir, exist_ok=True)

    xj_out = os.path.join(outdir, "xjlink.csv")
    xj = Run("xjlink match", [args.xjlink, "match", "--registry", data["registry"], "--roster", data["roster"],
                              "--out", xj_out, "--threads", str(args.threads)],
             os.path.join(outdir, "xjlink.log"))
    runs = [(xj, xj_out)]
    base = None
    if args.base_xjlink:
        base_out = os.path.join(outdir, "xjlink-base.csv")
        base = Run("older --registry", [os.path.abspath(args.base_xjlink), "match", "--registry",
                                        data["registry"], "--roster", data["roster"], "--out", base_out,
                                        "--threads", str(args.threads)],
                   os.path.join(outdir, "xjlink-base.log"))
    # the registry's index file, built once; `match --index` opens it
    ix_path = os.path.join(outdir, "registry.xjx")
    ixb = Run("xjlink index build", [args.xjlink, "index", "build", data["registry"], "--out", ix_path,
                                     "--threads", str(args.threads)],
              os.path.join(outdir, "index-build.log"))
    xi = base_ix = None
    if ixb.go(ix_path):
        print(f"index build: {ixb.wall:.2f} s, {os.path.getsize(ix_path) / args.registry:.1f} bytes/record, "
              f"peak RSS {ixb.maxrss / 2**20:.0f} MiB")
        xi_out = os.path.join(outdir, "xjlink-index.csv")
        xi = Run("xjlink match --index", [args.xjlink, "match", "--index", ix_path, "--roster", data["roster"],
                                          "--out", xi_out, "--threads", str(args.threads)],
                 os.path.join(outdir, "xjlink-index.log"))
        runs.append((xi, xi_out))
        if args.base_xjlink:  # the same index file (both builds read its format)
            base_ix_out = os.path.join(outdir, "xjlink-base-index.csv")
            base_ix = Run("older --index", [os.path.abspath(args.base_xjlink), "match", "--index", ix_path,
                                            "--roster", data["roster"], "--out", base_ix_out,
                                            "--threads", str(args.threads)],
                          os.path.join(outdir, "xjlink-base-index.log"))
    else:
        print(f"xjlink index build FAILED (exit {ixb.status}):\n{ixb.log_tail()}")
    duck = None
    if args.no_duckdb:
        print("DuckDB: skipped (--no-duckdb)")
    else:
        prefix, why = ensure_duckdb(args.workdir)
        if prefix is None:
            print(f"DuckDB: skipped, {why}")
        else:
            duck_out = os.path.join(outdir, "duckdb.csv")
            duck = Run("DuckDB exact join", ["node", os.path.join(HERE, "duckdb_join.mjs"), "--modules", prefix,
                                             "--registry", data["registry"], "--roster", data["roster"],
                                             "--out", duck_out, "--threads", str(args.threads)],
                       os.path.join(outdir, "duckdb.log"))
            runs.append((duck, duck_out))
    if base is not None:
        runs.append((base, base_out))
    if base_ix is not None:
        runs.append((base_ix, base_ix_out))
    # the two alternate, so that a busy moment of the machine does not fall
    # on one side only; each keeps its best (shortest) run
    for _ in range(max(1, args.repeat)):
        for run, out_path in runs:
            if run.ok is not False:
                run.go(out_path)
    for run, _ in runs:
        if not run.ok:
            print(f"\n{run.name} FAILED (exit {run.status}); its last output:\n{run.log_tail()}")
    if duck is not None and duck.ok:
        print(duck.log_tail(1).strip())
    # speed and memory, side by side
    print()
    head = f"{'':<20}{'wall s':>10}{'CPU s':>8}{'peak RSS MiB':>15}{'roster rows/s':>16}{'RSS B/registry rec':>21}"
    print(head)
    print("-" * len(head))
    for run, _ in runs:
        if not run.ok:
            print(f"{run.name:<20}{'failed':>10}")
            continue
        print(f"{run.name:<20}{run.wall:>10.2f}{run.cpu:>8.2f}{run.maxrss / 2**20:>15.1f}"
              f"{args.roster / run.wall:>16,.0f}{run.maxrss / args.registry:>21.1f}"
              + ("   runs: " + " ".join(f"{w:.2f}" for w in run.walls) if len(run.walls) > 1 else ""))
    for run, name in ((xj, "xjlink"), (xi, "--index"), (base_ix, "older --index")):
        if duck is not None and run is not None and run.ok and duck.ok:
            print(f"{name + ' / DuckDB':<20}{run.wall / duck.wall:>9.2f}x{run.cpu / duck.cpu:>7.2f}x"
                  f"{run.maxrss / duck.maxrss:>14.2f}x"
                  f"{(args.roster / run.wall) / (args.roster / duck.wall):>15.2f}x"
                  f"{run.maxrss / duck.maxrss:>20.2f}x")
    if xi is not None and xi.ok and xj.ok:
        print(f"{'--index / --registry':<20}{xi.wall / xj.wall:>9.2f}x{xi.cpu / xj.cpu:>7.2f}x"
              f"{xi.maxrss / xj.maxrss:>14.2f}x")
        same = file_digest(xj_out) == file_digest(xi_out)
        print(f"match --index output byte-identical to --registry: {'yes' if same else 'NO'}")
        if not same:
            xj.ok = False  # an index file that changes the output is a failure
    if base is not None and base.ok and xj.ok:
        print(f"{'this / older':<20}{xj.wall / base.wall:>9.2f}x{xj.cpu / base.cpu:>7.2f}x"
              f"{xj.maxrss / base.maxrss:>14.2f}x   (match --registry of both builds)")
    if base_ix is not None and base_ix.ok and xi is not None and xi.ok:
        print(f"{'--index this/older':<20}{xi.wall / base_ix.wall:>9.2f}x{xi.cpu / base_ix.cpu:>7.2f}x"
              f"{xi.maxrss / base_ix.maxrss:>14.2f}x   (match --index of both builds, one file)")
        same = file_digest(xi_out) == file_digest(base_ix_out)
        print(f"match --index output byte-identical to the older build's: {'yes' if same else 'NO'}")
    print("(peak RSS of the whole process: for DuckDB that includes node itself)")

    # accuracy of both outputs, scored against the same truth
    if args.no_accuracy:
        return 0 if xj.ok else 1
    truth = score_match.read_truth(data["truth"])
    summary = []
    for run, out_path in runs:
        if not run.ok:
            continue
        print()
        out, problems = score_match.read_output(out_path)
        m = score_match.score(out, problems, truth)
        score_match.report(m, run.name, examples=3)
        summary.append((run.name, m))
    if len(summary) > 1:
        print()
        print(f"{'':<20}{'false matches':>14}{'recall':>11}{'automation':>12}{'false alarms':>14}"
              f"{'twice, all':>12}")
        for name, m in summary:
            print(f"{name:<20}{m['false_matches']:>14}{score_match.pct(m['recall']):>11}"
                  f"{score_match.pct(m['automation']):>12}{score_match.pct(m['false_alarm_rate']):>14}"
                  f"{m['twice_all_offered']:>6}/{m['twice_rows']:<5}")
    return 0 if xj.ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Rosters matched against a registry's index file on a Dask cluster, one task per roster file.

    python3 examples/match_dask.py INDEX.xjx OUTDIR ROSTER.csv [ROSTER2.csv ...] [--workers 2]
    python3 examples/match_dask.py INDEX.xjx OUTDIR ROSTER.csv ... \
        --scheduler tcp://host:8786 --workdir /shared/match-run

A province collects one roster per school or county.  Each roster is a task:
a worker process opens the index file (`xjlink index build`) once, the
first time one of its tasks needs it, and matches the roster through the
Python binding (Index.match_csv) on one thread (Dask gives the parallelism),
so that OUTDIR/NAME is the file `xjlink match --index INDEX.xjx --roster
ROSTER --out OUTDIR/NAME` writes, byte for byte.  Every worker must see the
same index file: its header's checksum and counts are compared with the
client's before any roster is matched and again by each task.  A roster that
cannot be read is named with the reason, the others are still matched, and
the exit status is 2.

Without --scheduler a LocalCluster of worker processes runs on this
machine; with it, the workers of that cluster match the rosters, the index
file and the rosters must be at the same paths on every worker (shared
storage), and --workdir a directory every worker can write and this client
read, where the results wait until they are moved into OUTDIR.

match_partitions(ddf, index_path) is the same matching for a Dask DataFrame
(Index.match_dataframe per partition).  See examples/README.md.
"""

import argparse
import errno
import os
import shutil
import socket
import sys
import tempfile
import time

from dask.distributed import Client, LocalCluster, as_completed

import xjlink


def ensure_workers(client, module="xjlink"):
    """Fails at once, naming the cause, when the cluster has no worker or a
    worker cannot import xjlink: a task sent to such a worker is retried and
    waited for without end.  exec is a builtin, sent by name, so the probe
    itself needs nothing on the worker."""
    workers = client.scheduler_info().get("workers", {})
    if not workers:
        raise RuntimeError("the Dask cluster has no worker")
    try:
        client.run(exec, f"import {module}")
    except ImportError as e:
        raise RuntimeError(f"a Dask worker cannot import {module} ({e}): install xjlink where "
                           f"the workers run (pip install .), or give them its PYTHONPATH") from e


# ---- which index file -------------------------------------------------------

def identity(ix):
    """What tells this index file from any other: the checksum of its header
    (which holds the checksum of every section: docs/index-format.md) and
    what Index.info reads there, of the file ix was opened from."""
    info = ix.info
    return {"checksum": f"{info['file_checksum']:016x}", "records": info["records"],
            "stamp": info["stamp"], "file_bytes": info["file_bytes"],
            "library_version": info["library_version"], "changes": ix.changes}


def describe(ident):
    return (f"{ident['records']} records, stamp {ident['stamp']}, {ident['file_bytes']} bytes, "
            f"{ident['changes']} changes, written by xjlink {ident['library_version']}, "
            f"header checksum {ident['checksum']}")


def worker_index(path, expected):
    """This process's Index of the file at path, opened on its first use
    (Index.open_shared: Dask sends these functions by value, so a cache of
    this script's own would be a new one per task); refused unless it is
    the client's file."""
    ix = xjlink.Index.open_shared(path)
    got = identity(ix)
    if got != expected:
        raise RuntimeError(f"{socket.gethostname()} (pid {os.getpid()}): {path} is not the "
                           f"client's index file: {describe(got)}; the client's: "
                           f"{describe(expected)}")
    return ix


def _probe(path, expected):
    """Run on every worker (client.run): None, or why its file is another."""
    try:
        worker_index(path, expected)
    except RuntimeError as e:  # another file: worker_index names the host
        return str(e)
    except Exception as e:  # no file there, or not an index file
        return f"{socket.gethostname()} (pid {os.getpid()}): {e}"
    return None


def check_workers(client, path, expected):
    """Every worker opens the index file now (the tasks then find it open)
    and shows it is the client's; RuntimeError naming each one that is not."""
    bad = {w: why for w, why in client.run(_probe, path, expected).items() if why}
    if bad:
        raise RuntimeError("workers with another index file than the client's:\n" +
                           "\n".join(f"  {w}: {why}" for w, why in sorted(bad.items())))


# ---- the files route ----------------------------------------------------------

def match_file(roster, out, index_path, expected, *, encoding="auto", columns=None,
               excel=False, lang="en", no_bom=False, threads=1):
    """One task: matches a roster file into out; returns its counts, or the
    reason it could not be read (xjlink's message, naming the file)."""
    ix = worker_index(index_path, expected)
    done = {"roster": roster, "host": socket.gethostname(), "pid": os.getpid()}
    try:
        done["counts"] = ix.match_csv(roster, out, encoding=encoding, columns=columns,
                                      excel=excel, lang=lang, bom=not no_bom and lang == "zh",
                                      threads=threads)
    except xjlink.Error as e:  # unreadable, no key columns, bad encoding: named, not raised
        done["error"] = e.message
    return done


def _publish(src, dst):
    """Moves a finished result into place whole (a copy first across file systems)."""
    try:
        os.replace(src, dst)
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        tmp = dst + ".part"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        os.remove(src)


def match_files(client, index_path, rosters, outdir, workdir, *, encoding="auto", columns=None,
                excel=False, lang="en", no_bom=False, threads=1):
    """Matches each roster file on the cluster into outdir/<its name>.

    Returns one entry per roster, in their order: {"roster", "out",
    "counts"} or {"roster", "error"}.  Results are written in a new
    directory under workdir (shared storage when the workers are elsewhere)
    and moved into outdir once all are done."""
    index_path = os.path.abspath(index_path)
    given = list(rosters)  # named in the summary as given, as `xjlink match` names them
    rosters = [os.path.abspath(r) for r in given]
    names = [result_name(r) for r in rosters]
    outs = [os.path.join(os.path.abspath(outdir), n) for n in names]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"two rosters give the result {', '.join(twice)}: they would "
                         f"overwrite each other in {outdir}")
    for r, o in zip(rosters, outs):
        if os.path.exists(o) and os.path.samefile(r, o):
            raise ValueError(f"{o} would overwrite its roster: give another OUTDIR")
    ensure_workers(client)
    with xjlink.Index.open(index_path, bounds=True) as ix:  # as the workers open it
        expected = identity(ix)
    check_workers(client, index_path, expected)

    os.makedirs(outdir, exist_ok=True)
    os.makedirs(workdir, exist_ok=True)
    run = tempfile.mkdtemp(prefix="xjlink-match-", dir=workdir)
    try:
        staged = [os.path.join(run, n) for n in names]
        # the largest rosters first: the longest tasks start early
        order = sorted(range(len(rosters)), key=lambda i: -_size(rosters[i]))
        futures = client.map(match_file, [rosters[i] for i in order],
                             [staged[i] for i in order], index_path=index_path,
                             expected=expected, encoding=encoding, columns=columns,
                             excel=excel, lang=lang, no_bom=no_bom, threads=threads,
                             pure=False)
        where = {f.key: i for f, i in zip(futures, order)}
        results = [None] * len(rosters)
        for future in as_completed(futures):
            i = where[future.key]
            try:
                results[i] = done = future.result()
            except Exception as e:  # not an unreadable roster: a worker's failure
                results[i] = {"roster": given[i], "error": f"{type(e).__name__}: {e}"}
                continue
            done["roster"] = given[i]
            if "counts" in done:
                _publish(staged[i], outs[i])
                done["out"] = outs[i]
        return results
    finally:
        shutil.rmtree(run, ignore_errors=True)


def result_name(roster):
    """The result's name: the roster's, a workbook's with .csv for .xlsx
    (the program would write a workbook for that name, match_csv a CSV)."""
    name = os.path.basename(roster)
    return name[:-5] + ".csv" if name.lower().endswith(".xlsx") else name


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


STATUSES = ("matched", "pending", "not_found", "error")


def summary(results):
    """The lines `xjlink match` prints for each roster (its words, from the
    library's catalogue), then the sums over the files; the unreadable
    rosters named with the reason."""
    line = xjlink.message("match.summary.roster").replace("%zu", "%d").rstrip("\n")
    out, total, unread = [], dict.fromkeys(("rows", *STATUSES, "unreadable"), 0), []
    for r in results:
        if "counts" in r:
            c = r["counts"]
            out.append(line % (r["roster"], c["rows"], *(c[s] for s in STATUSES), c["unreadable"]))
            for k in total:
                total[k] += c[k]
        else:
            unread.append(r)
    matched = len(results) - len(unread)
    out.append(f"{matched} of {len(results)} rosters matched: {total['rows']} rows: " +
               ", ".join(f"{total[s]} {s}" for s in STATUSES) +
               f" ({total['unreadable']} unreadable rows)")
    for r in unread:
        out.append(f"not matched: {r['roster']}: {r['error']}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("index", help="the registry's index file (xjlink index build)")
    ap.add_argument("outdir", help="directory of the results, one file per roster, same name")
    ap.add_argument("rosters", nargs="+", metavar="roster")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="worker processes of the LocalCluster (default: cores)")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads each roster uses inside its worker (default 1)")
    ap.add_argument("--workdir", help="directory where the workers write the results before "
                                      "they are moved into OUTDIR (default: a temporary one in "
                                      "OUTDIR; shared storage with --scheduler)")
    ap.add_argument("--encoding", default="auto", help="the rosters' encoding (as xjlink match)")
    ap.add_argument("--columns", help="roster key columns the names do not find, e.g. "
                                      "姓名=XSMC,身份证件号=ZJHM (as xjlink match)")
    ap.add_argument("--excel", action="store_true", help="a UTF-8 BOM and CRLF (as xjlink match)")
    ap.add_argument("--lang", choices=("en", "zh"), default="en",
                    help="zh: the results' headers, statuses and reasons in Chinese, with a "
                         "UTF-8 BOM (as xjlink match --lang zh)")
    ap.add_argument("--no-bom", action="store_true",
                    help="no UTF-8 BOM with --lang zh (as xjlink match --no-bom)")
    args = ap.parse_args(argv)
    if args.scheduler and not args.workdir:
        ap.error("--scheduler needs --workdir on storage every worker can write")

    t0 = time.monotonic()
    os.makedirs(args.outdir, exist_ok=True)
    workdir = args.workdir or args.outdir
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        results = match_files(client, args.index, args.rosters, args.outdir, workdir,
                              encoding=args.encoding, columns=args.columns, excel=args.excel,
                              lang=args.lang, no_bom=args.no_bom, threads=args.threads)
    except (xjlink.Error, ValueError, RuntimeError, OSError) as e:
        print(f"match_dask: {e}", file=sys.stderr)
        return 2
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for line in summary(results):
        print(line, file=sys.stderr)
    print(f"{time.monotonic() - t0:.2f} s", file=sys.stderr)
    return 2 if any("error" in r for r in results) else 0


# ---- the DataFrame route ------------------------------------------------------

def _match_partition(df, index_path, expected, columns, threads):
    return worker_index(index_path, expected).match_dataframe(df, threads=threads,
                                                               columns=columns)


def match_partitions(ddf, index_path, *, columns=None, threads=1):
    """A Dask DataFrame of a roster matched against an index file, partition
    by partition: Index.match_dataframe on each, in the worker that holds
    it, against the index its process opened once.  The result has ddf's
    columns, then status and status_zh (categorical, the four statuses),
    match_id, score, candidates and reasons, on ddf's index; computed, it
    equals Index.match_dataframe of the whole frame.

    The client opens the index file too (in milliseconds): the result's
    meta is what match_dataframe makes of ddf's empty frame, and every
    partition is matched against a file that is the client's."""
    index_path = os.path.abspath(index_path)
    with xjlink.Index.open(index_path, bounds=True) as ix:  # as the workers open it
        expected = identity(ix)
        meta = ix.match_dataframe(ddf._meta, threads=1, columns=columns)
    return ddf.map_partitions(_match_partition, index_path, expected, columns, threads,
                              meta=meta)


if __name__ == "__main__":
    sys.exit(main())

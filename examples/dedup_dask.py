#!/usr/bin/python3
"""The duplicate check (查重) of a registry on a Dask cluster, one task per block.

    python3 examples/dedup_dask.py REGISTRY.csv CLUSTERS.csv [--workers 2]
    python3 examples/dedup_dask.py REGISTRY.csv CLUSTERS.csv --scheduler tcp://host:8786 \
        --workdir /shared/dedup-run

1. split: the registry is cut into one CSV per block of birth years (and of
   ID numbers without a date); every pair of records the matcher can join
   lies in some block (include/xjlink/dedup.h says why);
2. map: each block is checked by a worker process through the Python
   binding (xjlink.dedup.run_block), which writes a small partial result;
3. merge: the partials are joined into clusters, in C, exactly as
   `xjlink dedup` does in one process, so the output file is the same,
   byte for byte.

Without --scheduler a LocalCluster of worker processes runs on this
machine; with it, the workers of that cluster run the blocks, and
--workdir must be a directory every worker can read and write (shared
storage).  See examples/README.md.
"""

import argparse
import os
import sys
import tempfile
import time

from dask.distributed import Client, LocalCluster

import xjlink.dedup as xd


def ensure_workers(client, module="xjlink.dedup"):
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


def check(registry, out, client, workdir, *, encoding="auto", id_column=None, threads=1,
          lang="en"):
    """Splits, runs every block on the cluster, merges; returns the finished check."""
    ensure_workers(client)
    blocks, diagnostics = xd.split(registry, workdir, encoding=encoding, id_column=id_column)
    for d in diagnostics:  # every row not checked, named as `xjlink dedup` names it
        print(f"{d.file}:{d.line}: {d.column or 'row'} '{d.value or ''}': {d.message}",
              file=sys.stderr)
    partials = [os.path.join(workdir, f"partial-{b.key}.csv") for b in blocks]
    # Largest blocks first (split() orders them so): the longest tasks start early.
    futures = client.map(xd.run_block, [b.path for b in blocks], [b.key for b in blocks],
                         partials, threads=threads, pure=False)
    done = client.gather(futures)
    result = xd.merge(done, out, lang=lang)
    result.bad_rows = len(diagnostics)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("registry")
    ap.add_argument("out")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="worker processes of the LocalCluster (default: cores)")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads each block uses inside its worker (default 1)")
    ap.add_argument("--workdir", help="directory for block files and partials "
                                      "(default: a temporary one; shared with --scheduler)")
    ap.add_argument("--encoding", default="auto")
    ap.add_argument("--id-column")
    ap.add_argument("--lang", default="en")
    args = ap.parse_args(argv)
    if args.scheduler and not args.workdir:
        ap.error("--scheduler needs --workdir on storage every worker can reach")

    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="xjlink-dedup-") as tmp:
        workdir = args.workdir or tmp
        if args.scheduler:
            client = Client(args.scheduler)
            cluster = None
        else:
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            result = check(args.registry, args.out, client, workdir, encoding=args.encoding,
                           id_column=args.id_column, threads=args.threads, lang=args.lang)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    print(f"{summary(result)}; {time.monotonic() - t0:.2f} s", file=sys.stderr)
    return 0


def summary(result):
    """The counts of a finished check, every class of cluster named."""
    s = result.stats
    return (f"{s['records']} records in {s['blocks']} blocks: {s['clusters_same_id']} same_id, "
            f"{s['clusters_no_id']} no_id, {s['clusters_one_id']} one_id, "
            f"{s['clusters_fuzzy']} fuzzy clusters ({s['clustered']} records), "
            f"{s['bad_id']} bad_id")


if __name__ == "__main__":
    sys.exit(main())

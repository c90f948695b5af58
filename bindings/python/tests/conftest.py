"""Shared data of the binding tests: the sample registry and roster of
examples/data (tools/make_sample.py), found through XJL_SOURCE_ROOT, which
meson test sets."""

import csv
import importlib.util
import os
import pathlib

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("XJL_SOURCE_ROOT",
                                          pathlib.Path(__file__).resolve().parents[3]))
DATA = SOURCE_ROOT / "examples" / "data"
BUILD_ROOT = os.environ.get("XJL_BUILD_ROOT", os.path.join(SOURCE_ROOT, "build"))
#: the program, and the registry generator (bench/, or tests/ in a build
#: without the benchmarks), for the tests that compare with them
CLI = os.path.join(BUILD_ROOT, "cli", "xjlink")
GEN = next((p for p in (os.path.join(BUILD_ROOT, "bench", "gen_registry"),
                         os.path.join(BUILD_ROOT, "tests", "gen_registry")) if os.access(p, os.X_OK)),
           os.path.join(BUILD_ROOT, "bench", "gen_registry"))


@pytest.fixture(scope="session")
def registry_csv():
    return DATA / "registry_sample.csv"


@pytest.fixture(scope="session")
def roster_csv():
    return DATA / "roster_sample.csv"


@pytest.fixture(scope="session")
def roster_rows(roster_csv):
    with open(roster_csv, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def registry_rows(registry_csv):
    with open(registry_csv, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def index(registry_csv):
    import xjlink

    with xjlink.Index.from_csv(registry_csv) as ix:
        yield ix


def load_example(name):
    """examples/NAME.py as a module (the Dask examples are scripts)."""
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(SOURCE_ROOT, "examples", f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two worker processes for the Dask examples (a test
    module that asks for it skips first when dask.distributed is missing)."""
    from dask.distributed import Client, LocalCluster
    # worker processes inherit PYTHONPATH, so they import this build's binding
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()

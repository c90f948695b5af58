"""Shared data of the binding tests: the sample registry and roster of
examples/data (tools/make_sample.py), found through XJL_SOURCE_ROOT, which
meson test sets."""

import csv
import os
import pathlib

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("XJL_SOURCE_ROOT",
                                          pathlib.Path(__file__).resolve().parents[3]))
DATA = SOURCE_ROOT / "examples" / "data"


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

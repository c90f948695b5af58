"""The package's types: py.typed is installed beside it (PEP 561), the
public functions and methods of the matching, dedup, field and workspace
modules are annotated, and mypy (when Debian's python3-mypy is there) finds
no error in the package, nor in workspace.py under --strict, and tells a
caller's misuse of the workspace's results."""

import inspect
import os
import subprocess
import sys

import pytest

import xjlink
import xjlink.dedup
import xjlink.fields
import xjlink.matching
import xjlink.workspace

PACKAGE = os.path.dirname(xjlink.__file__)


def test_py_typed_is_beside_the_package():
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))
    assert os.path.isfile(os.path.join(PACKAGE, "core.pyi"))


def public_callables():
    for mod in (xjlink.matching, xjlink.dedup, xjlink.fields, xjlink.workspace):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"{mod.__name__}.{name}", obj
            elif inspect.isclass(obj) and obj.__module__ == mod.__name__:
                for attr, member in vars(obj).items():
                    if attr.startswith("_") and attr != "__init__":
                        continue
                    if isinstance(member, property):
                        member = member.fget
                    elif isinstance(member, (classmethod, staticmethod)):
                        member = member.__func__
                    if inspect.isfunction(member):
                        yield f"{mod.__name__}.{name}.{attr}", member
    yield "xjlink.message", xjlink.message


def test_public_api_is_annotated():
    missing = []
    for name, fn in public_callables():
        sig = inspect.signature(fn)
        for p in sig.parameters.values():
            if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty:
                missing.append(f"{name}({p.name})")
        if sig.return_annotation is inspect.Signature.empty:
            missing.append(f"{name} -> ?")
    assert not missing, missing


def test_mypy_finds_no_error():
    pytest.importorskip("mypy")
    r = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir",
                        os.devnull, PACKAGE], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def mypy(*args, env=None):
    pytest.importorskip("mypy")
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir",
                           os.devnull, *args], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, **(env or {})))


def test_workspace_is_strictly_typed():
    # --follow-imports=silent: the modules it imports are checked at their own level above
    r = mypy("--strict", "--follow-imports=silent", os.path.join(PACKAGE, "workspace.py"))
    assert r.returncode == 0, r.stdout + r.stderr


CLIENT = """
import datetime
from typing import List
from xjlink.workspace import Approval, LoadReport, Row, Workspace

ws = Workspace("season.db", "county-admin")
ws.set_columns({"姓名": "XM"})
ws.set_window_hook(lambda process, day: day >= datetime.date(2025, 6, 1))
report: LoadReport = ws.load_registry("registry.csv")
bad: int = report["bad_rows"] + len(report["diagnostics"])
rows: List[Row] = ws.rows("S1", "pending")
name: str = rows[0]["name"]
counts: Approval = ws.approve("S1")
approved: int = counts["approved"]
quota, used = ws.quota("H1", 2025)
left: int = quota - used
"""


def test_workspace_hints_tell_misuse(tmp_path):
    # the hints are precise enough to pass a right use and to catch a wrong one
    good = tmp_path / "good.py"
    good.write_text(CLIENT, encoding="utf-8")
    env_path = os.path.dirname(PACKAGE)
    r = mypy("--strict", "--follow-imports=silent", str(good), env={"MYPYPATH": env_path})
    assert r.returncode == 0, r.stdout + r.stderr
    wrong = tmp_path / "wrong.py"
    wrong.write_text(CLIENT + 'oops: str = ws.quota("H1", 2025)[0]\n'
                     'ws.set_feature_hook(lambda: True)\n'
                     'ws.rows("S1")[0]["name"] + 1\n', encoding="utf-8")
    r = mypy("--strict", "--follow-imports=silent", str(wrong), env={"MYPYPATH": env_path})
    assert r.returncode == 1, r.stdout + r.stderr
    first = CLIENT.count("\n") + 1  # the first wrong line
    for line in (first, first + 1, first + 2):
        assert f"wrong.py:{line}: error" in r.stdout, r.stdout
    assert f"wrong.py:{first - 1}: error" not in r.stdout, r.stdout

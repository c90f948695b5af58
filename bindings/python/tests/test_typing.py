"""The package's types: py.typed is installed beside it (PEP 561), the
public functions and methods of the matching, dedup and field modules are
annotated, and mypy (when Debian's python3-mypy is there) finds no error in
the package."""

import inspect
import os
import subprocess
import sys

import pytest

import xjlink
import xjlink.dedup
import xjlink.fields
import xjlink.matching

PACKAGE = os.path.dirname(xjlink.__file__)


def test_py_typed_is_beside_the_package():
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))
    assert os.path.isfile(os.path.join(PACKAGE, "core.pyi"))


def public_callables():
    for mod in (xjlink.matching, xjlink.dedup, xjlink.fields):
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

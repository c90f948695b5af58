"""C errors become Python exceptions: one base, a class per code, the
library's message."""

import pytest

import xjlink
from xjlink import core

CLASSES = {
    core.XJL_EINVAL: (xjlink.InvalidError, ValueError),
    core.XJL_ENOMEM: (xjlink.NoMemoryError, MemoryError),
    core.XJL_EENCODING: (xjlink.EncodingError, ValueError),
    core.XJL_EIO: (xjlink.FileError, OSError),
    core.XJL_ESTATE: (xjlink.StateError, xjlink.Error),
    core.XJL_ERANGE: (xjlink.RangeError, xjlink.Error),
    core.XJL_EFORMAT: (xjlink.FormatError, ValueError),
    core.XJL_ENOTFOUND: (xjlink.NotFoundError, LookupError),
    core.XJL_EQUOTA: (xjlink.QuotaError, xjlink.Error),
    core.XJL_EDB: (xjlink.DatabaseError, xjlink.Error),
    core.XJL_EBUSY: (xjlink.BusyError, xjlink.Error),
    core.XJL_EPOLICY: (xjlink.PolicyError, xjlink.Error),
    core.XJL_EDUPLICATE: (xjlink.DuplicateError, xjlink.Error),
    core.XJL_ETRUNCATED: (xjlink.TruncatedError, ValueError),
    core.XJL_ECORRUPT: (xjlink.CorruptError, ValueError),
    core.XJL_EFOREIGN: (xjlink.ForeignError, ValueError),
    core.XJL_EVERSION: (xjlink.VersionError, ValueError),
}


def test_every_code_of_the_header_has_a_class():
    codes = {getattr(core, k) for k in dir(core)
             if k.startswith("XJL_E") and isinstance(getattr(core, k), int) and getattr(core, k) < 0}
    assert codes == set(CLASSES)


@pytest.mark.parametrize("code", sorted(CLASSES))
def test_class_hierarchy(code):
    cls, also = CLASSES[code]
    e = cls(code, "what and where")
    assert isinstance(e, xjlink.Error) and isinstance(e, also)
    assert e.code == code and str(e) == "what and where"
    assert e.name == core.xjl_strerror(code)


def test_missing_file_is_a_file_error_and_an_oserror(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(OSError) as e:
        xjlink.Index.from_csv(missing)
    assert isinstance(e.value, xjlink.FileError)
    assert e.value.code == core.XJL_EIO
    assert "nope.csv" in str(e.value)


def test_file_without_key_columns_is_a_format_error(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(xjlink.FormatError) as e:
        xjlink.Index.from_csv(p)
    assert "姓名" in str(e.value) and "bad.csv" in str(e.value)


def test_header_not_utf8_is_an_encoding_error(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes("姓名,性别,出生日期,身份证件类型,身份证件号\n".encode("gbk"))
    with pytest.raises(xjlink.EncodingError):
        xjlink.Index.from_csv(p, encoding="utf-8")


def test_raw_calls_are_checked_too():
    # every int-returning call of the raw wrapper is checked
    with pytest.raises(xjlink.InvalidError):
        core.xjl_gender_parse("?")
    with pytest.raises(xjlink.InvalidError):
        core.xjl_encoding_parse("latin-1")
    m = xjlink.Index([("张三", "男", "2019-01-01", "1", "")])._state[1]
    with pytest.raises(xjlink.InvalidError, match="parameter"):
        core.xjl_matcher_set_param(m, 999, 1.0)


def test_message_with_invalid_utf8_does_not_break_the_exception():
    with pytest.raises(xjlink.InvalidError) as e:
        core.xjl_gender_parse(b"\xff\xfe")
    assert isinstance(str(e.value), str)


BAD_ARGUMENT_LOOP = r"""
import xjlink
from xjlink import core

ix = core.xjl_index_new()
ws = core.xjl_workspace_open(%(db)r)


def refuse(*args):
    raise ValueError("stop")


for _ in range(3000):
    for path in (b"/nonexistent", "a\udc80b", b"a\0b"):
        calls = [lambda: core.xjl_index_add_csv(ix, path, 0, None, refuse),
                 lambda: core.xjl_index_add_csv(ix, b"/nonexistent", 0, path, refuse)]
        if path != b"/nonexistent":  # a school code that fails to convert
            calls.append(lambda: core.xjl_intake_import(ws, path, b"/x", 0, refuse))
        for call in calls:
            try:
                call()
            except (xjlink.Error, ValueError, TypeError):
                pass
print("ok")
"""


def test_bad_argument_before_a_diag_callback_is_an_exception(tmp_path):
    """A NUL or a lone surrogate in an argument before the diagnostics
    callback (a path, an id column, a school code) once crashed the
    process: the callback's cleanup released uninitialised memory.  In a
    child process, so that a crash fails this test instead of the run."""
    import subprocess
    import sys

    import os

    # without meson's MALLOC_PERTURB_, which fills every reader's buffers
    # (megabytes) on each of the thousands of calls
    env = dict(os.environ, MALLOC_PERTURB_="0")
    p = subprocess.run([sys.executable, "-c", BAD_ARGUMENT_LOOP % {"db": str(tmp_path / "w.db")}],
                       capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0 and p.stdout.strip() == "ok", (p.returncode, p.stderr[-2000:])

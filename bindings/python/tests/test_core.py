"""The raw wrapper xjlink.core: how each convention of the header reads in
Python (what bindings/README.md promises for functions added later)."""

import pytest

import xjlink
from xjlink import core


def test_status_ok_is_none_and_outputs_are_returned():
    assert core.xjl_encoding_parse("GBK") == core.XJL_ENC_GB18030
    assert core.xjl_gender_parse("女") == core.XJL_GENDER_FEMALE
    days, finding = core.xjl_date_parse("2019-09-01")
    assert days == core.xjl_date_from_ymd(2019, 9, 1) and finding == core.XJL_F_NONE
    assert core.xjl_date_to_ymd(days) == [2019, 9, 1]
    assert core.xjl_date_format(days) == "2019-09-01"
    assert core.xjl_date_from_ymd(2019, 2, 30) == core.XJL_DATE_NONE


def test_buffer_outputs():
    text, findings = core.xjl_name_normalize("王 小明", core.XJL_NAME_DISPLAY)
    assert text == "王小明" and findings == 0
    assert core.xjl_csv_quote('a,"b"') == '"a,""b"""'
    assert core.xjl_csv_quote("x" * 3000) == "x" * 3000


def test_struct_outputs_are_owned_copies():
    rc, info = core.xjl_id_parse("360426199101010072", core.XJL_IDTYPE_NONE)
    assert rc == core.XJL_EINVAL  # the verdict, not an exception: info is the data
    assert info.findings == 1 << core.XJL_F_ID_CHECK and info.expected_check == "1"
    p = core.xjl_record_parse(("张三", "男", "2019-01-01", "1", ""))
    assert p.errors == 0 and p.warnings == 1 and p.birth_date == core.xjl_date_from_ymd(2019, 1, 1)
    assert p.field_findings(core.XJL_FIELD_ID_NUMBER) == 1 << core.XJL_F_ID_MISSING
    assert p.field_findings(99) == 0
    assert core.xjl_parsed_describe(p) == "id_number:id_missing"


def test_values_are_not_mistaken_for_statuses():
    assert core.xjl_finding_is_error(core.XJL_F_ID_CHECK) is True
    assert core.xjl_finding_is_error(core.XJL_F_ID_REGION) is False
    assert core.xjl_csv_key_field("*出生日期（格式：20150101）") == core.XJL_FIELD_BIRTH_DATE
    assert core.xjl_csv_key_field("备注") == -1
    assert core.xjl_version_number() == 100


def test_csv_reader(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("姓名,身份证号,性别,出生日期,证件类型\n\"张,三\",1\x002,男,2019-01-01,1\n".encode())
    c = core.xjl_csv_open(str(p), core.XJL_ENC_AUTO)
    assert core.xjl_csv_key_columns(c) == (0, 2, 3, 4, 1)
    assert core.xjl_csv_next(c) == 1
    assert core.xjl_csv_field(c, 0) == "张,三"
    assert core.xjl_csv_field(c, 1) == "1\x002"  # the length comes with the field
    assert core.xjl_csv_next(c) is None  # 0: the end
    assert core.xjl_csv_column_name(c, 1) == "身份证号"
    with pytest.raises(xjlink.FileError):
        core.xjl_csv_open(str(tmp_path / "missing.csv"), core.XJL_ENC_AUTO)


def test_handles_free_themselves():
    ix = core.xjl_index_new()
    core.xjl_index_add(ix, "r1", ("张三", "男", "2019-01-01", "1", ""))
    core.xjl_index_build(ix, 1)
    m = core.xjl_matcher_new(ix)
    r = core.xjl_matcher_match(m, ("张三", "男", "2019-01-01", "1", ""))
    assert core.xjl_result_candidate_id(r, 0) == "r1"
    assert core.xjl_result_candidate_pos(r, 5) is None
    assert core.xjl_index_find_id(ix, "nope") is None
    with pytest.raises(xjlink.StateError, match="not built"):
        core.xjl_matcher_new(core.xjl_index_new())
    del r, m, ix  # each proxy frees its object once


def test_diag_callback_exception_propagates(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("姓名,性别,出生日期,身份证件类型,身份证件号\n张三\n", encoding="utf-8")
    ix = core.xjl_index_new()

    def boom(*args):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        core.xjl_index_add_csv(ix, str(p), core.XJL_ENC_AUTO, None, boom)
    seen = []
    assert core.xjl_index_add_csv(core.xjl_index_new(), str(p), 0, None,
                                  lambda *a: seen.append(a)) == 1
    assert seen[0][1] == 2 and seen[0][0].endswith("r.csv")
    with pytest.raises(TypeError):
        core.xjl_index_add_csv(ix, str(p), 0, None, 42)


def test_docstrings_come_from_the_header():
    assert "GB/T 2261.1" in core.xjl_gender_parse.__doc__ or "男" in core.xjl_gender_parse.__doc__


RAW_MATCHER_OUTLIVES_INDEX = r"""
import gc
from xjlink import core

matchers = []
for i in range(50):
    ix = core.xjl_index_new()
    for k in range(200):
        core.xjl_index_add(ix, "r%d-%d" % (i, k), ("张" + chr(0x4E00 + k), "男", "2019-01-01", "1", ""))
    core.xjl_index_build(ix, 1)
    matchers.append(core.xjl_matcher_new(ix))
    del ix
    gc.collect()
    # what the freed index held is reused by the next allocations
    junk = [bytearray(b"\xff" * 4096) for _ in range(64)]
for i, m in enumerate(matchers):
    r = core.xjl_matcher_match(m, ("张" + chr(0x4E07), "男", "2019-01-01", "1", ""))
    assert core.xjl_result_candidate_id(r, 0) == "r%d-7" % i, core.xjl_result_candidate_id(r, 0)
print("ok")
"""


def test_raw_matcher_keeps_its_index_alive():
    """A matcher from xjlink.core reads its index: dropping the last other
    reference to the index once freed it under the matcher.  In a child
    process, so that a crash fails this test instead of the run."""
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-c", RAW_MATCHER_OUTLIVES_INDEX],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.strip() == "ok", (p.returncode, p.stderr[-2000:])

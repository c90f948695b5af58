"""pandas DataFrames in and out; pandas stays an optional dependency."""

import subprocess
import sys

import pytest

import xjlink

pd = pytest.importorskip("pandas")


def test_import_does_not_import_pandas():
    code = "import sys, xjlink; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_match_dataframe(index, roster_csv):
    df = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig")
    out = index.match_dataframe(df)
    assert out is not df and list(df.columns) == list(out.columns[:len(df.columns)])
    for col in ("status", "status_zh", "match_id", "score", "candidates", "reasons"):
        assert col in out.columns and col not in df.columns
    assert len(out) == len(df)
    want = [index.match(r) for r in df.to_dict("records")]
    assert list(out["status"]) == [r.status for r in want]
    assert list(out["match_id"]) == [r.match_id for r in want]
    assert list(out["candidates"]) == [[c.id for c in r.candidates] for r in want]
    assert list(out["status_zh"]) == [r.status_zh for r in want]
    assert list(out["reasons"]) == [r.reasons for r in want]
    assert list(out["score"]) == [r.score for r in want]
    assert set(out["status"]) == {"matched", "pending", "not_found", "error"}


def test_match_dataframe_row_with_nul(index):
    df = pd.DataFrame({"姓名": ["张\0三", "王小明"], "性别": ["男", "男"],
                       "出生日期": ["2018-01-01", "2018-01-01"],
                       "身份证件类型": ["居民身份证", "居民身份证"], "身份证件号": ["", ""]})
    out = index.match_dataframe(df)
    assert out["status"][0] == "error" and "nul" in out["reasons"][0]
    assert out["status"][1] != "error"


def test_dataframe_with_missing_values_and_native_types(index):
    df = pd.DataFrame({
        "*姓名": ["阿依古丽·买买提", None],
        "性别": [2, 1],
        "出生日期（格式：20150101）": pd.to_datetime(["2018-04-17", None]),
        "身份证号": ["650102201804174824", float("nan")],
    })
    out = index.match_dataframe(df)
    assert list(out["status"]) == ["matched", "error"]
    assert out["match_id"][0] == "XQ65010200001"


def test_from_dataframe(registry_csv):
    df = pd.read_csv(registry_csv, dtype=str)
    ix = xjlink.Index.from_dataframe(df)
    assert len(ix) == len(df)
    assert ix.record_id(0) == df["学前学籍ID"][0]
    r = ix.match(df.iloc[0].to_dict())
    assert r.status == "matched" and r.match_id == df["学前学籍ID"][0]
    ix2 = xjlink.Index.from_dataframe(df.rename(columns={"学前学籍ID": "key"}), id_column="key")
    assert ix2.record_id(3) == df["学前学籍ID"][3]


def test_dataframe_without_key_columns_is_a_format_error(index):
    with pytest.raises(xjlink.FormatError):
        index.match_dataframe(pd.DataFrame({"a": [1]}))
    with pytest.raises(xjlink.FormatError):
        xjlink.Index.from_dataframe(pd.DataFrame({"姓名": ["张三"]}), id_column="nope")

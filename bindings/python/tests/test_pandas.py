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
        "证件类型": [1, 1],
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


ROW = {"姓名": "阿依古丽·买买提", "性别": "女", "出生日期": "2018-04-17",
       "身份证件类型": "居民身份证", "身份证件号": "650102201804174824"}


def test_a_missing_key_column_is_an_error_naming_it(index):
    df = pd.DataFrame([ROW]).drop(columns=["身份证件类型"])
    with pytest.raises(xjlink.FormatError, match=r"missing column 身份证件类型 \(id_type\)"):
        index.match_dataframe(df)
    with pytest.raises(xjlink.FormatError, match="身份证件类型"):
        xjlink.Index.from_dataframe(df)


def test_the_standard_codes_and_a_mapping_find_the_columns(index):
    codes = pd.DataFrame([ROW]).rename(columns={
        "姓名": "XM", "性别": "XBM", "出生日期": "CSRQ", "身份证件类型": "SFZJLXM",
        "身份证件号": "SFZJH"})
    assert list(index.match_dataframe(codes)["match_id"]) == ["XQ65010200001"]
    own = pd.DataFrame([ROW]).rename(columns={"姓名": "学生名称", "身份证件号": "ZJHM"})
    out = index.match_dataframe(own, columns={"姓名": "学生名称", "id_number": "ZJHM"})
    assert list(out["match_id"]) == ["XQ65010200001"]
    assert list(index.match_dataframe(own, columns="姓名=学生名称,SFZJH=ZJHM")["status"]) == [
        "matched"]
    with pytest.raises(xjlink.FormatError, match="no column named '学生姓名'"):
        index.match_dataframe(own, columns={"姓名": "学生姓名", "身份证件号": "ZJHM"})
    with pytest.raises(xjlink.InvalidError, match="FIELD=COLUMN"):
        index.match_dataframe(own, columns={"民族": "MZ"})
    ix = xjlink.Index.from_dataframe(own.assign(id=["R1"]),
                                     columns={"姓名": "学生名称", "身份证件号": "ZJHM"})
    assert ix.match(ROW).match_id == "R1"


def test_an_id_column_read_as_floats_is_refused_with_how_to_read_it(index, tmp_path):
    p = tmp_path / "r.csv"
    pd.DataFrame([ROW]).to_csv(p, index=False)
    df = pd.read_csv(p)  # pandas' default: the ID numbers become float64
    assert df["身份证件号"].dtype.kind in "if"
    df["身份证件号"] = df["身份证件号"].astype("float64")
    with pytest.raises(xjlink.FormatError, match=r"read it as text.*dtype=\{'身份证件号': str\}"):
        index.match_dataframe(df)
    with pytest.raises(xjlink.FormatError, match="float64"):
        xjlink.Index.from_dataframe(df)
    ok = pd.read_csv(p, dtype={"身份证件号": str})
    assert list(index.match_dataframe(ok)["status"]) == ["matched"]


def test_match_dataframe_reads_every_kind_of_value_as_match_does(index, roster_csv):
    # The columns go to C whole: each kind of value must read as Index.match
    # reads it (str of every width, a str subclass, bytes, numbers, dates,
    # None, NaN, NaT), across chunks.
    np = pytest.importorskip("numpy")

    class Name(str):
        pass

    rows = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig").to_dict("records")[:40]
    odd = [
        {**ROW, "姓名": "𠮷祥"},  # a 4-byte character (CJK extension B)
        {**ROW, "姓名": "José"},  # Latin-1, one byte a character
        {**ROW, "姓名": Name(ROW["姓名"])},
        {**ROW, "姓名": ROW["姓名"].encode("utf-8")},
        {**ROW, "姓名": b"\xff\xfe"},  # invalid UTF-8: a finding, not a failure
        {**ROW, "性别": 2, "身份证件类型": np.int64(1)},
        {**ROW, "出生日期": pd.Timestamp("2018-04-17")},
        {**ROW, "出生日期": 20180417.0},
        {**ROW, "出生日期": pd.NaT, "身份证件号": None},
        {**ROW, "性别": float("nan")},
        {**ROW, "身份证件号": ""},
    ]
    df = pd.DataFrame(rows + odd)
    out = index.match_dataframe(df, chunk_rows=7)
    want = [index.match({k: xjlink._convert.text(v) for k, v in r.items()}) for r in rows + odd]
    assert list(out["status"]) == [r.status for r in want]
    assert list(out["match_id"]) == [r.match_id for r in want]
    assert list(out["reasons"]) == [r.reasons for r in want]
    assert list(out["candidates"]) == [[c.id for c in r.candidates] for r in want]
    assert list(out["score"]) == [r.score for r in want]
    assert out["score"].dtype == np.float64
    # each row its own list: changing one changes no other
    out["candidates"][0].append("x")
    assert all(c == [] or c[-1] != "x" for c in out["candidates"][1:])


def test_match_dataframe_value_not_text(index):
    df = pd.DataFrame([ROW, {**ROW, "姓名": "张\udc80三"}])
    with pytest.raises(xjlink.EncodingError,
                       match=r"row 1 .*column '姓名' \(name\).*lone surrogate at character 1"):
        index.match_dataframe(df)
    with pytest.raises(TypeError, match="bool"):
        index.match_dataframe(pd.DataFrame([{**ROW, "性别": True}]))


def test_match_dataframe_of_no_rows(index):
    out = index.match_dataframe(pd.DataFrame([ROW]).iloc[:0])
    assert len(out) == 0 and "status" in out.columns


def test_match_dataframe_nul_rows_in_every_chunk(index):
    df = pd.DataFrame([ROW, {**ROW, "身份证件号": "6501\0"}] * 5)
    out = index.match_dataframe(df, chunk_rows=3)
    assert list(out["status"]) == ["matched", "error"] * 5
    assert list(out["reasons"][1::2]) == ["id_number:nul"] * 5
    assert list(out["candidates"][1::2]) == [[]] * 5 and list(out["score"][1::2]) == [0.0] * 5


def test_match_dataframe_leaves_the_frame_and_keeps_its_index(index, roster_csv):
    df = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig")
    twice = pd.concat([df, df])  # every label twice: nothing may be aligned by label
    before = twice.copy()
    out = index.match_dataframe(twice, chunk_rows=5)
    pd.testing.assert_frame_equal(twice, before)  # no column added, no value changed
    assert out.index.equals(twice.index)
    want = [index.match(r) for r in twice.to_dict("records")]
    assert list(out["match_id"]) == [r.match_id for r in want]
    # the roster's cells are the result's own: changing one leaves df alone
    out.iloc[0, 0] = "changed"
    assert twice.iloc[0, 0] == before.iloc[0, 0]
    # matched again, the result columns are replaced where they are
    again = index.match_dataframe(out)
    assert list(again.columns) == list(out.columns)
    assert list(again["status"]) == list(out["status"])


def test_match_dataframe_statuses_are_categorical(index, roster_csv):
    df = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig")
    out = index.match_dataframe(df)
    assert list(out["status"].cat.categories) == ["matched", "pending", "not_found", "error"]
    assert list(out["status_zh"].cat.categories) == [
        xjlink.core.xjl_status_label_zh(s) for s in range(4)]
    counts = out["status"].value_counts()
    assert counts.sum() == len(df) and set(counts.index) == set(out["status"].cat.categories)
    assert (out["status"] == "matched").sum() == counts["matched"]
    zh = {r.status: r.status_zh for r in map(index.match, df.to_dict("records"))}
    assert all(zh[s] == z for s, z in zip(out["status"], out["status_zh"]))


def test_match_dataframe_results_only(index, roster_csv):
    df = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig")
    df.index = df.index * 10 + 3  # an index of its own, kept
    before = df.copy()
    res = index.match_dataframe(df, results_only=True, chunk_rows=4)
    whole = index.match_dataframe(df)
    assert list(res.columns) == ["status", "status_zh", "match_id", "score", "candidates",
                                 "reasons"]
    assert res.index.equals(df.index)
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(res, whole[res.columns])
    pd.testing.assert_frame_equal(df.join(res), whole)
    df[res.columns] = res  # added to the roster itself
    pd.testing.assert_frame_equal(df, whole)


def test_match_dataframe_error_in_a_later_chunk_stops_cleanly(index, roster_csv):
    # chunk 3 cannot be read while chunk 2 is being matched on another
    # thread: the error is raised, and the index stays usable
    rows = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig").to_dict("records")[:8]
    bad_type = pd.DataFrame(rows[:6] + [{**ROW, "性别": True}] + rows[6:])
    with pytest.raises(TypeError, match="bool"):
        index.match_dataframe(bad_type, chunk_rows=2)
    bad_text = pd.DataFrame(rows[:5] + [{**ROW, "姓名": "张\udc80三"}] + rows[5:])
    with pytest.raises(xjlink.EncodingError, match=r"row 5 .*column '姓名'"):
        index.match_dataframe(bad_text, chunk_rows=2)

    class Stop(Exception):
        pass

    def progress(n):
        raise Stop(n)

    with pytest.raises(Stop):
        index.match_dataframe(pd.DataFrame(rows), progress=progress, chunk_rows=3)
    out = index.match_dataframe(pd.DataFrame(rows), chunk_rows=3)
    assert list(out["status"]) == [index.match(r).status for r in rows]


def test_match_dataframe_reasons_of_rows_the_block_limit_cut():
    # A row whose search the block limit cut carries its count in its
    # reasons, a text held by the result rather than the library's table:
    # results freed chunk by chunk leave their memory to others, and the
    # frame must still show each row its own text.
    rows = []
    for name, n in (("王子涵", 31), ("李子涵", 20)):
        rows += [{"学前学籍ID": f"{name}{i}", "姓名": name, "性别": "男", "出生日期": "2019-05-01",
                  "身份证件类型": "其他", "身份证件号": ""} for i in range(n)]
    rows.append({"学前学籍ID": "S1", "姓名": "赵一", "性别": "女", "出生日期": "2019-06-01",
                 "身份证件类型": "其他", "身份证件号": ""})
    ix = xjlink.Index.from_dataframe(pd.DataFrame(rows))
    ix.set_param("block_limit", 5)
    query = [{k: r[k] for k in ("姓名", "性别", "出生日期", "身份证件类型", "身份证件号")}
             for r in (rows[0], rows[31], rows[-1])]
    df = pd.DataFrame(query * 12)
    out = ix.match_dataframe(df, chunk_rows=2)
    want = [ix.match(r) for r in df.to_dict("records")]
    assert list(out["reasons"]) == [r.reasons for r in want]
    assert {r.reasons.rsplit(" ", 1)[-1] for r in want[:2]} == {"block_limit=26", "block_limit=15"}


def _rosters(roster_csv):
    """Frames of every shape match_dataframe puts beside its result columns:
    (name, frame)."""
    np = pytest.importorskip("numpy")
    df = pd.read_csv(roster_csv, dtype=str, encoding="utf-8-sig").iloc[:23]
    n = len(df)
    kinds = df.assign(
        grade=pd.Categorical(["一年级", "二年级", None] * 7 + ["一年级", "二年级"]),
        seat=np.arange(n, dtype=np.int64),
        height=np.linspace(100.0, 130.0, n),
        enrolled=pd.Timestamp("2024-09-01") + pd.to_timedelta(np.arange(n), unit="D"),
        local=pd.date_range("2024-09-01", periods=n, tz="Asia/Shanghai"),
        boarder=np.arange(n) % 2 == 0,
        siblings=pd.array([1, None] * 11 + [2], dtype="Int64"),
    )
    labelled = df.set_index(pd.Index([f"s{i % 5}" for i in range(n)], name="学校"))
    twice = pd.concat([df, df[["序号"]].rename(columns={"序号": "附注"}),
                       df[["序号"]].rename(columns={"序号": "附注"})], axis=1)
    apart = df.copy()
    apart["note"] = "x"  # a block of its own, not consolidated with the others
    apart.insert(0, "first", range(n))
    fortran = pd.DataFrame(np.array(df.values.tolist(), dtype=object), columns=df.columns,
                           index=pd.RangeIndex(100, 100 + 2 * n, 2))
    assert not fortran._mgr.blocks[0].values.flags["C_CONTIGUOUS"]
    return [("objects", df), ("kinds", kinds), ("labelled", labelled),
            ("duplicate_columns", twice), ("blocks_apart", apart), ("fortran", fortran),
            ("empty", df.iloc[:0]), ("empty_kinds", kinds.iloc[:0])]


@pytest.mark.parametrize("chunk_rows", [4, 65536])
def test_match_dataframe_is_the_roster_then_its_results(index, roster_csv, chunk_rows):
    # The default frame is the roster's columns then the six result columns,
    # as pd.concat([df, results], axis=1) gives them: the same columns,
    # dtypes, index and values, whatever the roster's columns hold.
    for name, df in _rosters(roster_csv):
        before = df.copy()
        res = index.match_dataframe(df, results_only=True, chunk_rows=chunk_rows)
        blocks = df._mgr.nblocks  # (pandas may consolidate df's in a comparison)
        out = index.match_dataframe(df, chunk_rows=chunk_rows)
        want = pd.concat([df, res], axis=1)
        pd.testing.assert_frame_equal(out, want, check_exact=True, obj=name)
        assert list(out.dtypes) == list(want.dtypes), name
        assert out.index.equals(df.index) and out.index.names == df.index.names, name
        pd.testing.assert_frame_equal(df, before, obj=name)
        # each row's results as Index.match gives them (a column of a
        # Fortran-ordered block is read with its stride)
        keys = ["姓名", "性别", "出生日期", "身份证件类型", "身份证件号"]
        want = [index.match(r) for r in df[keys].to_dict("records")]
        assert list(res["match_id"]) == [r.match_id for r in want], name
        assert list(res["reasons"]) == [r.reasons for r in want], name
        # a copy of each of df's blocks and the four of the result
        assert out._mgr.nblocks == blocks + 4, name


def _arrays(col):
    """The memory behind a column: its ndarray, or a categorical's codes,
    a nullable integer's values and mask."""
    values = col.array
    for attr in ("_ndarray", "_codes", "_data", "_mask"):
        if hasattr(values, attr):
            yield getattr(values, attr)
    if hasattr(values, "__array__") and not hasattr(values, "_codes"):
        yield col.to_numpy(copy=False)


def test_match_dataframe_shares_no_memory_with_the_roster(index, roster_csv):
    np = pytest.importorskip("numpy")
    for name, df in _rosters(roster_csv):
        if not len(df):
            continue
        before = df.copy()
        out = index.match_dataframe(df, chunk_rows=5)
        for j in range(df.shape[1]):
            for a in _arrays(out.iloc[:, j]):
                for b in _arrays(df.iloc[:, j]):
                    assert not np.shares_memory(a, b), (name, df.columns[j])
        # written to in place, row by row and through its arrays: df stays
        for j in range(df.shape[1]):
            col = out.iloc[:, j]
            out.iloc[len(df) - 1, j] = col.iloc[0]
            values = col.array
            if isinstance(values, pd.Categorical):
                values._codes[:] = -1
            elif hasattr(values, "_ndarray"):
                values._ndarray[...] = values._ndarray[:1]
        pd.testing.assert_frame_equal(df, before, obj=name)
        # and the other way round: a change to df leaves the result
        kept = out.copy()
        df.iloc[0, 0] = df.iloc[len(df) - 1, 0]
        df.iloc[:, 1] = df.iloc[::-1, 1].to_numpy()
        pd.testing.assert_frame_equal(out, kept, obj=name)

"""Index and matching: building, the three statuses, candidates, batches,
parameters, state errors."""

import pytest

import xjlink

MATCHED = {"姓名": "阿依古丽·买买提", "性别": "女", "出生日期": "2018-04-17",
           "身份证件类型": "居民身份证", "身份证件号": "650102201804174824"}


def test_from_csv(index, registry_rows):
    assert len(index) == len(registry_rows) == 300
    assert index.built and not index.closed
    assert index.bad_rows == 0 and index.diagnostics == []
    assert index.memory > 0
    assert "300 records" in repr(index)


def test_matched_result(index):
    r = index.match(MATCHED)
    assert r.status == "matched" and r.status_zh == "已匹配学前学籍"
    assert r.match_id == "XQ65010200001"
    assert r.score > 20
    assert r.reasons == "id=exact name=exact dob=exact gender=exact type=exact"
    c = r.candidates[0]
    assert c.id == "XQ65010200001"
    assert c.levels == {"name": "exact", "gender": "exact", "birth_date": "exact",
                        "id_type": "exact", "id_number": "exact"}
    assert index.record_id(c.position) == c.id
    assert r.findings == {}
    assert r.query.name == "阿依古丽·买买提"


def test_pending_and_not_found_and_error(index):
    pending = index.match({**MATCHED, "姓名": "阿依古丽•买买提", "出生日期": "2018-04-18"})
    assert pending.status == "pending" and pending.match_id is None
    assert pending.candidates[0].levels["birth_date"] == "one_day"
    c = pending.candidates[0]
    assert list(c.weights) == ["name", "gender", "birth_date", "id_type", "id_number"]
    assert abs(sum(c.weights.values()) - c.score) < 1e-3
    assert c.weights["birth_date"] == 4.0 and c.weights["id_type"] == 0.0
    assert "birth_date=one_day(+4.0)" in c.explain()
    # the default prior is one record of the 300: odds 2^score / 299
    assert abs(c.probability - 1 / (1 + 299 * 2 ** -c.score)) < 1e-9
    assert "dob_mismatch" in pending.findings["record"]

    nf = index.match(("诸葛亮", "男", "2018-01-01", "居民身份证", "110108201801010013"))
    assert nf.status == "not_found" and nf.status_zh == "未查到学前学籍"
    assert nf.candidates == [] and nf.score == 0

    err = index.match(("", "男", "", "", ""))
    assert err.status == "error"
    assert "name" in err.findings and err.reasons


def test_english_keys_and_sequences(index):
    a = index.match({"name": "阿依古丽·买买提", "gender": "女", "birth_date": "2018-04-17",
                     "id_type": "1", "id_number": "650102201804174824"})
    b = index.match(tuple(MATCHED.values()))
    assert a.match_id == b.match_id == "XQ65010200001"


def test_match_many_equals_match(index, roster_rows):
    many = index.match_many(roster_rows, threads=2)
    assert len(many) == len(roster_rows)
    one = [index.match(r) for r in roster_rows]
    assert [r.status for r in many] == [r.status for r in one]
    assert [r.match_id for r in many] == [r.match_id for r in one]
    assert [r.reasons for r in many] == [r.reasons for r in one]
    assert [[c.id for c in r.candidates] for r in many] == [[c.id for c in r.candidates] for r in one]
    counts = many.counts()
    assert set(counts) == {"matched", "pending", "not_found", "error"}
    assert sum(counts.values()) == len(roster_rows)
    assert many.statuses() == [r.status for r in many]
    assert many[-1].status == one[-1].status
    assert [r.status for r in many[1:4]] == [r.status for r in one[1:4]]
    with pytest.raises(IndexError):
        many[len(roster_rows)]


def test_match_many_thread_count_does_not_change_results(index, roster_rows):
    rows = roster_rows * 20
    a = index.match_many(rows, threads=1)
    b = index.match_many(rows, threads=4)
    assert [(r.status, r.match_id, r.score) for r in a] == [(r.status, r.match_id, r.score) for r in b]


def test_match_many_empty_and_generator(index):
    assert len(index.match_many([])) == 0
    res = index.match_many(r for r in [MATCHED, MATCHED])
    assert [r.match_id for r in res] == ["XQ65010200001"] * 2


def test_index_from_records_with_ids(registry_rows):
    ix = xjlink.Index(registry_rows)
    assert len(ix) == 300
    assert ix.match(MATCHED).match_id == "XQ65010200001"
    assert ix.record("XQ65010200001").birth_date.isoformat() == "2018-04-17"
    with pytest.raises(xjlink.NotFoundError):
        ix.record("nope")


def test_index_add_then_build():
    ix = xjlink.Index()
    assert not ix.built
    ix.add(("王小明", "男", "2018-03-01", "1", ""), id="A1")
    ix.add({"name": "李小红", "gender": "女", "birth_date": "2018-05-02", "id": "A2"})
    with pytest.raises(xjlink.StateError, match="not built"):
        ix.match(("王小明", "男", "2018-03-01", "1", ""))
    ix.build(threads=1)
    with pytest.raises(xjlink.InvalidError, match="needs the record's id"):
        ix.add(("赵六", "男", "2018-03-01", "1", ""))  # a change: by id only
    with pytest.raises(xjlink.StateError):
        ix.build()
    r = ix.match(("王小明", "男", "2018-03-01", "", ""))
    assert r.candidates[0].id == "A1"
    assert ix.record_id(1) == "A2"


def test_id_column_option(tmp_path):
    p = tmp_path / "reg.csv"
    p.write_text("编号,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                 "K1,王小明,男,2018-03-01,居民身份证,110108201803010017\n", encoding="utf-8")
    ix = xjlink.Index.from_csv(p, id_column="编号")
    assert ix.record_id(0) == "K1"
    with pytest.raises(xjlink.FormatError):
        xjlink.Index.from_csv(p, id_column="学号")
    assert xjlink.Index.from_csv(p).record_id(0) == "1"  # no id column: the row number


def test_registry_columns_mapped_as_the_program_maps_them(tmp_path, registry_csv):
    """A registry whose header names its key columns otherwise (XSMC, ZJHM)
    loads with a mapping, in from_csv, build_file and the duplicate check,
    to the same index as the file with the usual names; a mapped column the
    file lacks is refused before any row is read."""
    import xjlink.dedup as xd

    lines = registry_csv.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = lines[0].replace("姓名", "XSMC").replace("身份证件号", "ZJHM")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(header + "".join(lines[1:]), encoding="utf-8")
    mapping = {"姓名": "XSMC", "身份证件号": "ZJHM"}
    with pytest.raises(xjlink.FormatError):
        xjlink.Index.from_csv(renamed)
    with xjlink.Index.from_csv(registry_csv) as plain, \
            xjlink.Index.from_csv(renamed, columns=mapping) as mapped:
        records = len(plain)
        assert len(mapped) == records
        assert [mapped.record(i) for i in range(len(mapped))] == \
            [plain.record(i) for i in range(len(plain))]
    with xjlink.Index.build_file(renamed, tmp_path / "r.xjx", columns=mapping) as built:
        assert len(built) == records
    xd.dedup(registry_csv, tmp_path / "plain.csv")
    xd.dedup(renamed, tmp_path / "mapped.csv", columns=mapping)
    assert (tmp_path / "mapped.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
    with pytest.raises(xjlink.FormatError, match="XM"):
        xjlink.Index.from_csv(renamed, columns={"姓名": "XM"})


def test_bad_rows_are_reported_and_the_rest_loads(tmp_path):
    p = tmp_path / "reg.csv"
    p.write_text("id,姓名,性别,出生日期,身份证件类型,身份证件号\n"
                 "1,王小明,男,2018-03-01,居民身份证,110108201803010017\n"
                 "2,李小红,女\n"
                 "3,张三,男,2018-01-01,居民身份证,110108201801010016\n", encoding="utf-8")
    ix = xjlink.Index.from_csv(p)
    assert len(ix) == 2 and ix.bad_rows == 1
    d = ix.diagnostics[0]
    assert d.line == 3 and d.file.endswith("reg.csv") and "fields" in d.message


def test_gbk_registry(tmp_path, registry_csv):
    p = tmp_path / "gbk.csv"
    p.write_bytes(registry_csv.read_text(encoding="utf-8").encode("gb18030"))
    ix = xjlink.Index.from_csv(p)
    assert len(ix) == 300
    assert ix.match(MATCHED).match_id == "XQ65010200001"


def test_parameters(index):
    assert set(index.params) == set(xjlink.PARAMS)
    assert index.get_param("review_threshold") == 6.0
    before = index.match({**MATCHED, "出生日期": "2018-04-18"})
    index.set_param("review_threshold", 1000)
    assert index.get_param("review_threshold") == 1000
    after = index.match({**MATCHED, "出生日期": "2018-04-18"})
    assert before.status == "pending" and after.status == "not_found"
    with pytest.raises(xjlink.InvalidError):
        index.set_param("no_such_param", 1)
    with pytest.raises(xjlink.InvalidError):
        index.set_param("max_candidates", 0)


def test_closed_index_raises_state_error(registry_csv):
    with xjlink.Index.from_csv(registry_csv) as ix:
        r = ix.match(MATCHED)
    assert ix.closed and "closed" in repr(ix)
    for call in (lambda: ix.match(MATCHED), lambda: ix.match_many([MATCHED]), lambda: len(ix),
                 lambda: ix.add(MATCHED), lambda: ix.build(), lambda: ix.params,
                 lambda: ix.record(0), lambda: ix.set_param("review_threshold", 1)):
        with pytest.raises(xjlink.StateError):
            call()
    with pytest.raises(xjlink.StateError):
        with ix:
            pass
    ix.close()  # twice is fine
    # the result made inside the block still holds what it needs
    assert r.match_id == "XQ65010200001" and r.candidates[0].id == "XQ65010200001"


def test_result_to_dict_and_repr(index):
    r = index.match(MATCHED)
    d = r.to_dict()
    assert d["status"] == "matched" and d["candidates"] == ["XQ65010200001"]
    assert "matched" in repr(r)
    assert "matched" in repr(index.match_many([MATCHED]))


def test_rows_with_nul_are_error_results(index):
    bad = ("阿依古丽·买买提", "女", "2018-04-17\0", "居民身份证", "650102201804174824")
    r = index.match(bad)
    assert isinstance(r, xjlink.RowError)
    assert r.status == "error" and r.status_zh == "错误" and r.match_id is None
    assert r.reasons == "birth_date:nul" and r.findings == {"birth_date": ["nul"]}
    assert r.query.findings["birth_date"] == ["nul"] and r.candidates == []
    res = index.match_many([MATCHED, bad, MATCHED])
    assert res.statuses() == ["matched", "error", "matched"]
    assert [r.status for r in res] == ["matched", "error", "matched"]
    assert res[1].reasons == "birth_date:nul" and res[2].match_id == "XQ65010200001"
    assert res.counts() == {"matched": 2, "error": 1}


# ---- the index as a file ---------------------------------------------------------

def test_save_open_matches_the_same(index, tmp_path):
    path = tmp_path / "reg.xjx"
    index.save(path)
    with xjlink.Index.open(path) as opened:
        assert len(opened) == len(index) and opened.built
        info = opened.info
        assert info["records"] == 300 and info["format_version"] == 7
        assert info["file_bytes"] == path.stat().st_size
        for q in (MATCHED, {**MATCHED, "出生日期": "2018-04-18"}, {**MATCHED, "身份证件号": ""}):
            a, b = index.match(q), opened.match(q)
            assert a.status == b.status and a.score == b.score
            assert [c.id for c in a.candidates] == [c.id for c in b.candidates]
        assert opened.record("XQ65010200001").name == index.record("XQ65010200001").name
    with xjlink.Index.open(path, verify=True) as v:
        assert len(v) == 300


def test_open_shared_once_per_file(index, tmp_path, monkeypatch):
    """One Index per path and process, opened again when the file is
    replaced (a new generation saved over it) or was closed."""
    path = tmp_path / "shared.xjx"
    index.save(path)
    first = xjlink.Index.open_shared(path)
    assert xjlink.Index.open_shared(str(path)) is first
    monkeypatch.chdir(tmp_path)
    assert xjlink.Index.open_shared("shared.xjx") is first  # keyed by the absolute path
    assert first.match(MATCHED).status == "matched"
    index.remove("XQ65010200001")
    index.save(path)  # replaced: a new file at the path
    second = xjlink.Index.open_shared(path)
    assert second is not first and len(second) == 299 and len(first) == 300
    assert second.match(MATCHED).status != "matched"
    second.close()
    third = xjlink.Index.open_shared(path)
    assert third is not second and not third.closed
    with pytest.raises(xjlink.NotFoundError, match="missing.xjx"):  # as Index.open says it
        xjlink.Index.open_shared(tmp_path / "missing.xjx")


def test_build_file(tmp_path, registry_csv):
    path = tmp_path / "built.xjx"
    with xjlink.Index.build_file(registry_csv, path) as ix:
        assert len(ix) == 300
    assert xjlink.Index.open(path).match(MATCHED).status == "matched"


def test_damaged_files_raise_their_own_errors(index, tmp_path):
    path = tmp_path / "reg.xjx"
    index.save(path)
    data = path.read_bytes()
    cut = tmp_path / "cut.xjx"
    cut.write_bytes(data[:1000])
    with pytest.raises(xjlink.TruncatedError, match="cut.xjx"):
        xjlink.Index.open(cut)
    bad = tmp_path / "bad.xjx"
    bad.write_bytes(data[:-64] + b"x" + data[-63:])
    with pytest.raises(xjlink.CorruptError):
        xjlink.Index.open(bad, verify=True)
    with pytest.raises(xjlink.ForeignError):
        xjlink.Index.open(__file__)
    with pytest.raises(xjlink.NotFoundError):
        xjlink.Index.open(tmp_path / "none.xjx")
    with pytest.raises(xjlink.StateError):
        xjlink.Index().save(tmp_path / "unbuilt.xjx")


def test_record_ids_from_dicts_and_frames_as_from_csv(tmp_path):
    """A table with 学前学籍ID and a generic id (a row number): dicts, a
    DataFrame and the CSV reader all take 学前学籍ID, the library's order."""
    rows = [{"id": str(i + 1), "学前学籍ID": f"XQ00{i + 1}", "姓名": name, "性别": "男",
             "出生日期": "2019-01-0" + str(i + 1), "身份证件类型": "居民身份证", "身份证件号": ""}
            for i, name in enumerate(("王小明", "李小刚"))]
    path = tmp_path / "reg.csv"
    path.write_text(",".join(rows[0]) + "\n" + "".join(",".join(r.values()) + "\n" for r in rows),
                    encoding="utf-8")
    with xjlink.Index.from_csv(path) as a:
        want = [a.record_id(i) for i in range(len(a))]
    assert want == ["XQ001", "XQ002"]
    b = xjlink.Index()
    b.add_all(rows)
    b.build()
    assert [b.record_id(i) for i in range(len(b))] == want
    b.add({**rows[0], "id": "9", "学前学籍ID": "XQ009"})  # a change: the id from the dict
    b.remove("XQ009")
    pandas = pytest.importorskip("pandas")
    with xjlink.Index.from_dataframe(pandas.DataFrame(rows)) as c:
        assert [c.record_id(i) for i in range(len(c))] == want


def _section(data, kind):
    """(offset, length) of a section, read from the section table as
    docs/index-format.md lays it out."""
    import struct
    (n,) = struct.unpack_from("<I", data, 20)
    for i in range(n):
        k, _size, off, length, _sum = struct.unpack_from("<IIQQQ", data, 96 + 32 * i)
        if k == kind:
            return off, length
    raise AssertionError(f"no section {kind}")


def test_bounds_refuse_a_position_naming_no_record(index, tmp_path):
    """A position of the ID table past the records (inside a section: the
    header stays sound): bounds=True and verify=True refuse the file, as
    `xjlink match --index` does; the plain open maps it, and opening it
    again with bounds refuses it."""
    path = tmp_path / "reg.xjx"
    index.save(path)
    data = bytearray(path.read_bytes())
    off, length = _section(data, 4)
    assert length >= 4
    data[off:off + 4] = (0xFFFFFFF0).to_bytes(4, "little")
    bad = tmp_path / "bad.xjx"
    bad.write_bytes(bytes(data))
    for kw in ({"bounds": True}, {"verify": True}):
        with pytest.raises(xjlink.CorruptError, match="bad.xjx"):
            xjlink.Index.open(bad, **kw)
    with xjlink.Index.open(bad) as ix:  # only the header and the sections' bounds
        assert len(ix) == 300
    with pytest.raises(xjlink.CorruptError):
        xjlink.Index.open_shared(bad)  # the workers' open checks the bounds
    with xjlink.Index.open(path, bounds=True) as ok:
        assert ok.match(MATCHED).status == "matched"


def test_file_checksum_tells_one_file_from_another(index, tmp_path):
    a, b = tmp_path / "a.xjx", tmp_path / "b.xjx"
    index.save(a)
    assert index.info["file_checksum"] is None  # built in memory
    with xjlink.Index.open(a) as ix:
        first = ix.info["file_checksum"]
        assert first == int.from_bytes(a.read_bytes()[88:96], "little")
        ix.remove("XQ65010200001")
        assert ix.info["file_checksum"] == first  # the file it was opened from
        ix.save(b)
        ix.compact()
        assert ix.info["file_checksum"] is None  # the file let go
    with xjlink.Index.open(b, verify=True) as other:
        assert other.info["file_checksum"] not in (None, first)
    with xjlink.Index.open(a, bounds=True) as again:
        assert again.info["file_checksum"] == first


KEYS = ("姓名", "性别", "出生日期", "身份证件类型", "身份证件号")


def _summary(results):
    return [(r.status, r.score, [(c.id, c.score, c.reasons) for c in r.candidates])
            for r in results]


def test_changes_match_as_the_changed_registry(registry_rows, tmp_path):
    rows = [dict(r) for r in registry_rows]
    ix = xjlink.Index(rows, id_column="学前学籍ID")
    # the same child's near twin, a removal, and an update of a name
    twin = {**rows[0], "学前学籍ID": "NEW1", "出生日期": "2018-04-18"}
    ix.add(twin, id="NEW1")
    ix.remove(rows[1]["学前学籍ID"])
    upd = {**rows[2], "姓名": "陈思源"}
    ix.update(rows[2]["学前学籍ID"], upd)
    assert ix.changes == 3 and len(ix) == 300
    with pytest.raises(xjlink.DuplicateError):
        ix.add(rows[3], id=rows[3]["学前学籍ID"])
    with pytest.raises(xjlink.NotFoundError):
        ix.remove("nope")
    with pytest.raises(xjlink.NotFoundError):
        ix.update("nope", rows[3])
    # the registry as it is now: an updated record moves to the end
    final = [r for i, r in enumerate(rows) if i not in (1, 2)] + [twin, upd]
    want = xjlink.Index(final, id_column="学前学籍ID")
    roster = [tuple(r[k] for k in KEYS) for r in rows[:40]] + [tuple(upd[k] for k in KEYS)]
    assert _summary(ix.match_many(roster)) == _summary(want.match_many(roster))
    assert ix.match(tuple(rows[0][k] for k in KEYS)).status == "pending"  # the twin
    assert ix.match(tuple(rows[1][k] for k in KEYS)).status == "not_found"

    path = tmp_path / "reg.xjx"
    ix.save(path)
    with xjlink.Index.open(path, verify=True) as opened:
        assert opened.changes == 3 and len(opened) == 300
        assert _summary(opened.match_many(roster)) == _summary(want.match_many(roster))
        opened.remove("NEW1")
        opened.compact()
        assert opened.changes == 0 and len(opened) == 299
        assert opened.record_id(298) == rows[2]["学前学籍ID"]
        assert opened.match(tuple(rows[0][k] for k in KEYS)).status == "matched"


def test_apply_a_batch_matches_as_the_changed_registry(registry_rows, tmp_path):
    rows = [dict(r) for r in registry_rows]
    ix = xjlink.Index(rows, id_column="学前学籍ID")
    twin = {**rows[0], "学前学籍ID": "NEW1", "出生日期": "2018-04-18"}
    upd = {**rows[2], "姓名": "陈思源"}
    # additions enough for the pool, a refused change of each kind between them
    extra = [{**rows[10 + i % 200], "学前学籍ID": f"X{i}", "出生日期": "2017-01-02"}
             for i in range(1100)]
    changes = [("add", "NEW1", twin), ("remove", rows[1]["学前学籍ID"], None),
               ("add", rows[3]["学前学籍ID"], rows[3]), ("update", rows[2]["学前学籍ID"], upd),
               ("remove", "nope", None)]
    changes += [("add", r["学前学籍ID"], r) for r in extra]
    changes += [("remove", "X5", None)]
    got = ix.apply(changes)
    assert len(got) == len(changes)
    assert isinstance(got[2], xjlink.DuplicateError) and rows[3]["学前学籍ID"] in str(got[2])
    assert isinstance(got[4], xjlink.NotFoundError)
    assert [i for i, e in enumerate(got) if e is not None] == [2, 4]
    assert ix.changes == len(changes) - 2
    final = [r for i, r in enumerate(rows) if i not in (1, 2)] + [twin, upd]
    final += [r for r in extra if r["学前学籍ID"] != "X5"]
    want = xjlink.Index(final, id_column="学前学籍ID")
    assert len(ix) == len(want)
    roster = [tuple(r[k] for k in KEYS) for r in rows[:60]] + [tuple(upd[k] for k in KEYS)]
    assert _summary(ix.match_many(roster)) == _summary(want.match_many(roster))
    assert ix.apply([]) == []
    with pytest.raises(xjlink.InvalidError):
        ix.apply([("rename", "NEW1", twin)])
    with pytest.raises(TypeError):
        ix.apply([("add", "NEW9")])
    # opened from a file, the same
    path = tmp_path / "reg.xjx"
    want.save(path)
    with xjlink.Index.open(path) as opened:
        assert opened.apply([("remove", "NEW1", None)]) == [None]
        assert len(opened) == len(want) - 1

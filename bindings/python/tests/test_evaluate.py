"""xjlink.evaluate: precision, recall and the confusion table from labelled rows."""

import pytest

import xjlink


def test_counts_of_hand_made_results():
    results = [
        {"status": "matched", "match_id": "A", "candidates": ["A"]},       # right
        {"status": "matched", "match_id": "B", "candidates": ["B"]},       # wrong (C)
        {"status": "pending", "match_id": None, "candidates": ["X", "D"]},  # D offered
        {"status": "pending", "match_id": None, "candidates": ["X"]},       # E not offered
        {"status": "not_found", "match_id": None, "candidates": []},        # F missed
        {"status": "not_found", "match_id": None, "candidates": []},        # new: right
        {"status": "pending", "match_id": None, "candidates": "Y;Z"},       # new: false alarm
        {"status": "matched", "match_id": "G", "candidates": ["G"]},       # new: false match
        {"status": "error", "match_id": None, "candidates": []},            # new
    ]
    truth = ["A", "C", "D", "E", "F", None, float("nan"), "", None]
    ev = xjlink.evaluate(results, truth)
    assert ev.rows == 9
    assert ev.counts[("registered", "matched right")] == 1
    assert ev.counts[("registered", "matched wrong")] == 1
    assert ev.counts[("new", "matched wrong")] == 1
    assert ev.precision == pytest.approx(1 / 3)
    assert ev.recall == pytest.approx(2 / 5)        # A matched, D offered
    assert ev.automation == pytest.approx(1 / 5)
    assert ev.false_alarms == pytest.approx(2 / 4)  # the pending and the false match
    table = ev.table()
    assert "pending, right offered" in table and "precision 0.3333" in table


def test_evaluate_real_results(index, registry_rows):
    rows = registry_rows[:20]
    stranger = {"姓名": "欧阳无名", "性别": "男", "出生日期": "2011-01-01",
                "身份证件类型": "居民身份证", "身份证件号": ""}
    results = index.match_many(rows + [stranger])
    truth = [r["学前学籍ID"] for r in rows] + [None]
    ev = xjlink.evaluate(results, truth)
    assert ev.rows == 21 and ev.recall == 1.0 and ev.precision == 1.0
    # the same from a list of Result objects
    assert xjlink.evaluate(list(results), truth).counts == ev.counts


def test_evaluate_refuses_mismatched_input():
    with pytest.raises(xjlink.InvalidError, match="2 results but 1 truth"):
        xjlink.evaluate([{"status": "matched", "match_id": "A"}] * 2, ["A"])
    with pytest.raises(xjlink.InvalidError, match="unknown status"):
        xjlink.evaluate([{"status": "maybe", "match_id": None}], [None])


def test_file_like_inputs(registry_csv, roster_csv, tmp_path):
    import io
    data = registry_csv.read_bytes()
    a = xjlink.Index.from_csv(io.BytesIO(data))
    b = xjlink.Index.from_csv(io.StringIO(data.decode("utf-8")))
    c = xjlink.Index.from_csv(registry_csv)
    assert len(a) == len(b) == len(c) == 300
    with open(roster_csv, "rb") as f:
        got = a.match_csv(f, tmp_path / "o.csv")
    want = c.match_csv(roster_csv, tmp_path / "w.csv")
    assert got == want
    assert (tmp_path / "o.csv").read_bytes() == (tmp_path / "w.csv").read_bytes()
    bad = io.BytesIO("学号,名字\n1,张三\n".encode())
    bad.name = "upload.csv"
    with pytest.raises(xjlink.FormatError, match="upload.csv") as e:
        xjlink.Index.from_csv(bad)
    assert "xjlink-" not in str(e.value)
    with pytest.raises(TypeError, match="file-like"):
        xjlink.Index.from_csv(42)


def test_every_parameter_is_documented_with_its_default(index):
    assert set(xjlink.PARAM_INFO) == set(xjlink.PARAMS) and len(xjlink.PARAMS) >= 20
    for name, info in xjlink.PARAM_INFO.items():
        assert info.description and len(info.description) > 10, name
        assert index.get_param(name) == info.default, name
    assert "review" in xjlink.PARAM_INFO["review_threshold"].description

"""Index.match_csv: the streaming path of `xjlink match`, called from Python."""

import csv
import os
import subprocess

import pytest

import xjlink


def cli():
    root = os.environ.get("XJL_BUILD_ROOT")
    path = os.path.join(root, "cli", "xjlink") if root else None
    if not path or not os.path.exists(path):
        pytest.skip("the xjlink program is not built here")
    return path


def test_match_csv_writes_what_the_cli_writes(index, registry_csv, roster_csv, tmp_path):
    out = tmp_path / "py.csv"
    totals = index.match_csv(roster_csv, out, threads=2)
    ref = tmp_path / "cli.csv"
    subprocess.run([cli(), "match", "--registry", str(registry_csv), "--roster", str(roster_csv),
                    "--out", str(ref)], check=True, capture_output=True)
    assert out.read_bytes() == ref.read_bytes()
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert totals["rows"] == len(rows)
    for status in ("matched", "pending", "not_found", "error"):
        assert totals[status] == sum(r["status"] == status for r in rows)


@pytest.mark.parametrize("kw,flags", [
    ({"lang": "zh"}, ["--lang", "zh"]),
    ({"lang": "zh", "bom": False}, ["--lang", "zh", "--no-bom"]),
    ({"bom": True}, None),
])
def test_match_csv_in_chinese_is_the_programs_file(index, registry_csv, roster_csv, tmp_path,
                                                   kw, flags):
    """lang="zh" writes the BOM `xjlink match --lang zh` writes; bom=False is --no-bom."""
    out = tmp_path / "py.csv"
    index.match_csv(roster_csv, out, **kw)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == kw.get("bom", True)
    if flags is None:  # English with a BOM: the English file after the BOM
        index.match_csv(roster_csv, tmp_path / "plain.csv")
        assert data == b"\xef\xbb\xbf" + (tmp_path / "plain.csv").read_bytes()
        return
    ref = tmp_path / "cli.csv"
    subprocess.run([cli(), "match", "--registry", str(registry_csv), "--roster", str(roster_csv),
                    "--out", str(ref), *flags], check=True, capture_output=True)
    assert data == ref.read_bytes()


def test_match_csv_chinese_and_excel(index, roster_csv, tmp_path):
    out = tmp_path / "zh.csv"
    index.match_csv(roster_csv, out, lang="zh", excel=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert "已匹配学前学籍".encode() in data


def test_match_csv_bad_inputs(index, tmp_path):
    with pytest.raises(xjlink.Error) as e:
        index.match_csv(tmp_path / "none.csv", tmp_path / "o.csv")
    assert "none.csv" in str(e.value)
    bad = tmp_path / "cols.csv"
    bad.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    with pytest.raises(xjlink.FormatError):
        index.match_csv(bad, tmp_path / "o.csv")
    with pytest.raises(xjlink.Error):
        index.match_csv(bad, tmp_path / "o.csv", lang="fr")


def test_match_csv_unreadable_rows_are_kept(index, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes("姓名,性别,出生日期,身份证件类型,身份证件号\n"
                       "张三,男,2018-03-05\n"
                       "王\0五,男,2018-03-05,居民身份证,\n".encode())
    totals = index.match_csv(roster, tmp_path / "o.csv")
    assert totals["rows"] == 2 and totals["unreadable"] == 2 and totals["error"] == 2


def test_from_csv_thread_budget(registry_csv):
    """threads=1 reads the registry on the calling thread alone (the C test
    counts the threads); the index is the same as one read on every core."""
    one = xjlink.Index.from_csv(registry_csv, threads=1)
    every = xjlink.Index.from_csv(registry_csv)
    assert len(one) == len(every)
    assert [one.record_id(i) for i in range(len(one))] == \
        [every.record_id(i) for i in range(len(every))]


def test_match_csv_columns(index, roster_csv, tmp_path):
    """columns= maps the roster's own column names, as `xjlink match --columns`."""
    with open(roster_csv, encoding="utf-8-sig") as f:
        text = f.read()
    own = tmp_path / "own.csv"
    own.write_text(text.replace("姓名", "学生名称", 1), encoding="utf-8")
    plain, mapped = tmp_path / "plain.csv", tmp_path / "mapped.csv"
    a = index.match_csv(roster_csv, plain)
    b = index.match_csv(own, mapped, columns={"姓名": "学生名称"})
    assert a == b
    assert plain.read_text(encoding="utf-8").splitlines()[1:] == \
        mapped.read_text(encoding="utf-8").splitlines()[1:]
    # without it the missing key column is named, and a file there is kept
    mapped.write_text("kept\n", encoding="utf-8")
    with pytest.raises(xjlink.FormatError, match="姓名"):
        index.match_csv(own, mapped)
    assert mapped.read_text(encoding="utf-8") == "kept\n"
    with pytest.raises(xjlink.FormatError, match="没有这列"):
        index.match_csv(own, mapped, columns={"姓名": "没有这列"})
    with pytest.raises(xjlink.InvalidError):
        index.match_csv(own, mapped, columns={"姓名": "a,b"})

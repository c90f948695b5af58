"""Progress callbacks (tqdm-compatible) of the long calls: match_csv,
match_dataframe, dedup; and the message catalogue seen from Python."""

import pytest

import xjlink
import xjlink.dedup as xd


class Bar:
    """What tqdm.tqdm offers a caller: update(n)."""

    def __init__(self):
        self.n = 0
        self.calls = 0

    def update(self, n):
        self.n += n
        self.calls += 1


def test_match_csv_reports_every_row(index, roster_csv, roster_rows, tmp_path):
    bar = Bar()
    totals = index.match_csv(roster_csv, tmp_path / "o.csv", progress=bar)
    assert bar.calls >= 1 and bar.n == totals["rows"] == len(roster_rows)
    seen = []
    index.match_csv(roster_csv, tmp_path / "o2.csv", progress=seen.append)  # a callable
    assert sum(seen) == len(roster_rows)


def test_match_csv_progress_errors(index, roster_csv, tmp_path):
    with pytest.raises(TypeError):
        index.match_csv(roster_csv, tmp_path / "o.csv", progress=42)

    def boom(n):
        raise RuntimeError("stop")

    # an exception in the callback reaches the caller
    with pytest.raises(RuntimeError, match="stop"):
        index.match_csv(roster_csv, tmp_path / "o.csv", progress=boom)


def test_match_dataframe_reports_chunks(index, roster_csv):
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(roster_csv, dtype=str, keep_default_na=False)
    bar = Bar()
    out = index.match_dataframe(df, progress=bar, chunk_rows=10)
    assert bar.n == len(df) and bar.calls == (len(df) + 9) // 10
    # chunks change nothing in the result
    whole = index.match_dataframe(df)
    assert out.equals(whole)


def test_dedup_reports_records(registry_csv, tmp_path):
    bar = Bar()
    d = xd.dedup(registry_csv, tmp_path / "d.csv", progress=bar)
    assert bar.calls == 2 and bar.n == 2 * d.stats["records"]


def test_message_catalogue():
    assert xjlink.message("status.pending", "zh") == "待确认学前学籍"
    assert xjlink.message("level.name.pinyin", "zh") == "姓名同音"
    assert xjlink.message("status.pending") == "pending"
    with pytest.raises(KeyError):
        xjlink.message("no.such.id")
    with pytest.raises(ValueError):
        xjlink.message("status.pending", "fr")

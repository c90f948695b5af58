"""xjlink.report: the page of a match run, from Python results."""

import html.parser
import re

import pytest

import xjlink


class Tags(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = {}, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_data(self, data):
        self.text.append(data)


def test_report_of_match_many(index, roster_rows, tmp_path):
    index.set_param("review_threshold", 8.5)
    results = index.match_many(roster_rows)
    counts = results.counts()
    page = tmp_path / "run.html"
    xjlink.report(results, page, index, records=roster_rows, title="roster_sample.csv")
    text = page.read_text(encoding="utf-8")
    t = Tags(text)
    assert t.tags.get("script", 0) == 0
    assert text.count('<section class="r">') == counts["pending"]
    # the threshold the index was set to, marked on the chart
    assert "review threshold 8.50" in "".join(t.text)
    for status, n in counts.items():
        assert re.search(rf">{status}</text>.*?>{n} \(", text), status
    # the rows as given are shown beside their candidates' values
    pending = [r for r, res in zip(roster_rows, results) if res.status == "pending"]
    assert pending[0]["姓名"] in text
    best = next(res for res in results if res.status == "pending").candidates[0]
    assert best.id in text


def test_report_without_index_or_records(index, roster_rows, tmp_path):
    results = index.match_many(roster_rows)
    page = tmp_path / "run.html"
    xjlink.report(results, str(page), lang="zh", max_rows=1)
    text = page.read_text(encoding="utf-8")
    assert text.count('<section class="r">') == 1
    assert "待确认阈值" not in text  # no matcher given: no threshold claimed
    assert "仅显示前1条" in text


def test_report_of_a_nul_row_and_single_results(index, tmp_path):
    rows = [("王\0小明", "男", "2018-03-01", "居民身份证", None)]
    results = list(index.match_many(rows)) + [index.match(("张三", "男", "2018-03-01", None, None))]
    page = tmp_path / "run.html"
    xjlink.report(results, page, index)
    text = page.read_text(encoding="utf-8")
    assert "rows that could not be read: 1" in text
    assert "rows read: 2" in text


def test_report_errors(index, roster_rows, tmp_path):
    results = index.match_many(roster_rows[:3])
    with pytest.raises(ValueError):
        xjlink.report(results, tmp_path / "x.html", lang="fr")
    with pytest.raises(ValueError):
        xjlink.report(results, tmp_path / "x.html", records=roster_rows[:1])
    with pytest.raises(xjlink.Error):
        xjlink.report(results, tmp_path / "no" / "dir" / "x.html")
    with pytest.raises(xjlink.Error):
        xjlink.report(results, tmp_path / "x.html", max_rows=10 ** 6)

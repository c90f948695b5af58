"""The workspace API, added to the header after the binding was written:
wrapped by the interface's conventions (a few one-line additions), with a
small Python layer."""

import datetime
import os
import pathlib
import re
import sys
import tempfile

import pytest

import xjlink
from xjlink import core


@pytest.fixture
def ws(tmp_path, registry_csv):
    with xjlink.Workspace(tmp_path / "w.db", operator="tester") as w:
        w.set_school("S1", "第一小学", 110108)
        rep = w.load_registry(registry_csv)
        assert rep["rows"] == rep["inserted"] == 300 and rep["diagnostics"] == []
        yield w


def test_import_and_rows(ws, roster_csv, roster_rows):
    rep = ws.import_roster("S1", roster_csv)
    assert rep["rows"] == len(roster_rows)
    assert rep["matched"] + rep["pending"] + rep["not_found"] + rep["errors"] == rep["rows"]
    rows = ws.rows("S1")
    assert len(rows) == len(roster_rows) and {"id", "status", "record_id"} <= set(rows[0])
    pending = ws.rows("S1", "pending")
    assert len(pending) == rep["pending"] and all(r["status"] == "pending" for r in pending)
    cands = ws.candidates(pending[0]["id"])
    ws.confirm(pending[0]["id"], cands[0]["record_id"])
    assert ws.rows("S1", "confirmed")[0]["id"] == pending[0]["id"]
    assert any(a["action"] for a in ws.audit("row", int(pending[0]["id"])))


def test_add_row(ws):
    row_id, status = ws.add_row("S1", {"姓名": "阿依古丽·买买提", "性别": "女", "出生日期": "2018-04-17",
                                       "身份证件类型": "居民身份证", "身份证件号": "650102201804174824"})
    assert row_id > 0 and status == "matched"
    with pytest.raises(xjlink.DuplicateError):
        ws.add_row("S1", ("阿依古丽·买买提", "女", "2018-04-17", "1", "650102201804174824"))


@pytest.mark.parametrize("gender,id_type", [("M", "身份证"), ("male", "1"), ("１", "居民身份证")])
def test_listings_show_gender_and_id_type_one_way(ws, gender, id_type):
    # the dicts are the library's listings: the standard's name and its code
    row_id, _ = ws.add_row("S1", ("阿依古丽·买买提", gender, "2018-04-17", id_type,
                                  "650102201804174824"))
    row = [r for r in ws.rows("S1") if r["id"] == str(row_id)][0]
    assert (row["gender"], row["gender_code"], row["id_type"], row["id_type_code"]) == (
        "男", "1", "居民身份证", "1")
    cand = ws.candidates(row_id)[0]
    assert (cand["gender"], cand["gender_code"]) == ("女", "2")


def test_set_columns(ws, roster_csv, tmp_path):
    """A roster whose key columns have the school system's own names."""
    own = tmp_path / "own.csv"
    own.write_text(roster_csv.read_text(encoding="utf-8-sig").replace("姓名", "学生名称", 1),
                   encoding="utf-8")
    with pytest.raises(xjlink.FormatError, match="姓名"):
        ws.import_roster("S1", own)
    assert ws.rows("S1") == []
    ws.set_columns({"姓名": "学生名称"})
    rep = ws.import_roster("S1", own)
    assert rep["rows"] == 43 and rep["matched"] > 0
    ws.set_columns("姓名=没有这列")  # the library's own text works too
    with pytest.raises(xjlink.FormatError, match="没有这列"):
        ws.import_roster("S1", own)
    ws.set_columns(None)
    with pytest.raises(xjlink.FormatError, match="姓名"):
        ws.import_roster("S1", own)


def test_policy_hooks(ws, roster_csv, monkeypatch):
    asked = []
    ws.set_window_hook(lambda process, date: asked.append((process, date)) or False)
    with pytest.raises(xjlink.PolicyError):
        ws.import_roster("S1", roster_csv)
    assert asked and asked[0][0] == "intake" and isinstance(asked[0][1], datetime.date)
    ws.set_window_hook(None)
    ws.set_feature_hook(lambda feature: feature != "intake")
    with pytest.raises(xjlink.PolicyError):
        ws.add_row("S1", ("王小明", "男", "2018-03-01", "1", ""))

    def broken(feature):
        raise RuntimeError("hook failed")

    # a hook that raises refuses, and its exception is shown as unraisable
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    ws.set_feature_hook(broken)
    with pytest.raises(xjlink.PolicyError):
        ws.add_row("S1", ("王小明", "男", "2018-03-01", "1", ""))
    assert isinstance(unraisable[0].exc_value, RuntimeError)
    ws.set_feature_hook(None)
    assert ws.add_row("S1", ("王小明", "男", "2018-03-01", "1", ""))[0] > 0


HOOK_CALLS_ITS_WORKSPACE = r"""
import sys
import xjlink
from xjlink import core

ws = xjlink.Workspace(sys.argv[1], operator="tester")
ws.set_school("S1", "第一小学", 110108)
ws.load_registry(sys.argv[2])
seen = []


def window(process, date):
    seen.append((ws.schema_version, len(ws.rows("S1"))))
    return True


ws.set_window_hook(window)
row_id, status = ws.add_row("S1", ("王小明", "男", "2018-03-01", "1", ""))
assert row_id > 0 and seen == [(core.XJL_WORKSPACE_SCHEMA_VERSION, 0)], seen

# closing the workspace from its own step's hook is refused (the hook raises,
# which refuses the step), and the workspace stays open
unraisable = []
sys.unraisablehook = unraisable.append
ws.set_window_hook(lambda process, date: ws.close() or True)
try:
    ws.add_row("S1", ("王小红", "女", "2018-03-01", "1", ""))
    raise AssertionError("the step was not refused")
except xjlink.PolicyError:
    pass
assert isinstance(unraisable[0].exc_value, xjlink.StateError), unraisable
assert not ws.closed
ws.set_window_hook(None)
ws.close()
print("ok")
"""


def test_hook_may_call_its_own_workspace(tmp_path, registry_csv):
    """A policy hook that reads its own Workspace once deadlocked on the
    handle's lock; it may not close it while its step runs.  In a child
    process with a time limit, so that a deadlock fails this test."""
    import subprocess

    try:
        p = subprocess.run([sys.executable, "-c", HOOK_CALLS_ITS_WORKSPACE,
                            str(tmp_path / "hook.db"), str(registry_csv)],
                           capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("a hook calling its own workspace hung (deadlock)")
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr[-2000:]


def test_hooks_are_kept_while_set(ws):
    import gc

    ws.set_feature_hook(lambda feature: False)  # no other reference to the lambda
    gc.collect()
    with pytest.raises(xjlink.PolicyError):
        ws.add_row("S1", ("王小明", "男", "2018-03-01", "1", ""))


def test_closed_workspace(tmp_path):
    w = xjlink.Workspace(tmp_path / "w.db")
    w.close()
    w.close()
    assert w.closed
    with pytest.raises(xjlink.StateError):
        w.rows("S1")


def test_not_a_workspace(tmp_path):
    p = tmp_path / "x.db"
    p.write_text("not sqlite")
    with pytest.raises(xjlink.FormatError):
        xjlink.Workspace(p)


def test_raw_conventions_hold_for_the_new_functions(tmp_path, registry_csv):
    raw = core.xjl_workspace_open(str(tmp_path / "r.db"))
    assert core.xjl_workspace_schema_version(raw) == core.XJL_WORKSPACE_SCHEMA_VERSION
    rep = core.xjl_intake_load_registry(raw, str(registry_csv), core.XJL_ENC_AUTO, None)
    assert rep.inserted == 300
    assert core.xjl_intake_registry_count(raw) == 300
    t = core.xjl_intake_registry_record(raw, "XQ65010200001")
    assert core.xjl_listing_value(t, 0, "name") == "阿依古丽·买买提"
    assert core.xjl_listing_col(t, "nope") == -1
    assert core.xjl_sfield_parse("民族") == core.XJL_SF_ETHNICITY
    assert core.xjl_sfield_check(core.XJL_SF_ETHNICITY, "汉族") == "01"
    assert core.xjl_sfield_is_key(core.XJL_SF_NAME) is True
    with pytest.raises(xjlink.NotFoundError):
        core.xjl_intake_registry_record(raw, "nope")
    del t, raw


def _citizen(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * k for c, k in zip(first17, w)) % 11]


def test_intake_season_through_the_class(ws, tmp_path):
    kid = _citizen("11010820180601001")
    row_id, status = ws.add_row("S1", {"姓名": "王刚", "性别": "男", "出生日期": "2018-06-01",
                                       "身份证件类型": "居民身份证", "身份证件号": kid})
    assert status in ("not_found", "pending")
    if status == "pending":
        ws.declare_none(row_id)
    with pytest.raises(xjlink.Error):
        ws.supplement(row_id, {"民族码": "01", "国籍/地区码": "XXX"})
    assert ws.supplement(row_id)["nationality"] != "XXX"
    sup = ws.supplement(row_id, {"民族码": "01", "国籍/地区码": "CHN", "港澳台侨外码": "00"},
                        done=True)
    assert sup["state"] == "done"
    assert ws.submit("S1") >= 1
    ws.set_role("school", "S1")
    with pytest.raises(xjlink.Error):
        ws.approve("S1")
    ws.set_role("county", "110108")
    counts = ws.approve("S1")
    assert counts["approved"] >= 1
    assert ws.row(row_id)["student_number"] == "G" + kid
    req = ws.request_key_change(row_id, "姓名", "王钢", "户口簿更正")
    ws.decide_key_change(req, True, "核实")
    assert ws.key_changes("S1")[0]["state"] == "approved"
    ws.set_policy("intake", False)
    assert ws.policy()[0]["enabled"] == "0"
    with pytest.raises(xjlink.Error):
        ws.submit("S1")
    ws.set_policy("intake", True, datetime.date(2000, 1, 1), None)
    ws.set_role(None)
    req = ws.register("S1", {"姓名": "赵强", "性别": "男", "出生日期": "2015-02-03",
                             "身份证件类型": "居民身份证",
                             "身份证件号": _citizen("11010820150203031")}, 3)
    assert ws.export_check(tmp_path / "check.csv") == 1
    (tmp_path / "result.csv").write_text(f"申请号,结果\n{req},通过\n", encoding="utf-8")
    rep = ws.import_check(tmp_path / "result.csv")
    assert rep["matched"] == 1 and ws.registrations()[0]["state"] == "registered"


def test_enrolment_season_through_the_class(tmp_path):
    kid = _citizen("11010120100301011")
    (tmp_path / "g.csv").write_text(
        "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n"
        f"G{kid},张伟,男,2010-03-01,居民身份证,{kid},某中学,110101,初中,1,0\n", encoding="utf-8")
    with xjlink.Workspace(tmp_path / "e.db", operator="county") as w:
        assert w.load_graduates(tmp_path / "g.csv")["inserted"] == 1
        for school, kind in (("H1", "高中"), ("V1", "中职")):
            w.set_school(school, school, 110101)
            w.set_school_kind(school, kind)
            w.set_quota(school, 2025, 1)
            w.assign(school, 2025, "G" + kid)
        voc, _ = w.admit("V1", 2025, "G" + kid)
        sen, other = w.admit("H1", 2025, "G" + kid)
        assert other == voc and len(w.double_admissions(2025)) == 1
        w.resolve_double(sen, voc, "本人选择普高")
        assert w.admission(sen)["state"] == "admitted"
        assert w.admission(voc)["state"] == "cancelled"
        with pytest.raises(xjlink.Error):
            w.review_admission(sen, "中职", True)
        w.review_admission(sen, "高中", True, "核实")
        assert w.admission(sen)["review"].startswith("approved")
        w.transfer_archive(sen)
        assert w.quota("H1", 2025) == (1, 1)
        req = w.request_quota("H1", 2025, 2, "扩招")
        w.decide_quota(req, True)
        assert w.quota_requests("H1")[0]["state"] == "approved"
        rows, counted = w.statistics(2025)
        assert {r["school"] for r in rows} == {"H1", "V1"} and counted == 0
        assert [s["school"] for s in w.schools()] == ["H1", "V1"]


def test_the_rest_of_the_header(ws, tmp_path):
    """The workspace functions the class covered last: the registry, one
    row's status, today's date, the integrity check, the busy timeout and
    the cross-check of two systems' lists."""
    assert ws.registry_count() == 300
    assert ws.registry_record("XQ65010200001")["name"] == "阿依古丽·买买提"
    with pytest.raises(xjlink.NotFoundError):
        ws.registry_record("nope")
    row_id, status = ws.add_row("S1", ("阿依古丽·买买提", "女", "2018-04-17", "1",
                                       "650102201804174824"))
    assert ws.status(row_id) == status == "matched"
    ws.set_busy_timeout(1000)
    ws.check()
    ws.set_policy("intake", True, datetime.date(2025, 6, 1), datetime.date(2025, 9, 30))
    ws.set_date(datetime.date(2025, 10, 1))
    with pytest.raises(xjlink.PolicyError):
        ws.delete(row_id, "x")
    ws.set_date(datetime.date(2025, 7, 1))
    # several fields, one step: the valid address before the refused key
    # field is not kept either
    with pytest.raises(xjlink.StateError):
        ws.supplement(row_id, {"现住址": "北京市海淀区某街2号", "姓名": "张三"})
    assert ws.supplement(row_id)["address"] in ("", None)
    s = ws.supplement(row_id, {"现住址": "北京市海淀区某街2号", "民族码": "01"})
    assert s["address"] == "北京市海淀区某街2号" and s["ethnicity"] == "01"
    head = "学校,姓名,性别,出生日期,身份证件类型,身份证件号\n"
    (tmp_path / "s.csv").write_text(head + "H1,张伟,男,2010-03-01,居民身份证,110108201003010013\n",
                                    encoding="utf-8")
    (tmp_path / "v.csv").write_text(head + "V9,张伟,男,2010-03-01,居民身份证,110108201003010013\n",
                                    encoding="utf-8")
    pairs = xjlink.Workspace.cross_check(tmp_path / "s.csv", tmp_path / "v.csv")
    assert len(pairs) == 1 and pairs[0]["senior_school"] == "H1"


def _side_files(path):
    return [s for s in ("-wal", "-shm", "-journal") if os.path.exists(str(path) + s)]


def _list_for_reading(path):
    """The listings of a workspace opened for reading, and a write step on
    it refused naming the file and the step; the problems found."""
    problems = []
    with xjlink.Workspace.open_read(path) as r:
        if not r.read_only or [s["school"] for s in r.schools()] != ["H1"]:
            problems.append("schools listed: %r" % r.schools())
        if r.quota("H1", 2026) != (7, 0):
            problems.append("quota: %r" % (r.quota("H1", 2026),))
        if not any(a["action"] for a in r.audit()):
            problems.append("an empty audit trail")
        try:
            r.set_school("H2", "二中", 110101)
            problems.append("a write step on a reader was not refused")
        except xjlink.InvalidError as e:
            if str(path) not in str(e) or "school set" not in str(e):
                problems.append("the refusal names neither file nor step: %s" % e)
    if _side_files(path):
        problems.append("a reader left %r beside %s" % (_side_files(path), path))
    return problems


def _list_as_nobody(path):
    """_list_for_reading in a child process of the user nobody (as the C
    test does: root may write anything, so a root reader never meets a
    file it may not write); also a write open refused as read-only."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports by its exit status
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            problems = _list_for_reading(path)
            try:
                xjlink.Workspace(path).close()
                problems.append("a write open of a read-only workspace succeeded")
            except xjlink.FileError as e:
                if str(path) not in str(e) or "read-only" not in str(e):
                    problems.append("a write open refused without saying why: %s" % e)
            for p in problems:
                print(p, file=sys.stderr)
            code = 1 if problems else 0
        except BaseException as e:
            print("the listing as nobody failed: %r" % e, file=sys.stderr)
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_open_read_lists_a_workspace_it_may_not_write():
    # a folder of its own that nobody may walk into (tmp_path's parent is 0700)
    with tempfile.TemporaryDirectory() as top:
        os.chmod(top, 0o755)
        folder = pathlib.Path(top) / "ro"
        folder.mkdir()
        path = folder / "ws.db"
        with xjlink.Workspace(path, operator="tester") as w:
            w.set_school("H1", "第一中学", 110101)
            w.set_quota("H1", 2026, 7)
        assert _side_files(path) == []

        assert _list_for_reading(path) == []
        # a writer holds it open: the reader reads its WAL and leaves it to it
        with xjlink.Workspace(path) as w:
            w.set_quota("H1", 2026, 8)
            assert _side_files(path)
            with xjlink.Workspace(path, read_only=True) as r:
                assert r.quota("H1", 2026) == (8, 0)
            assert _side_files(path)
            w.set_quota("H1", 2026, 7)
        assert _side_files(path) == []

        # mode 0444 in a read-only folder
        os.chmod(path, 0o444)
        os.chmod(folder, 0o555)
        try:
            assert _list_for_reading(path) == []
            if os.geteuid() == 0:
                assert _list_as_nobody(path) == 0
            else:
                with pytest.raises(xjlink.FileError, match="read-only"):
                    xjlink.Workspace(path)
            assert _side_files(path) == []
        finally:
            os.chmod(folder, 0o755)
            os.chmod(path, 0o644)

        # a workspace that does not exist is not made
        missing = folder / "missing.db"
        with pytest.raises(xjlink.FileError, match=re.escape(str(missing))):
            xjlink.Workspace.open_read(missing)
        assert not missing.exists()

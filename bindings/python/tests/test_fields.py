"""The field functions: normalize_name, parse_gender, parse_date,
parse_id_number, parse_record, and what bad input gives."""

import datetime

import pytest

import xjlink


@pytest.mark.parametrize("raw, form, want", [
    ("阿依古丽•买买提", "display", "阿依古丽·买买提"),
    ("阿依古丽.买买提", "bare", "阿依古丽买买提"),
    ("ＺＨＡＮＧ　Ｓａｎ", "display", "zhang san"),
    ("陳思遠", "simplified", "陈思远"),
    ("吕雨涵", "pinyin", "lv yu han"),
    ("卢雨涵", "pinyin", "lu yu han"),
])
def test_normalize_name_forms(raw, form, want):
    assert xjlink.normalize_name(raw, form) == want


def test_normalize_name_rejects_unknown_form():
    with pytest.raises(ValueError):
        xjlink.normalize_name("张三", "phonetic")


@pytest.mark.parametrize("bad", ["", "张3", "   ", "x" * 10_000, "张\0三"])
def test_normalize_name_unusable_raises_invalid(bad):
    with pytest.raises(xjlink.InvalidError) as e:
        xjlink.normalize_name(bad)
    assert e.value.code == xjlink.core.XJL_EINVAL
    assert str(e.value)  # the library's message says why


def test_invalid_utf8_bytes_reach_the_library():
    # bytes are passed as they are: the library, not Python, judges them
    with pytest.raises(xjlink.InvalidError, match="UTF-8"):
        xjlink.normalize_name(b"\xe5\xbc\xa0\xff")


def test_lone_surrogate_is_an_encoding_error():
    with pytest.raises(xjlink.EncodingError):
        xjlink.normalize_name("张\udcff")


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError):
        xjlink.normalize_name(["张三"])
    with pytest.raises(TypeError):
        xjlink.core.xjl_name_normalize(42, 0)


@pytest.mark.parametrize("raw, want", [
    ("男", xjlink.Gender.MALE), ("女性", xjlink.Gender.FEMALE), ("1", xjlink.Gender.MALE),
    ("２", xjlink.Gender.FEMALE), (" F ", xjlink.Gender.FEMALE), ("9", xjlink.Gender.UNSPECIFIED),
    (1, xjlink.Gender.MALE),
])
def test_parse_gender(raw, want):
    g = xjlink.parse_gender(raw)
    assert g is want and g.label_zh


def test_parse_gender_bad_value_names_it():
    with pytest.raises(xjlink.InvalidError, match="不详|x"):
        xjlink.parse_gender("x")


@pytest.mark.parametrize("raw", ["2019-09-01", "2019/9/1", "20190901", "2019年9月1日",
                                 "２０１９.０９.０１", 20190901, datetime.date(2019, 9, 1),
                                 datetime.datetime(2019, 9, 1, 8, 30)])
def test_parse_date(raw):
    assert xjlink.parse_date(raw) == datetime.date(2019, 9, 1)


@pytest.mark.parametrize("bad", ["2019-02-30", "1899-12-31", "someday", ""])
def test_parse_date_bad(bad):
    with pytest.raises(xjlink.InvalidError):
        xjlink.parse_date(bad)


def test_parse_id_number_valid():
    n = xjlink.parse_id_number(" 36042619910101007１ ")
    assert n.valid and n.kind == "citizen"
    assert n.normalized == "360426199101010071"
    assert n.birth_date == datetime.date(1991, 1, 1)
    assert n.gender is xjlink.Gender.MALE
    assert n.region == 360426 and n.region_name == "德安县"
    assert n.expected_check is None and n.findings == []


def test_parse_id_number_check_character():
    n = xjlink.parse_id_number("360426199101010072")
    assert not n.valid
    assert n.findings == ["id_check"]
    assert n.expected_check == "1"


def test_parse_id_number_with_type_and_empty():
    assert xjlink.parse_id_number("", id_type="居民身份证").kind == "empty"
    assert xjlink.parse_id_number("E12345678", id_type="护照").kind == "other"
    n = xjlink.parse_id_number("360426199101010071", id_type="户口簿")
    assert n.valid


def test_id_type_helpers():
    assert xjlink.parse_id_type("户口薄") == "B"
    assert xjlink.parse_id_type("") == ""
    assert xjlink.id_type_label("1") == "居民身份证"
    assert xjlink.id_check_char("36042619910101007") == "1"
    assert xjlink.id_check_char("3604261991010100") is None
    assert xjlink.region_name(110108) == "海淀区"
    assert xjlink.region_name(999999) is None


def test_parse_record_findings_per_field():
    p = xjlink.parse_record({"姓名": "张三", "性别": "女", "出生日期": "1991-01-02",
                             "身份证件号": "360426199101010071"})
    assert p.valid and p.errors == 0
    assert p.findings["record"] == ["dob_mismatch", "gender_mismatch"]
    assert p.findings["id_type"] == ["idtype_inferred"]
    assert p.id_type == "1" and p.id_type_label == "居民身份证"
    assert any("出生日期" in m or "身份证" in m for m in p.messages("zh"))


def test_parse_record_english_keys_and_sequences_agree():
    a = xjlink.parse_record({"name": "王小明", "gender": "1", "birth_date": "2018-03-01",
                             "id_type": "1", "id_number": ""})
    b = xjlink.parse_record(("王小明", "1", "2018-03-01", "1", ""))
    assert a == b
    assert a.findings == {"id_number": ["id_missing"]}


def test_parse_record_errors_are_data():
    p = xjlink.parse_record(("", "x", "2019-02-30", "?", "12345"))
    assert not p.valid and p.errors >= 4
    assert p.findings["name"] == ["empty"]
    assert p.findings["gender"] == ["gender_value"]
    assert p.findings["birth_date"] == ["date_invalid"]


def test_parse_record_invalid_utf8_is_a_finding():
    p = xjlink.parse_record((b"\xff\xfe", "男", "2019-01-01", "1", ""))
    assert "encoding" in p.findings["name"]


def test_record_field_with_nul_is_a_finding():
    # the C API takes NUL-terminated fields: such a field is read as empty, flagged "nul"
    p = xjlink.parse_record(("张\0三", "男", "2019-01-01", "1", b"1\x002"))
    assert p.findings["name"] == ["nul"] and p.findings["id_number"] == ["nul"]
    assert p.errors == 2 and not p.valid
    with pytest.raises(xjlink.InvalidError, match="NUL"):
        xjlink.core.xjl_record_parse(("张\0三", "男", "2019-01-01", "1", ""))


def test_record_shape_errors():
    with pytest.raises(xjlink.InvalidError):
        xjlink.parse_record(("张三", "男"))
    with pytest.raises(TypeError):
        xjlink.parse_record("张三,男")


def test_long_field_is_a_finding_not_a_crash():
    p = xjlink.parse_record(("张" * 10_000, "男", "2019-01-01", "1", "1" * 10_000))
    assert "too_long" in p.findings["name"]
    assert p.findings["id_number"]


def test_values_from_spreadsheets_and_pandas_are_read():
    p = xjlink.parse_record({"姓名": "王小明", "性别": 1.0, "出生日期": datetime.date(2018, 3, 1),
                             "身份证件类型": float("nan"), "身份证件号": None})
    assert p.gender is xjlink.Gender.MALE
    assert p.birth_date == datetime.date(2018, 3, 1)


def test_finding_messages_in_both_languages():
    assert xjlink.finding_message("id_check")
    assert xjlink.finding_message("id_check", "zh") != xjlink.finding_message("id_check")

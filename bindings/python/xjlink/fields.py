"""The five key fields one at a time: names, genders, dates, ID numbers.

Thin functions over the C library's parsers; they raise
:class:`xjlink.InvalidError` for a value the library cannot use, except
:func:`parse_id_number` and :func:`parse_record`, whose findings are data.
"""

import dataclasses
import datetime
import enum
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

from . import core
from ._convert import record_tuple, text
from ._errors import InvalidError

__all__ = [
    "FIELDS",
    "Gender",
    "IdNumber",
    "ParsedRecord",
    "finding_message",
    "id_check_char",
    "id_type_label",
    "normalize_name",
    "parse_date",
    "parse_gender",
    "parse_id_number",
    "parse_id_type",
    "parse_record",
    "region_name",
]

#: The five key fields, in the library's order (xjl_field), and "record"
#: for findings about the record as a whole (consistency).
FIELDS = tuple(core.xjl_field_name(f) for f in range(core.XJL_FIELD_COUNT))

_FINDING_NAMES = tuple(core.xjl_finding_name(c) for c in range(core.XJL_F_COUNT))
_FINDING_CODES = {n: c for c, n in enumerate(_FINDING_NAMES)}
_ERROR_MASK = sum(1 << c for c in range(1, core.XJL_F_COUNT) if core.xjl_finding_is_error(c))
_KINDS = {
    core.XJL_IDKIND_EMPTY: "empty",
    core.XJL_IDKIND_CITIZEN: "citizen",
    core.XJL_IDKIND_HMT: "hmt",
    core.XJL_IDKIND_PR_NEW: "pr_new",
    core.XJL_IDKIND_PR_OLD: "pr_old",
    core.XJL_IDKIND_OTHER: "other",
}
_FORMS = {
    "display": core.XJL_NAME_DISPLAY,
    "bare": core.XJL_NAME_BARE,
    "simplified": core.XJL_NAME_SIMPLIFIED,
    "pinyin": core.XJL_NAME_PINYIN,
}
_EPOCH = datetime.date(1970, 1, 1)


class Gender(enum.IntEnum):
    """性别 (GB/T 2261.1); the values are the standard's codes."""

    UNKNOWN = core.XJL_GENDER_UNKNOWN
    MALE = core.XJL_GENDER_MALE
    FEMALE = core.XJL_GENDER_FEMALE
    UNSPECIFIED = core.XJL_GENDER_UNSPECIFIED

    @property
    def label_zh(self) -> str:
        return {0: "未知的性别", 1: "男", 2: "女", 9: "未说明的性别"}[self.value]


def _names_of(bits: int) -> List[str]:
    """Names of the findings in a bit set, in code order."""
    return [_FINDING_NAMES[c] for c in range(1, len(_FINDING_NAMES)) if bits >> c & 1]


def _date_of(days: int) -> Optional[datetime.date]:
    return None if days == core.XJL_DATE_NONE else _EPOCH + datetime.timedelta(days=days)


def _id_type_code(value: Any) -> str:
    return chr(value) if value else ""


@dataclass(frozen=True)
class IdNumber:
    """What an ID number (身份证件号) says once read."""

    normalized: str
    kind: str  # "empty", "citizen", "hmt", "pr_new", "pr_old", "other"
    birth_date: Optional[datetime.date]
    gender: Optional[Gender]
    region: Optional[int]
    region_name: Optional[str]
    expected_check: Optional[str]  # the right check character when it is wrong
    findings: List[str]
    valid: bool  # usable for matching (no error finding)

    @classmethod
    def _from_info(cls, info: Any) -> "IdNumber":
        bits = info.findings
        gender = Gender(info.gender) if info.gender != core.XJL_GENDER_UNKNOWN else None
        region = info.region or None
        return cls(
            normalized=info.normalized,
            kind=_KINDS.get(info.kind, "other"),
            birth_date=_date_of(info.birth_date),
            gender=gender,
            region=region,
            region_name=core.xjl_region_name(region) if region else None,
            expected_check=info.expected_check if info.expected_check not in ("", "\0") else None,
            findings=_names_of(bits),
            valid=not bits & _ERROR_MASK,
        )


@dataclass(frozen=True)
class ParsedRecord:
    """A record once read and checked: normalised fields and findings per field."""

    name: str  # DISPLAY form, "" if the name is unusable
    gender: Gender
    birth_date: Optional[datetime.date]
    id_type: str  # the JY/T 1001 code ("1", "B", ...), "" if none
    id_type_label: str  # 居民身份证, 户口簿, ...
    id_number: IdNumber
    findings: Dict[str, List[str]] = field(default_factory=dict)  # field -> finding names
    errors: int = 0
    warnings: int = 0

    @property
    def valid(self) -> bool:
        """No error finding: every field is usable."""
        return self.errors == 0

    def messages(self, lang: str = "en") -> List[str]:
        """The findings as sentences, "field: message", in English or Chinese ("zh")."""
        zh = 1 if lang == "zh" else 0
        out = []
        for f, names in self.findings.items():
            label = core.xjl_field_label_zh(FIELDS.index(f)) if zh else f
            for n in names:
                out.append(f"{label}: {core.xjl_finding_message(_FINDING_CODES[n], zh)}")
        return out

    @classmethod
    def _from_parsed(cls, p: Any) -> "ParsedRecord":
        findings = {}
        for i, f in enumerate(FIELDS):
            names = _names_of(p.field_findings(i))
            if names:
                findings[f] = names
        info = p.id
        ident = IdNumber._from_info(info)
        return cls(
            name=p.name,
            gender=Gender(p.gender),
            birth_date=_date_of(p.birth_date),
            id_type=_id_type_code(p.id_type),
            id_type_label=core.xjl_id_type_label(p.id_type),
            id_number=ident,
            findings=findings,
            errors=p.errors,
            warnings=p.warnings,
        )


def normalize_name(name: str, form: str = "display") -> str:
    """A name in one of its forms: "display", "bare", "simplified" or "pinyin".

    >>> normalize_name("阿依古丽•买买提")
    '阿依古丽·买买提'

    Raises InvalidError for a name the library cannot use (empty, digits,
    invalid UTF-8, ...); the message names the finding.
    """
    try:
        f = _FORMS[form]
    except KeyError:
        raise ValueError(f"form must be one of {', '.join(_FORMS)}, not {form!r}") from None
    value, _findings = core.xjl_name_normalize(text(name), f)
    return value


def parse_gender(value: Any) -> Gender:
    """性别 as a :class:`Gender`: codes 0/1/2/9, 男/女, 男性/女性, M/F, male/female."""
    return Gender(core.xjl_gender_parse(text(value)))


def parse_date(value: Any) -> Optional[datetime.date]:
    """出生日期 as a datetime.date: 2019-09-01, 2019/9/1, 20190901, 2019年9月1日,
    Excel serial numbers, ...  A date object is returned as it is."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    days, _finding = core.xjl_date_parse(text(value))
    return _date_of(days)


def parse_id_type(value: Any) -> str:
    """身份证件类型 as its code ("1", "A", "B", ...; "" when empty), from a code or
    a name (居民身份证, 户口簿 and its misspelling 户口薄, 护照, ...)."""
    return _id_type_code(core.xjl_id_type_parse(text(value) or ""))


def id_type_label(code: Any) -> str:
    """The standard's Chinese name of a document type code ("1" → 居民身份证)."""
    return core.xjl_id_type_label(ord(code) if code else 0)


def parse_id_number(value: str, id_type: Any = None) -> IdNumber:
    """Reads an ID number; never raises for a bad number, see ``.valid`` and
    ``.findings``.  ``id_type`` (code or name) says which document it is;
    None judges by the number's form alone."""
    t = core.xjl_id_type_parse(text(id_type)) if id_type not in (None, "") else 0
    _usable, info = core.xjl_id_parse(text(value) if value is not None else "", t)
    return IdNumber._from_info(info)


def parse_record(record: Any) -> ParsedRecord:
    """Reads and checks the five fields of a record (a dict keyed by Chinese or
    English column names, or a 5-sequence); the findings say what is wrong.
    A field with a NUL character (which the C API cannot take) is read as
    empty, with the finding "nul" in place of what empty gives."""
    t = record_tuple(record)
    try:
        return ParsedRecord._from_parsed(core.xjl_record_parse(t))
    except InvalidError:
        nul = [k for k, v in enumerate(t)
               if v is not None and ("\0" in v if isinstance(v, str) else b"\0" in v)]
        if not nul:
            raise
    p = ParsedRecord._from_parsed(
        core.xjl_record_parse(tuple(None if k in nul else v for k, v in enumerate(t))))
    findings = dict(p.findings)
    for k in nul:
        findings[FIELDS[k]] = ["nul"]
    names = [n for ns in findings.values() for n in ns]
    errors = sum(1 for n in names if core.xjl_finding_is_error(_FINDING_CODES[n]))
    return dataclasses.replace(p, findings=findings, errors=errors, warnings=len(names) - errors)


def region_name(code: Union[int, str]) -> Optional[str]:
    """Name of a GB/T 2260 region code (1980-2019 revisions), or None."""
    return core.xjl_region_name(int(code))


def id_check_char(first17: str) -> Optional[str]:
    """The ISO 7064 MOD 11-2 check character of 17 digits, or None if they are not digits."""
    if len(first17) < 17:
        return None
    c = core.xjl_id_check_char(first17[:17])
    return c if c not in ("", "\0") else None


def finding_message(name: str, lang: str = "en") -> str:
    """The message of a finding by its name ("id_check"), in English or Chinese."""
    return core.xjl_finding_message(_FINDING_CODES[name], 1 if lang == "zh" else 0)

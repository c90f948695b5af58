"""xjlink: matching Chinese student records (电子学籍接续) from Python.

    import xjlink

    with xjlink.Index.from_csv("preschool_registry.csv") as ix:
        r = ix.match({"姓名": "张三", "性别": "男", "出生日期": "2018-03-01",
                      "身份证件类型": "居民身份证", "身份证件号": "110101201803010011"})
        print(r.status, r.status_zh, r.match_id, r.reasons)
        for c in r.candidates:
            print(c.id, c.score, c.levels)

The five key fields: 姓名 name, 性别 gender, 出生日期 birth_date,
身份证件类型 id_type, 身份证件号 id_number.  Errors raise subclasses of
:class:`xjlink.Error`.  ``xjlink.core`` is the raw SWIG wrapper of xjlink.h.
"""

from . import core
from ._errors import (
    BusyError,
    DatabaseError,
    DuplicateError,
    EncodingError,
    Error,
    FileError,
    FormatError,
    InvalidError,
    NoMemoryError,
    NotFoundError,
    PolicyError,
    QuotaError,
    RangeError,
    StateError,
)
from ._convert import key_columns
from .fields import (
    FIELDS,
    Gender,
    IdNumber,
    ParsedRecord,
    finding_message,
    id_check_char,
    id_type_label,
    normalize_name,
    parse_date,
    parse_gender,
    parse_id_number,
    parse_id_type,
    parse_record,
    region_name,
)
from .matching import PARAMS, Candidate, Diagnostic, Index, Result, Results, RowError
from .workspace import ROW_STATUSES, Workspace, listing_rows

__version__ = core.xjl_version()

__all__ = [
    "FIELDS",
    "PARAMS",
    "ROW_STATUSES",
    "BusyError",
    "Candidate",
    "DatabaseError",
    "Diagnostic",
    "DuplicateError",
    "EncodingError",
    "Error",
    "FileError",
    "FormatError",
    "Gender",
    "IdNumber",
    "Index",
    "InvalidError",
    "NoMemoryError",
    "NotFoundError",
    "ParsedRecord",
    "PolicyError",
    "QuotaError",
    "RangeError",
    "Result",
    "Results",
    "RowError",
    "StateError",
    "Workspace",
    "finding_message",
    "id_check_char",
    "id_type_label",
    "key_columns",
    "listing_rows",
    "normalize_name",
    "parse_date",
    "parse_gender",
    "parse_id_number",
    "parse_id_type",
    "parse_record",
    "region_name",
]

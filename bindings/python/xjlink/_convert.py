"""Records as Python holds them → the five text fields the library reads.

A record is a dict keyed by Chinese or English column names (what a roster's
header says), or a sequence of the five fields in the library's order.
Values may be what Excel, csv or pandas give: str, bytes (passed through, so
that invalid UTF-8 reaches the library and becomes a finding), int, float,
date/datetime, None or NaN (empty).
"""

import datetime
import math
import operator
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from . import core
from ._errors import raise_error


def _id_columns() -> Tuple[str, ...]:
    """The library's names of a record id column, in its order."""
    names: list[str] = []
    while (name := core.xjl_record_id_column_name(len(names))) is not None:
        names.append(name)
    return tuple(names)


#: Column names taken for a registry record's own id, in the library's order
#: (xjl_csv_id_column: the CSV readers find the same column).
ID_COLUMNS = _id_columns()


def text(v: Any) -> Optional[Union[str, bytes]]:
    """One field value as the library reads it: str, bytes or None."""
    t = type(v)
    if t is str or t is bytes or v is None:
        return v
    if isinstance(v, str):  # str subclasses (numpy.str_)
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return None
        # Excel keeps numbers as doubles: 1.0 for a gender code, 20190901.0 for a date
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, bool):
        raise TypeError(f"a field value cannot be a bool ({v!r})")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, datetime.datetime):
        return None if v != v else v.date().isoformat()  # pandas NaT != itself
    if isinstance(v, datetime.date):
        return v.isoformat()
    try:
        if v != v:  # NaN-like missing values of numpy and pandas
            return None
    except (TypeError, ValueError):
        pass
    if type(v).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(v, "__index__"):  # numpy integers
        return str(operator.index(v))
    if hasattr(v, "__float__"):  # numpy floats, Decimal
        return text(float(v))
    raise TypeError(f"a field value must be text, a number, a date or None, "
                    f"not {type(v).__name__}")


# Which key field each column of a header is, by the CSV reader's own rule
# (xjl_csv_key_field: 姓名/name/学生姓名, 身份证号/证件号码, "*出生日期（格式…）", ...);
# cached per header, since a roster's rows share theirs.
_plans: Dict[Any, Any] = {}


def key_columns(header):
    """The column (key) of each of the five fields in a header, None if absent;
    the first column that fits wins."""
    cols = [None] * 5
    for k in header:
        f = core.xjl_csv_key_field(k) if isinstance(k, str) else -1
        if f >= 0 and cols[f] is None:
            cols[f] = k
    return tuple(cols)


# Stands for an absent column in a plan: no dict has it as a key.
_ABSENT = object()


def _plan(rec):
    header = tuple(rec)
    plan = _plans.get(header)
    if plan is None:
        if len(_plans) > 256:
            _plans.clear()
        plan = _plans[header] = tuple(_ABSENT if k is None else k for k in key_columns(header))
    return plan


def record_tuple(rec: Any) -> Tuple[Optional[Union[str, bytes]], ...]:
    """The five fields of a record as a tuple of str/bytes/None."""
    # the hot path of Index.match: unrolled, str values taken as they are
    if type(rec) is dict:
        a, b, c, d, e = _plan(rec)
        get = rec.get
        a, b, c, d, e = get(a), get(b), get(c), get(d), get(e)
    elif hasattr(rec, "keys"):
        return record_tuple(dict(rec))
    elif isinstance(rec, (str, bytes)):
        raise TypeError("a record is a dict or a sequence of 5 fields, not a string")
    else:
        t = tuple(rec)
        if len(t) != 5:
            raise_error(core.XJL_EINVAL,
                        f"a record has 5 fields (name, gender, birth_date, id_type, id_number), "
                        f"this one {len(t)}")
        a, b, c, d, e = t
    return (a if type(a) is str else text(a), b if type(b) is str else text(b),
            c if type(c) is str else text(c), d if type(d) is str else text(d),
            e if type(e) is str else text(e))


def record_id(rec, id_column=None):
    """A registry record's id from its dict, or None (the index then numbers it)."""
    if not hasattr(rec, "keys"):
        return None
    if id_column is not None:
        if id_column not in rec:
            raise_error(core.XJL_EFORMAT, f"record has no id column named '{id_column}'")
        v = rec[id_column]
    else:
        v = next((rec[k] for k in ID_COLUMNS if k in rec), None)
    return text(v)


def mapping_text(columns: Optional[Union[str, Mapping[str, str]]]) -> Optional[str]:
    """A column mapping as the library reads it ("姓名=XM,身份证件号=SFZJH") from a
    dict {field: column} (field: any name of a key field, 姓名, name, XM, ...)
    or that text itself; None stays None."""
    if columns is None or isinstance(columns, str):
        return columns
    items = []
    for field, column in dict(columns).items():
        for part in (field, column):
            if not isinstance(part, str) or "," in part or "，" in part or "=" in part:
                raise_error(core.XJL_EINVAL,
                            f"column mapping {field!r}: {column!r}: field and column are names "
                            f"without ',', '，' or '='")
        items.append(f"{field}={column}")
    return ",".join(items)


def find_columns(columns, id_column=None, want_id=False, mapping=None,
                 where="the DataFrame's columns"):
    """Resolves the key columns of a table header (e.g. a DataFrame's columns)
    as the library does (xjl_key_columns: names, the standard's codes XM, XBM,
    CSRQ, SFZJLXM, SFZJH, and the mapping ``{"姓名": "学生名称", ...}``).

    Returns (the five columns; the id column or None).  Raises FormatError
    naming the missing key columns, a mapped column that is not there, or a
    missing id_column; InvalidError for a malformed mapping.
    """
    present = list(columns)
    names = [c if isinstance(c, str) else None for c in present]
    idx = core.xjl_key_columns(names, mapping_text(mapping), where)
    cols = tuple(present[i] for i in idx)
    idcol = None
    if id_column is not None:
        if id_column not in present:
            raise_error(core.XJL_EFORMAT, f"no id column named '{id_column}' among {present[:20]}")
        idcol = id_column
    elif want_id:
        idcol = next((a for a in ID_COLUMNS if a in present), None)
    return cols, idcol


def refuse_float_ids(df, cols, idcol=None):
    """An ID number or record id column that pandas read as floats has lost
    digits already (18-digit numbers keep 15 or 16 significant ones, a check
    character X makes the cell NaN): refused, with how to read it as text."""
    for col in (cols[4], idcol):
        if col is None:
            continue
        kind = getattr(getattr(df[col], "dtype", None), "kind", None)
        if kind == "f":
            raise_error(core.XJL_EFORMAT,
                        f"column '{col}' was read as numbers ({df[col].dtype}): its 18-digit "
                        f"values have lost digits and every X; read it as text, e.g. "
                        f"pd.read_csv(path, dtype={{'{col}': str}}) or "
                        f"pd.read_excel(path, dtype={{'{col}': str}})")

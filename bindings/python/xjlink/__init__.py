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

from . import _errors, core, fields, matching, workspace
from ._convert import key_columns
from ._errors import *  # noqa: F401,F403  (each module lists its names in __all__)
from ._progress import Progress, ProgressBar
from .evaluate import Evaluation, evaluate
from .fields import *  # noqa: F401,F403
from .matching import *  # noqa: F401,F403
from .report import report
from .workspace import *  # noqa: F401,F403

__version__: str = core.xjl_version()


def message(id: str, lang: str = "en") -> str:
    """The text of message ``id`` of the library's catalogue in ``lang``
    ("en" or "zh"): the same texts the C library and the xjlink program
    show, e.g. ``message("status.pending", "zh") == "待确认学前学籍"``.

    :raises KeyError: an id the catalogue does not have
    :raises ValueError: a language other than en and zh"""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    if not core.xjl_message_exists(id):
        raise KeyError(id)
    return core.xjl_message(id, core.XJL_LANG_ZH if lang == "zh" else core.XJL_LANG_EN)


__all__ = ["key_columns", "message", "Evaluation", "evaluate", "report", "Progress", "ProgressBar",
           *_errors.__all__, *fields.__all__, *matching.__all__, *workspace.__all__]

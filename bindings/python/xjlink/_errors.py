"""The exceptions: one per xjl_error code, all under :class:`Error`.

Every library call that returns a status is checked by the wrapper (see
bindings/xjlink.i): a negative code raises the class registered here for it,
with the library's detailed message (what was wrong and where).
"""

from typing import NoReturn

from . import core

__all__ = [
    "BusyError", "DatabaseError", "DuplicateError", "EncodingError", "Error", "FileError",
    "FormatError", "InvalidError", "NoMemoryError", "NotFoundError", "PolicyError",
    "QuotaError", "RangeError", "StateError", "TruncatedError", "CorruptError", "ForeignError",
    "VersionError",
]


class Error(Exception):
    """A call into xjlink failed.

    ``code`` is the library's (negative) xjl_error code, ``message`` the
    detailed message of the failing call (file, line, field, value).
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def name(self):
        """Short English name of the code ("invalid argument", ...)."""
        return core.xjl_strerror(self.code)

    def __str__(self):
        return self.message


class InvalidError(Error, ValueError):
    """XJL_EINVAL: an invalid argument or an unusable value."""


class NoMemoryError(Error, MemoryError):
    """XJL_ENOMEM: out of memory."""


class EncodingError(Error, ValueError):
    """XJL_EENCODING: text not valid in its encoding."""


class FileError(Error, OSError):
    """XJL_EIO: a file could not be read or written."""


class StateError(Error):
    """XJL_ESTATE: a step the state forbids (adding to a built index, using a closed one)."""


class RangeError(Error):
    """XJL_ERANGE: a buffer was too small (the binding sizes them; a bug if seen)."""


class FormatError(Error, ValueError):
    """XJL_EFORMAT: a file or table is not of the expected form (header, columns)."""


class NotFoundError(Error, LookupError):
    """XJL_ENOTFOUND: no such record, row or object."""


class QuotaError(Error):
    """XJL_EQUOTA: a quota is exhausted."""


class DatabaseError(Error):
    """XJL_EDB: the workspace database failed."""


class BusyError(Error):
    """XJL_EBUSY: the workspace is locked by another process for too long."""


class PolicyError(Error):
    """XJL_EPOLICY: the host's policy hook refused (window closed, feature off)."""


class DuplicateError(Error):
    """XJL_EDUPLICATE: the object exists already."""


class TruncatedError(Error, ValueError):
    """XJL_ETRUNCATED: an index file ends before its header says it does."""


class CorruptError(Error, ValueError):
    """XJL_ECORRUPT: an index file's header or a section is damaged."""


class ForeignError(Error, ValueError):
    """XJL_EFOREIGN: not an index file, or one of another byte order."""


class VersionError(Error, ValueError):
    """XJL_EVERSION: an index file of a newer format or of other keys: rebuild it."""


BY_CODE = {
    core.XJL_EINVAL: InvalidError,
    core.XJL_ENOMEM: NoMemoryError,
    core.XJL_EENCODING: EncodingError,
    core.XJL_EIO: FileError,
    core.XJL_ESTATE: StateError,
    core.XJL_ERANGE: RangeError,
    core.XJL_EFORMAT: FormatError,
    core.XJL_ENOTFOUND: NotFoundError,
    core.XJL_EQUOTA: QuotaError,
    core.XJL_EDB: DatabaseError,
    core.XJL_EBUSY: BusyError,
    core.XJL_EPOLICY: PolicyError,
    core.XJL_EDUPLICATE: DuplicateError,
    core.XJL_ETRUNCATED: TruncatedError,
    core.XJL_ECORRUPT: CorruptError,
    core.XJL_EFOREIGN: ForeignError,
    core.XJL_EVERSION: VersionError,
}

core.xjlb_register_errors(Error, BY_CODE)


def raise_error(code: int, message: str) -> NoReturn:
    """Raises the class of ``code`` with a message written by the binding."""
    raise BY_CODE.get(code, Error)(code, message)

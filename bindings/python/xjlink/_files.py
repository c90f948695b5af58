"""File-like inputs: the library reads files by path (it cuts a registry into
blocks for its threads), so an open file, a BytesIO or a StringIO (an upload,
a member of a zip) is copied to a private temporary file first, read, and
removed; messages and diagnostics name the stream, not that file."""

import contextlib
import os
import shutil
import tempfile

from ._errors import Error


def is_path(src):
    return isinstance(src, (str, bytes, os.PathLike))


def stream_name(src):
    name = getattr(src, "name", None)
    return name if isinstance(name, str) else "<stream>"


@contextlib.contextmanager
def readable_path(src, suffix=".csv"):
    """A path for src: itself if it is one, else a temporary copy of the
    stream (text is written as UTF-8).  An xjlink.Error raised inside names
    the stream instead of the copy."""
    if is_path(src):
        yield src
        return
    if not hasattr(src, "read"):
        raise TypeError(f"expected a path or a file-like object, not {type(src).__name__}")
    fd, tmp = tempfile.mkstemp(prefix="xjlink-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            first = src.read(0)
            if isinstance(first, str):
                for chunk in iter(lambda: src.read(1 << 20), ""):
                    f.write(chunk.encode("utf-8"))
            else:
                shutil.copyfileobj(src, f, 1 << 20)
        try:
            yield tmp
        except Error as e:
            e.message = e.message.replace(tmp, stream_name(src))
            e.args = (e.message,)
            raise
    finally:
        os.unlink(tmp)

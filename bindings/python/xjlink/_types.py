"""The types the package's signatures share."""

import os
from typing import IO, Any, Mapping, Sequence, Union

#: A file's path.
Path = Union[str, "os.PathLike[str]"]
#: A path, or a file-like object (read from a copy where the library needs a file).
PathOrFile = Union[str, "os.PathLike[str]", IO[Any]]
#: A record: a mapping by column name (姓名, 性别, ...) or the five key fields in order.
Record = Union[Mapping[str, Any], Sequence[Any]]

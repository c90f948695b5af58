# The SWIG wrapper of xjlink.h (core.py, generated at build time).  Its
# functions are the C API's and untyped here: the package's own modules are
# the typed interface.
from typing import Any

def __getattr__(name: str) -> Any: ...

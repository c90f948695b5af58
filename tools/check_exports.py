#!/usr/bin/env python3
"""Checks that the shared library exports exactly what the public headers
declare: every XJL_API function of include/ is a defined dynamic symbol of
libxjlink.so, and every exported symbol is declared in a header.  An
internal function that leaks (a missing `static`, a symbol without hidden
visibility) or a declared function that was never written fails the test.

Usage: check_exports.py NM LIBXJLINK.so CONFIG_H HEADER...

CONFIG_H is the build's xjlink_config.h: a part of a header inside
`#if XJL_WITH_WORKSPACE` counts only when the build has the workspace.
"""
import re
import subprocess
import sys

DECL = re.compile(r"XJL_API\b[^;{]*?\b(xjl_[A-Za-z0-9_]*)\s*\(", re.S)


def config(path):
    values = {}
    for m in re.finditer(r"#define\s+(\w+)\s+(\d+)", open(path, encoding="utf-8").read()):
        values[m.group(1)] = int(m.group(2))
    return values


def declared(headers, cfg):
    names = set()
    for h in headers:
        text = open(h, encoding="utf-8").read()
        if not cfg.get("XJL_WITH_WORKSPACE", 1):
            text = re.sub(r"#if XJL_WITH_WORKSPACE\b.*?#endif /\* XJL_WITH_WORKSPACE \*/", " ",
                          text, flags=re.S)
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments mention calls too
        names.update(DECL.findall(text))
    return names


def exported(nm, lib):
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TWiDBR":
            names.add(parts[2])
    return names


def main():
    nm, lib, cfg, headers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    want, have = declared(headers, config(cfg)), exported(nm, lib)
    missing = sorted(want - have)
    extra = sorted(n for n in have - want if not n.startswith(("_init", "_fini")))
    for n in missing:
        print(f"declared, not exported: {n}")
    for n in extra:
        print(f"exported, not declared: {n}")
    print(f"{len(want)} functions declared, {len(have)} symbols exported")
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())

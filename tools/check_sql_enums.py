#!/usr/bin/env python3
"""Fails when the SQL of the workflow layer writes an enum's number.

The workspace stores statuses, states, kinds, routes, review stages and
supplement states as numbers of C enums.  Its SQL names them
(":adm_admitted") and the store binds the C constants, so that changing an
enum cannot leave a query comparing with the old number.  This check reads
every C string literal of lib/workspace/*.c (adjacent literals joined, as the
compiler does) and reports a column of those kinds compared with, or listed
against, a number.  `deleted = 0/1` is a flag, not an enum, and the schema's
DEFAULT clauses are checked by a static assertion in store.c instead.

Usage: check_sql_enums.py DIR|FILE.c...  (a directory: its *.c files)
"""
import glob
import os
import re
import sys

COLUMNS = r"(?:status|state|kind|route|review|supplement|stage|from_status|to_status|role)"
COMPARED = re.compile(r"\b" + COLUMNS + r"\s*(?:=|==|<>|!=|<=|>=|<|>)\s*-?\d")
LISTED = re.compile(r"\b" + COLUMNS + r"\s+(?:NOT\s+)?IN\s*\(\s*-?\d", re.IGNORECASE)
NUMBER_FIRST = re.compile(r"-?\d+\s*(?:=|==|<>|!=)\s*(?:\w+\.)?" + COLUMNS + r"\b")
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
BETWEEN = re.compile(r'"\s*(?:\n\s*)?"')


def statements(text):
    """The C string literals of text, adjacent ones joined, with their line."""
    # drop comments so that prose about the rule does not count
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    out, pos = [], 0
    while True:
        m = LITERAL.search(text, pos)
        if not m:
            return out
        line = text.count("\n", 0, m.start()) + 1
        parts, end = [m.group(1)], m.end()
        while True:
            gap = re.match(r'(?:\s|\b[A-Z_][A-Z0-9_]*\b)*"', text[end:])
            if not gap:
                break
            n = LITERAL.match(text, end + gap.end() - 1)
            if not n:
                break
            parts.append(n.group(1))
            end = n.end()
        out.append((line, " ".join(parts)))
        pos = end


def main(args):
    paths = []
    for a in args:
        paths += sorted(glob.glob(os.path.join(a, "*.c"))) if os.path.isdir(a) else [a]
    if not paths:
        print("no C files given", file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for line, sql in statements(text):
            for rx in (COMPARED, LISTED, NUMBER_FIRST):
                for m in rx.finditer(sql):
                    print(f"{path}:{line}: an enum's number written in SQL: "
                          f"'{m.group(0)}' (name it, e.g. ':adm_admitted', and bind the C "
                          f"constant)", file=sys.stderr)
                    bad += 1
    if bad:
        return 1
    print(f"{len(paths)} files: no enum number in SQL")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

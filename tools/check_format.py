#!/usr/bin/env python3
"""Checks that the C sources follow the project's .clang-format.

Usage: check_format.py [CLANG_FORMAT [SOURCE_ROOT]]

Run without arguments it uses `clang-format` from PATH on the tree this
script lies in (meson's `format` test passes both).

Every .c and .h file under the source folders is checked with
`clang-format --dry-run --Werror`; the first offences of each file are
printed.  To fix them: `clang-format -i FILE`.  Tables laid out by hand
keep their layout between `clang-format off` and `clang-format on`
comments.  The tree was reformatted once, in a commit of its own listed in
.git-blame-ignore-revs (`git config blame.ignoreRevsFile
.git-blame-ignore-revs` makes `git blame` skip it).
"""
import os
import re
import subprocess
import sys

# Layouts differ between clang-format releases: the tree is kept in the
# layout of Debian 12's clang-format, and another release skips the check.
MAJOR = 14

FOLDERS = ["include", "lib", "cli", "tests", "bench", "examples", "bindings", "tools"]


def sources(root):
    for folder in FOLDERS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(("build", ".")))
            for f in sorted(filenames):
                if f.endswith((".c", ".h")):
                    yield os.path.join(dirpath, f)


def main():
    if len(sys.argv) > 3:
        sys.exit("usage: check_format.py [CLANG_FORMAT [SOURCE_ROOT]]")
    clang_format = sys.argv[1] if len(sys.argv) > 1 else "clang-format"
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    try:
        version = subprocess.run([clang_format, "--version"], capture_output=True,
                                 text=True).stdout
    except OSError as e:
        print("skipped: %s cannot be run (%s)" % (clang_format, e.strerror))
        return 77
    m = re.search(r"version (\d+)\.", version)
    if not m or int(m.group(1)) != MAJOR:
        print("skipped: the layout is that of clang-format %d, this is: %s"
              % (MAJOR, version.strip() or "unknown"))
        return 77
    files = list(sources(root))
    # One clang-format process for every file: a process per file took most of
    # the test's time (and 30 s on a loaded machine); its diagnostics name the
    # file they are about, so the files that need formatting are still told.
    r = subprocess.run([clang_format, "--dry-run", "--Werror", "--style=file"] + files,
                       capture_output=True, text=True)
    shown: dict = {}
    for line in r.stderr.splitlines():
        m = re.match(r"(.+?):\d+:\d+: (?:error|warning):", line)
        if m:
            shown.setdefault(m.group(1), []).append(line)
    for path, lines in shown.items():
        print("\n".join(lines[:3]))
        if len(lines) > 3:
            print("... (%d more in %s)" % (len(lines) - 3, path))
    bad = len(shown)
    if r.returncode != 0 and not shown:  # clang-format failed without naming a file
        print(r.stderr.strip())
        bad = 1
    print("%d of %d files need clang-format" % (bad, len(files)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

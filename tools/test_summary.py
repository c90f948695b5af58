#!/usr/bin/env python3
"""Prints 'N passed, N failed' over meson test logs (testlog.json files).

meson's own summary is a table; CI and people reading a log want one line
that counts every test run, across the builds it was given.
"""
import json
import sys


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

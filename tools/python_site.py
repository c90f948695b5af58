"""Prints where, relative to PREFIX, this interpreter looks for packages.

meson's python module answers lib/python3/dist-packages for Debian's
interpreter whatever the prefix, but Debian's python3 searches that folder
only under /usr: under /usr/local it reads lib/python3.X/dist-packages.  So
the interpreter is asked: the folder meson proposes if it is on sys.path
under PREFIX, else the first packages folder of sys.path under PREFIX, else
meson's answer (a prefix the interpreter never searches: the user sets
PYTHONPATH, as for any private prefix).

    python3 tools/python_site.py PREFIX MESON_PROPOSAL
"""

import os
import sys


def main(prefix, proposal):
    prefix = os.path.abspath(prefix)
    on_path = [os.path.abspath(p) for p in sys.path if p.endswith("-packages")]
    if os.path.join(prefix, proposal) in on_path:
        print(proposal)
        return
    for p in on_path:
        if p.startswith(prefix + os.sep):
            print(os.path.relpath(p, prefix))
            return
    print(proposal)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

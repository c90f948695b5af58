#!/usr/bin/env python3
"""Builds the Java side of the binding in one step, because SWIG writes one
.java file per C type and meson must know a target's outputs in advance:

  swig -java -package org.xjlink.swig  →  the JNI C wrapper (an output) and
                                          the generated classes (a temp dir)
  javac (generated + src/)             →  classes
  jar                                  →  xjlink.jar (an output)

With --classpath and no --swig it compiles other sources (tests, examples)
against a built jar instead.  Standard library only.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile


def run(cmd):
    r = subprocess.run(cmd)
    if r.returncode:
        sys.exit(f"build_jar.py: command failed ({r.returncode}): {' '.join(map(str, cmd))}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swig")
    ap.add_argument("--interface")
    ap.add_argument("--swig-arg", action="append", default=[])
    ap.add_argument("--wrap-c")
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--classpath", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="xjlink-java-") as tmp:
        tmp = pathlib.Path(tmp)
        gen, classes = tmp / "gen", tmp / "classes"
        gen.mkdir()
        classes.mkdir()
        sources = [pathlib.Path(s) for s in a.sources]
        if a.swig:
            run([a.swig, "-java", "-package", "org.xjlink.swig", "-doxygen", *a.swig_arg,
                 "-outdir", gen, "-o", a.wrap_c, a.interface])
            sources += sorted(gen.glob("*.java"))
        cmd = [a.javac, "-encoding", "UTF-8", "--release", "17", "-Xlint:all", "-Werror",
               "-d", classes]
        if a.classpath:
            cmd += ["-cp", a.classpath]
        run(cmd + sources)
        run([a.jar, "--create", "--file", a.out, "-C", classes, "."])


if __name__ == "__main__":
    main()

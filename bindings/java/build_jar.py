#!/usr/bin/env python3
"""Builds the Java side of the binding in one step, because SWIG writes one
.java file per C type and meson must know a target's outputs in advance:

  swig -java -package org.xjlink.swig  →  the JNI C wrapper (an output) and
                                          the generated classes (a temp dir)
  javac (generated + src/)             →  classes
  jar                                  →  the classes jar (an output)
  --sources-jar, --javadoc-jar         →  the sources (src/ and generated)
                                          and their javadoc, for IDEs and
                                          for a Maven repository

With --classpath and no --swig it compiles other sources (tests, examples)
against a built jar instead.  With --bundle it makes the jar users get: the
classes jar, the JNI library inside it at org/xjlink/native/OS-ARCH/ (where
NativeLibrary.java looks) and a manifest with the version.  Standard library
only.
"""
import argparse
import pathlib
import shutil
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
    ap.add_argument("--javadoc")
    ap.add_argument("--sources-jar")
    ap.add_argument("--javadoc-jar")
    ap.add_argument("--bundle", help="the classes jar to bundle with --native")
    ap.add_argument("--native", help="the JNI library to put inside the jar")
    ap.add_argument("--native-dir", default="linux-x86_64", help="OS-ARCH folder")
    ap.add_argument("--native-dep", help="the shared library the JNI library links, put beside it")
    ap.add_argument("--version", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()
    if a.bundle:
        bundle(a)
        return

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
        if a.sources_jar:
            src = tmp / "src"
            for s in sources:
                dest = src / package_path(s)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(s, dest)
            run([a.jar, "--create", "--file", a.sources_jar, "-C", src, "."])
        if a.javadoc_jar:
            doc = tmp / "doc"
            # the generated classes carry the header's comments, not always
            # well-formed HTML: doclint would refuse them
            run([a.javadoc, "-quiet", "-encoding", "UTF-8", "-charset", "UTF-8",
                 "-Xdoclint:none", "-d", doc, *sources])
            run([a.jar, "--create", "--file", a.javadoc_jar, "-C", doc, "."])


def package_path(source):
    """org/xjlink/X.java for a source whose package line says org.xjlink."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("package "):
            pkg = line[len("package "):].strip().rstrip(";").strip()
            return pathlib.Path(*pkg.split("."), source.name)
    return pathlib.Path(source.name)


def bundle(a):
    """The classes jar + the JNI library + a manifest with the version."""
    with tempfile.TemporaryDirectory(prefix="xjlink-jar-") as tmp:
        tmp = pathlib.Path(tmp)
        native = tmp / "org" / "xjlink" / "native" / a.native_dir
        native.mkdir(parents=True)
        shutil.copy(a.native, native / "libxjlink_java.so")
        if a.native_dep:
            shutil.copy(a.native_dep, native / "libxjlink.so")
        manifest = tmp / "MANIFEST.MF"
        manifest.write_text(
            "Implementation-Title: xjlink\n"
            f"Implementation-Version: {a.version}\n"
            "Implementation-Vendor: xjlink\n"
            "Specification-Title: xjlink\n"
            f"Specification-Version: {a.version}\n"
            "Automatic-Module-Name: org.xjlink\n", encoding="utf-8")
        shutil.copy(a.bundle, a.out)
        run([a.jar, "--update", "--file", a.out, "--manifest", manifest,
             "-C", tmp, "org"])


if __name__ == "__main__":
    main()

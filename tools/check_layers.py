#!/usr/bin/env python3
"""Checks the library's layering from its object files.

Reads the symbols each object of the static library defines and needs
(`nm`), makes the graph "file A calls file B", and fails when

- a file calls a file of a higher layer (util < fields < io < match <
  workspace: a layer may call its own and the ones below it), or
- the graph has a cycle between files (within a layer too).

Usage: check_layers.py NM LIBXJLINK.a
"""
import subprocess
import sys

LAYERS = ["util", "fields", "io", "match", "workspace"]


def objects(nm, lib):
    out = subprocess.run([nm, "--defined-only", "-A", lib], check=True,
                         capture_output=True, text=True).stdout
    defs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "TDRBGSCV" and parts[1] not in "tdrbgs":
            continue
        obj = parts[0].split(":")[1]
        if parts[1].isupper():
            defs.setdefault(parts[2], obj)
    out = subprocess.run([nm, "--undefined-only", "-A", lib], check=True,
                         capture_output=True, text=True).stdout
    uses = {}
    for line in out.splitlines():
        parts = line.split()
        obj = parts[0].split(":")[1]
        uses.setdefault(obj, set()).add(parts[-1])
    graph = {}
    for obj, syms in uses.items():
        graph[obj] = {defs[s] for s in syms if s in defs and defs[s] != obj}
    for obj in set(defs.values()):
        graph.setdefault(obj, set())
    return graph


def layer_of(obj):
    # objects are named after their source: "match_index.c.o"
    prefix = obj.split("_", 1)[0]
    return LAYERS.index(prefix) if prefix in LAYERS else None


def main():
    nm, lib = sys.argv[1], sys.argv[2]
    graph = objects(nm, lib)
    errors = []
    for a, calls in sorted(graph.items()):
        la = layer_of(a)
        if la is None:
            errors.append(f"{a}: not in a layer folder ({', '.join(LAYERS)})")
            continue
        for b in sorted(calls):
            lb = layer_of(b)
            if lb is not None and lb > la:
                errors.append(f"{a} calls {b}: a lower layer calls a higher one")
    # cycles: depth-first search with colours
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):] + [m]
                errors.append("cycle: " + " -> ".join(cyc))
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    edges = sum(len(v) for v in graph.values())
    if errors:
        print("\n".join(errors))
        print(f"{len(graph)} files, {edges} calls between files: {len(errors)} layering errors")
        return 1
    print(f"{len(graph)} files, {edges} calls between files: no upward call, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes seeds of tests/fuzz/corpus/fuzz_dedup_partial: partial results of
the duplicate check as the library saves them (xjl_dedup_save, through the
Python binding), so that the fuzzer starts from files in the current format.

A small registry is split into its blocks of birth years and each block is
checked with the default parameters (the fuzz target loads with them, and a
partial made with others is refused), each file named after its format and
block (format6_block2017).  In 2018, 2,001 namesakes born one day with
distinct valid ID numbers: their name key is over the block limit (2,000),
so that partial carries a capped-key line (C) and no links (two different
valid numbers never join).  In 2017, records sharing one ID
number, a fuzzy pair and a wrong ID number: records (R), links (L) and
counts (N).

    PYTHONPATH=build/bindings/python tools/gen_dedup_partial_seeds.py OUT_DIR
"""
import os
import sys
import tempfile

from xjlink import dedup

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen(first17):
    s = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[s]


def registry_rows():
    rows = []
    # Namesakes born one day, more than the block limit, each with a number of its own.
    districts = ("110101", "110102", "110105", "110106", "110107")
    for k in range(2001):
        number = citizen(f"{districts[k // 500]}20180301{(k % 500) * 2 + 1:03d}")
        rows.append((f"N{k}", "王浩", "男", "2018-03-01", "居民身份证", number))
    # One ID number on five records (a child registered again and again): an ID key over it.
    same = citizen("11010120170506001")
    for k in range(5):
        rows.append((f"S{k}", "李娜" if k % 2 else "李哪", "女", "2017-05-06", "居民身份证", same))
    # A fuzzy pair (a homophone) and a record whose ID number is wrong in itself.
    rows.append(("F0", "张梓涵", "女", "2017-07-08", "", ""))
    rows.append(("F1", "张子涵", "女", "2017-07-08", "", ""))
    rows.append(("B0", "刘洋", "男", "2017-01-02", "居民身份证", "110101201701020010"))
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_dedup_partial_seeds.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reg = os.path.join(tmp, "registry.csv")
        with open(reg, "w", encoding="utf-8") as f:
            f.write("id,姓名,性别,出生日期,身份证件类型,身份证件号\n")
            for r in registry_rows():
                f.write(",".join(r) + "\n")
        blocks, diags = dedup.split(reg, os.path.join(tmp, "blocks"))
        if diags:
            sys.exit(f"gen_dedup_partial_seeds: {diags}")
        for b in blocks:
            part = os.path.join(tmp, f"partial{b.key}")
            dedup.run_block(b.path, b.key, part)
            with open(part, encoding="utf-8") as f:
                f.readline()
                version = f.readline().split(",")[1]  # the V row: V,<format>,...
            path = os.path.join(out, f"format{version}_block{b.key}")
            os.replace(part, path)
            print(path, b.records, "records")


if __name__ == "__main__":
    main()

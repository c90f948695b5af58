#!/usr/bin/env python3
"""score_match: how right a matcher's output is, against gen_registry's truth.

    score_match.py OUT.csv TRUTH.csv [--check] [--label NAME]

OUT.csv is what `xjlink match` writes: the roster's columns, then status
(matched / pending / not_found / error), match_id, candidates (ids joined by
';', best first), score, reasons.  TRUTH.csv is gen_registry's truth.csv:
row_id, true_id (empty for a pupil not in the registry), category, also_ids
(the other records of a child registered twice).  The two are joined on
row_id.

What a row offers the school: the matched record for `matched`, the
candidates for `pending`, nothing for `not_found` and `error`.

Targets (with --check, the exit status is 1 and each missed target is named):
  - false automatic matches: 0 (matched, and the record is none of the
    child's records, or the pupil is not registered at all)
  - recall >= 99.9%: a record of the child is offered, over registered children
  - automation >= 99.9%: rows with formatting-only noise (clean, format)
    matched automatically to the right record (rows of children without any
    ID number are category noid: matched or pending are both right there,
    so they count for recall and are reported, not targeted)
  - false alarms <= 0.5%: pupils not in the registry (new, namesake_new) for
    whom anything is offered
  - registered twice: every record of the child is offered, for all such rows
  - the output is whole: one row per roster row, known statuses
Standard library only, so that it runs under any python3.
"""
import argparse
import csv
import sys

STATUSES = ("matched", "pending", "not_found", "error")
AUTOMATION_CATEGORIES = ("clean", "format")
FALSE_ALARM_CATEGORIES = ("new", "namesake_new")

TARGET_RECALL = 0.999
TARGET_AUTOMATION = 0.999
TARGET_FALSE_ALARMS = 0.005

# The report's category order: what the generator writes, in its order.
CATEGORY_ORDER = (
    "clean", "format", "trad", "homophone", "id_sub", "id_swap", "dob_swap",
    "dob_pm1", "id_missing", "gender_wrong", "two_errors", "twin",
    "registered_twice", "namesake_reg", "noid", "new", "namesake_new", "namesake_noid",
    # gen_registry --name-errors yes: one wrong character, alone and with the
    # ID number missing, one digit substituted or two neighbours swapped
    *(kind + with_ for kind in ("polyphone", "fuzzy", "lookalike", "other_char")
      for with_ in ("", "+id_missing", "+id_sub", "+id_swap")),
)


class InputError(Exception):
    """A file that is not what it should be (says which and where)."""


def _open_csv(path):
    # utf-8-sig: a BOM written by a spreadsheet is not part of the first name
    f = open(path, newline="", encoding="utf-8-sig")
    reader = csv.reader(f)
    try:
        header = next(reader)
    except StopIteration:
        f.close()
        raise InputError(f"{path}: empty file, expected a header line") from None
    return f, reader, header


def _columns(path, header, wanted):
    idx = {}
    for name in wanted:
        if name not in header:
            raise InputError(f"{path} line 1: no column '{name}' in header {header!r}")
        idx[name] = header.index(name)
    return idx


def read_truth(path):
    """row_id -> (true_id, category, frozenset of acceptable ids)."""
    truth = {}
    f, reader, header = _open_csv(path)
    with f:
        col = _columns(path, header, ("row_id", "true_id", "category", "also_ids"))
        for lineno, rec in enumerate(reader, start=2):
            if len(rec) != len(header):
                raise InputError(f"{path} line {lineno}: {len(rec)} fields, expected {len(header)}")
            row_id = rec[col["row_id"]]
            true_id = rec[col["true_id"]]
            also = [x for x in rec[col["also_ids"]].split(";") if x]
            if row_id in truth:
                raise InputError(f"{path} line {lineno}: row_id '{row_id}' twice")
            allowed = frozenset(([true_id] if true_id else []) + also)
            truth[row_id] = (true_id, rec[col["category"]], allowed)
    return truth


def read_output(path):
    """row_id -> (status, match_id, [candidates]); plus structural problems."""
    out = {}
    problems = []
    f, reader, header = _open_csv(path)
    with f:
        col = _columns(path, header, ("row_id", "status", "match_id", "candidates"))
        for lineno, rec in enumerate(reader, start=2):
            if len(rec) != len(header):
                problems.append(f"{path} line {lineno}: {len(rec)} fields, expected {len(header)}")
                continue
            row_id = rec[col["row_id"]]
            status = rec[col["status"]]
            match_id = rec[col["match_id"]]
            cands = [x for x in rec[col["candidates"]].split(";") if x]
            if status not in STATUSES:
                problems.append(f"{path} line {lineno}: row {row_id}: unknown status '{status}'")
            elif status == "matched" and not match_id:
                problems.append(f"{path} line {lineno}: row {row_id}: matched without match_id")
            if row_id in out:
                problems.append(f"{path} line {lineno}: row_id '{row_id}' twice")
                continue
            out[row_id] = (status, match_id, cands)
    return out, problems


def offered(status, match_id, cands):
    """The records a row puts before the school."""
    if status == "matched":
        return {match_id}
    if status == "pending":
        return set(cands)
    return set()


def score(out, problems, truth):
    """All figures of the report, as a dict (see report())."""
    problems = list(problems)
    missing = [r for r in truth if r not in out]
    unknown = [r for r in out if r not in truth]
    if missing:
        problems.append(f"{len(missing)} roster rows missing from the output (e.g. {missing[0]})")
    if unknown:
        problems.append(f"{len(unknown)} output rows not in the truth (e.g. {unknown[0]})")

    cats = {}
    m = {
        "rows": len(truth), "false_matches": 0, "false_match_examples": [],
        "registered": 0, "recalled": 0, "recall_misses": [],
        "auto_rows": 0, "auto_right": 0, "auto_misses": [],
        "new_rows": 0, "false_alarms": 0, "false_alarm_examples": [],
        "twice_rows": 0, "twice_all_offered": 0, "twice_misses": [],
        "noid_rows": 0, "noid_matched": 0,
        "pending_rows": 0, "pending_candidates": 0,
        "status": dict.fromkeys(STATUSES, 0),
    }
    for row_id, (true_id, cat, allowed) in truth.items():
        c = cats.setdefault(cat, dict.fromkeys(
            ("rows", "matched_right", "pending_true", "pending_other", "not_found", "error", "wrong"), 0))
        c["rows"] += 1
        if row_id not in out:
            continue
        status, match_id, cands = out[row_id]
        if status not in STATUSES:
            continue
        m["status"][status] += 1
        offer = offered(status, match_id, cands)
        if status == "pending":
            m["pending_rows"] += 1
            m["pending_candidates"] += len(cands)
        wrong = status == "matched" and match_id not in allowed
        if wrong:
            m["false_matches"] += 1
            m["false_match_examples"].append(f"{row_id} ({cat}) matched {match_id}, truth "
                                             f"{';'.join(sorted(allowed)) or 'not registered'}")
            c["wrong"] += 1
        elif status == "matched":
            c["matched_right"] += 1
        elif status == "pending":
            c["pending_true" if offer & allowed else "pending_other"] += 1
        else:
            c[status] += 1
        if true_id:
            m["registered"] += 1
            if offer & allowed:
                m["recalled"] += 1
            else:
                m["recall_misses"].append(f"{row_id} ({cat}) {status}, truth {true_id}")
        if cat in AUTOMATION_CATEGORIES:
            m["auto_rows"] += 1
            if status == "matched" and not wrong:
                m["auto_right"] += 1
            else:
                m["auto_misses"].append(f"{row_id} ({cat}) {status} {match_id or ';'.join(cands)}, truth {true_id}")
        if cat == "noid":
            m["noid_rows"] += 1
            m["noid_matched"] += status == "matched" and not wrong
        if cat in FALSE_ALARM_CATEGORIES:
            m["new_rows"] += 1
            if status in ("matched", "pending"):
                m["false_alarms"] += 1
                m["false_alarm_examples"].append(f"{row_id} ({cat}) {status} {match_id or ';'.join(cands)}")
        if len(allowed) > 1:
            m["twice_rows"] += 1
            if allowed <= offer:
                m["twice_all_offered"] += 1
            else:
                m["twice_misses"].append(f"{row_id} offered {';'.join(sorted(offer)) or 'nothing'}, "
                                         f"records {';'.join(sorted(allowed))}")
    m["categories"] = cats
    m["problems"] = problems
    m["recall"] = m["recalled"] / m["registered"] if m["registered"] else None
    m["automation"] = m["auto_right"] / m["auto_rows"] if m["auto_rows"] else None
    m["false_alarm_rate"] = m["false_alarms"] / m["new_rows"] if m["new_rows"] else None
    m["mean_candidates_pending"] = (m["pending_candidates"] / m["pending_rows"]
                                    if m["pending_rows"] else None)
    m["missed_targets"] = missed_targets(m)
    return m


def missed_targets(m):
    missed = []
    if m["problems"]:
        missed.append(f"whole output ({len(m['problems'])} problems)")
    if m["false_matches"]:
        missed.append(f"false automatic matches: {m['false_matches']} (target 0)")
    if m["recall"] is not None and m["recall"] < TARGET_RECALL:
        missed.append(f"recall: {m['recall']:.4%} (target >= {TARGET_RECALL:.1%})")
    if m["automation"] is not None and m["automation"] < TARGET_AUTOMATION:
        missed.append(f"automation on clean+format: {m['automation']:.4%} (target >= {TARGET_AUTOMATION:.1%})")
    if m["false_alarm_rate"] is not None and m["false_alarm_rate"] > TARGET_FALSE_ALARMS:
        missed.append(f"false alarms on new pupils: {m['false_alarm_rate']:.4%} "
                      f"(target <= {TARGET_FALSE_ALARMS:.1%})")
    if m["twice_all_offered"] < m["twice_rows"]:
        missed.append(f"registered twice, all records offered: {m['twice_all_offered']} of "
                      f"{m['twice_rows']} (target all)")
    return missed


def pct(x):
    return "n/a" if x is None else f"{x:.4%}"


def report(m, label="", examples=5, file=sys.stdout):
    p = lambda *a: print(*a, file=file)  # noqa: E731
    title = f"accuracy{(' of ' + label) if label else ''}: {m['rows']} roster rows"
    p(title)
    p("-" * len(title))
    p("status: " + ", ".join(f"{s} {n}" for s, n in m["status"].items()))

    def line(name, value, target, ok, detail=""):
        mark = "ok  " if ok else "MISS"
        p(f"  {mark} {name:<44} {value:>12}   target {target}{detail}")

    line("false automatic matches", str(m["false_matches"]), "0", m["false_matches"] == 0)
    line("recall (registered children)", pct(m["recall"]), ">= 99.9%",
         m["recall"] is None or m["recall"] >= TARGET_RECALL,
         f"   ({m['recalled']}/{m['registered']})")
    line("automation (clean+format matched right)", pct(m["automation"]), ">= 99.9%",
         m["automation"] is None or m["automation"] >= TARGET_AUTOMATION,
         f"   ({m['auto_right']}/{m['auto_rows']})")
    line("false alarms (new, namesake_new)", pct(m["false_alarm_rate"]), "<= 0.5%",
         m["false_alarm_rate"] is None or m["false_alarm_rate"] <= TARGET_FALSE_ALARMS,
         f"   ({m['false_alarms']}/{m['new_rows']})")
    line("registered twice, all records offered", f"{m['twice_all_offered']}/{m['twice_rows']}",
         "all", m["twice_all_offered"] == m["twice_rows"])
    if m["noid_rows"]:
        p(f"       {'automation without ID number (noid)':<44} "
          f"{pct(m['noid_matched'] / m['noid_rows']):>12}   (reported, no target)")
    mc = m["mean_candidates_pending"]
    p(f"       {'mean candidates per pending row':<44} {('n/a' if mc is None else f'{mc:.2f}'):>12}")
    p("")
    head = ("category", "rows", "matched right", "pending w/ true", "pending w/o", "not_found", "error",
            "wrong")
    p("  {:<17}{:>9}{:>15}{:>17}{:>13}{:>11}{:>8}{:>8}".format(*head))
    order = [c for c in CATEGORY_ORDER if c in m["categories"]]
    order += sorted(c for c in m["categories"] if c not in CATEGORY_ORDER)
    for cat in order:
        c = m["categories"][cat]
        p("  {:<17}{:>9}{:>15}{:>17}{:>13}{:>11}{:>8}{:>8}".format(
            cat, c["rows"], c["matched_right"], c["pending_true"], c["pending_other"],
            c["not_found"], c["error"], c["wrong"]))
    for what, key in (("problems", "problems"), ("false automatic matches", "false_match_examples"),
                      ("recall misses", "recall_misses"), ("automation misses", "auto_misses"),
                      ("false alarms", "false_alarm_examples"), ("registered twice, not all offered",
                                                              "twice_misses")):
        items = m[key]
        if items and examples:
            p(f"\n  {what} (first {min(examples, len(items))} of {len(items)}):")
            for it in items[:examples]:
                p(f"    {it}")
    if m["missed_targets"]:
        p("\nMISSED: " + "; ".join(m["missed_targets"]))
    else:
        p("\nall targets met")


def score_files(out_path, truth_path):
    truth = read_truth(truth_path)
    out, problems = read_output(out_path)
    return score(out, problems, truth)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="the matcher's output CSV")
    ap.add_argument("truth", help="gen_registry's truth.csv")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--label", default="", help="name of the matcher in the report")
    ap.add_argument("--examples", type=int, default=5, help="example rows listed per kind of miss")
    args = ap.parse_args(argv)
    try:
        m = score_files(args.out, args.truth)
    except (OSError, InputError, csv.Error, UnicodeDecodeError) as e:
        print(f"score_match: {e}", file=sys.stderr)
        return 2
    report(m, args.label, args.examples)
    if args.check and m["missed_targets"]:
        print("score_match: targets missed: " + "; ".join(m["missed_targets"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

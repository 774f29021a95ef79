#!/usr/bin/env python3
"""Checks that every error id is defined in exactly one place and listed once in docs/errors.md.

An error id ("KSK-AREA-NNN") is what a user quotes to support staff, who look it up in
docs/errors.md; it must therefore mean one thing. This check reads the source tree as it is at
test time:

  * Every string literal holding an id in non-test code (src/ and bench/, without *_test.cc
    and testing/ folders; comments do not count) is a definition. An id may be defined in
    one place only: a second meaning needs a new id, and the same error raised from several
    places goes through one function that builds it.
  * Every defined id has exactly one row in the table of docs/errors.md, and every row names
    an id that the code defines. Rows are sorted by id; the code column holds ErrorCode's
    canonical names ("A or B" if the code depends on the cause) and, where the defining
    statement names one ErrorCode::kX, agrees with it.
  * An id whose code is gone keeps its row, so that a user quoting it is still answered and
    its number is never given out again: its "when" cell starts with "(retired: <why>)". A
    retired row needs no definition, and an id the code defines may not be retired.

Usage: check_error_ids.py SOURCE_DIR
"""

import collections
import os
import re
import sys

ID_RE = re.compile(r"KSK-[A-Z0-9]+-[0-9]+")
CODE_NAMES = {
    "InvalidArgument", "NotFound", "AlreadyExists", "PermissionDenied", "FailedPrecondition",
    "Aborted", "Unavailable", "DataLoss", "Internal", "Unauthenticated",
}
SCANNED_DIRS = ("src", "bench")
REGISTRY = os.path.join("docs", "errors.md")

Literal = collections.namedtuple("Literal", "text line start end")
# The start of the "when" cell of a retired id's row.
RETIRED_RE = re.compile(r"\(retired: [^)]+\)")


def is_test_source(rel_path):
    parts = rel_path.split(os.sep)
    return parts[-1].endswith("_test.cc") or "testing" in parts[:-1]


def string_literals(code):
    """Returns the string literals of C++ source `code` (comments skipped) and the code with
    comments blanked out (string and character literals kept)."""
    literals = []
    out = []
    i, n, line = 0, len(code), 1
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif code.startswith("/*", i):
            j = code.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = code[i:j]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = j
        elif c == '"':
            k = i - 1
            while k >= 0 and (code[k].isalnum() or code[k] == "_"):
                k -= 1
            raw = code[k + 1:i] in ("R", "u8R", "uR", "UR", "LR")
            start, start_line = i, line
            if raw:
                m = re.compile(r'"([^ ()\\\t\n]*)\(').match(code, i)
                close = ")" + (m.group(1) if m else "") + '"'
                j = code.find(close, i)
                j = n if j < 0 else j + len(close)
                text = code[i + (m.end() - m.start() if m else 1):j - len(close)]
            else:
                j = i + 1
                while j < n and code[j] != '"':
                    j += 2 if code[j] == "\\" else 1
                j += 1
                text = code[i + 1:j - 1]
            chunk = code[start:j]
            literals.append(Literal(text, start_line, start, j))
            out.append(chunk)
            line += chunk.count("\n")
            i = j
        elif c == "'":
            # A digit separator (1'000) or a character literal ('"').
            k = i - 1
            while k >= 0 and (code[k].isalnum() or code[k] == "_" or code[k] == "'"):
                k -= 1
            if k + 1 < i and code[k + 1].isdigit():
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and code[j] != "'":
                j += 2 if code[j] == "\\" else 1
            out.append(code[i:j + 1])
            i = j + 1
        else:
            if c == "\n":
                line += 1
            out.append(c)
            i += 1
    return literals, "".join(out)


def statement_code(code, start, end):
    """Returns the ErrorCode names in the statement around [start, end) of comment-free code."""
    left = max(code.rfind(";", 0, start), code.rfind("{", 0, start), code.rfind("}", 0, start))
    right = code.find(";", end)
    right = len(code) if right < 0 else right
    return set(re.findall(r"ErrorCode::k([A-Za-z]+)", code[left + 1:right]))


def definitions(source_dir):
    """Returns {id: [(rel_path, line, error code names in the statement)]}."""
    found = collections.defaultdict(list)
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(source_dir, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith((".cc", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, source_dir)
                if is_test_source(rel):
                    continue
                with open(path, encoding="utf-8") as f:
                    literals, code = string_literals(f.read())
                for lit in literals:
                    for error_id in ID_RE.findall(lit.text):
                        codes = statement_code(code, lit.start, lit.end)
                        found[error_id].append((rel, lit.line, codes))
    return found


def registry_rows(source_dir):
    """Returns [(id, error code, line number, retired)] of the table rows in docs/errors.md."""
    rows = []
    with open(os.path.join(source_dir, REGISTRY), encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.lstrip().startswith("|"):
                continue
            cells = [c.strip().strip("`").strip() for c in text.strip().strip("|").split("|")]
            if cells and ID_RE.fullmatch(cells[0]):
                retired = len(cells) > 3 and RETIRED_RE.match(cells[3]) is not None
                rows.append((cells[0], cells[1] if len(cells) > 1 else "", number, retired))
    return rows


def codes_of(cell):
    """Returns the error code names of a registry cell: "NotFound", or "A or B" when the
    code depends on the cause."""
    return {part.strip() for part in cell.split(" or ")}


def check(source_dir):
    problems = []
    defined = definitions(source_dir)
    for error_id, sites in sorted(defined.items()):
        if len(sites) > 1:
            where = ", ".join(f"{path}:{line}" for path, line, _ in sites)
            problems.append(
                f"{error_id} is defined in {len(sites)} places ({where}); an id must be built in "
                "exactly one place: give another meaning a new id, or build the same error in "
                "one function called from each place")

    if not os.path.exists(os.path.join(source_dir, REGISTRY)):
        return problems + [f"{REGISTRY} is missing"], len(defined), 0
    rows = registry_rows(source_dir)
    listed = collections.defaultdict(list)
    for error_id, code, number, retired in rows:
        listed[error_id].append((code, number, retired))
    for error_id, entries in sorted(listed.items()):
        if len(entries) > 1:
            lines = ", ".join(f"{REGISTRY}:{number}" for _, number, _ in entries)
            problems.append(f"{error_id} is listed {len(entries)} times ({lines})")
        retired = entries[0][2]
        if retired and error_id in defined:
            where = ", ".join(f"{path}:{line}" for path, line, _ in defined[error_id])
            problems.append(f"{error_id} is retired in {REGISTRY}:{entries[0][1]} but defined in "
                            f"{where}; a retired id is never reused: give the error a new id")
        if not retired and error_id not in defined:
            problems.append(f"{error_id} is listed in {REGISTRY}:{entries[0][1]} but no file "
                            f"under {' or '.join(d + '/' for d in SCANNED_DIRS)} defines it "
                            "(if its code is gone, mark the row \"(retired: …)\")")
        for code, number, _ in entries:
            if not codes_of(code) <= CODE_NAMES:
                problems.append(f"{error_id}: {REGISTRY}:{number} gives the error code "
                                f"'{code}', not one of {', '.join(sorted(CODE_NAMES))}")
    for error_id, sites in sorted(defined.items()):
        if error_id not in listed:
            where = ", ".join(f"{path}:{line}" for path, line, _ in sites)
            problems.append(f"{error_id} (defined in {where}) is missing from {REGISTRY}")
            continue
        code = listed[error_id][0][0]
        for path, line, codes in sites:
            if len(codes) == 1 and not codes <= codes_of(code):
                problems.append(f"{error_id}: {path}:{line} builds ErrorCode::k{next(iter(codes))}"
                                f" but {REGISTRY}:{listed[error_id][0][1]} says {code}")
    ids_in_order = [error_id for error_id, _, _, _ in rows]
    for before, after in zip(ids_in_order, ids_in_order[1:]):
        if after < before:
            problems.append(f"{REGISTRY}: {after} comes after {before}; keep the rows sorted by id")
    return problems, len(defined), len(rows)


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} SOURCE_DIR", file=sys.stderr)
        return 2
    problems, defined, listed = check(argv[1])
    for problem in problems:
        print("FAIL: " + problem)
    if problems:
        print(f"{len(problems)} problem(s); {defined} ids defined, {listed} rows in {REGISTRY}")
        return 1
    print(f"OK: {defined} error ids, each defined once and listed once in {REGISTRY}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

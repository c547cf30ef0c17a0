#!/usr/bin/env python3
"""Draw the findings to judge for the README's precision table: a fixed-seed random sample per
rule over real code bases.

Usage:
  python scripts/precision.py [--per-rule 30] [--seed 14] [--out sample.jsonl] [CORPUS ...]
  python scripts/precision.py --score scripts/verdicts/seed-15.jsonl [CORPUS ...]

Each CORPUS is a folder to lint (``NAME=PATH`` names it); with none, the shared corpora that
``../shared/corpus/get`` prints are used. Every corpus is linted cold with the installed
``fastapi-lint``; a finding that two corpora report (the litellm proxy is part of litellm: same
rule, line and last three parts of the file's path) counts once. The corpora take turns: each weighs
alike in a rule's sample, however many findings it has. Writes one JSON object per sampled finding
(corpus, path, line, code, message, and the source lines around it) to ``--out``, for a reader to
judge as right, minor or wrong, and prints how many findings each rule has and how many were drawn.

With ``--score``, reads judged findings instead (one JSON object per line: code, path, line,
verdict; ``scripts/verdicts/`` keeps the README's samples) and prints, per rule, how many of
them the corpora still report and how many of those are right, minor or wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

CORPUS_GET = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "get"
CONTEXT_LINES = 3


def corpora(given: list[str]) -> list[tuple[str, Path]]:
    """(name, folder) of each corpus to lint."""
    if given:
        named = [item.split("=", 1) if "=" in item else [Path(item).name, item] for item in given]
        return [(name, Path(path)) for name, path in named]
    listed = subprocess.run([str(CORPUS_GET)], capture_output=True, text=True, check=True)
    return [
        (name, Path(path))
        for name, path in (line.split("\t") for line in listed.stdout.split("\n") if line)
    ]


def findings_of(name: str, folder: Path) -> list[dict]:
    """The findings of one corpus, linted cold from the folder above it."""
    command = ["fastapi-lint", "check", "--no-cache", "--exit-zero", "--output-format", "json"]
    run = subprocess.run(
        [*command, str(folder)], cwd=folder.parent, capture_output=True, text=True, check=True
    )
    found = json.loads(run.stdout)
    for finding in found:
        finding["corpus"] = name
        finding["path"] = os.path.realpath(folder.parent / finding["filename"])
    return found


def sample(findings: list[dict], per_rule: int, seed: int) -> dict[str, list[dict]]:
    """Up to ``per_rule`` findings of each rule, drawn with ``seed`` after dropping findings
    that another corpus already reported at the same place."""
    unique: dict[tuple[str, int, str], dict] = {}
    for finding in findings:
        unique.setdefault(place(finding), finding)
    pools: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for key in sorted(unique):
        pools[key[2]][unique[key]["corpus"]].append(unique[key])
    chooser = random.Random(seed)
    return {code: spread(by_corpus, per_rule, chooser) for code, by_corpus in sorted(pools.items())}


def spread(by_corpus: dict[str, list[dict]], wanted: int, chooser: random.Random) -> list[dict]:
    """``wanted`` findings drawn a corpus at a time, in turn, each corpus's in random order:
    every code base weighs alike, however many findings one of them has (FastAPI's 485 docs
    examples are 485 small apps)."""
    queues = [chooser.sample(found, len(found)) for _, found in sorted(by_corpus.items())]
    drawn: list[dict] = []
    while len(drawn) < wanted and any(queues):
        for queue in queues:
            if queue and len(drawn) < wanted:
                drawn.append(queue.pop())
    return drawn


def place(finding: dict) -> tuple[str, int, str]:
    """Where a finding is, the same in two copies of a code base: the last three parts of its
    file's path, its line, its rule."""
    tail = "/".join(Path(finding["path"]).parts[-3:])
    return tail, finding["location"]["row"], finding["code"]


def context(path: str, line: int) -> list[str]:
    """The source lines around a finding, numbered."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, line - CONTEXT_LINES)
    return [f"{n}: {lines[n - 1]}" for n in range(first, min(len(lines), line + CONTEXT_LINES) + 1)]


def score(verdicts: list[dict], found: list[dict]) -> dict[str, Counter]:
    """Per rule, the verdicts of the judged findings still reported (matched by ``place``)."""
    reported = {place(finding) for finding in found}
    counts: dict[str, Counter] = defaultdict(Counter)
    for judged in verdicts:
        where = place(
            {"path": judged["path"], "location": {"row": judged["line"]}, "code": judged["code"]}
        )
        if where in reported:
            counts[judged["code"]][judged["verdict"]] += 1
    return dict(sorted(counts.items()))


def print_score(counts: dict[str, Counter]) -> None:
    print("| rule | still reported | right | minor | wrong | right or minor |")
    print("| --- | --- | --- | --- | --- | --- |")
    total: Counter = Counter()
    for code, verdicts in [*counts.items(), ("all", total)]:
        if code != "all":
            total.update(verdicts)
        kept = sum(verdicts.values())
        share = (verdicts["right"] + verdicts["minor"]) / kept if kept else 0
        cells = [verdicts["right"], verdicts["minor"], verdicts["wrong"]]
        print(f"| {code} | {kept} | " + " | ".join(map(str, cells)) + f" | {share:.0%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="*")
    parser.add_argument("--per-rule", type=int, default=30)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=Path("sample.jsonl"))
    parser.add_argument("--score", type=Path, help="judged findings to score instead")
    options = parser.parse_args()
    found: list[dict] = []
    for name, folder in corpora(options.corpus):
        found += findings_of(name, folder)
    if options.score is not None:
        lines = options.score.read_text(encoding="utf-8").splitlines()
        print_score(score([json.loads(line) for line in lines if line.strip()], found))
        return 0
    drawn = sample(found, options.per_rule, options.seed)
    with options.out.open("w", encoding="utf-8") as out:
        for code, chosen in drawn.items():
            for finding in chosen:
                record = {
                    "code": code,
                    "corpus": finding["corpus"],
                    "path": finding["path"],
                    "line": finding["location"]["row"],
                    "message": finding["message"],
                    "source": context(finding["path"], finding["location"]["row"]),
                }
                out.write(json.dumps(record) + "\n")
    totals = defaultdict(int)
    for key in {place(finding) for finding in found}:
        totals[key[2]] += 1
    for code in sorted(totals):
        print(f"{code}: {totals[code]} findings, {len(drawn.get(code, []))} drawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())

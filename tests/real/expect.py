#!/usr/bin/env python3
"""Independent expected figures for the real-file corpus (tests/fixtures/real/).

Python standard library only, and never cdrscope's code or output: each system's reader in
readers/<system>.py reads its files as the system's documentation describes them, and rules.py
applies docs/outcomes.md. Writes tests/fixtures/real/expected.json; `--check` compares instead.

    python3 tests/real/expect.py          # regenerate expected.json
    python3 tests/real/expect.py --check  # exit 1 when expected.json is stale
"""
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "fixtures", "real")
sys.path.insert(0, HERE)


def main():
    out = {}
    for name in sorted(os.listdir(os.path.join(HERE, "readers"))):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        module = importlib.import_module("readers." + name[:-3])
        for rel, figures in module.expectations(CORPUS).items():
            out[rel] = figures
    text = json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    target = os.path.join(CORPUS, "expected.json")
    if "--check" in sys.argv:
        with open(target, encoding="utf-8") as f:
            if f.read() != text:
                print("tests/fixtures/real/expected.json is stale: run tests/real/expect.py")
                sys.exit(1)
        return
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{len(out)} files -> {os.path.relpath(target, ROOT)}")


if __name__ == "__main__":
    main()

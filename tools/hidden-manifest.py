#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hidden-manifest.py MANIFEST HIDDEN OUT: the course manifest with the hidden tests added.

HIDDEN (autograder/hidden/manifest.json, instructors only) lists tests per lab, in the
manifest's own form: {"labs": [{"id": 1, "tests": [{"name", "points", "hint",
"visibility"}]}]}. Each is appended to its lab's tests with "hidden": true and its Gradescope
visibility ("after_published" unless it says otherwise), so tools/grade.py scores it like any
other test and tools/gradescope/results.py keeps it from students until grades are published.
"""

import json
import sys
from pathlib import Path

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


def merge(manifest, hidden, where):
    labs = {lab["id"]: lab for lab in manifest["labs"]}
    names = {(lab["id"], t["name"]) for lab in manifest["labs"] for t in lab["tests"]}
    for extra in hidden.get("labs", []):
        lab = labs.get(extra.get("id"))
        if lab is None:
            raise ValueError(f"{where}: lab {extra.get('id')} is not in the course manifest")
        for t in extra.get("tests", []):
            if "name" not in t or not isinstance(t.get("points"), (int, float)):
                raise ValueError(f"{where}: lab {lab['id']}: a test needs a \"name\" and numeric \"points\": {t}")
            if (lab["id"], t["name"]) in names:
                raise ValueError(f"{where}: lab {lab['id']}: {t['name']} is already a visible test")
            visibility = t.get("visibility", "after_published")
            if visibility not in VISIBILITIES:
                raise ValueError(f"{where}: {t['name']}: visibility must be one of {', '.join(VISIBILITIES)}")
            lab["tests"].append({**t, "hidden": True, "visibility": visibility})
            names.add((lab["id"], t["name"]))
    return manifest


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    try:
        manifest = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
        hidden = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        merged = merge(manifest, hidden, argv[1])
    except (OSError, ValueError) as e:  # json.JSONDecodeError is a ValueError
        print(f"hidden-manifest.py: {e}", file=sys.stderr)
        return 2
    Path(argv[2]).write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gradescope.run_autograder_lab1 (cmake/Checks.cmake): make gradescope LAB=1's zip, unpacked
# as Gradescope unpacks it, grades a submission of the reference's Lab 1 files through its own
# run_autograder, against a fake /autograder (MV_AUTOGRADER_ROOT), and results.json is what
# Gradescope asks for: its fields, full marks on every test, the hidden test not visible and
# not in the visible summary. Then make qemu in that tree, Lab 1 now written, boots Lab 1's
# system to its end and names Lab 2's.
#
# Fast because it reuses the student build of the handout test (HANDOUT: its DIR/handout):
# the zip is unpacked over that tree with the files' own dates, so only the submitted files
# and the hidden test are compiled.
set -euo pipefail
top=$1 handout=$2/handout dir=$3
fail() { echo "FAIL: $*"; exit 1; }
[[ -d $handout/build/default ]] || fail "no handout build in $handout (the handout test runs first)"
rm -rf "$dir"
mkdir -p "$dir/root/submission/upload/microvisor/kernel" "$dir/root/results"
# Its first line only, from a file: a pipe into head could close before make-zip.py is done printing.
python3 "$top/tools/gradescope/make-zip.py" --lab 1 --out "$dir" >"$dir/make-zip.log" 2>&1 ||
    { cat "$dir/make-zip.log"; fail "make-zip.py failed"; }
head -n 1 "$dir/make-zip.log"
zip=$dir/lab1-autograder.zip
python3 - "$zip" "$handout" <<'PY'
import os, sys, time, zipfile
names = set()
with zipfile.ZipFile(sys.argv[1]) as z:
    names = set(z.namelist())
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        os.chmod(path, (info.external_attr >> 16) & 0o777 or 0o644)
        os.utime(path, (time.mktime(info.date_time + (0, 0, -1)),) * 2)
for required in ("setup.sh", "run_autograder", "tools/gradescope/lab", "autograder/hidden/manifest.json"):
    if required not in names:
        sys.exit(f"FAIL: the zip has no {required} at its root")
if any(n.startswith("reference-solution/") for n in names):
    sys.exit("FAIL: the zip has reference-solution/")
PY
ln -s "$handout" "$dir/root/source"
# As Gradescope's setup.sh configures its tree: only lab 1's images (MV_CROSS_LABS), so that
# the submitted lab 1 files relink Lab 1's system images, not every lab's.
(cd "$handout" && cmake --preset default -DMV_CROSS_LABS=1 >/dev/null)
# The submission: Lab 1's reference files, some in a microvisor/ folder, some one by one.
i=0
for f in $(python3 -c 'import json, sys
print(" ".join(next(l for l in json.load(open(sys.argv[1]))["labs"] if l["id"] == 1)["files"]))' \
        "$top/labs/manifest.json"); do
    if ((i++ % 2)); then cp "$top/reference-solution/$f" "$dir/root/submission/"
    else cp "$top/reference-solution/$f" "$dir/root/submission/upload/microvisor/$f"; fi
done
MV_AUTOGRADER_ROOT=$dir/root "$dir/root/source/run_autograder" >"$dir/stdout.log" 2>&1 ||
    { tail -n 30 "$dir/stdout.log"; fail "run_autograder exited with status $?"; }
python3 - "$dir/root/results/results.json" "$top/labs/manifest.json" "$top/autograder/hidden/manifest.json" <<'PY'
import json, sys
results, manifest, hidden = (json.load(open(p)) for p in sys.argv[1:4])
problems = []
def check(ok, what):
    if not ok:
        problems.append(what)
lab1 = next(l for l in manifest["labs"] if l["id"] == 1)
secret = {t["name"]: t for l in hidden["labs"] if l["id"] == 1 for t in l["tests"]}
expected = {f"Lab 1 / {t['name']}": (t["points"], "visible") for t in lab1["tests"]}
expected.update({f"Lab 1 / {n}": (t["points"], t.get("visibility", "after_published")) for n, t in secret.items()})
for key in ("score", "output", "tests", "stdout_visibility"):
    check(key in results, f"results.json has no \"{key}\"")
check(results.get("stdout_visibility") == "hidden", "the run's stdout (build log, every test) must be hidden")
tests = {t.get("name"): t for t in results.get("tests", [])}
check(set(tests) == set(expected), f"tests: expected {sorted(set(expected) - set(tests))} more, "
      f"{sorted(set(tests) - set(expected))} fewer")
for name, (points, visibility) in expected.items():
    t = tests.get(name)
    if t is None:
        continue
    for key in ("score", "max_score", "status", "output", "visibility"):
        check(key in t, f"{name}: no \"{key}\"")
    check(t.get("max_score") == points, f"{name}: max_score {t.get('max_score')}, the manifest says {points}")
    check(t.get("score") == points and t.get("status") == "passed",
          f"{name}: the reference scores {t.get('score')}/{points} ({t.get('status')}): {t.get('output', '')[:300]}")
    check(t.get("visibility") == visibility, f"{name}: visibility {t.get('visibility')}, expected {visibility}")
total = sum(p for p, _ in expected.values())
check(results.get("score") == total, f"score {results.get('score')}, expected full marks {total}")
for name in secret:
    check(name not in results.get("output", ""), f"the visible output names the hidden test {name}")
check("hidden tests: 1," in results.get("output", ""), "the visible output does not count the hidden tests")
for p in problems:
    print("FAIL:", p)
if problems:
    sys.exit(1)
print(f"results.json: {results['score']:g}/{total:g}, {len(tests)} tests, {len(secret)} hidden")
PY
# Lab 1 is written now: make qemu boots Lab 1's system to its end and names the next lab's.
cd "$handout"
set +e
out=$(make --no-print-directory qemu 2>&1)
rc=$?
set -e
echo "$out" | grep '^make qemu:' || true
[[ $rc -eq 0 ]] || { echo "$out" | tail -n 20; fail "make qemu with Lab 1 written exited $rc"; }
for s in 'booting SYSTEM=lab1-traps' 'next: make qemu SYSTEM=lab2-fair SELECTOR=1' 'MV_EXIT: 0'; do
    grep -qF "$s" <<<"$out" || fail "make qemu: expected '$s'"
done
echo "gradescope test: passed"

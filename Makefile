# SPDX-License-Identifier: MIT
# Microvisor Course Edition: the verbs people type. Thin wrappers over CMake presets.
#
#   make qemu                 boot the most advanced system the finished labs support (the demo
#                             once every lab is written; tools/qemu.py says which and why);
#                             SYSTEM=<name> for another one, SELECTOR=<n> for a test system's scenario
#   make qemu-gdb / make gdb  the same, stopped for gdb-multiarch; attach from a second terminal
#   make grade [LAB=N] [SOLUTION=reference]   grade the student's labs (or the reference)
#   make gradescope LAB=N [CATCHUP=1]         the Gradescope autograder zip of lab N
#   make catchup-kit LAB=N    reference objects of the labs before N, for students who need them
#   make test                 every test the project has
#   make book                 the book, into build/default/book/html
#   make handout              the student edition, into build/handout
#   make trace SYSTEM=x       run x with the microvisor's trace buffer: <build>/trace/trace.json
#                             (Perfetto, chrome://tracing) and trace.svg, a timeline
#                             (FROM=<ms> TO=<ms> its window, KINDS=raise,inject,... its marks)
#   make bench / make size    measurements; make bench also plots its figures (build/default/bench.svg)
#   make bench-figure         the book's copy of that plot (book/figures/bench.svg), from the last run
#   make bench-linux          Debian's Linux natively, on the microvisor and as dom0 on Xen 4.17: boot,
#                             hackbench, cyclictest, iperf3; a table, JSON and a plot (RUNS=<n>, default 5)
#   make bench-linux-figure   the book's copy of that plot (book/figures/bench-linux.svg), from the last run
#   make mutants              every seeded bug of every lab (LAB=N for one): caught/total
#   make fuzz                 fuzz the trap and hypercall path for FUZZ_SECONDS (default 600)
SHELL := /bin/bash
SYSTEM ?=
SELECTOR ?=
FROM ?=
TO ?=
KINDS ?=
CATCHUP ?=
LAB ?=
SOLUTION ?= student
PRESET ?= default
BUILD := build/$(PRESET)
JOBS ?= 2
FUZZ_SECONDS ?= 600
RUNS ?= 5

.PHONY: all deps build images qemu qemu-gdb gdb grade test book handout gradescope catchup-kit trace bench bench-figure \
        bench-linux bench-linux-figure size fuzz mutants clean compile_commands.json

all: build

deps:
	@tools/deps.sh
	@tools/linux/assets.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)
	@$(MAKE) --no-print-directory compile_commands.json

# Editors: the cross build's compile database covers the microvisor and the guests.
compile_commands.json:
	@ln -sf $(BUILD)/cross/compile_commands.json compile_commands.json

# What booting needs: the system images and the harness (make grade builds the rest, in the same tree).
images: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) --target mv-run cross
	@$(MAKE) --no-print-directory compile_commands.json

QEMU_PY = python3 tools/qemu.py --build-dir $(BUILD) --system "$(SYSTEM)" --selector "$(SELECTOR)"

qemu: images
	@$(QEMU_PY)

qemu-gdb: images
	@$(QEMU_PY) --gdb

gdb:
	@gdb-multiarch -q -x tools/gdbinit $(BUILD)/images/$$($(QEMU_PY) --print-system).elf

grade: deps
	@tools/grade.sh "$(SOLUTION)" "$(LAB)"

test: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)
	@ctest --preset $(PRESET)

book: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) --target book

handout:
	@tools/handout.sh build/handout

gradescope: deps
	@[ -n "$(LAB)" ] || { echo "make gradescope: which lab? make gradescope LAB=N" >&2; exit 2; }
	@$(if $(CATCHUP),tools/catchup-kit.sh "$(LAB)" build/catchup &&) \
	    python3 tools/gradescope/make-zip.py --lab "$(LAB)" --out build/gradescope \
	        $(if $(CATCHUP),--catchup build/catchup/catchup-lab$(LAB).tar.gz)

catchup-kit: deps
	@tools/catchup-kit.sh "$(LAB)" build/catchup

# The plots need Debian's matplotlib (/usr/bin/python3); without it, the table and the JSON only.
PLOT = /usr/bin/python3 tools/plot-bench.py $(BUILD)/bench.json

bench: build
	@tools/bench.py --build-dir $(BUILD) --build-traced
	@if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then $(PLOT) $(BUILD)/bench.svg; \
	 else echo "bench: no plot: Debian's python3-matplotlib is not installed (make deps)"; fi

bench-figure:
	@[ -f $(BUILD)/bench.json ] || { echo "make bench-figure: run make bench first" >&2; exit 2; }
	@$(PLOT) book/figures/bench.svg

PLOT_LINUX = /usr/bin/python3 tools/linux/plot-bench-linux.py $(BUILD)/bench-linux.json

trace: build
	@[ -n "$(SYSTEM)" ] || { echo "make trace: which system? make trace SYSTEM=lab2-fair SELECTOR=1" >&2; exit 2; }
	@python3 tools/trace/trace.py --build-dir $(BUILD) --system "$(SYSTEM)" --selector "$(or $(SELECTOR),0)" \
	    --from "$(FROM)" --to "$(TO)" --kinds "$(KINDS)"

bench-linux: build
	@python3 tools/linux/bench-linux.py --build-dir $(BUILD) --runs $(RUNS)
	@if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then $(PLOT_LINUX) $(BUILD)/bench-linux.svg; \
	 else echo "bench-linux: no plot: Debian's python3-matplotlib is not installed (make deps)"; fi

bench-linux-figure:
	@[ -f $(BUILD)/bench-linux.json ] || { echo "make bench-linux-figure: run make bench-linux first" >&2; exit 2; }
	@$(PLOT_LINUX) book/figures/bench-linux.svg

size: build
	@tools/size.py --build-dir $(BUILD)

mutants: deps
	@/usr/bin/python3 tools/seeded-bugs.py $(if $(LAB),--lab $(LAB)) . $(BUILD)/mutants

fuzz: deps
	@cmake --preset $(PRESET) >/dev/null
	@autograder/fuzz/run-fuzzer.sh $(BUILD) time $(FUZZ_SECONDS)

clean:
	rm -rf build compile_commands.json

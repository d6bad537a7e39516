# SPDX-License-Identifier: MIT
"""The book's trace figures, drawn when the book is built from runs of the reference.

    .. trace-figure:: lab2-fair
       :selector: 1
       :from: 0
       :to: 12
       :kinds: timer,raise
       :expect: timer
       :anchor: raise 2         (then :from: and :to: are offsets from it: "-0.3us", "2ms")
       :name: fig-trace-lab2-fair
       :alt: what the figure shows, for a reader who cannot see it

       The caption.

boots ``<build>/images/lab2-fair-trace.elf`` with mv-run (tools/trace/trace.py's
boot(), the same run as ``make trace SYSTEM=lab2-fair SELECTOR=1``), reads the
trace the microvisor prints when the system ends, and draws the window from
``:from:`` to ``:to:`` ms (or µs: "300us") with tools/trace/plot.py's draw(), or
around the n-th event of a kind (``:anchor:``; a window of microseconds
would drift as the microvisor's code changes), keeping only the
marks of ``:kinds:`` (default all). Each kind of ``:expect:`` must have a
mark in the window, or the book fails: a change that moves the run out of
a figure's window is seen, not drawn as an empty plot. The caption ends with the command that
draws the same run, and says so if the ring (kernel/trace.cpp) kept only the
last of the run's events. A system and selector shared by several figures boot once.

``<build>`` is MV_TRACE_BUILD, which book/CMakeLists.txt sets in a reference
build only: there the traced images exist (systems/CMakeLists.txt,
MV_TRACED_SYSTEMS) and a run that does not give a trace fails the book. In a
student's build, or with book/build.sh alone, each figure is a note that says
how to draw it: the student edition's stubs cannot boot these systems.
"""
import importlib.util
import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "trace"


def _load(name, path):
    """A module of tools/trace by its path (its trace.py would be shadowed by the standard library's)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tracelib = _load("mv_trace", TOOLS / "trace.py")

_traces = {}  # (system, selector) -> the Chrome trace dict


def _trace(build, system, selector):
    key = (system, selector)
    if key not in _traces:
        console, status = tracelib.boot(build, system, selector)
        tail = "\n".join([line for line in console.splitlines() if not line.startswith("MV-TRACE ")][-12:])
        if status != 0:  # a run that hung or failed is no figure of how the reference works
            raise RuntimeError(f"mv-run status {status}, expected 0; the console's end:\n{tail}")
        try:
            trace = tracelib.parse(console)
        except tracelib.TraceError as e:
            raise RuntimeError(f"{e}; the console's end:\n{tail}") from None
        _traces[key] = tracelib.chrome(trace)
    return _traces[key]


def _ms(text):
    """A time in ms: "1.5", "1.5ms" or "300us"."""
    text = text.strip()
    if text.endswith("us"):
        return float(text[:-2]) / 1000
    return float(text[:-2] if text.endswith("ms") else text)


def _anchor(text):
    """":anchor: <kind> <n>": the n-th event of a kind (1 is the first)."""
    kind, n = text.split()
    if int(n) < 1:
        raise ValueError("the first event is 1")
    return kind, int(n)


class TraceFigure(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"selector": directives.nonnegative_int, "from": _ms, "to": _ms, "anchor": _anchor,
                   "kinds": directives.unchanged,
                   "expect": directives.unchanged, "name": directives.unchanged, "alt": directives.unchanged}

    def run(self):
        system = self.arguments[0]
        selector = self.options.get("selector", 0)
        command = f"make trace SYSTEM={system}" + (f" SELECTOR={selector}" if selector else "")
        figure = nodes.figure()
        figure["align"] = "center"
        build = os.environ.get("MV_TRACE_BUILD")
        if build:
            image = Path(build) / "images" / f"{system}-trace.elf"
            if not image.is_file():
                raise self.error(f"trace-figure {system}: no {image}: add {system} to MV_TRACED_SYSTEMS "
                                 "(systems/CMakeLists.txt), which a reference build makes")
            try:
                trace = _trace(Path(build).resolve(), system, selector)
            except RuntimeError as e:
                raise self.error(f"trace-figure {system} (selector {selector}): {e}")
            out = Path(self.env.app.doctreedir).parent / "trace-figures" / f"{self.options.get('name', system)}.svg"
            out.parent.mkdir(parents=True, exist_ok=True)
            kinds = [k for k in self.options["kinds"].split(",") if k] if "kinds" in self.options else None
            plotlib = _load("mv_trace_plot", TOOLS / "plot.py")  # matplotlib: only this branch needs it
            start, end = self.options.get("from"), self.options.get("to")
            if "anchor" in self.options:
                kind, n = self.options["anchor"]
                times = [e["ts"] for e in trace["traceEvents"] if e.get("ph") == "i" and e.get("cat") == kind]
                if len(times) < n:
                    raise self.error(f"trace-figure {system}: :anchor: {kind} {n}, but the run has {len(times)}")
                at = sorted(times)[n - 1] / 1000
                start, end = at + (start or 0), at + (end or 0)
            try:
                drawn = plotlib.draw(trace, out, start, end, kinds)
            except ValueError as e:
                raise self.error(f"trace-figure {system}: {e}")
            missing = [k for k in self.options.get("expect", "").split(",") if k and not drawn.get(k)]
            if missing:
                raise self.error(f"trace-figure {system} (selector {selector}): no {', '.join(missing)} "
                                 f"between {start or 0:g} and {'the end' if end is None else f'{end:g}'} "
                                 f"ms any more, which the caption describes: the run changed; move :from: and "
                                 f":to: to where it happens now ({command}, then tools/trace/plot.py)")
            docdir = Path(self.env.doc2path(self.env.docname)).parent
            figure += nodes.image(uri=os.path.relpath(out, docdir), alt=self.options.get("alt", command))
        else:
            note = nodes.paragraph()
            note += nodes.emphasis(text="This figure is drawn when the book is built in a reference build, from "
                                        "a traced run of the reference microvisor. Once your labs pass, draw it "
                                        "from your own with ")
            note += nodes.literal(text=command)
            note += nodes.emphasis(text=".")
            figure += note
        caption_text = nodes.paragraph()
        self.state.nested_parse(self.content, self.content_offset, caption_text)
        caption = nodes.caption()
        for child in caption_text.children:
            caption.extend(child.children if isinstance(child, nodes.paragraph) else [child])
        caption += nodes.Text(" (")
        caption += nodes.literal(text=command)
        lost = trace["otherData"]["events_lost"] if build else 0
        if lost:
            kept = trace["otherData"]["events"]
            caption += nodes.Text(f"; the ring kept the last {kept:,} of {kept + lost:,} events, and time "
                                  "counts from the first it kept")
        caption += nodes.Text(")")
        figure += caption
        if "name" in self.options:
            self.add_name(figure)
        return [figure]


def setup(app):
    app.add_directive("trace-figure", TraceFigure)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

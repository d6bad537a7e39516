# SPDX-License-Identifier: MIT
# Sphinx configuration of the course book. Build with book/build.sh, which
# runs Doxygen first and passes the XML location in MV_DOXYGEN_XML.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

project = "Microvisor Course Edition"
author = "The Microvisor Course Edition authors"
copyright = "the Microvisor Course Edition authors; MIT licence"
release = "labs 1-5 edition"

extensions = [
    "sphinx.ext.graphviz",
    "breathe",
    "trace_figure",  # _ext/trace_figure.py: figures drawn from traced runs of the reference
]

# Sources: everything under book/ except build output.
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]
root_doc = "index"
numfig = True
numfig_format = {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s"}
highlight_language = "none"
primary_domain = "c"

# Breathe: the API reference comes from Doxygen's XML of microvisor/include/mv/abi.h.
_xml = os.environ.get("MV_DOXYGEN_XML")
if not _xml:
    raise RuntimeError("MV_DOXYGEN_XML is not set: build the book with book/build.sh <outdir>")
breathe_projects = {"mv": _xml}
breathe_default_project = "mv"
breathe_domain_by_extension = {"h": "c"}
breathe_show_define_initializer = True
breathe_show_include = False

# Graphviz: SVG, no external images.
graphviz_output_format = "svg"
graphviz_dot_args = ["-Gfontname=Helvetica", "-Nfontname=Helvetica", "-Efontname=Helvetica"]

html_theme = "alabaster"
html_theme_options = {
    "description": "A teaching microvisor for ARMv7-A",
    "fixed_sidebar": False,
    "show_relbars": True,
    "page_width": "1040px",
    "sidebar_width": "230px",
}
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
html_static_path = []
html_show_sourcelink = False
html_copy_source = False

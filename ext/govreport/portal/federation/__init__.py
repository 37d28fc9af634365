"""A province built from its districts' published open data (issue 22, federation).

``portal.toml`` names the member districts (``config``); each member's
``opendata/all.csv`` and ``opendata/publication.json`` are read from a folder or
a web address (``fetch``), bounded and checked row by row (``rows``), and added
up without counting a report twice (``sums``). Pure Python, no docutils: the
province's pages are made by ``sphinxext/federation.py``.
"""

"""The writer's workbench in ``make serve``: the three tables as a form in the
browser, totals and findings as the writer types, saved to the CSV, committed.

* ``csvedit``  change cells in a CSV file's bytes, keeping everything else
* ``form``     the form as HTML, laid out from the spec's official grid
* ``live``     the check pipeline on typed values, without writing
* ``save``     writes: the CSV (conflicts detected), report.toml
* ``commit``   a commit on the report's own branch, never touching the checkout
* ``guard``    what a request must carry to be answered (host, token, size, paths)
* ``api``      the preview server's routes for all of the above

Nothing here imports Sphinx: the server answers from the files and the checks.
"""

"""Charts of an agency's key figures by year (issue 16): the data model
(``figures``), and two writers of the same chart: inline SVG for HTML
(``svg``), LaTeX's ``picture`` for the PDF (``picture``). Both deterministic text."""

"""Charts of an agency's key figures by year (issue 16): the data model
(``figures``), and two writers of the same chart: inline SVG for HTML
(``svg``), pgfplots for the PDF (``tikz``). Both deterministic text."""

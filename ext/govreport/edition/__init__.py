"""A report's editions besides the web page: the PDF (LaTeX settings, XeLaTeX runs,
measuring the result), the Word file (``docx``) and the open data (CSV, JSON).

Imports the model, the format and the checks; never the portal, the Sphinx extension or the command line.
"""

"""The Word edition: one .docx per report in official-document form (GB/T 9704).

- ``page``: the page, grid, type sizes and fonts, taken from the PDF edition's
  figures (``pdfgeom``, ``officialdoc``) and turned into Word's units.
- ``document``: a python-docx document set up with them: styles, footers with
  the page number at the outer corners, the 草稿 watermark, document properties.
- ``table``: a mandated table as a Word table with its merged cells.
- ``package``: the saved file made reproducible (zip entry order and times).
- ``mirror``: the built files copied beside the HTML site.

No docutils here: the Sphinx builder (``sphinxext/docx.py``) walks the doctree
and calls these.
"""

"""A report long enough for several full text pages: the PDF grid tests (test_pdf_grid.py)."""

from pathlib import Path

from govreport.edition.latex import latex_documents_for, latex_elements_for

extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
exclude_patterns = ["data"]
latex_engine = "xelatex"
latex_table_style = ["standard", "nocolorrows"]
latex_elements = latex_elements_for()
latex_documents = latex_documents_for(Path(__file__).parent)
latex_domain_indices = False
latex_use_xindy = False

"""A report long enough for several full text pages: the PDF grid tests (test_pdf_grid.py)."""

from govreport.latex import latex_elements_for

extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
exclude_patterns = ["data"]
latex_engine = "xelatex"
latex_table_style = ["standard", "nocolorrows"]
latex_elements = latex_elements_for()
latex_documents = [("demo/2021", "demo-2021.tex", "测试乡2021年政府信息公开工作年度报告", "中卫市测试乡人民政府", "howto")]
latex_domain_indices = False
latex_use_xindy = False

extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
exclude_patterns = ["data"]
latex_engine = "xelatex"
latex_documents = [("demo/2020", "demo-2020.tex", "测试乡2020年政府信息公开工作年度报告", "测试乡人民政府", "howto")]

extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
exclude_patterns = ["data"]
latex_engine = "xelatex"
latex_documents = [("demo/2021", "demo-2021.tex", "测试乡2021年政府信息公开工作年度报告", "测试乡人民政府", "howto")]

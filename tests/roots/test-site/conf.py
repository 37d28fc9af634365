"""A small site in the project's own theme: two agencies, one with two years, one draft."""

from pathlib import Path

from govreport.web.sitetheme import html_settings

extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
root_doc = "index"
exclude_patterns = ["data", "_build"]
latex_engine = "xelatex"
latex_documents = [
    ("xiangshan/2021", "xiangshan-2021.tex", "沙坡头区香山乡2021年政府信息公开工作年度报告", "中卫市沙坡头区香山乡人民政府", "howto"),
    ("other/2021", "other-2021.tex", "测试镇2021年政府信息公开工作年度报告", "测试镇人民政府", "howto"),
]
globals().update(html_settings(Path(__file__).parent))

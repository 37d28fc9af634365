# 示例数据: a synthetic district (python -m govreport.district, then docs/ moved up).
extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
exclude_patterns = ["data"]
latex_engine = "xelatex"
latex_documents = [
    ("agency-quzhengfu", "agency-quzhengfu.tex", "示例区人民政府历年情况", "示例区人民政府", "howto"),
    ("xiguan/2021", "xiguan-2021.tex", "西关街道2021年政府信息公开工作年度报告", "示例区西关街道", "howto"),
    ("shuiwu/2023", "shuiwu-2023.tex", "示例区税务局2023年政府信息公开工作年度报告", "示例区税务局", "howto"),
]
# The project's PDF look (fonts, type area), as the real site has it.
from govreport.edition.latex import latex_elements_for  # noqa: E402

latex_elements = latex_elements_for()

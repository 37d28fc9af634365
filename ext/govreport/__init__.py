"""政府信息公开工作年度报告 as code: the format spec, loading, checks and tools.

The Sphinx extension is ``govreport.sphinxext``; everything else is pure Python.
"""

__version__ = "1.0"

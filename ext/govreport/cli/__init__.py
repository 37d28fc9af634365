"""``python -m govreport``: the commands (:mod:`.commands`) and ``make``'s arguments (:mod:`.makeargs`).

The top of the graph: may import anything of the package but the Sphinx extension.
"""

"""The official format as data: the specs (``specs/gov<version>.yaml``), their validation
on load, and the vocabulary read from them (labels, numbers, wordings).

Imports nothing of the package but :mod:`govreport.findings`.
"""

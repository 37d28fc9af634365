"""A report's files: find reports, read and write their CSVs, ``report.toml`` and pages
(pure Python, no docutils), write them all or none, and the checkout's build lock.

Imports :mod:`govreport.format` and :mod:`govreport.findings`, never the checks or above.
"""

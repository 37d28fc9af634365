"""The published site's own parts that are not Sphinx: its theme settings, its search
index, its trimmed CSS, and which of its files belong to one report.

Imports nothing of the package above :mod:`govreport.checks`.
"""

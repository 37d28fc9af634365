"""The notes of an import: the file name and its check live in ``checks.notes``
(the checks must not import the importer); re-exported here for the importer."""

from __future__ import annotations

from ..checks.notes import NOTES_FILE, check_import_notes

__all__ = ["NOTES_FILE", "check_import_notes"]

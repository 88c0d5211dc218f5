"""Bringing a community's old ledger (人民调解台账) in: read it, map its columns and values, check every
row (the dry run), import the rows that pass as cases, and hand back the refused rows to fix.

``reading`` (the file) → ``columns`` (the header and what each column holds) → ``cells`` and ``values``
(typed values, free text mapped to the vocabulary) → ``check`` (the dry run) → ``importing`` (cases
through the one write path) and ``refused`` (the XLSX of rows not imported). ``uploads`` keeps what was
uploaded between steps and the mapping each community chose.
"""

from services.ledger.check import IMPORTED, NEW, REFUSED, SKIPPED, STATUS_LABELS, CheckReport, RowCheck, check
from services.ledger.columns import FIELDS
from services.ledger.importing import ImportResult, import_upload
from services.ledger.reading import LedgerError
from services.ledger.refused import refused_xlsx
from services.ledger.uploads import imports_of, recent_uploads, save_mapping, store_upload, visible_upload

__all__ = [
    "FIELDS",
    "IMPORTED",
    "NEW",
    "REFUSED",
    "SKIPPED",
    "STATUS_LABELS",
    "CheckReport",
    "ImportResult",
    "LedgerError",
    "RowCheck",
    "check",
    "import_upload",
    "imports_of",
    "recent_uploads",
    "refused_xlsx",
    "save_mapping",
    "store_upload",
    "visible_upload",
]

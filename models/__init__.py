"""SQLModel tables of the case tracker."""

from models.attachment import Attachment, AttachmentDownload
from models.audit import AdminEvent
from models.case import Case, CaseCounter
from models.community import Community
from models.event import CaseEvent
from models.ledger import ImportedNumberCounter, LedgerImport, LedgerMapping, LedgerRow, LedgerUpload
from models.party import Party
from models.records import Agreement, FollowUp, JudicialConfirmation, SessionRecord
from models.settings import Category, Setting
from models.snapshot import MonthSnapshot
from models.tally import CaseTally
from models.user import LoginAttempt, User, UserCommunity

__all__ = [
    "AdminEvent",
    "Agreement",
    "Attachment",
    "AttachmentDownload",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseTally",
    "Category",
    "Community",
    "FollowUp",
    "ImportedNumberCounter",
    "JudicialConfirmation",
    "LedgerImport",
    "LedgerMapping",
    "LedgerRow",
    "LedgerUpload",
    "LoginAttempt",
    "MonthSnapshot",
    "Party",
    "SessionRecord",
    "Setting",
    "User",
    "UserCommunity",
]

"""SQLModel tables of the case tracker."""

from models.api import ApiClient, ApiIntake
from models.attachment import Attachment, AttachmentDownload
from models.audit import AdminEvent
from models.case import Case, CaseCounter
from models.community import Community
from models.event import CaseEvent
from models.ledger import ImportedNumberCounter, LedgerImport, LedgerMapping, LedgerRow, LedgerUpload
from models.party import Party
from models.records import Agreement, FollowUp, JudicialConfirmation, SessionRecord
from models.reminders import Delivery, InboxMessage, ReminderPreference
from models.settings import Setting
from models.snapshot import MonthSnapshot
from models.tally import CaseTally
from models.user import LoginAttempt, User, UserCommunity
from models.vocabulary import Term, TermKind
from models.workdays import HolidayOverride

__all__ = [
    "AdminEvent",
    "Agreement",
    "ApiClient",
    "ApiIntake",
    "Attachment",
    "AttachmentDownload",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseTally",
    "Community",
    "Delivery",
    "FollowUp",
    "HolidayOverride",
    "ImportedNumberCounter",
    "InboxMessage",
    "JudicialConfirmation",
    "LedgerImport",
    "LedgerMapping",
    "LedgerRow",
    "LedgerUpload",
    "LoginAttempt",
    "MonthSnapshot",
    "Party",
    "ReminderPreference",
    "SessionRecord",
    "Setting",
    "Term",
    "TermKind",
    "User",
    "UserCommunity",
]

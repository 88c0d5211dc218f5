"""SQLModel tables of the case tracker."""

from models.api import ApiClient, ApiIntake
from models.audit import AdminEvent
from models.case import Case, CaseCounter
from models.community import Community
from models.event import CaseEvent
from models.party import Party
from models.records import Agreement, FollowUp, JudicialConfirmation, SessionRecord
from models.settings import Setting
from models.snapshot import MonthSnapshot
from models.tally import CaseTally
from models.user import LoginAttempt, User, UserCommunity
from models.vocabulary import Term, TermKind

__all__ = [
    "AdminEvent",
    "Agreement",
    "ApiClient",
    "ApiIntake",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseTally",
    "Community",
    "FollowUp",
    "JudicialConfirmation",
    "LoginAttempt",
    "MonthSnapshot",
    "Party",
    "SessionRecord",
    "Setting",
    "Term",
    "TermKind",
    "User",
    "UserCommunity",
]

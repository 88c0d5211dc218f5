"""The mediation lifecycle: states, triggers, guards, triage, clocks and role rules.

Plain Python plus the ``transitions`` library; no web or database code lives here.
"""

from workflow.clocks import (
    confirmation_window_closes,
    follow_up_due,
    is_overdue,
    mediation_deadline,
)
from workflow.engine import ENGINE, Availability, Engine, Outcome
from workflow.errors import Refused
from workflow.facts import Actor, CaseFacts
from workflow.roles import Role, Tier
from workflow.states import State
from workflow.triage import Policy, RiskLevel, Severity, TriageFacts, TriageResult, load_policy, triage
from workflow.triggers import TRIGGERS, Trigger

__all__ = [
    "ENGINE",
    "TRIGGERS",
    "Actor",
    "Availability",
    "CaseFacts",
    "Engine",
    "Outcome",
    "Policy",
    "Refused",
    "RiskLevel",
    "Role",
    "Severity",
    "State",
    "Tier",
    "TriageFacts",
    "TriageResult",
    "Trigger",
    "confirmation_window_closes",
    "follow_up_due",
    "is_overdue",
    "load_policy",
    "mediation_deadline",
    "triage",
]

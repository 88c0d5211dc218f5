"""Values read once per database transaction (the triage policy, the category list).

A request asks for the policy several times (the form, the validation, the service); within one
transaction the answer cannot change, so it is read once. The memo is dropped when the transaction
ends, so a later transaction sees an administrator's change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

T = TypeVar("T")
_KEY = "memo"


def per_transaction(session: Session, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time in this transaction, the remembered value after that."""
    memo: dict[str, Any] = session.info.setdefault(_KEY, {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]  # type: ignore[no-any-return]


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_KEY, None)

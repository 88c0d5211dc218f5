"""Errors a service raises for the user to read (besides workflow.Refused)."""

from workflow.text import say


class ServiceError(Exception):
    """Base of the errors a user can cause; ``message`` is shown to them."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFound(ServiceError):
    code = "not_found"


class StaleCase(ServiceError):
    code = "stale"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or say("此案件已被他人修改，请查看最新内容后再操作。"))


class Invalid(ServiceError):
    code = "invalid"


class Forbidden(ServiceError):
    code = "forbidden"

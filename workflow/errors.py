"""The one error type the engine raises when it refuses a trigger."""


class Refused(Exception):
    """A trigger was refused; ``code`` is stable, ``message`` says why in Chinese."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

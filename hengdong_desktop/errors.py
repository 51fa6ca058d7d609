"""The two kinds of error: a UserError carries a Chinese sentence the clerk can act on;
anything else is a bug, logged and shown by the crash dialog."""


class UserError(Exception):
    """A refusal the user can understand and act on. `str(err)` is one Chinese sentence."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return self.message

"""Errors whose message is meant for a person (Vietnamese first), never a traceback."""


class UserError(Exception):
    """A problem the user can fix; `str(error)` is the message to show."""

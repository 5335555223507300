"""One kind of error for what a user has to correct (DESIGN §2, "one error boundary").

`UserError(message_key, field=None, **values)`: the Dutch text is `t(message_key, **values)`; `field` names
the form field it is about, so `AutoSaveForm` shows it there (and keeps saving the other fields), or the
save bar shows it. Each area of Stip has its own subclass (`StartgesprekError`, `AfspraakError`, …), so a
caller can catch one area's refusals.
"""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A user error with a Dutch catalog text; `field` names the form field when there is one."""

    def __init__(self, message_key: str, field: str | None = None, **values: object):
        super().__init__(message_key)
        self.message_key = message_key
        self.field = field
        self.values = values

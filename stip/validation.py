"""Small input rules shared by the class-list import and the forms (one rule, one place).

Text from a screen gets the same limits as the import (DESIGN §8), checked in the service layer by
`check_text` / `check_texts` before anything is written:
- the length comes from the table definition: a `String(n)` column holds at most n characters, a `Text`
  column at most `TEXT_LIMIT` (a note of about three pages; the import has no longer cells);
- NUL and other control characters are refused (a tab and a newline are fine in a multi-line note);
- a one-line field (every `String(n)` column: names, e-mail, phone, klas, taal, a subject) refuses CR, LF
  and the other line breaks: a newline in a name broke the class's e-mail drafts (header injection).
A multi-line note keeps its line breaks as LF ("\\r\\n" from a pasted Windows text becomes "\\n").
Every refusal is a typed error with a catalog key and the field it is about, so the form shows a Dutch
message at that field and stores nothing of the action.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the import reads e-mail rules from here without loading SQLAlchemy
    from sqlalchemy import Column, Table

# A plausible e-mail address: something@domain.tld (no spaces, a top-level domain of letters).
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")

TEXT_LIMIT = 5000  # characters in a Text column (notes, goals, a template body)
# What ends a line for `str.splitlines()` (and for a mail header): never inside a one-line field.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
MULTILINE_ALLOWED = frozenset("\n\t")

__all__ = ["EMAIL", "TEXT_LIMIT", "TextRefused", "check_text", "check_texts", "limit_of", "is_multiline"]


class TextRefused(ValueError):
    """A text that cannot be stored; `field` is the form field, `message_key` the Dutch text."""

    def __init__(self, message_key: str, field: str | None = None, **values: object):
        super().__init__(message_key)
        self.message_key = message_key
        self.field = field
        self.values = values


ErrorType = Callable[..., Exception]


def limit_of(column: Column) -> int:
    """The most characters `column` holds: n for `String(n)`, `TEXT_LIMIT` for `Text`."""
    length = getattr(column.type, "length", None)
    return length if length else TEXT_LIMIT


def is_multiline(column: Column) -> bool:
    """Only `Text` columns (notes) take line breaks; every `String(n)` column is one line."""
    return not getattr(column.type, "length", None)


def check_text(
    field: str,
    value: str,
    column: Column,
    *,
    multiline: bool | None = None,
    error: ErrorType = TextRefused,
) -> str:
    """`value` as it may be stored in `column`, or `error(message_key, field=field, ...)`.

    `multiline` defaults to the column's kind (`is_multiline`). Returns the value with CR LF and a lone
    CR turned into LF in a multi-line text; a one-line value is returned unchanged.
    """
    multiline = is_multiline(column) if multiline is None else multiline
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    for char in value:
        if char in LINE_BREAKS and not (multiline and char in MULTILINE_ALLOWED):
            if multiline:  # \v, \f, U+2028 … in a note: a control character, not a line to keep
                raise error("validation.bad_character", field=field)
            raise error("validation.one_line", field=field)
        if char in MULTILINE_ALLOWED and multiline:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):  # control characters, lone surrogates
            raise error("validation.bad_character", field=field)
    limit = limit_of(column)
    if len(value) > limit:
        raise error("validation.too_long", field=field, limit=limit, length=len(value))
    return value


def check_texts(
    table: Table,
    values: Mapping[str, Any],
    *,
    error: ErrorType = TextRefused,
    columns: Mapping[str, Column] | None = None,
) -> dict[str, Any]:
    """Check every string in `values` that goes into a column of `table` (or of `columns`, for a form
    field stored elsewhere: {"klas": klas.c.name}); returns `values` with the checked strings."""
    checked = dict(values)
    for field, value in values.items():
        if not isinstance(value, str):
            continue
        column = (columns or {}).get(field)
        if column is None and field in table.c:
            column = table.c[field]
        if column is not None:
            checked[field] = check_text(field, value, column, error=error)
    return checked

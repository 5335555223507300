"""`@handled`: the one wrapper for every widget callback (DESIGN §2).

In Voilà a failing callback shows nothing at all, and ipywidgets' `CallbackDispatcher` only logs
the error. `handled` catches every exception and shows a Dutch text in the save bar:
- an error with a `message_key` (Stip's typed errors) shows `t(exc.message_key, **exc.values)`;
  the key `error.version_conflict` (`stip.store.VersionConflict`) shows it as a conflict with "Herladen";
- any other error shows `t("component.unexpected_error")`, never `str(exc)`.
It logs to `stip.widgets` without argument values or the error's text (both may hold personal data),
and marks a clicked `Button` busy while the callback runs (like sepal_ui's `loading_button`).
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback

import ipywidgets as w

from stip.i18n import t

__all__ = ["handled", "show_error", "CONFLICT_KEY"]

log = logging.getLogger("stip.widgets")
CONFLICT_KEY = "error.version_conflict"


def show_error(savebar, exc: BaseException, where: str = "callback") -> None:
    """Show `exc` in `savebar` (may be None) as a Dutch text and log it without personal data."""
    key = getattr(exc, "message_key", None)
    if isinstance(key, str) and key:
        log.warning("%s stopped: %s (%s)", where, type(exc).__name__, key)
        try:
            text = t(key, **(getattr(exc, "values", None) or {}))
        except (KeyError, IndexError, ValueError):  # a placeholder without a value
            text = t("component.unexpected_error")
        if savebar is not None:
            (savebar.conflict if key == CONFLICT_KEY else savebar.error)(text)
        return
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s failed: %s\n%s", where, type(exc).__name__, frames)
    if savebar is not None:
        savebar.error(t("component.unexpected_error"))


def handled(func=None, /, *, savebar: object = "savebar"):
    """Decorate a widget callback; use as `@handled` or `@handled(savebar=bar_or_attribute_name)`.

    `savebar` is the name of an attribute on `self` (default "savebar"), a function of `self` that
    returns the bar (`lambda self: self.panel.savebar`), or a `SaveBar` itself (for plain functions).
    The first `Button` among the first two arguments is disabled while running.
    Returns the callback's result, or None after an error.
    """
    if func is None:
        return functools.partial(handled, savebar=savebar)

    def bar_for(args):
        if isinstance(savebar, str):
            return getattr(args[0], savebar, None) if args else None
        if callable(savebar) and not isinstance(savebar, w.Widget):
            return savebar(args[0]) if args else None
        return savebar

    def busy(args):
        button = next((a for a in args[:2] if isinstance(a, w.Button)), None)
        if button is None:
            return None, False
        was_disabled = button.disabled
        button.disabled = True
        return button, was_disabled

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args, **kwargs):
            button, was_disabled = busy(args)
            try:
                return await func(*args, **kwargs)
            except Exception as exc:
                show_error(bar_for(args), exc, func.__qualname__)
                return None
            finally:
                if button is not None:
                    button.disabled = was_disabled

        return run_async

    @functools.wraps(func)
    def run(*args, **kwargs):
        button, was_disabled = busy(args)
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            show_error(bar_for(args), exc, func.__qualname__)
            return None
        finally:
            if button is not None:
                button.disabled = was_disabled

    return run

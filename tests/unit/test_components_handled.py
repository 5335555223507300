"""@handled: every failing callback ends in a Dutch text in the save bar, never in silence."""

import logging

import ipywidgets as w

from stip.i18n import t
from stip.store import VersionConflict
from widgets.components.handled import handled
from widgets.components.savebar import SaveBar

SECRET = "Jan de Vries, 240101"


class SchemaError(Exception):
    message_key = "error.schema_behind"


class CountError(Exception):
    message_key = "component.picker.count"

    def __init__(self, count):
        super().__init__(count)
        self.values = {"count": count}


class Screen:
    def __init__(self):
        self.savebar = SaveBar()
        self.button = w.Button(description="Opslaan")
        self.button.on_click(self.on_save)
        self.fail_with = None
        self.seen_disabled = None

    @handled
    def on_save(self, button):
        self.seen_disabled = button.disabled
        if self.fail_with is not None:
            raise self.fail_with
        return "ok"


def test_success_returns_result_and_restores_button():
    screen = Screen()
    assert screen.on_save(screen.button) == "ok"
    assert screen.seen_disabled is True
    assert screen.button.disabled is False
    assert screen.savebar.text == ""


def test_untyped_error_shows_generic_text_never_the_message(caplog):
    screen = Screen()
    screen.fail_with = RuntimeError(SECRET)
    with caplog.at_level(logging.ERROR, logger="stip.widgets"):
        screen.button.click()
    assert screen.savebar.status == "error"
    assert screen.savebar.text == t("component.unexpected_error")
    assert SECRET not in screen.savebar._text.value
    assert screen.button.disabled is False
    assert "RuntimeError" in caplog.text and "on_save" in caplog.text
    assert SECRET not in caplog.text


def test_typed_error_shows_its_catalog_text():
    screen = Screen()
    screen.fail_with = SchemaError(SECRET)
    assert screen.on_save(screen.button) is None
    assert screen.savebar.status == "error"
    assert screen.savebar.text == t("error.schema_behind")
    assert "make start" in screen.savebar.text


def test_typed_error_fills_its_values():
    screen = Screen()
    screen.fail_with = CountError(3)
    screen.button.click()
    assert screen.savebar.text == "3 leerlingen"


def test_version_conflict_shows_reload_and_keeps_dirty():
    screen = Screen()
    screen.savebar.dirty = True
    screen.fail_with = VersionConflict()
    screen.button.click()
    assert screen.savebar.status == "conflict"
    assert screen.savebar.text == t("error.version_conflict")
    assert screen.savebar._reload.layout.display != "none"
    assert screen.savebar.dirty


def test_a_disabled_button_stays_disabled():
    screen = Screen()
    screen.button.disabled = True
    screen.on_save(screen.button)
    assert screen.seen_disabled is True and screen.button.disabled is True


def test_plain_function_with_explicit_savebar_and_observe_change():
    bar = SaveBar()
    text = w.Text()

    @handled(savebar=bar)
    def on_change(change):
        raise ValueError(change["new"])

    text.observe(on_change, names="value")
    text.value = SECRET
    assert bar.text == t("component.unexpected_error")
    assert SECRET not in bar.text


def test_without_a_savebar_the_error_is_only_logged(caplog):
    @handled
    def callback():
        raise KeyError("x")

    with caplog.at_level(logging.ERROR, logger="stip.widgets"):
        assert callback() is None
    assert "KeyError" in caplog.text


def test_async_callback_is_handled_too():
    import asyncio
    import concurrent.futures

    screen = Screen()

    @handled(savebar=screen.savebar)
    async def save_later(button):
        assert button.disabled
        raise SchemaError()

    # In a thread of its own: the browser tests' Playwright loop may be running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, save_later(screen.button)).result()
    assert screen.savebar.text == t("error.schema_behind")
    assert screen.button.disabled is False

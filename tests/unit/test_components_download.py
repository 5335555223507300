"""DownloadButton without a browser: a click builds the file and sends it; errors go to the save bar."""

import logging

from stip.i18n import t
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.savebar import SaveBar

SECRET = "Jan de Vries, 240101"


class Refused(Exception):
    message_key = "error.schema_behind"


def capture(button: DownloadButton) -> list:
    sent = []
    button.send = lambda content, buffers=None: sent.append((content, buffers))
    return sent


def browser_click(button: DownloadButton) -> None:
    """What the ESM sends on a click in the browser."""
    button._handle_custom_msg({"kind": "click"}, [])


def test_a_click_builds_the_file_and_sends_it_as_a_binary_buffer():
    calls = []

    def build():
        calls.append(button.disabled)  # busy while building
        return DownloadFile("één;twee\n".encode(), "klas-1A.csv", "text/csv")

    button = DownloadButton("Exporteer CSV", build, savebar=SaveBar())
    sent = capture(button)
    browser_click(button)
    assert calls == [True] and button.disabled is False
    assert sent == [
        ({"kind": "file", "filename": "klas-1A.csv", "mime": "text/csv"}, ["één;twee\n".encode()])
    ]
    assert button.click() == DownloadFile("één;twee\n".encode(), "klas-1A.csv", "text/csv")
    assert len(sent) == 2  # every click builds afresh: nothing is kept in the widget


def test_a_tuple_from_the_builder_is_enough_and_none_sends_nothing():
    button = DownloadButton("Download", lambda: (b"%PDF-1.7", "blad.pdf", "application/pdf"))
    sent = capture(button)
    assert button.click().filename == "blad.pdf" and len(sent) == 1
    button = DownloadButton("Download", lambda: None)
    sent = capture(button)
    assert button.click() is None and sent == []


def test_a_large_file_travels_whole():
    data = bytes(range(256)) * 16_384  # 4 MiB
    button = DownloadButton("Download", lambda: (data, "groot.zip", "application/zip"))
    sent = capture(button)
    button.click()
    assert sent[0][1] == [data]


def test_other_messages_are_ignored():
    button = DownloadButton("Download", lambda: (b"x", "x.txt", "text/plain"))
    sent = capture(button)
    button._handle_custom_msg({"kind": "something else"}, [])
    button._handle_custom_msg("click", [])
    assert sent == []


def test_an_error_shows_a_dutch_text_in_the_save_bar_and_sends_nothing(caplog):
    bar = SaveBar()

    def build():
        raise ValueError(SECRET)

    button = DownloadButton("Download", build, savebar=bar)
    sent = capture(button)
    with caplog.at_level(logging.ERROR, logger="stip.widgets"):
        browser_click(button)
    assert sent == [] and button.disabled is False
    assert bar.status == "error" and bar.text == t("component.unexpected_error")
    assert SECRET not in caplog.text


def test_a_typed_error_shows_its_own_text_and_the_bar_may_come_from_a_function():
    bar = SaveBar()

    def build():
        raise Refused()

    button = DownloadButton("Download", build, savebar=lambda: bar)
    capture(button)
    button.click()
    assert bar.status == "error" and bar.text == t("error.schema_behind")


def test_the_description_is_the_accessible_name_and_syncs():
    button = DownloadButton("Agenda downloaden (.ics)", lambda: None, icon="calendar")
    state = button.get_state()
    assert state["description"] == "Agenda downloaden (.ics)" and state["icon"] == "calendar"
    assert "a.download = msg.filename" in state["_esm"] and "revokeObjectURL" in state["_esm"]
    assert "http" not in state["_esm"]  # inline ESM: no request leaves the machine


def test_the_home_page_does_not_import_anywidget():
    import subprocess
    import sys

    code = (
        "import sys, widgets.start, widgets.components as c; "
        "print('anywidget' in sys.modules, c.DownloadButton)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.startswith("False <class 'widgets.components.download.DownloadButton'>")

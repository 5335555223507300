"""safe() and safe_html(): user text never becomes markup in an HTML widget."""

from widgets.components.safe import safe, safe_html

ATTACK = "<img src=x onerror=alert(1)>"


def test_attack_comes_out_inert():
    out = safe(ATTACK)
    assert "<" not in out and ">" not in out
    assert out == "&lt;img src=x onerror=alert(1)&gt;"


def test_quotes_are_escaped_so_attributes_cannot_be_closed():
    assert safe('" onmouseover="x') == "&quot; onmouseover=&quot;x"
    assert safe("it's") == "it&#x27;s"


def test_none_is_empty_and_other_values_are_text():
    assert safe(None) == ""
    assert safe(42) == "42"
    assert safe("Öztürk & Zn.") == "Öztürk &amp; Zn."


def test_safe_html_escapes_every_value_but_keeps_the_template():
    out = safe_html('<a href="{href}">{name}</a>', href='x" onclick="evil()', name=ATTACK)
    assert out.startswith('<a href="x&quot; onclick=&quot;evil()">')
    assert "<img" not in out
    assert out.endswith("&lt;img src=x onerror=alert(1)&gt;</a>")


def test_braces_in_values_are_not_formatted_again():
    assert safe_html("<b>{a}</b>", a="{b}") == "<b>{b}</b>"

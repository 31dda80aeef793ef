"""The report's templates: values are escaped (autoescape), JSON in script elements cannot end
them, and the pages carry no inline handlers or script URLs (CSP-clean)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jinja2 import UndefinedError

from plangraph.report.data import Prov
from plangraph.report.render import environment, render, script_json
from plangraph.report.view import Ref

NASTY = '<script>alert("x")</script><!-- & \' "'


def macros() -> Any:
    return environment().get_template("macros.html").module


def test_values_are_escaped_in_markup_and_attributes() -> None:
    prov = Prov("e", "p", "action", None, None, 'a".txt', 3, 4, "3-4", NASTY)
    html = str(macros().quote(Ref("action 1", NASTY, prov)))
    assert "<script>" not in html and "<!--" not in html
    assert html.startswith('<span class="quote">&lt;script&gt;')
    assert 'href="sources.html#a&#34;.txt-L3-L4"' in html


def test_script_json_cannot_end_its_element_and_parses_to_the_same_values() -> None:
    text = str(script_json({"k": NASTY, "ü": ["</SCRIPT>"]}))
    assert "<" not in text
    assert json.loads(text) == {"k": NASTY, "ü": ["</SCRIPT>"]}


def test_an_undefined_name_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(UndefinedError):
        render("sections/timeline.html")


def test_no_inline_handlers_or_script_urls_in_the_templates() -> None:
    loader = environment().loader
    assert loader is not None
    for name in loader.list_templates():
        source = loader.get_source(environment(), name)[0]
        assert not re.search(r"\son[a-z]+\s*=", source, re.I), name
        assert "javascript:" not in source.lower(), name

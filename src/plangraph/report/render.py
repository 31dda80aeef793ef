"""Rendering with Jinja2: the templates of ``plangraph/report/templates/`` and the CSS and
JavaScript of ``assets/`` (package data), autoescaped. All the markup of the report and the map
page is in those templates; Python code hands them data."""

from __future__ import annotations

import base64
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from plangraph.report.common import clip


def asset(name: str) -> Markup:
    """The text of a file of ``assets/``, to inline in a ``<style>`` or ``<script>`` element
    (package data written by us, so not escaped)."""
    path = resources.files("plangraph.report") / "assets" / name
    return Markup(path.read_text(encoding="utf-8"))


def script_json(data: Any) -> Markup:
    """``data`` as JSON for a ``<script type="application/json">`` element: keys sorted, every
    ``<`` written ``\\u003c`` so that no ``</script>`` or ``<!--`` in a value can end or confuse
    the element (the JSON parses to the same values)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Markup(payload.replace("<", "\\u003c"))


def png_base64(path: Path) -> str:
    """The bytes of a PNG file as base64, for a ``data:`` URI."""
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _finalize(value: Any) -> Any:
    """``None`` prints as nothing (as an empty cell), not as 'None'."""
    return "" if value is None else value


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment: autoescape on, undefined names an error, block tags leave no
    blank lines."""
    env = Environment(
        loader=PackageLoader("plangraph.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clip"] = clip
    env.filters["f1"] = lambda value: f"{value:.1f}"
    env.filters["script_json"] = script_json
    env.globals["asset"] = asset
    return env


def render(template: str, **context: Any) -> Markup:
    """Render the template named ``template`` with ``context``: markup, so that a rendered
    section goes into the page template unescaped."""
    return Markup(environment().get_template(template).render(**context))

"""The file formats of ``plangraph map`` and their extensions (light: the command line reads
them at start-up)."""

from __future__ import annotations

FORMATS = ("html", "png", "svg", "graphml", "gexf", "cyjs", "csv")
"""Formats of the map exports."""

EXTENSIONS = {fmt: fmt for fmt in FORMATS}
"""File extension of each format."""

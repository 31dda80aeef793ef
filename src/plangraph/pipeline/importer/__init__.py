"""``plangraph import``: draft a plan file from a PDF, Word, HTML, Markdown, spreadsheet/CSV
or plain-text document (docs/import.md).

Modules, one job each: ``formats`` and ``convert_*`` (document → text), ``textdoc`` (lines,
cells, paragraphs, furniture), ``profile`` (layout profiles, ``profiles/*.yaml``), ``patterns``
(labels, numbering, field labels), ``outline``, ``tables``, ``vertical`` and ``apart`` (the
element hierarchy; values printed apart from their element), ``tree``
(elements and their placement under the hierarchy rules), ``institutions`` (mentions and the
authority file), ``header`` (title, period, issuer, status), ``render`` (plan-file YAML),
``verify`` (the loader as last guard), ``review`` (the review list), ``draft`` (one profile or
the best of all), ``run`` (the command's work, written all at once), ``evaluate``, ``align`` and
``evalrun`` (comparison with curated plans, ``make eval-import``).
"""

from plangraph.pipeline.importer.run import ImportOptions, ImportResult, import_document

__all__ = ["ImportOptions", "ImportResult", "import_document"]

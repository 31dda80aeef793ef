"""The sections of the report, one module each: each prepares the data its template
(``templates/sections/<name>.html``) draws. See docs/report.md for what each shows."""

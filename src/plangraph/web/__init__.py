"""The query page of ``plangraph serve``: static files in ``static/``, shipped as package data."""

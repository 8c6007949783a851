"""Views: text and buttons for people (a ``Rendered``), built from the catalogues; no I/O."""

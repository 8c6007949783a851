"""The task catalogue: templates, and its file (parse, import, export)."""

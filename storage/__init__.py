"""Storage: the schema (models), its migrations, and every query (repos)."""

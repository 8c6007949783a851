"""People and groups: joining, organisation, contacts, preferences, the rota, continuity."""

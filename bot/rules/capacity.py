"""A co-worker's stamina (*ork*): the range of strain points a person may choose a day."""

from __future__ import annotations

LOWEST, HIGHEST = 1, 12  # what a person may choose (the column allows up to 30)

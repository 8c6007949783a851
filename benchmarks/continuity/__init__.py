"""The continuity simulation (``benchmarks/continuity_simulation.py``): weeks of a group's
life driven through the real services and a real database, and the continuity figure
read back from the real continuity service.

* :mod:`.plan`: the people, their part-time rotas week by week, the long holiday, the
  sick days and the co-workers' contact moments, all drawn from one seeded stream;
* :mod:`.life`: builds that world in the database and lives it, moment by moment;
* :mod:`.staff`: what staff do with what reaches them (answer, take the call);
* :mod:`.figures`: the 14-day figures, from the continuity service and, to check them,
  from what the simulation made staff do.
"""

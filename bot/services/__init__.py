"""The services: what Vardag does, grouped by what they serve (day, planning, people,
messages, safety_net, catalogue, privacy), each a function of ``(services, session, ...)``."""

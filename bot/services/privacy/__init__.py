"""Personal data: the audit trail, export and erasure, retention."""

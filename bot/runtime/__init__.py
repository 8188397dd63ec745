"""Process plumbing: batched writes, leases, secrets, log redaction, housekeeping."""

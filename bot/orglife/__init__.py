"""三会一课 at a glance: the county's rules (what each branch must hold, how often) and each
branch's status per period, computed from the ledger."""

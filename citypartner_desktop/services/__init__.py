"""Use cases. Each owns its transaction, validates, records the audit trail and returns DTOs."""

"""The lender's back office: operators, their sessions, the audit log, the queues, the search."""

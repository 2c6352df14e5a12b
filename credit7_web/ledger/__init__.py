"""The double-entry ledger: every money movement between the lender and a borrower.

API (`credit7_web.ledger.book`):

- `post(db, clock, kind, key=, borrower_id=, loan_id=, lines=[Line(Account, ±kop), ...],
  description=, amount_kop=, external_id=)` appends one transaction whose postings sum to zero
  (debit +, credit −), in the caller's db transaction (flush only; commit with the state change).
  `key` is unique: posting it again returns the first transaction and moves nothing.
  `external_id` (unique) is the acquirer's order the money came through.
- `reverse(db, clock, txn, description)`: the one way to correct — a new transaction negating it.
- `balances(db, loan_id)` → `Balances` (principal, interest, penalty, services receivables;
  income booked; overpayment owed back); `paid_towards(db, loan_id)`: the payments debt is
  computed from; `operations(db, borrower_id)`: the cabinet's «Операции», newest first.

Accounts (`models.Account`): the four receivables of a loan, the acquirer's settlement account,
interest/penalty/services income, card checks held, overpayment owed back. Postings and
transactions are append-only (database triggers). Interest and penalty reach the ledger as
ACCRUAL transactions (`servicing.accrual`) before each payment and daily by the reconcile job;
`python -m web.reconcile` checks it all.
"""

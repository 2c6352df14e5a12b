"""The money history: every movement of money between the lender and a borrower."""

"""Every table of the app, so the metadata Alembic compares with the database is complete."""

from credit7_web.backoffice.models import AuditEntry, Operator, OperatorSession
from credit7_web.documents.models import Document
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    DeletionRequest,
    GosuslugiSignup,
    LoginThrottle,
    OneTimeCode,
    PassportPhoto,
    Profile,
    RestorationRequest,
)
from credit7_web.ledger.models import Operation
from credit7_web.lending.models import Card, CardBinding, Loan, LoanApplication
from credit7_web.messages.outbox import OutgoingSms
from credit7_web.sandbox.models import (
    SandboxAcquirerCard,
    SandboxAcquirerOrder,
    SandboxEsiaGrant,
    SandboxSetting,
    SmsMessage,
)
from credit7_web.servicing.models import Reminder

__all__ = [
    "AuditEntry",
    "AuthSession",
    "Borrower",
    "Card",
    "CardBinding",
    "DeletionRequest",
    "Document",
    "GosuslugiSignup",
    "Loan",
    "LoanApplication",
    "LoginThrottle",
    "OneTimeCode",
    "Operation",
    "Operator",
    "OperatorSession",
    "OutgoingSms",
    "PassportPhoto",
    "Profile",
    "Reminder",
    "RestorationRequest",
    "SandboxAcquirerCard",
    "SandboxAcquirerOrder",
    "SandboxEsiaGrant",
    "SandboxSetting",
    "SmsMessage",
]

"""Every path of the app, named once: pages, HTTP routes and the links between them.

Pages and states link by these names; `after_sign_in` decides where a sign-in may lead.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

# Pages.
HOME = "/"
REGISTER = "/register"
QUESTIONNAIRE = "/register/questionnaire"
LOGIN = "/login"
RECOVER = "/recover"
CABINET = "/cabinet"
PROLONG = "/cabinet/prolong"
APPLY = "/apply"
PROFILE = "/profile"
PAY = "/pay"  # quick pay, no sign-in
REPAY = "/cabinet/pay"  # «Погасить» in the cabinet
FAQ = "/faq"
GOSUSLUGI = "/gosuslugi"
RESTORE = "/restore"
PERSONAL_DATA = "/documents/personal-data"
SANDBOX_SMS = "/sandbox/sms"
SANDBOX_CLOCK = "/sandbox/clock"
SANDBOX_ESIA = "/sandbox/esia"  # the sandbox Gosuslugi provider's base path

# The operator console (its own sign-in, its own cookie).
OPERATOR = "/operator"
OPERATOR_LOGIN = "/operator/login"
OPERATOR_IDENTIFICATION = "/operator/identification"
OPERATOR_SEARCH = "/operator/search"
OPERATOR_AUDIT = "/operator/audit"
OPERATOR_DELETIONS = "/operator/deletions"
OPERATOR_RESTORATIONS = "/operator/restorations"

# HTTP routes (plain Starlette, not pages).
AUTH_CLAIM = "/auth/claim"
AUTH_LOGOUT = "/auth/logout"
CARD_RETURN = "/cards/return"
PAYMENT_RETURN = "/payments/return"  # back from the acquirer's page after a payment
DOCUMENT_FILE = "/files/documents/{document_id}"
PHOTO_FILE = "/files/kyc/{photo_id}"
OPERATOR_CLAIM = "/operator/claim"
OPERATOR_LOGOUT = "/operator/logout"
OPERATOR_PHOTO_FILE = "/operator/files/kyc/{photo_id}"
OPERATOR_DOCUMENT_FILE = "/operator/files/documents/{document_id}"
OPERATOR_RESTORATION_FILE = "/operator/files/restoration/{request_id}/{which}"  # passport|selfie
GOSUSLUGI_START = "/gosuslugi/start"
GOSUSLUGI_CALLBACK = "/gosuslugi/callback"

# Pages a borrower may be sent on to after signing in: `next` names one of these or nothing.
AFTER_SIGN_IN = frozenset({CABINET, PROLONG, APPLY, QUESTIONNAIRE, PROFILE, REPAY})
NEXT_MAX = 200


def document_file(document_id: int) -> str:
    return DOCUMENT_FILE.format(document_id=document_id)


def photo_file(photo_id: int) -> str:
    return PHOTO_FILE.format(photo_id=photo_id)


def operator_photo_file(photo_id: int) -> str:
    return OPERATOR_PHOTO_FILE.format(photo_id=photo_id)


def operator_document_file(document_id: int) -> str:
    return OPERATOR_DOCUMENT_FILE.format(document_id=document_id)


def operator_restoration_file(request_id: int, which: str) -> str:
    return OPERATOR_RESTORATION_FILE.format(request_id=request_id, which=which)


def with_query(path: str, **params: object) -> str:
    """`path?a=1&b=2`, leaving out parameters that are None."""
    kept = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


def login_then(path: str) -> str:
    """The sign-in page, coming back to `path` afterwards."""
    return with_query(LOGIN, next=path)


def after_sign_in(path: object, default: str = CABINET) -> str:
    """Where a sign-in may lead: a page of the app for a signed-in borrower, with its query
    (never an HTTP route, another host, or a path a browser could read as one)."""
    if not isinstance(path, str) or len(path) > NEXT_MAX or "\\" in path:
        return default
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or parts.fragment or parts.path not in AFTER_SIGN_IN:
        return default
    return path

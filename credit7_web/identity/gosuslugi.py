"""Sign-up through Gosuslugi: the click, the callback, the questionnaire filled by Gosuslugi, the
phone confirmed by SMS, the account.

Only a confirmed account (`trusted`, with a verified passport) of an adult citizen whose mobile
is not yet registered here may sign up this way; anyone else is told why and offered the
ordinary sign-up. What Gosuslugi gave and our checks accept goes into the profile as it came
and is locked (`Profile.verified_fields`); the person adds the rest — work, family, income,
anything Gosuslugi lacked — and a password, then confirms the phone with an SMS code.

The browser holds a random token in an HttpOnly cookie (`SIGNUP_COOKIE`); the row keeps its
SHA-256, the OAuth state and the PKCE verifier (spent at the callback), and the person's data
only until the account is made: then they are erased. Unfinished rows die after `SIGNUP_TTL`
and are purged when the next sign-up starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.esia import Esia, EsiaError, EsiaFailure, EsiaPerson
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import accounts, hashing, otp, questionnaire
from credit7_web.identity import fields as v
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    GosuslugiSignup,
    LoginThrottle,
    Profile,
)
from credit7_web.messages import texts
from credit7_web.russian import format_phone
from credit7_web.settings import Settings

SIGNUP_COOKIE = "c7_gosuslugi"
MOBILE_PREFIX = "9"  # a Russian mobile is +7 9XX: SMS codes go nowhere else
SIGNUP_TTL = timedelta(minutes=30)

# The questionnaire on one page; whether the addresses match follows from the addresses.
FORM_FIELDS = tuple(f for s in questionnaire.SECTIONS for f in s.fields if f != "res_same_as_reg")
PASSWORD_FIELDS = ("password", "password2")
ANSWER_MAX = questionnaire.DRAFT_VALUE_MAX


class Refused(StrEnum):
    DENIED = "denied"
    STATE = "state"
    CODE = "code"
    UNAVAILABLE = "unavailable"
    EXPIRED = "expired"
    UNCONFIRMED = "unconfirmed"
    NO_PASSPORT = "no_passport"
    PASSPORT_UNVERIFIED = "passport_unverified"
    CITIZENSHIP = "citizenship"
    AGE = "age"
    NO_PHONE = "no_phone"
    REGISTERED = "registered"


MESSAGES = {
    Refused.DENIED: "Вы отменили вход на Госуслугах, поэтому мы не получили ваши данные.",
    Refused.STATE: (
        "Ответ Госуслуг не прошёл проверку безопасности: параметр state не совпал с тем, что "
        "мы отправили. Начните вход через Госуслуги заново."
    ),
    Refused.CODE: (
        "Госуслуги не подтвердили код авторизации: он неверен, устарел или уже использован. "
        "Начните вход через Госуслуги заново."
    ),
    Refused.UNAVAILABLE: "Госуслуги сейчас не отвечают. Попробуйте позже.",
    Refused.EXPIRED: "Время на регистрацию через Госуслуги истекло. Начните заново.",
    Refused.UNCONFIRMED: (
        "Ваша учётная запись на Госуслугах не подтверждена (упрощённая или стандартная). "
        "Подтвердите её в центре обслуживания или онлайн в банке — или зарегистрируйтесь "
        "по номеру телефона."
    ),
    Refused.NO_PASSPORT: "На Госуслугах не указан паспорт гражданина РФ.",
    Refused.PASSPORT_UNVERIFIED: (
        "Паспорт на Госуслугах ещё не проверен МВД. Дождитесь проверки или зарегистрируйтесь "
        "по номеру телефона."
    ),
    Refused.NO_PHONE: (
        "На Госуслугах не указан мобильный телефон России, а он нужен для входа и подписи договора."
    ),
}
NOT_STARTED = "Начните вход через Госуслуги заново."


class Stage(StrEnum):
    REFUSED = "refused"
    FORM = "form"  # the questionnaire prefilled: the rest and a password to fill
    CODE = "code"  # the SMS code to the phone from Gosuslugi


@dataclass(frozen=True)
class Signup:
    """What the sign-up page shows."""

    stage: Stage
    refusal_code: str = ""
    refusal: str = ""
    locked: dict[str, str] = field(default_factory=dict)  # field -> the value as shown
    to_fill: tuple[str, ...] = ()
    phone: str = ""  # 10 digits


class _SignUpRefused(Exception):
    def __init__(self, code: Refused, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES[code]


# ----------------------------------------------------------------------------- the flow


def start(db: Session, clock: Clock, esia: Esia, redirect_uri: str) -> tuple[str, str]:
    """A new sign-up: (the browser's cookie token, the Gosuslugi address to send it to)."""
    now = clock.now()
    db.exec(
        delete(GosuslugiSignup).where(
            col(GosuslugiSignup.expires_at) <= now, col(GosuslugiSignup.finished_at).is_(None)
        )
    )
    authorization = esia.authorization(redirect_uri)
    token = hashing.new_token()
    db.add(
        GosuslugiSignup(
            browser_hash=hashing.token_hash(token),
            oauth_state=authorization.state,
            code_verifier=authorization.code_verifier,
            redirect_uri=redirect_uri,
            created_at=now,
            expires_at=now + SIGNUP_TTL,
        )
    )
    db.commit()
    return token, authorization.url


def _row(db: Session, token: str | None) -> GosuslugiSignup | None:
    if not token:
        return None
    query = select(GosuslugiSignup).where(GosuslugiSignup.browser_hash == hashing.token_hash(token))
    return db.exec(query).first()


def come_back(db: Session, clock: Clock, esia: Esia, token: str | None, callback_url: str) -> bool:
    """The browser is back from Gosuslugi: read and judge the person, once.

    Returns False when this browser started no sign-up (or a finished one): nothing to judge.
    A second callback for the same sign-up changes nothing.
    """
    row = _row(db, token)
    if row is None or row.finished_at is not None:
        return False
    now = clock.now()
    verifier = row.code_verifier
    # The verifier is spent here, once: of two callbacks racing, one claims the sign-up.
    claimed = db.exec(
        update(GosuslugiSignup)
        .where(col(GosuslugiSignup.id) == row.id, col(GosuslugiSignup.returned_at).is_(None))
        .values(returned_at=now, code_verifier=None)
    )
    db.commit()
    if claimed.rowcount != 1 or verifier is None:
        return True
    db.refresh(row)
    try:
        if now >= row.expires_at:
            raise _SignUpRefused(Refused.EXPIRED)
        person = _read(esia, row, callback_url, verifier)
        locked, phone = judge(db, clock.today(), person)
    except _SignUpRefused as refusal:
        row.refusal_code, row.refusal = refusal.code, refusal.message
    else:
        row.person = json.dumps(locked, ensure_ascii=False)
        row.phone = phone
    db.add(row)
    db.commit()
    return True


_FAILURES = {
    EsiaFailure.STATE: Refused.STATE,
    EsiaFailure.DENIED: Refused.DENIED,
    EsiaFailure.GRANT: Refused.CODE,
    EsiaFailure.UNAVAILABLE: Refused.UNAVAILABLE,
}


def _read(esia: Esia, row: GosuslugiSignup, callback_url: str, verifier: str) -> EsiaPerson:
    try:
        return esia.person(callback_url, row.redirect_uri, row.oauth_state, verifier)
    except EsiaError as error:
        raise _SignUpRefused(_FAILURES[error.failure]) from None


def judge(db: Session, today: date, person: EsiaPerson) -> tuple[dict[str, str], str]:
    """(the fields Gosuslugi fills, as shown; the 10-digit phone), or _SignUpRefused: why not."""
    if not person.trusted:
        raise _SignUpRefused(Refused.UNCONFIRMED)
    if person.passport is None:
        raise _SignUpRefused(Refused.NO_PASSPORT)
    if not person.passport.verified:
        raise _SignUpRefused(Refused.PASSPORT_UNVERIFIED)
    try:
        v.clean_citizenship(person.citizenship or "")
        v.clean_birth_date(person.birth_date, today)
    except Refusal as error:
        code = Refused.CITIZENSHIP if "citizenship" in error.errors else Refused.AGE
        raise _SignUpRefused(code, next(iter(error.errors.values())) + ".") from None
    try:
        phone = v.clean_phone(person.mobile or "")
    except Refusal:
        raise _SignUpRefused(Refused.NO_PHONE) from None
    if not phone.startswith(MOBILE_PREFIX):
        raise _SignUpRefused(Refused.NO_PHONE)
    if accounts.find_borrower(db, phone) is not None:
        raise _SignUpRefused(
            Refused.REGISTERED,
            f"Номер {format_phone(phone)} с Госуслуг уже зарегистрирован у нас. Войдите по "
            "номеру и паролю или восстановите пароль.",
        )
    return _acceptable(_offered(person), today), phone


def _offered(person: EsiaPerson) -> dict[str, str]:
    """Gosuslugi's answer as the questionnaire would be typed."""
    passport = person.passport
    assert passport is not None  # noqa: S101  (judged above)
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name or "",
        "birth_date": person.birth_date,
        "citizenship": person.citizenship or "",
        "passport_series": passport.series,
        "passport_number": passport.number,
        "passport_issue_date": passport.issue_date,
        "passport_issuer": passport.issued_by,
        "passport_division_code": passport.issue_id,
        "reg_address": person.reg_address or "",
        "res_address": person.res_address or person.reg_address or "",
        "snils": person.snils or "",
        "email": person.email or "",
    }


def _acceptable(offered: dict[str, str], today: date) -> dict[str, str]:
    """What passes our checks, shown as the questionnaire shows it; the rest is for the person.

    A value we would refuse (or that is missing) is not locked: the person types it."""
    kept: dict[str, str] = {}
    for name, text in offered.items():
        if not text and name != "middle_name":  # no middle name is an answer too
            continue
        try:
            clean = questionnaire.check_fields({name: text} | _context(name, offered), None, today)
        except Refusal:
            continue
        probe = Profile(borrower_id=0)
        questionnaire.store(probe, clean)
        kept[name] = questionnaire.shown_values(probe).get(name, "")
    return kept


def _context(name: str, offered: dict[str, str]) -> dict[str, str]:
    """The other fields a field is judged with (the issue date with the birth date)."""
    return {"birth_date": offered["birth_date"]} if name == "passport_issue_date" else {}


def signup_of(db: Session, clock: Clock, token: str | None) -> Signup | None:
    """Where this browser's sign-up stands; None when it has none going."""
    return _view(_row(db, token), clock.now())


def _view(row: GosuslugiSignup | None, now: datetime) -> Signup | None:
    if row is None or row.finished_at is not None or row.returned_at is None:
        return None
    if row.refusal_code:
        return Signup(Stage.REFUSED, row.refusal_code, row.refusal or "")
    if now >= row.expires_at or row.person is None or row.phone is None:
        return Signup(Stage.REFUSED, Refused.EXPIRED, MESSAGES[Refused.EXPIRED])
    locked = _locked(row)
    to_fill = tuple(f for f in FORM_FIELDS if f not in locked)
    stage = Stage.CODE if row.answers is not None else Stage.FORM
    return Signup(stage, locked=locked, to_fill=to_fill, phone=row.phone)


def _locked(row: GosuslugiSignup) -> dict[str, str]:
    data = json.loads(row.person or "{}")
    return {k: str(val) for k, val in data.items() if k in FORM_FIELDS}


def _live(
    db: Session, clock: Clock, token: str | None, stage: Stage
) -> tuple[GosuslugiSignup, str]:
    """The sign-up at `stage` and its phone, or Refusal saying what became of it."""
    row = _row(db, token)
    view = _view(row, clock.now())
    if row is None or view is None or view.stage == Stage.REFUSED:
        raise Refusal.one("", NOT_STARTED if view is None else view.refusal)
    if view.stage != stage:
        raise Refusal.one("", "Эта форма уже отправлена: обновите страницу.")
    return row, view.phone


def _send_code(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, phone: str, field: str
) -> None:
    code = otp.issue_code(db, clock, settings, phone, otp.GOSUSLUGI, field)
    sms.send(phone, texts.gosuslugi_code(code))


def _check(locked: dict[str, str], typed: dict[str, str], today: date) -> dict[str, object]:
    """Every field checked: the locked ones as Gosuslugi gave them, the others as typed."""
    answers = {n: (typed.get(n) or "").strip()[:ANSWER_MAX] for n in FORM_FIELDS}
    errors = questionnaire.locked_changes(locked, {n: typed[n] for n in typed if n in locked})
    clean: dict[str, object] = {}
    try:
        clean = questionnaire.check_fields(answers | locked, None, today)
    except Refusal as error:
        errors = error.errors | errors
    if errors:
        raise Refusal(errors)
    clean["res_same_as_reg"] = clean["res_address"] == clean["reg_address"]
    return clean


def submit_form(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    token: str | None,
    typed: dict[str, str],
    consent: bool,
) -> None:
    """Check the questionnaire (locked fields may not change) and the password, keep them and
    send the code to the phone from Gosuslugi."""
    row, phone = _live(db, clock, token, Stage.FORM)
    locked = _locked(row)
    errors: dict[str, str] = {}
    try:
        _check(locked, typed, clock.today())
    except Refusal as error:
        errors |= error.errors
    password_hash = ""
    try:
        password_hash = accounts.new_password_hash(
            settings, typed.get("password", ""), typed.get("password2", "")
        )
    except Refusal as error:
        errors |= error.errors
    if not consent:
        errors["consent"] = accounts.NEED_CONSENT
    if errors:
        raise Refusal(errors)
    _send_code(db, clock, settings, sms, phone, "")
    answers = {n: typed.get(n, "").strip()[:ANSWER_MAX] for n in FORM_FIELDS if n not in locked}
    row.answers = json.dumps(answers, ensure_ascii=False)
    row.password_hash = password_hash
    row.code_sent_at = clock.now()  # the moment of consent: the form carried it
    db.add(row)
    db.commit()


def resend_code(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, token: str | None
) -> None:
    _, phone = _live(db, clock, token, Stage.CODE)
    _send_code(db, clock, settings, sms, phone, "code")
    db.commit()


def back_to_form(db: Session, clock: Clock, token: str | None) -> None:
    """From the code step back to the questionnaire (to change an answer)."""
    row, _ = _live(db, clock, token, Stage.CODE)
    row.answers = None
    row.password_hash = None
    db.add(row)
    db.commit()


def confirm(
    db: Session, clock: Clock, settings: Settings, token: str | None, code: str
) -> Borrower:
    """The phone's code is right: the account, with the questionnaire complete and the fields
    from Gosuslugi locked; the person's data leave the sign-up row."""
    row, phone = _live(db, clock, token, Stage.CODE)
    otp.verify_code(db, clock, settings, phone, otp.GOSUSLUGI, v.clean_sms_code(code))
    locked = _locked(row)
    clean = _check(locked, json.loads(row.answers or "{}"), clock.today())
    if accounts.find_borrower(db, phone) is not None:
        raise Refusal.one("", accounts.ALREADY_REGISTERED)
    now = clock.now()
    borrower = Borrower(
        phone=phone,
        password_hash=row.password_hash or "",
        status=BorrowerStatus.ACTIVE,
        pd_consent_at=row.code_sent_at or now,
        created_at=now,
        password_changed_at=now,
    )
    try:
        db.add(borrower)
        db.flush()
        assert borrower.id is not None  # noqa: S101  (flushed)
        profile = Profile(borrower_id=borrower.id)
        questionnaire.store(profile, clean)
        profile.step = len(questionnaire.SECTIONS)
        profile.completed_at = now
        profile.verified_fields = json.dumps(sorted(locked))
        db.add(profile)
        db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == phone))
        row.person = row.answers = row.password_hash = None
        row.finished_at, row.borrower_id = now, borrower.id
        db.add(row)
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refusal.one("", accounts.ALREADY_REGISTERED) from None
    db.refresh(borrower)
    return borrower

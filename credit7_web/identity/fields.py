"""Questionnaire and sign-in field checks: each returns the stored form or raises Refusal.

Input is forgiving about layout (spaces, hyphens, brackets, "+7" or "8"), strict about content;
the value returned is what the database keeps (phone: 10 digits, СНИЛС: 11 digits).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneNumberType

from credit7_web import tariff
from credit7_web.errors import Refusal
from credit7_web.money import rub, rub_to_kop

_LAYOUT = re.compile(r"[\s\u00a0()\-]+")
_WS = re.compile(r"\s+")

# ----------------------------------------------------------------------------- phone

PHONE_MESSAGE = "Введите номер телефона: +7 и 10 цифр"
MOBILE_MESSAGE = "Нужен номер российского мобильного: +7 9XX XXX-XX-XX — на него придёт SMS"
# What a person may type around the digits; anything else (letters, an extension, digits of
# other scripts, which the phone library would read as digits) is refused before parsing.
_PHONE_TEXT = re.compile(r"[0-9+()\-\s\u00a0.]{1,30}")


def clean_phone(text: str, field: str = "phone") -> str:
    """'+7 (900) 123-45-67', '89001234567', '9001234567' -> '9001234567'.

    PRODUCT.md: only a Russian mobile (+7 9XX) signs in, because SMS codes need one. The phone
    library knows the numbering plan: landlines, 8-800 and Kazakhstan's +7 6xx/7xx are refused.
    """
    value = (text or "").strip()
    if not _PHONE_TEXT.fullmatch(value):
        raise Refusal.one(field, PHONE_MESSAGE)
    try:
        number = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException:
        raise Refusal.one(field, PHONE_MESSAGE) from None
    national = str(number.national_number)
    if number.country_code != 7 or len(national) != 10 or not phonenumbers.is_valid_number(number):
        raise Refusal.one(field, PHONE_MESSAGE)
    if (
        phonenumbers.region_code_for_number(number) != "RU"
        or phonenumbers.number_type(number) != PhoneNumberType.MOBILE
        or not national.startswith("9")
    ):
        raise Refusal.one(field, MOBILE_MESSAGE)
    return national


# ----------------------------------------------------------------------------- password

PASSWORD_MIN = 8
PASSWORD_MAX = 64


def clean_password(text: str, field: str = "password") -> str:
    """Returned unchanged: a password is never trimmed, so ends with a space are refused."""
    if not PASSWORD_MIN <= len(text) <= PASSWORD_MAX:
        raise Refusal.one(field, f"Пароль — от {PASSWORD_MIN} до {PASSWORD_MAX} символов")
    if text != text.strip():
        raise Refusal.one(field, "Пароль не может начинаться или заканчиваться пробелом")
    if not any(c.isalpha() for c in text) or not any(c in "0123456789" for c in text):
        raise Refusal.one(field, "Пароль должен содержать хотя бы одну букву и одну цифру")
    if not text.isprintable():
        raise Refusal.one(field, "Пароль содержит недопустимые символы")
    return text


# ----------------------------------------------------------------------------- names

NAME_MAX = 60
_NAME = re.compile(r"[А-ЯЁа-яё]+(?:[-' ][А-ЯЁа-яё]+)*")
REQUIRED_MESSAGE = "Заполните поле"


def clean_name(text: str, field: str = "last_name") -> str:
    """A part of ФИО in Cyrillic: 'Салтыков-Щедрин', 'Д'Арк'; spaces collapsed, case kept."""
    value = _WS.sub(" ", (text or "").replace("’", "'")).strip()
    if not value:
        raise Refusal.one(field, REQUIRED_MESSAGE)
    if len(value) > NAME_MAX or not _NAME.fullmatch(value):
        raise Refusal.one(
            field, f"Русские буквы, дефис, пробел или апостроф, не больше {NAME_MAX} символов"
        )
    return value


def clean_middle_name(text: str | None, field: str = "middle_name") -> str | None:
    """Optional: an empty field means the borrower has no middle name."""
    if not (text or "").strip():
        return None
    return clean_name(text or "", field)


# ----------------------------------------------------------------------------- dates

DATE_MESSAGE = "Введите дату в формате дд.мм.гггг"


def parse_date(text: str, field: str = "date") -> date:
    """'31.12.1990' or its digits alone, '31121990' (a phone's numeric keypad has no dot)."""
    value = (text or "").strip()
    digits = re.fullmatch(r"([0-9]{2})\.?([0-9]{2})\.?([0-9]{4})", value)
    if digits is None or (value.count(".") not in (0, 2)):
        raise Refusal.one(field, DATE_MESSAGE)
    try:
        return datetime.strptime(".".join(digits.groups()), "%d.%m.%Y").date()
    except ValueError:
        raise Refusal.one(field, DATE_MESSAGE) from None


def anniversary(birth: date, years: int) -> date:
    """The day one turns `years`; 29 February falls on 28 February (Civil Code art. 192 p. 3)."""
    year = birth.year + years
    last = calendar.monthrange(year, birth.month)[1]
    return date(year, birth.month, min(birth.day, last))


def age_on(birth: date, today: date) -> int:
    """Full years on `today`."""
    years = today.year - birth.year
    return years if anniversary(birth, years) <= today else years - 1


def _as_date(value: str | date, field: str) -> date:
    return value if isinstance(value, date) else parse_date(value, field)


def clean_birth_date(value: str | date, today: date, field: str = "birth_date") -> date:
    """18 to 75 full years on `today`: one is 75 until the day before the 76th birthday."""
    birth = _as_date(value, field)
    if birth > today:
        raise Refusal.one(field, "Дата рождения не может быть в будущем")
    age = age_on(birth, today)
    if age < tariff.AGE_MIN:
        raise Refusal.one(field, f"Займы выдаются только с {tariff.AGE_MIN} лет")
    if age > tariff.AGE_MAX:
        raise Refusal.one(
            field, f"Займы выдаются в возрасте от {tariff.AGE_MIN} до {tariff.AGE_MAX} лет"
        )
    return birth


# ----------------------------------------------------------------------------- passport


def _digits(text: str, count: int, field: str, message: str) -> str:
    value = _WS.sub("", text or "")
    if not re.fullmatch(rf"[0-9]{{{count}}}", value):
        raise Refusal.one(field, message)
    return value


def clean_passport_series(text: str, field: str = "passport_series") -> str:
    """'45 10' -> '4510'."""
    return _digits(text, 4, field, "Серия паспорта — 4 цифры")


def clean_passport_number(text: str, field: str = "passport_number") -> str:
    """'123 456' -> '123456'."""
    return _digits(text, 6, field, "Номер паспорта — 6 цифр")


def clean_passport_issue_date(
    value: str | date, birth: date, today: date, field: str = "passport_issue_date"
) -> date:
    """After the 14th birthday (PRODUCT.md: strictly after) and not in the future."""
    issued = _as_date(value, field)
    if issued > today:
        raise Refusal.one(field, "Дата выдачи не может быть в будущем")
    if issued <= anniversary(birth, tariff.PASSPORT_MIN_AGE):
        raise Refusal.one(field, "Паспорт выдается после 14-летия: проверьте дату выдачи")
    return issued


def clean_division_code(text: str, field: str = "passport_division_code") -> str:
    """'123456' or '123-456' -> '123-456'."""
    value = _WS.sub("", text or "")
    match = re.fullmatch(r"([0-9]{3})-?([0-9]{3})", value)
    if match is None:
        raise Refusal.one(field, "Код подразделения — 6 цифр: 123-456")
    return f"{match[1]}-{match[2]}"


def _text(text: str, field: str, low: int, high: int, message: str) -> str:
    value = _WS.sub(" ", text or "").strip()
    if not low <= len(value) <= high or not value.isprintable():
        raise Refusal.one(field, message)
    return value


def clean_issuer(text: str, field: str = "passport_issuer") -> str:
    return _text(text, field, 3, 200, "Кем выдан — от 3 до 200 символов")


def clean_birth_place(text: str, field: str = "birth_place") -> str:
    return _text(text, field, 2, 200, "Место рождения — от 2 до 200 символов")


# ----------------------------------------------------------------------------- СНИЛС

SNILS_MESSAGE = "Проверьте СНИЛС: 11 цифр, контрольное число не сходится"
# Numbers up to this one were issued before the control number existed and are not checked.
_SNILS_UNCHECKED_MAX = 1_001_998


def snils_control(first_nine: str) -> int:
    """The control number: weights 9..1; under 100 as is, 100/101 -> 0, else mod 101 (100 -> 0)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    return total % 101 % 100


def clean_snils(text: str, field: str = "snils") -> str:
    """'112-233-445 95' -> '11223344595'."""
    value = _LAYOUT.sub("", text or "")
    if not re.fullmatch(r"[0-9]{11}", value) or int(value[:9]) == 0:
        raise Refusal.one(field, SNILS_MESSAGE)
    if int(value[:9]) > _SNILS_UNCHECKED_MAX and snils_control(value[:9]) != int(value[9:]):
        raise Refusal.one(field, SNILS_MESSAGE)
    return value


# ----------------------------------------------------------------------------- contacts

EMAIL_MAX = 120
EMAIL_MESSAGE = "Введите адрес электронной почты, например name@mail.ru"


def clean_email(text: str, field: str = "email") -> str:
    """A deliverable-looking address, checked by email-validator (no DNS in a request).

    Cyrillic and punycode domains are one domain ('почта.рф'), stored in Unicode and lower case;
    the part before @ is ASCII (most mail relays take nothing else) and keeps its case.
    """
    value = (text or "").strip()
    if len(value) > EMAIL_MAX:
        raise Refusal.one(field, EMAIL_MESSAGE)
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise Refusal.one(field, EMAIL_MESSAGE) from None
    if len(checked.domain.rsplit(".", 1)[-1]) < 2:  # no top-level domain is one letter long
        raise Refusal.one(field, EMAIL_MESSAGE)
    return f"{checked.local_part}@{checked.domain.lower()}"


def clean_address(text: str, field: str = "reg_address") -> str:
    return _text(text, field, 10, 300, "Адрес — от 10 до 300 символов")


def clean_citizenship(text: str, field: str = "citizenship") -> str:
    value = (text or "").strip().upper()
    if not value:
        raise Refusal.one(field, "Выберите гражданство")
    if value != tariff.CITIZENSHIP:
        raise Refusal.one(field, "Займы выдаются только гражданам Российской Федерации")
    return value


# ----------------------------------------------------------------------------- work and family


def clean_employer(text: str, field: str = "employer") -> str:
    return _text(text, field, 2, 200, "Место работы — от 2 до 200 символов")


POSITION_MAX = 120  # models.Profile.position is 120 characters


def clean_position(text: str, field: str = "position") -> str:
    return _text(text, field, 2, POSITION_MAX, f"Должность — от 2 до {POSITION_MAX} символов")


FAMILY_STATUSES: dict[str, str] = {
    "single": "Холост / не замужем",
    "married": "Женат / замужем",
    "civil": "Гражданский брак",
    "divorced": "Разведен / разведена",
    "widowed": "Вдовец / вдова",
}


def clean_family_status(value: str, field: str = "family_status") -> str:
    if value not in FAMILY_STATUSES:
        raise Refusal.one(field, "Выберите семейное положение")
    return value


DEPENDANTS_MAX = 10


def clean_dependants(value: str | int, field: str = "dependants") -> int:
    message = f"Число иждивенцев — от 0 до {DEPENDANTS_MAX}"
    if isinstance(value, bool):
        raise Refusal.one(field, message)
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"[0-9]{1,2}", value):
            raise Refusal.one(field, message)
        value = int(value)
    if not 0 <= value <= DEPENDANTS_MAX:
        raise Refusal.one(field, message)
    return value


INCOME_MIN = 1_000 * tariff.KOPECKS_PER_RUBLE
INCOME_MAX = 10_000_000 * tariff.KOPECKS_PER_RUBLE


def clean_income(text: str, field: str = "monthly_income") -> int:
    """Monthly income typed in rubles -> kopecks."""
    message = f"Ежемесячный доход — от {rub(INCOME_MIN)} до {rub(INCOME_MAX)}"
    try:
        value = rub_to_kop(text or "")
    except ValueError:
        raise Refusal.one(field, message) from None
    if not INCOME_MIN <= value <= INCOME_MAX:
        raise Refusal.one(field, message)
    return value


# ----------------------------------------------------------------------------- SMS code

SMS_CODE_LENGTH = 6


def clean_sms_code(text: str, field: str = "code") -> str:
    """'123 456' -> '123456'."""
    return _digits(text, SMS_CODE_LENGTH, field, f"Введите {SMS_CODE_LENGTH} цифр из SMS")

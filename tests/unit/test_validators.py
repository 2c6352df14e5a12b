from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from credit7_web import russian
from credit7_web.errors import Refusal
from credit7_web.identity import fields as v

NB = "\u00a0"
TODAY = date(2026, 11, 16)


def error_of(call: Callable[[], object]) -> dict[str, str]:
    with pytest.raises(Refusal) as caught:
        call()
    return caught.value.errors


# ----------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    "text",
    ["+7 (900) 123-45-67", "89001234567", "79001234567", "9001234567", "+79001234567",
     "8 900 123 45 67", " +7 900 123-45-67 ", "8(900)1234567"],
)  # fmt: skip
def test_phone_normalised(text: str) -> None:
    assert v.clean_phone(text) == "9001234567"


@pytest.mark.parametrize(
    "text",
    ["+7 (495) 123-45-67", "83512345678", "8-800-555-35-35", "+7 (800) 100-00-00",
     "+7 701 123 45 67", "+7 777 123 45 67", "87011234567"],
)  # fmt: skip
def test_phone_landline_free_and_kazakh_numbers_refused(text: str) -> None:
    """PRODUCT.md: SMS codes need a Russian mobile; +7 7xx numbers are Kazakhstan's."""
    assert error_of(lambda: v.clean_phone(text)) == {"phone": v.MOBILE_MESSAGE}


@pytest.mark.parametrize("prefix", range(900, 1000))
def test_every_russian_mobile_prefix_accepted(prefix: int) -> None:
    assert v.clean_phone(f"+7 ({prefix}) 765-43-21") == f"{prefix}7654321"


@pytest.mark.parametrize(
    "text",
    ["", "900123456", "900123456789", "+8 900 123 45 67", "+7 (200) 123-45-67",
     "1001234567", "+38 050 123 45 67", "900-123-45-6a", "+7 ٩٠٠ 123 45 67", "69001234567",
     "+7 (600) 123-45-67", "+7 900 123-45-67 доб. 12", "9001234567;ext=1", "007 900 123 45 67"],
)  # fmt: skip
def test_phone_rejected(text: str) -> None:
    assert error_of(lambda: v.clean_phone(text)) == {
        "phone": "Введите номер телефона: +7 и 10 цифр"
    }


def test_phone_field_name_is_a_parameter() -> None:
    assert list(error_of(lambda: v.clean_phone("1", field="new_phone"))) == ["new_phone"]


def test_format_phone() -> None:
    assert russian.format_phone("9001234567") == "+7 (900) 123-45-67"
    assert v.clean_phone(russian.format_phone("9161234567")) == "9161234567"


# ----------------------------------------------------------------------------- password


@pytest.mark.parametrize("text", ["abcdefg1", "пароль12", "a1" * 32, "with space 1", "Aa1!@#$%"])
def test_password_accepted(text: str) -> None:
    assert v.clean_password(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abcde12", "Пароль — от 8 до 64 символов"),
        ("a1" * 32 + "b", "Пароль — от 8 до 64 символов"),
        ("abcdefgh", "Пароль должен содержать хотя бы одну букву и одну цифру"),
        ("12345678", "Пароль должен содержать хотя бы одну букву и одну цифру"),
        ("abcdefg²", "Пароль должен содержать хотя бы одну букву и одну цифру"),
        (" abcdefg1", "Пароль не может начинаться или заканчиваться пробелом"),
        ("abcdefg1 ", "Пароль не может начинаться или заканчиваться пробелом"),
        ("abc\tdefg1", "Пароль содержит недопустимые символы"),
    ],
)
def test_password_rejected(text: str, message: str) -> None:
    assert error_of(lambda: v.clean_password(text)) == {"password": message}


# ----------------------------------------------------------------------------- names

NAME_MESSAGE = "Русские буквы, дефис, пробел или апостроф, не больше 60 символов"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Иванов", "Иванов"),
        ("  Салтыков-Щедрин ", "Салтыков-Щедрин"),
        ("Д'Арк", "Д'Арк"),
        ("Д’Арк", "Д'Арк"),
        ("Ибрагим  оглы", "Ибрагим оглы"),
        ("Ёлкина", "Ёлкина"),
        ("Я", "Я"),
        ("Я" * 60, "Я" * 60),
    ],
)
def test_name_accepted(text: str, expected: str) -> None:
    assert v.clean_name(text) == expected


@pytest.mark.parametrize(
    "text", ["Ivanov", "Иванов1", "-Иванов", "Иванов-", "Ива--нов", "Иван_ов", "Я" * 61]
)
def test_name_rejected(text: str) -> None:
    assert error_of(lambda: v.clean_name(text, "first_name")) == {"first_name": NAME_MESSAGE}


def test_name_required() -> None:
    assert error_of(lambda: v.clean_name("  ")) == {"last_name": "Заполните поле"}


def test_middle_name_optional() -> None:
    assert v.clean_middle_name("") is None
    assert v.clean_middle_name("   ") is None
    assert v.clean_middle_name(None) is None
    assert v.clean_middle_name("Петрович") == "Петрович"
    assert error_of(lambda: v.clean_middle_name("Petrovich")) == {"middle_name": NAME_MESSAGE}


# ----------------------------------------------------------------------------- dates

DATE_MESSAGE = "Введите дату в формате дд.мм.гггг"


def test_parse_and_format_date() -> None:
    assert v.parse_date("31.12.1990") == date(1990, 12, 31)
    assert v.parse_date(" 29.02.2024 ") == date(2024, 2, 29)
    assert v.parse_date("15051990") == date(1990, 5, 15)  # typed on a keypad without a dot
    assert russian.format_date(date(2026, 1, 5)) == "05.01.2026"


@pytest.mark.parametrize(
    "text",
    ["", "1.1.1990", "1990-12-31", "31.12.90", "32.01.1990", "29.02.2023", "31/12/1990",
     "3112199", "311219901", "31.121990", "32011990", "29022023"],
)  # fmt: skip
def test_parse_date_rejected(text: str) -> None:
    assert error_of(lambda: v.parse_date(text, "issue")) == {"issue": DATE_MESSAGE}


UNDER_18 = "Займы выдаются только с 18 лет"
OVER_75 = "Займы выдаются в возрасте от 18 до 75 лет"


def test_age_on() -> None:
    assert v.age_on(date(2008, 11, 16), TODAY) == 18
    assert v.age_on(date(2008, 11, 17), TODAY) == 17
    assert v.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 18  # Civil Code art. 192 p. 3
    assert v.age_on(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert v.age_on(date(2008, 2, 29), date(2028, 2, 28)) == 19


def test_birth_date_boundaries() -> None:
    assert v.clean_birth_date("16.11.2008", TODAY) == date(2008, 11, 16)  # 18 today
    assert error_of(lambda: v.clean_birth_date("17.11.2008", TODAY)) == {"birth_date": UNDER_18}
    assert v.clean_birth_date(date(1950, 11, 17), TODAY) == date(1950, 11, 17)  # 75, a day to 76
    assert error_of(lambda: v.clean_birth_date("16.11.1950", TODAY)) == {"birth_date": OVER_75}
    leap = date(2026, 2, 28)
    assert v.clean_birth_date("29.02.2008", leap) == date(2008, 2, 29)
    assert error_of(lambda: v.clean_birth_date("29.02.2008", date(2026, 2, 27))) == {
        "birth_date": UNDER_18
    }


def test_birth_date_other_errors() -> None:
    assert error_of(lambda: v.clean_birth_date("17.11.2026", TODAY)) == {
        "birth_date": "Дата рождения не может быть в будущем"
    }
    assert error_of(lambda: v.clean_birth_date("1990-01-01", TODAY)) == {"birth_date": DATE_MESSAGE}


# ----------------------------------------------------------------------------- passport


def test_passport_series_and_number() -> None:
    assert v.clean_passport_series("45 10") == "4510"
    assert v.clean_passport_number(" 123 456 ") == "123456"
    for bad in ["451", "45100", "45a0", ""]:
        assert error_of(lambda bad=bad: v.clean_passport_series(bad)) == {
            "passport_series": "Серия паспорта — 4 цифры"
        }
    for bad in ["12345", "1234567", "12-3456"]:
        assert error_of(lambda bad=bad: v.clean_passport_number(bad)) == {
            "passport_number": "Номер паспорта — 6 цифр"
        }


BIRTH = date(2000, 5, 10)  # 14 on 10.05.2014
ISSUE_EARLY = "Паспорт выдается после 14-летия: проверьте дату выдачи"


def test_passport_issue_date() -> None:
    assert v.clean_passport_issue_date("11.05.2014", BIRTH, TODAY) == date(2014, 5, 11)
    assert v.clean_passport_issue_date(TODAY, BIRTH, TODAY) == TODAY
    for early in ["10.05.2014", "09.05.2014", "01.01.2010"]:
        assert error_of(lambda early=early: v.clean_passport_issue_date(early, BIRTH, TODAY)) == {
            "passport_issue_date": ISSUE_EARLY
        }
    assert error_of(lambda: v.clean_passport_issue_date("17.11.2026", BIRTH, TODAY)) == {
        "passport_issue_date": "Дата выдачи не может быть в будущем"
    }


def test_division_code() -> None:
    assert v.clean_division_code("123456") == "123-456"
    assert v.clean_division_code(" 123-456 ") == "123-456"
    for bad in ["12-3456", "12345", "123--456", "abc-def", "1234567"]:
        assert error_of(lambda bad=bad: v.clean_division_code(bad)) == {
            "passport_division_code": "Код подразделения — 6 цифр: 123-456"
        }


def test_issuer() -> None:
    assert v.clean_issuer("  ГУ МВД  России\nпо г. Москве ") == "ГУ МВД России по г. Москве"
    assert v.clean_issuer("ОВД") == "ОВД"
    for bad in ["ОВ", "  ", "О" * 201]:
        assert error_of(lambda bad=bad: v.clean_issuer(bad)) == {
            "passport_issuer": "Кем выдан — от 3 до 200 символов"
        }


# ----------------------------------------------------------------------------- СНИЛС

SNILS_MESSAGE = "Проверьте СНИЛС: 11 цифр, контрольное число не сходится"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("112-233-445 95", "11223344595"),  # sum 95
        ("11223344595", "11223344595"),
        ("987-654-321 83", "98765432183"),  # sum 285, 285 mod 101 = 83
        ("920-000-100 00", "92000010000"),  # sum 100
        ("920-001-000 00", "92000100000"),  # sum 101
        ("996-100-000 00", "99610000000"),  # sum 201, mod 101 = 100 -> 00
        ("001-001-998 77", "00100199877"),  # not above 001-001-998: issued before the check
    ],
)
def test_snils_accepted(text: str, stored: str) -> None:
    assert v.clean_snils(text) == stored


@pytest.mark.parametrize(
    "text",
    ["112-233-445 96", "112-233-445 59", "987-654-321 82", "920-000-100 01", "996-100-000 01",
     "001-001-999 00", "000-000-000 00", "112-233-445 9", "112-233-445 955", "", "abc"],
)  # fmt: skip
def test_snils_rejected(text: str) -> None:
    assert error_of(lambda: v.clean_snils(text)) == {"snils": SNILS_MESSAGE}


def test_snils_control_and_format() -> None:
    assert v.snils_control("112233445") == 95
    assert v.snils_control("001001999") == 65
    assert russian.format_snils("11223344595") == "112-233-445 95"


# ----------------------------------------------------------------------------- contacts


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("ivan@mail.ru", "ivan@mail.ru"),
        (" Ivan.Petrov+loan@Yandex.RU ", "Ivan.Petrov+loan@yandex.ru"),
        ("a_b-c@sub.domain-x.com", "a_b-c@sub.domain-x.com"),
        ("ivan@почта.рф", "ivan@почта.рф"),
        ("Ivan@ПОЧТА.РФ", "Ivan@почта.рф"),
        ("ivan@xn--80a1acny.xn--p1ai", "ivan@почта.рф"),  # the same domain in punycode
        ("ivan@сайт.москва", "ivan@сайт.москва"),
    ],
)
def test_email_accepted(text: str, stored: str) -> None:
    assert v.clean_email(text) == stored


@pytest.mark.parametrize(
    "text",
    ["", "ivan", "ivan@", "@mail.ru", "ivan@mail", "iv an@mail.ru", "ivan..p@mail.ru",
     ".ivan@mail.ru", "ivan@-mail.ru", "ivan@mail.r", "a@b.ru" + "u" * 115, "maria.example.ru",
     "мария@почта.рф", '"ivan petrov"@mail.ru', "ivan@[127.0.0.1]", "ivan@mail.ru."],
)  # fmt: skip
def test_email_rejected(text: str) -> None:
    assert error_of(lambda: v.clean_email(text)) == {
        "email": "Введите адрес электронной почты, например name@mail.ru"
    }


def test_email_length_limit() -> None:
    address = "a" * 111 + "@mail.ru"  # 119 characters
    assert v.clean_email(address + "") == address
    assert v.clean_email("a" + address) == "a" + address  # 120
    assert error_of(lambda: v.clean_email("aa" + address)) == {
        "email": "Введите адрес электронной почты, например name@mail.ru"
    }


def test_address() -> None:
    assert v.clean_address(" г. Москва,  ул. Ленина, д. 1 ") == "г. Москва, ул. Ленина, д. 1"
    assert v.clean_address("1234567890") == "1234567890"
    for bad in ["123456789", "а" * 301]:
        assert error_of(lambda bad=bad: v.clean_address(bad, "res_address")) == {
            "res_address": "Адрес — от 10 до 300 символов"
        }


def test_citizenship() -> None:
    assert v.clean_citizenship("RUS") == "RUS"
    assert v.clean_citizenship(" rus ") == "RUS"
    for bad in ["UKR", "RU"]:
        assert error_of(lambda bad=bad: v.clean_citizenship(bad)) == {
            "citizenship": "Займы выдаются только гражданам Российской Федерации"
        }
    for empty in ["", "  "]:  # nothing chosen yet: asked to choose, not refused as a foreigner
        assert error_of(lambda empty=empty: v.clean_citizenship(empty)) == {
            "citizenship": "Выберите гражданство"
        }


# ----------------------------------------------------------------------------- work and family


def test_employer_and_position() -> None:
    assert v.clean_employer(' ООО  "Ромашка" ') == 'ООО "Ромашка"'
    assert v.clean_position("ИП") == "ИП"
    assert error_of(lambda: v.clean_employer("О")) == {
        "employer": "Место работы — от 2 до 200 символов"
    }
    assert v.clean_employer("О" * 200) == "О" * 200
    assert error_of(lambda: v.clean_employer("О" * 201))
    assert v.clean_position("Д" * 120) == "Д" * 120
    assert error_of(lambda: v.clean_position("Д" * 121)) == {
        "position": "Должность — от 2 до 120 символов"
    }


def test_family_status() -> None:
    assert set(v.FAMILY_STATUSES) == {"single", "married", "civil", "divorced", "widowed"}
    assert v.FAMILY_STATUSES["married"] == "Женат / замужем"
    assert v.clean_family_status("widowed") == "widowed"
    assert error_of(lambda: v.clean_family_status("Женат / замужем")) == {
        "family_status": "Выберите семейное положение"
    }


def test_dependants() -> None:
    assert v.clean_dependants("0") == 0
    assert v.clean_dependants(" 10 ") == 10
    assert v.clean_dependants(3) == 3
    for bad in ["11", "-1", "", "два", "1.5", -1, 11, True]:
        assert error_of(lambda bad=bad: v.clean_dependants(bad)) == {
            "dependants": "Число иждивенцев — от 0 до 10"
        }


INCOME_MESSAGE = f"Ежемесячный доход — от 1{NB}000{NB}₽ до 10{NB}000{NB}000{NB}₽"


def test_income() -> None:
    assert v.clean_income("1 000") == 100_000
    assert v.clean_income("45 000,50") == 4_500_050
    assert v.clean_income("10000000") == 1_000_000_000
    for bad in ["999,99", "10 000 000,01", "", "много", "-5000"]:
        assert error_of(lambda bad=bad: v.clean_income(bad)) == {"monthly_income": INCOME_MESSAGE}


def test_sms_code() -> None:
    assert v.clean_sms_code("012345") == "012345"
    assert v.clean_sms_code(" 123 456 ") == "123456"
    for bad in ["12345", "1234567", "12a456", ""]:
        assert error_of(lambda bad=bad: v.clean_sms_code(bad)) == {"code": "Введите 6 цифр из SMS"}


def test_birth_place() -> None:
    assert v.clean_birth_place("г. Тула") == "г. Тула"
    assert error_of(lambda: v.clean_birth_place("Т")) == {
        "birth_place": "Место рождения — от 2 до 200 символов"
    }

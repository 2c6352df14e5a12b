"""Contacts, choices and other fixed text the pages show, read from the domain."""

from credit7_web.questionnaire import CITIZENSHIPS
from credit7_web.tariff import DOCS_EMAIL, HOTLINE
from credit7_web.validators import FAMILY_STATUSES

HOTLINE_TEL = "+7" + HOTLINE.replace(" ", "").replace("-", "")[1:]

__all__ = ["CITIZENSHIPS", "DOCS_EMAIL", "FAMILY_STATUSES", "HOTLINE", "HOTLINE_TEL"]

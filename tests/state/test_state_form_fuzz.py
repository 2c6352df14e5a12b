"""Every form handler, fuzzed (issue 7): 10 000 generated submissions in all, from an anonymous
tab and from a signed-in borrower's. Field errors only: never an exception, and a refused
submission writes nothing at all (no half-written row)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.state.harness import Browser, form, make_borrower, sign_in, snapshot_all
from tests.state.test_state_guard import parameters, public_handlers

TOTAL_EXAMPLES = 10_000
FORM_HANDLERS = [(cls, name) for cls, name in public_handlers() if "form" in parameters(cls, name)]
PER_HANDLER = math.ceil(TOTAL_EXAMPLES / len(FORM_HANDLERS))
# Names the forms use, so generated values reach the checks, and any other name.
FIELDS = st.sampled_from(
    [
        "phone", "password", "password2", "code", "consent", "section", "last_name",
        "birth_date", "passport_series", "passport_number", "passport_issue_date",
        "passport_division_code", "snils", "email", "monthly_income", "dependants",
        "reg_address", "res_same_as_reg", "login", "reason", "surname", "answered",
    ]
) | st.text(max_size=20)  # fmt: skip
VALUES = (
    st.text(max_size=80)
    | st.from_regex(r"[0-9 ()+.\-]{0,20}", fullmatch=True)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.none()
    | st.lists(st.text(max_size=5), max_size=3)
)
FORMS = st.dictionaries(FIELDS, VALUES, max_size=8)


@pytest.mark.parametrize(("cls", "name"), FORM_HANDLERS, ids=lambda v: getattr(v, "__name__", v))
def test_a_form_handler_answers_any_form_with_field_errors_only(
    app_db: Engine, cls: type, name: str
) -> None:
    borrower = sign_in(app_db, make_borrower(app_db, active=True, filled=True))
    tabs = [Browser(), Browser().with_cookie(borrower)]

    @settings(
        max_examples=PER_HANDLER,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(fields=FORMS, signed_in=st.booleans())
    def submit(fields: dict[str, Any], signed_in: bool) -> None:
        tab = tabs[signed_in]
        before = snapshot_all(app_db)
        asyncio.run(tab.send(cls, name, form=form(**fields)))
        if tab.state(cls).errors:
            assert snapshot_all(app_db) == before, fields

    submit()

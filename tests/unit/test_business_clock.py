from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.clock import SystemClock, moscow_date
from credit7_web.errors import Refusal
from credit7_web.sandbox import business_date
from credit7_web.sandbox.models import SandboxSetting


def test_unshifted_by_default(db: Session) -> None:
    assert business_date.shift_days(db) == 0
    clock = business_date.clock_for(db)
    assert isinstance(clock, SystemClock) and clock.shift_days == 0
    assert clock.today() == moscow_date(clock.now())


def test_move_forward_adds_up_and_moves_only_the_date(db: Session) -> None:
    assert business_date.move(db, 10) == 10
    assert business_date.move(db, 5) == 15
    clock = business_date.clock_for(db)
    assert clock.shift_days == 15
    assert clock.today() == moscow_date(clock.now()) + timedelta(days=15)
    assert db.get(SandboxSetting, business_date.SETTING).value == "15"


@pytest.mark.parametrize("days", [0, -1, 367, 1.5, "3", True])
def test_move_refuses_other_steps(db: Session, days: object) -> None:
    business_date.move(db, 2)
    with pytest.raises(Refusal) as e:
        business_date.move(db, days)  # type: ignore[arg-type]
    assert "days" in e.value.errors
    assert business_date.shift_days(db) == 2


def test_move_bounds(db: Session) -> None:
    assert business_date.move(db, 1) == 1
    assert business_date.move(db, 366) == 367


def test_reset(db: Session) -> None:
    business_date.reset(db)  # no row yet
    assert business_date.shift_days(db) == 0
    business_date.move(db, 30)
    business_date.reset(db)
    assert business_date.shift_days(db) == 0
    assert business_date.clock_for(db).shift_days == 0


def test_every_worker_sees_the_shift(engine: Engine) -> None:
    with Session(engine) as a, Session(engine) as b:
        assert business_date.shift_days(b) == 0
        business_date.move(a, 7)
        assert business_date.shift_days(b) == 7
        business_date.move(b, 3)
        assert business_date.shift_days(a) == 10
        business_date.reset(b)
        assert business_date.clock_for(a).shift_days == 0


def test_garbage_value_reads_as_no_shift(db: Session) -> None:
    db.add(SandboxSetting(name=business_date.SETTING, value="x"))
    db.commit()
    assert business_date.shift_days(db) == 0
    assert business_date.move(db, 4) == 4

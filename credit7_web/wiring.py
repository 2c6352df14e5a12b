"""The one wiring point: this process's database, the settings, the business clock and the outside
services, chosen from settings. No other module outside `credit7_web/sandbox/` names a sandbox
class, so turning the sandbox off (CREDIT7_GATEWAYS) is one decision, made here.

A `Unit` is one unit of work: a database session and what a business operation needs beside it.
The web layer opens one per event or request (`with unit() as u:`) and hands its parts to the
domain; the domain never opens one itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.routing import BaseRoute

from credit7_web.clock import Clock, SystemClock
from credit7_web.db import app_db_url, make_engine
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.bureaus import Bureau
from credit7_web.gateways.esia import Esia
from credit7_web.gateways.jobs import Jobs
from credit7_web.gateways.sms import SmsGateway, SmsSender
from credit7_web.identity.esia_client import EsiaClient
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox import bureaus, business_date
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.acquirer_pages import acquirer_routes
from credit7_web.sandbox.esia import Client
from credit7_web.sandbox.esia_pages import esia_routes
from credit7_web.sandbox.sms import SandboxSms
from credit7_web.settings import Settings, load_settings


@cache
def settings() -> Settings:
    return load_settings()


# ----------------------------------------------------------------------------- the database

_engine: Engine | None = None
_engine_pid = 0


def use_engine(engine: Engine | None) -> None:
    """Point the app at another database: for tests. None goes back to REFLEX_DB_URL."""
    global _engine, _engine_pid
    _engine, _engine_pid = engine, os.getpid()


def engine() -> Engine:
    """The engine of this process. Workers are forked from a parent that may already hold pooled
    connections; sharing one socket between two processes mixes their replies, so a forked
    worker drops the inherited pool (without closing the parent's connections) and starts anew.
    """
    global _engine, _engine_pid
    if _engine is None:
        use_engine(make_engine(app_db_url()))
    elif _engine_pid != os.getpid():
        _engine.dispose(close=False)
        _engine_pid = os.getpid()
    assert _engine is not None  # noqa: S101  (set just above)
    return _engine


def db() -> Session:
    """A session on the app database; use it as a context manager."""
    return Session(engine())


# ----------------------------------------------------------------------------- background jobs

_jobs: Jobs | None = None


def use_jobs(jobs: Jobs | None) -> None:
    """The task queue the domain's jobs go to; set by the web layer (`web/jobs.py`) on import."""
    global _jobs
    _jobs = jobs


class _Later:
    """No queue in this process (a shell, a command): the worker's sweeps pick the work up."""

    def deliver_sms(self, sms_id: int) -> None:
        pass

    def decide(self, application_id: int) -> None:
        pass


def jobs() -> Jobs:
    return _jobs or _Later()


# ----------------------------------------------------------------------------- services


def business_clock(session: Session) -> Clock:
    """Real time for expiries; the business date moved by the sandbox shift when it is on."""
    if settings().sandbox:
        return business_date.clock_for(session)
    return SystemClock()


@dataclass
class Unit:
    """One unit of work: a database session and the services a business operation may need.

    Gateways are built on first use, so an operation pays only for what it touches.
    """

    db: Session
    settings: Settings = field(default_factory=settings)

    @cached_property
    def clock(self) -> Clock:
        return business_clock(self.db)

    @cached_property
    def jobs(self) -> Jobs:
        return jobs()

    @cached_property
    def sms(self) -> SmsGateway:
        """The outbox: a message leaves after this unit's transaction commits."""
        return Outbox(self.db, self.clock, self.jobs.deliver_sms)

    @cached_property
    def sms_sender(self) -> SmsSender:
        """The provider that delivers what the outbox holds."""
        return SandboxSms(self.db, self.clock)

    @cached_property
    def acquirer(self) -> Acquirer:
        return SandboxAcquirer(self.db, self.clock)

    @cached_property
    def bureaus(self) -> list[Bureau]:
        return bureaus.sandbox_bureaus(bureaus.delay_s(self.db))

    @cached_property
    def esia(self) -> Esia:
        """Gosuslugi over HTTP at settings.esia_url: the sandbox provider is a web service too."""
        return EsiaClient(self.settings)


@contextmanager
def unit() -> Iterator[Unit]:
    with db() as session:
        yield Unit(session)


def sandbox_routes() -> list[BaseRoute]:
    """The stand-ins' own HTTP pages (the acquirer's hosted page, the Gosuslugi provider); none
    without the sandbox."""
    if not settings().sandbox:
        return []
    client = Client(settings().esia_client_id, settings().esia_client_secret)
    return [*acquirer_routes(db, settings().secret_key), *esia_routes(db, client)]

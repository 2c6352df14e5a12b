"""The disk state manager's files (issue 7, finding 4): a tab's state holds a borrower's
questionnaire, so each file is private to the server's user and none outlives its expiry."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

import state.cabinet  # noqa: F401  (the app's states are in the tree that is written)
from web import state_files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
async def manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StateManagerDisk]:
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path / "states"))
    (tmp_path / "states").mkdir(mode=0o755)
    left = tmp_path / "states" / "left-by-an-older-version.pkl"
    left.write_bytes(b"old")
    left.chmod(0o644)
    state_files.install()
    m = StateManagerDisk()
    m._write_debounce_seconds = 0  # write at once
    yield m
    await m.close()


async def write_a_tab(m: StateManagerDisk, ident: str) -> None:
    await m.set_state(BaseStateToken(ident=ident, cls=State), State(_reflex_internal_init=True))


async def test_state_files_are_readable_by_the_server_only(manager: StateManagerDisk) -> None:
    await write_a_tab(manager, "tab")
    files = list(manager.states_directory.glob("*.pkl"))
    assert len(files) > 1
    assert {mode(path) for path in files} == {0o600}
    assert mode(manager.states_directory) == 0o700


async def test_expired_state_files_are_pruned_while_the_app_runs(
    manager: StateManagerDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await write_a_tab(manager, "old tab")
    expired = time.time() - manager.token_expiration - 60
    old = set(manager.states_directory.glob("*.pkl"))
    for path in old:
        os.utime(path, (expired, expired))
    monkeypatch.setattr(state_files, "PRUNE_EVERY_S", 0.0)
    await write_a_tab(manager, "new tab")
    left = set(manager.states_directory.glob("*.pkl"))
    assert left and not (left & old)

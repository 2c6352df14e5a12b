"""Private, pruned state files for Reflex 0.10.1's disk state manager, installed when the app
module loads (as `redis_locks`; recheck both when upgrading Reflex).

Without Redis, Reflex keeps every tab's state in `.states/*.pkl`: a borrower's questionnaire
(passport, СНИЛС) and offer among them. Reflex writes them world-readable (0644) and removes
expired ones only when the server starts, so they pile up for as long as it runs. Here each
file is written 0600 in a 0700 folder, files left by an older version are made private at
start, and expired ones are pruned while the app runs (at most once every `PRUNE_EVERY_S`).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from reflex.istate.manager.disk import StateManagerDisk
from reflex.utils.misc import run_in_thread

_INSTALLED = "_credit7_private"
PRUNE_EVERY_S = 600.0


class PrivateFile(type(Path())):  # type: ignore[misc]  # the concrete Path class of this system
    """A path whose `write_bytes` creates (or rewrites) the file readable by its owner only."""

    def write_bytes(self, data: bytes) -> int:  # type: ignore[override]
        fd = os.open(self, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
        with os.fdopen(fd, "wb") as f:
            return f.write(data)


def prune(directory: Path, max_age_s: float) -> int:
    """Delete the state files not written for `max_age_s`; returns how many went."""
    gone = 0
    cutoff = time.time() - max_age_s
    for path in directory.glob("*.pkl"):
        with contextlib.suppress(FileNotFoundError):  # a parallel prune took it first
            if path.stat().st_mtime < cutoff:
                path.unlink()
                gone += 1
    return gone


def make_private(directory: Path) -> None:
    directory.chmod(0o700)
    for path in directory.glob("*.pkl"):
        with contextlib.suppress(FileNotFoundError):
            path.chmod(0o600)


def install() -> None:
    """Patch StateManagerDisk once; harmless to call again."""
    if getattr(StateManagerDisk, _INSTALLED, False):
        return
    post_init = StateManagerDisk.__post_init__
    token_path = StateManagerDisk.token_path
    set_state_for_substate = StateManagerDisk.set_state_for_substate

    def __post_init__(self: StateManagerDisk) -> None:
        post_init(self)
        make_private(self.states_directory)
        self._credit7_pruned = time.monotonic()  # type: ignore[attr-defined]

    def _token_path(self: StateManagerDisk, token) -> Path:
        return PrivateFile(token_path(self, token))

    async def _set_state_for_substate(self: StateManagerDisk, token, substate) -> None:
        await set_state_for_substate(self, token, substate)
        now = time.monotonic()
        if now - getattr(self, "_credit7_pruned", 0.0) >= PRUNE_EVERY_S:
            self._credit7_pruned = now  # type: ignore[attr-defined]
            await run_in_thread(lambda: prune(self.states_directory, self.token_expiration))

    StateManagerDisk.__post_init__ = __post_init__  # type: ignore[method-assign]
    StateManagerDisk.token_path = _token_path  # type: ignore[method-assign]
    StateManagerDisk.set_state_for_substate = _set_state_for_substate  # type: ignore[method-assign]
    setattr(StateManagerDisk, _INSTALLED, True)

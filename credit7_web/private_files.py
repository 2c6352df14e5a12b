"""Files kept for a borrower (contract PDFs, passport photos): outside any public folder, named
at random, readable by the app's user only, and checked against their SHA-256 when read back."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, SQLModel

from credit7_web.settings import Settings

Record = TypeVar("Record", bound=SQLModel)


class PrivateFolder:
    """One folder under the data dir for one kind of file (its suffix)."""

    def __init__(self, name: str, suffix: str) -> None:
        self.name = name
        self.suffix = suffix
        self._file_name = re.compile(rf"[0-9a-f]{{32}}\.{re.escape(suffix)}")

    def path(self, settings: Settings) -> Path:
        return settings.data_dir / self.name

    def write(self, settings: Settings, data: bytes) -> str:
        """A new file, never overwriting one, mode 0600; returns its name."""
        folder = self.path(settings)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{self.suffix}"
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(folder / name, 0o600)  # whatever the umask
        return name

    def read(self, settings: Settings, file_name: str, sha256: str) -> bytes | None:
        """The bytes, or None if the name is not one of ours, the file is gone or altered."""
        if not self._file_name.fullmatch(file_name):
            return None
        try:
            data = (self.path(settings) / file_name).read_bytes()
        except OSError:
            return None
        return data if hmac.compare_digest(digest(data), sha256) else None

    def save(
        self,
        db: Session,
        settings: Settings,
        data: bytes,
        record: Callable[[str, str], Record],
        commit: bool,
    ) -> Record:
        """Write the file and add `record(file_name, sha256)`; the file goes if the row fails.

        Always flushes (the row has its id); commits only with `commit`. If the caller's
        transaction rolls back later, the file stays unreferenced: harmless, never served.
        """
        name = self.write(settings, data)
        row = record(name, digest(data))
        try:
            db.add(row)
            db.flush()
            if commit:
                db.commit()
                db.refresh(row)
        except Exception:
            (self.path(settings) / name).unlink(missing_ok=True)
            raise
        return row


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

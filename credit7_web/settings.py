"""Settings read once from the environment, so services get them as a plain value."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from credit7_web.lender import SANDBOX_LENDER, Lender, configured_lender

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    secret_key: bytes
    sandbox: bool = True
    bcrypt_rounds: int = 12
    session_hours: int = 12
    session_idle_minutes: int = 30
    data_dir: Path = ROOT / "var"
    lender: Lender = SANDBOX_LENDER


def _secret_key(data_dir: Path) -> bytes:
    """CREDIT7_SECRET_KEY, or a random key kept in var/secret_key across restarts."""
    if key := os.environ.get("CREDIT7_SECRET_KEY"):
        return key.encode()
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def load_settings() -> Settings:
    gateways = os.environ.get("CREDIT7_GATEWAYS", "sandbox")
    if gateways != "sandbox":
        raise RuntimeError(
            f"CREDIT7_GATEWAYS={gateways!r}: only the sandbox gateways ship with this build"
        )
    data_dir = Path(os.environ.get("CREDIT7_DATA_DIR", ROOT / "var"))
    return Settings(
        secret_key=_secret_key(data_dir),
        sandbox=True,
        bcrypt_rounds=int(os.environ.get("CREDIT7_BCRYPT_ROUNDS", "12")),
        data_dir=data_dir,
        lender=configured_lender(),
    )

"""Settings read once from the environment, so services get them as a plain value."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from credit7_web import urls
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
    queue_name: str = "credit7"  # the task queue's name: tests and apps sharing a Redis differ
    lender: Lender = SANDBOX_LENDER
    # Gosuslugi (ESIA): the provider's base URL and this app's client credentials there.
    esia_url: str = ""
    esia_client_id: str = "credit7"
    esia_client_secret: str = "credit7-sandbox-secret"  # noqa: S105  (the sandbox's own)
    # The address borrowers reach the app at (CREDIT7_PUBLIC_URL); https makes every cookie
    # Secure even when a proxy in front speaks plain http to the app.
    public_url: str = ""
    # Prefix of the rate-limit keys, so tests and several apps on one Redis do not share counts.
    rate_limit_prefix: str = "credit7"


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


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def esia_url(env: Mapping[str, str], sandbox: bool) -> str:
    """CREDIT7_ESIA_URL, or else the sandbox provider of this very app, reached over HTTP on the
    port it serves on (`reflex run` puts it in REFLEX_BACKEND_PORT). Personal data travel this
    way, so only https is accepted, and plain http only to this machine while in the sandbox."""
    port = env.get("REFLEX_BACKEND_PORT") or env.get("REFLEX_FRONTEND_PORT") or "3000"
    url = env.get("CREDIT7_ESIA_URL") or f"http://127.0.0.1:{port}{urls.SANDBOX_ESIA}"
    parts = urlsplit(url)
    local = sandbox and parts.scheme == "http" and parts.hostname in LOOPBACK
    if not parts.hostname or (parts.scheme != "https" and not local):
        raise RuntimeError(
            f"CREDIT7_ESIA_URL={url!r}: the Gosuslugi provider must be an https:// address"
        )
    return url.rstrip("/")


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
        queue_name=os.environ.get("CREDIT7_QUEUE", "credit7"),
        lender=configured_lender(),
        esia_url=esia_url(os.environ, sandbox=True),
        esia_client_id=os.environ.get("CREDIT7_ESIA_CLIENT_ID", "credit7"),
        esia_client_secret=os.environ.get(
            "CREDIT7_ESIA_CLIENT_SECRET", Settings.esia_client_secret
        ),
        public_url=os.environ.get("CREDIT7_PUBLIC_URL", ""),
        rate_limit_prefix=os.environ.get("CREDIT7_RATE_LIMIT_PREFIX", Settings.rate_limit_prefix),
    )

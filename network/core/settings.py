"""Settings read from SURVNET_* environment variables (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("en", "fr", "ar", "es", "uk", "sw", "fa")
RTL_LOCALES = frozenset({"ar", "fa"})


class SettingsError(Exception):
    """Start-up cannot go on; the message is one line naming the variable."""


def _path(value: str | None, default: str) -> str:
    """An entry address: one path segment of letters, digits and dashes (a bookmark must survive)."""
    import re

    if value is None or value == "":
        return default
    if not re.fullmatch(r"/[A-Za-z0-9-]{1,40}", value):
        raise SettingsError(f"SURVNET_DISCREET_PATH must look like /notes, not {value!r}")
    return value


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def _positive(env: dict[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    production: bool = False
    var_dir: Path = ROOT / "var"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    data_key: str = ""
    previous_data_keys: tuple[str, ...] = ()
    quick_exit_url: str = "https://www.bbc.com/weather"
    discreet_path: str = "/notes"
    default_locale: str = "en"
    cookie_secure: bool = False
    session_idle_minutes: int = 30
    session_max_days: int = 7
    vouch_per_month: int = 2
    hold_first_messages: int = 3
    payout_retention_days: int = 30
    # Retention (network.core.personal): notices to members, and held messages no moderator decided.
    notice_days: int = 90
    held_message_days: int = 14
    redis_prefix: str = "survnet:"
    # A member's pace across all rooms: a bucket of `message_burst` that refills at this rate.
    message_burst: int = 20
    messages_per_minute: int = 120
    # Days a room's change log is kept for catching up; a reader away longer reloads the room.
    room_log_days: int = 30
    argon2_memory_kib: int = 19456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    hash_concurrency: int = 0  # 0: one fewer than the cores (network.core.hashing)
    extra: dict = field(default_factory=dict)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def cookie_name(self) -> str:
        # The __Host- prefix pins the cookie to this host, path / and HTTPS.
        return "__Host-survnet" if self.cookie_secure else "survnet"


def _key_file(var_dir: Path, name: str, env_name: str, production: bool, env: dict) -> str:
    value = env.get(env_name, "")
    if value:
        return value
    if production:
        raise SettingsError(f"{env_name} is not set; production mode needs it")
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    # Written owner-only: these keys decrypt members' sensitive fields.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def _previous_keys(var_dir: Path, env: dict) -> tuple[str, ...]:
    """Keys that older values may still be under: the variable, and in development ./var too."""
    keys = [k.strip() for k in env.get("SURVNET_PREVIOUS_DATA_KEYS", "").split(",") if k.strip()]
    path = var_dir / "previous_data_keys"
    if path.exists():
        keys += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    return tuple(keys)


def _hashing(env: dict[str, str], production: bool) -> dict:
    memory, passes = _int(env, "SURVNET_ARGON2_MEMORY_KIB", 19456), _int(env, "SURVNET_ARGON2_TIME_COST", 2)
    if production and (memory < 19456 or passes < 2):
        raise SettingsError("SURVNET_ARGON2_MEMORY_KIB and SURVNET_ARGON2_TIME_COST cannot go below "
                            "OWASP's minimum (19456 KiB, 2 passes) in production")
    if memory < 8 or passes < 1:
        raise SettingsError("SURVNET_ARGON2_MEMORY_KIB must be at least 8 and SURVNET_ARGON2_TIME_COST at least 1")
    return {"argon2_memory_kib": memory, "argon2_time_cost": passes}


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    production = env.get("SURVNET_ENV", "development").strip().lower() == "production"
    var_dir = Path(env.get("SURVNET_VAR_DIR") or ROOT / "var")
    database_url = env.get("SURVNET_DATABASE_URL") or f"sqlite://{var_dir / 'survnet.sqlite3'}"
    if database_url.startswith("sqlite://"):
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
    default_locale = env.get("SURVNET_DEFAULT_LOCALE", "en")
    if default_locale not in LOCALES:
        raise SettingsError(
            f"SURVNET_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}, got {default_locale!r}"
        )
    return Settings(
        production=production,
        var_dir=var_dir,
        database_url=database_url,
        redis_url=env.get("SURVNET_REDIS_URL") or None,
        secret_key=_key_file(var_dir, "secret_key", "SURVNET_SECRET_KEY", production, env),
        data_key=_key_file(var_dir, "data_key", "SURVNET_DATA_KEY", production, env),
        previous_data_keys=_previous_keys(var_dir, env),
        quick_exit_url=env.get("SURVNET_QUICK_EXIT_URL") or Settings.quick_exit_url,
        discreet_path=_path(env.get("SURVNET_DISCREET_PATH"), Settings.discreet_path),
        default_locale=default_locale,
        cookie_secure=_bool(env.get("SURVNET_COOKIE_SECURE"), production),
        session_idle_minutes=_int(env, "SURVNET_SESSION_IDLE_MINUTES", 30),
        session_max_days=_int(env, "SURVNET_SESSION_MAX_DAYS", 7),
        vouch_per_month=_int(env, "SURVNET_VOUCHES_PER_MONTH", 2),
        hold_first_messages=_int(env, "SURVNET_HOLD_FIRST_MESSAGES", 3),
        payout_retention_days=_int(env, "SURVNET_PAYOUT_RETENTION_DAYS", 30),
        notice_days=_positive(env, "SURVNET_NOTICE_DAYS", 90),
        held_message_days=_positive(env, "SURVNET_HELD_MESSAGE_DAYS", 14),
        redis_prefix=env.get("SURVNET_REDIS_PREFIX") or Settings.redis_prefix,
        message_burst=_positive(env, "SURVNET_MESSAGE_BURST", 20),
        messages_per_minute=_positive(env, "SURVNET_MESSAGES_PER_MINUTE", 120),
        room_log_days=_positive(env, "SURVNET_ROOM_LOG_DAYS", 30),
        **_hashing(env, production),
    )

"""Settings from SURVNET_* variables, key generation, and the command line's refusals."""

import stat
import subprocess
import sys

import pytest

from network.core.settings import ROOT, SettingsError, load_settings
from tests.conftest import base_env


def test_development_generates_keys_once_and_keeps_them_private(tmp_path):
    env = base_env(tmp_path / "var")
    first = load_settings(env)
    second = load_settings(env)
    assert first.secret_key and first.data_key and first.secret_key != first.data_key
    assert (second.secret_key, second.data_key) == (first.secret_key, first.data_key)
    for name in ("secret_key", "data_key"):
        mode = stat.S_IMODE((tmp_path / "var" / name).stat().st_mode)
        assert mode == 0o600
    assert first.database_url == f"sqlite://{tmp_path / 'var' / 'survnet.sqlite3'}"
    assert first.redis_url is None and first.cookie_secure is False


@pytest.mark.parametrize("missing", ["SURVNET_SECRET_KEY", "SURVNET_DATA_KEY"])
def test_production_refuses_to_start_without_a_key(tmp_path, missing):
    env = base_env(tmp_path / "var", SURVNET_ENV="production",
                   SURVNET_SECRET_KEY="s" * 40, SURVNET_DATA_KEY="d" * 40)
    del env[missing]
    with pytest.raises(SettingsError, match=missing):
        load_settings(env)
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "serve"], env=env,
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and missing in lines[0]
    assert not (tmp_path / "var" / missing.removeprefix("SURVNET_").lower()).exists()


def test_production_defaults_to_secure_cookies(tmp_path):
    env = base_env(tmp_path / "var", SURVNET_ENV="production",
                   SURVNET_SECRET_KEY="s" * 40, SURVNET_DATA_KEY="d" * 40)
    settings = load_settings(env)
    assert settings.cookie_secure and settings.cookie_name.startswith("__Host-")
    env["SURVNET_COOKIE_SECURE"] = "false"
    assert load_settings(env).cookie_secure is False


def test_an_unknown_default_locale_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="SURVNET_DEFAULT_LOCALE"):
        load_settings(base_env(tmp_path / "var", SURVNET_DEFAULT_LOCALE="xx"))


def test_several_workers_without_redis_are_refused(tmp_path):
    env = base_env(tmp_path / "var")
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "serve", "--workers", "2"],
                            env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode != 0
    assert "SURVNET_REDIS_URL" in result.stderr and "in-process broker" in result.stderr

"""Channel credentials are stored encrypted (services/encryption.py): a dump of the table shows no
credential, keys rotate with `lohub rotate-secrets`, migration 0012 encrypts rows written before
it, and production refuses to start without a key."""

import importlib
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr, ValidationError
from tortoise import connections

from api.settings import Settings, get_settings
from models.publishing import ChannelSettings
from models.user import RefreshToken, UserSession
from services import encryption
from tests.helpers import GraphQLClient, make_user
from tests.world import gid, make_unit

CONFIGURE = """mutation Configure($input: PublishingChannelConfigureInput!) {
  publishingChannelConfigure(input: $input) { settings { hasCredential } errors { code } } }"""
CREDENTIAL = "EAAG-page-access-token-0123456789"
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Sets LOHUB_SECRET_KEYS for the test."""

    def use(value: str) -> None:
        monkeypatch.setattr(get_settings(), "secret_keys", SecretStr(value))
        encryption.forget_keys()

    yield use
    encryption.forget_keys()


async def stored_credentials() -> list[str]:
    rows = await connections.get("default").execute_query_dict(
        'SELECT "credential" FROM "channel_settings"'
    )
    return [row["credential"] for row in rows]


async def configure(admin: GraphQLClient, unit_id: int) -> None:
    body = await admin.data(
        CONFIGURE,
        {
            "input": {
                "unit": gid("Unit", unit_id),
                "channel": "FACEBOOK",
                "baseUrl": "http://127.0.0.1:9",
                "account": "1234567890",
                "credential": CREDENTIAL,
            }
        },
    )
    assert body["publishingChannelConfigure"] == {
        "settings": {"hasCredential": True},
        "errors": [],
    }


async def test_the_table_holds_no_credential_in_plain_text(admin: GraphQLClient, keys) -> None:
    keys(OLD_KEY)
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")

    await configure(admin, unit.id)

    [stored] = await stored_credentials()
    assert CREDENTIAL not in stored
    assert Fernet(OLD_KEY).decrypt(stored.encode()).decode() == CREDENTIAL


async def test_rotation_re_encrypts_under_the_newest_key(admin: GraphQLClient, keys) -> None:
    keys(OLD_KEY)
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")
    await configure(admin, unit.id)
    keys(f"{NEW_KEY},{OLD_KEY}")

    rotated = await encryption.rotate_stored_secrets()
    keys(NEW_KEY)  # the old key is dropped after rotating

    [stored] = await stored_credentials()
    assert rotated == 1
    assert Fernet(NEW_KEY).decrypt(stored.encode()).decode() == CREDENTIAL
    assert encryption.decrypt(stored) == CREDENTIAL


async def test_a_secret_no_key_opens_is_said_so(admin: GraphQLClient, keys) -> None:
    keys(OLD_KEY)
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")
    await configure(admin, unit.id)
    keys(NEW_KEY)
    [stored] = await stored_credentials()

    with pytest.raises(encryption.SecretUnreadable, match="LOHUB_SECRET_KEYS"):
        encryption.decrypt(stored)


async def test_the_migration_encrypts_existing_rows_and_makes_sessions_of_token_families(
    keys,
) -> None:
    keys(OLD_KEY)
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")
    await ChannelSettings.create(
        unit_id=unit.id, channel="LINE", base_url="", credential=CREDENTIAL
    )
    await ChannelSettings.create(unit_id=unit.id, channel="WEBSITE", base_url="", credential="")
    user = await make_user("somchai")
    await UserSession.all().delete()
    for family, revoked in (("a" * 32, None), ("b" * 32, "2026-01-01T00:00:00+00:00")):
        await RefreshToken.create(
            user_id=user.id,
            token_hash=family * 2,
            family=family,
            expires_at="2030-01-01T00:00:00+00:00",
            revoked_at=revoked,
        )
    migration = importlib.import_module("models.migrations.0012_sessions_secrets")

    await migration.sessions_and_encrypted_credentials(
        None, SimpleNamespace(client=connections.get("default"))
    )

    stored = sorted(await stored_credentials())
    assert stored[0] == "" and encryption.decrypt(stored[1]) == CREDENTIAL
    sessions = await UserSession.all().order_by("id").values_list("id", "ended_at")
    assert [(sid, ended is not None) for sid, ended in sessions] == [
        ("a" * 32, False),
        ("b" * 32, True),
    ]


def test_production_refuses_to_start_without_a_valid_key() -> None:
    with pytest.raises(ValidationError, match="LOHUB_SECRET_KEYS"):
        Settings(env="production", secret_key="x" * 40)
    with pytest.raises(ValidationError, match="Fernet key"):
        Settings(env="production", secret_key="x" * 40, secret_keys="not-a-key")

    Settings(env="production", secret_key="x" * 40, secret_keys=f" {NEW_KEY} , {OLD_KEY}")

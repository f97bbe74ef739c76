"""The notices' tests send e-mail through a real SMTP server on loopback."""

from collections.abc import AsyncIterator

import pytest

from services.settings import get_settings
from tests.fakes import FakeSmtp


@pytest.fixture
async def smtp(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSmtp]:
    """The installation's SMTP server, for the length of the test."""
    async with FakeSmtp() as server:
        for name, value in (("HOST", "127.0.0.1"), ("PORT", str(server.port)), ("STARTTLS", "0")):
            monkeypatch.setenv(f"LOHUB_SMTP_{name}", value)
        get_settings.cache_clear()
        yield server
        monkeypatch.undo()
        get_settings.cache_clear()

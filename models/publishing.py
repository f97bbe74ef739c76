"""Publishing works (SOP step 10): each unit's channel settings, one publication per work and
channel, and the outbox the publishing worker drains."""

from datetime import datetime
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.notice import Notice
from models.org import Unit
from models.reminder import Reminder
from models.work import Work


class Channel(StrEnum):
    WEBSITE = "WEBSITE"  # the department's WordPress site
    FACEBOOK = "FACEBOOK"  # the unit's Facebook Page
    LINE = "LINE"  # the unit's LINE Official Account
    WEBHOOK = "WEBHOOK"  # any other channel of the unit, behind an HTTPS endpoint of its own


class ChannelSettings(Model):
    """How a unit publishes to one channel. ``credential`` (application password, page access
    token, channel access token) is never returned by the API nor written to logs."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="channel_settings", on_delete=fields.CASCADE
    )
    unit_id: int
    channel = fields.CharEnumField(Channel, max_length=16)
    enabled = fields.BooleanField(default=True)
    # WordPress site / Graph API / Messaging API base URL, or the webhook's endpoint.
    base_url = fields.CharField(max_length=500)
    # WordPress user name, Facebook Page id, LINE audience group id for narrowcast (or empty).
    account = fields.CharField(max_length=255, default="")
    # Also the webhook's signing secret.
    credential = fields.TextField(default="")
    # The webhook's is a JSON body with placeholders in its strings.
    template_th = fields.TextField(default="")
    # The administrator is told here when a token was refused (expired or invalid).
    credential_problem: str | None = fields.TextField(null=True)
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "channel_settings"
        unique_together = (("unit", "channel"),)


class PublicationStatus(StrEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    PUBLISHED = "PUBLISHED"
    FAILED = "FAILED"  # the last attempt failed; retried later, or DEAD in the outbox
    RETRACTED = "RETRACTED"


class Publication(Model):
    """A work on one channel. ``retry_key`` is this publication's idempotency key (LINE's
    X-Line-Retry-Key), fixed once made so a resend is recognised as the same message."""

    id = fields.IntField(primary_key=True)
    work: fields.ForeignKeyRelation[Work] = fields.ForeignKeyField(
        "models.Work", related_name="publications", on_delete=fields.CASCADE
    )
    work_id: int
    channel = fields.CharEnumField(Channel, max_length=16)
    status = fields.CharEnumField(
        PublicationStatus, max_length=16, default=PublicationStatus.QUEUED
    )
    external_id = fields.CharField(max_length=255, null=True)
    external_url = fields.CharField(max_length=2000, null=True)
    retry_key = fields.CharField(max_length=64)
    attempts = fields.IntField(default=0)
    last_error: str | None = fields.TextField(null=True)
    published_at: datetime | None = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "publication"
        unique_together = (("work", "channel"),)


class OutboxAction(StrEnum):
    PUBLISH = "PUBLISH"
    RETRACT = "RETRACT"
    REMIND = "REMIND"  # send a reminder (``reminder``; no publication)
    NOTIFY = "NOTIFY"  # send a status-change notice (``notice``; no publication)


class OutboxStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its time (``available_at``) or being worked on (leased)
    DONE = "DONE"
    DEAD = "DEAD"  # attempts used up, or a refused credential: waits for publicationRetry


class OutboxMessage(Model):
    """Something for the worker to do, written in the transaction that decided it. A worker
    takes a message by leasing it until ``lease_until``; a worker that dies leaves the lease to
    expire and another takes the message over."""

    id = fields.IntField(primary_key=True)
    publication: fields.ForeignKeyNullableRelation[Publication] = fields.ForeignKeyField(
        "models.Publication", related_name="outbox", null=True, on_delete=fields.CASCADE
    )
    publication_id: int | None
    reminder: fields.ForeignKeyNullableRelation["Reminder"] = fields.ForeignKeyField(
        "models.Reminder", related_name="outbox", null=True, on_delete=fields.CASCADE
    )
    reminder_id: int | None
    notice: fields.ForeignKeyNullableRelation[Notice] = fields.ForeignKeyField(
        "models.Notice", related_name="outbox", null=True, on_delete=fields.CASCADE
    )
    notice_id: int | None
    action = fields.CharEnumField(OutboxAction, max_length=16)
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    available_at = fields.DatetimeField()
    lease_until: datetime | None = fields.DatetimeField(null=True)
    leased_by = fields.CharField(max_length=64, null=True)
    # Set once a send may have reached the channel: the next attempt looks before it posts.
    in_doubt = fields.BooleanField(default=False)
    last_error: str | None = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    done_at: datetime | None = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "available_at"),)

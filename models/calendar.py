"""Per-date corrections to the Thai government calendar (cabinet announcements)."""

from tortoise import fields
from tortoise.models import Model


class CalendarOverride(Model):
    """Makes one date a working day or a holiday, whatever the holiday tables say."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    is_working_day = fields.BooleanField()
    reason_th = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "calendar_override"

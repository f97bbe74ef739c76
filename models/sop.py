"""SOP templates (แม่แบบ SOP): versioned, immutable snapshots of a procedure's steps."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.org import Unit


class SopTemplate(Model):
    """One version of a template. ``family`` names the template across its versions. An edit
    saves version n+1 and leaves version n as it was, so cycles keep the steps they came from.
    ``steps`` is validated by ``services.sop.TemplateStep``, ``sections`` (the SOP's objectives,
    scope and definitions) by ``services.sop.TemplateSections``."""

    # No semicolons in model docstrings: Tortoise's SQLite migrations split SQL on them.

    id = fields.IntField(primary_key=True)
    family = fields.CharField(max_length=64)
    version = fields.IntField()
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="sop_templates", null=True, on_delete=fields.RESTRICT
    )
    unit_id: int | None
    indicator_code = fields.CharField(max_length=32)
    name_th = fields.CharField(max_length=500)
    name_en = fields.CharField(max_length=500, null=True)
    steps: Any = fields.JSONField()
    sections: Any = fields.JSONField(null=True)
    name_variants: Any = fields.JSONField(default=dict)
    based_on: fields.ForeignKeyNullableRelation["SopTemplate"] = fields.ForeignKeyField(
        "models.SopTemplate", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    based_on_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sop_template"
        unique_together = (("family", "version"),)

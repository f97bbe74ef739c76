"""Export links a browser tab opens: relative URLs signed for the viewer (``services/
signed_links.py``), valid for a few minutes, in the language the field is asked for."""

from enum import Enum
from typing import Annotated
from urllib.parse import urlencode

import strawberry

from schema.labels import Language
from services import signed_links
from services.signed_links import LinkFor

LIFETIME = (
    f"a relative URL, signed for the viewer and valid for {signed_links.LIFETIME_SECONDS // 60} "
    "minutes, that a browser tab opens without an Authorization header"
)
LinkLanguage = Annotated[
    Language, strawberry.argument(description="The language of the export (TH by default).")
]


@strawberry.enum(description="The file an export is written as.")
class ExportFormat(Enum):
    XLSX = "xlsx"
    CSV = "csv"


def export_url(
    info: strawberry.Info, path: str, kind: LinkFor, object_id: int, language: Language
) -> str:
    """``path`` with the viewer's signed token and the language."""
    token = signed_links.sign_for_viewer(kind, object_id, info.context.actor)
    return f"{path}?{urlencode({'lang': language.value, 'token': token})}"

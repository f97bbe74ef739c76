"""Who an export is for and in which language: the bearer of an access token, or the viewer a
signed link was made for (``?token=`` from a ``…Url`` field, so a browser tab opens it without
an Authorization header); ``?lang=th|en`` chosen by the link, else ``Accept-Language``."""

from fastapi import Request

from api.context import Context
from services import auth, signed_links
from services.actor import Actor
from services.errors import Unauthenticated
from services.messages import Language
from services.signed_links import LinkFor


async def export_viewer(
    request: Request, context: Context, kind: LinkFor, object_id: int | None
) -> Actor | None:
    """The actor to build the export for; None when neither a token nor a link says who."""
    if context.actor.is_authenticated:
        return context.actor
    token = request.query_params.get("token")
    if token is None or object_id is None:
        return None
    user_id = signed_links.viewer_of(kind, object_id, token)
    if user_id is None:
        return None
    try:
        return await auth.viewer_of_link(user_id)
    except Unauthenticated:
        return None


def export_language(request: Request, context: Context) -> Language:
    match request.query_params.get("lang"):
        case "th":
            return "th"
        case "en":
            return "en"
    return context.language

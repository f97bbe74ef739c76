"""``/notifications/unsubscribe?user=…&token=…``: the signed link of every notice e-mail. GET
shows a page with a button (a link checker that follows it unsubscribes no one); POST — the
button, or a mail client's one-click request (RFC 8058, ``List-Unsubscribe=One-Click``) —
stops the account's e-mail notices. 400 for a link that is not valid."""

from fastapi import APIRouter, Request, Response

from api.public.pages import language, render
from api.public.text import Words
from services.notices import choices

router = APIRouter()
PATH = "/notifications/unsubscribe"


def _page(request: Request, status_code: int, key: str, *, confirm: bool = False) -> Response:
    words = Words(language(request))
    html = render(
        "unsubscribe.html",
        request,
        title=words(f"{key}_title"),
        body=words(f"{key}_body"),
        confirm=confirm,
    )
    return Response(
        html,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
    )


def _user(request: Request) -> tuple[int, str] | None:
    user, token = request.query_params.get("user", ""), request.query_params.get("token", "")
    if not (user.isascii() and user.isdigit() and len(user) <= 12) or len(token) > 200:
        return None
    return int(user), token


@router.get(PATH, include_in_schema=False)
async def confirm(request: Request) -> Response:
    found = _user(request)
    if found is None or not choices.unsubscribe_link_valid(*found):
        return _page(request, 400, "bad_link")
    return _page(request, 200, "unsubscribe", confirm=True)


@router.post(PATH, include_in_schema=False)
async def unsubscribe(request: Request) -> Response:
    found = _user(request)
    if found is None or not await choices.unsubscribe(*found):
        return _page(request, 400, "bad_link")
    return _page(request, 200, "unsubscribed")

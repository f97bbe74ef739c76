"""The public routes together, for the app to include."""

from fastapi import APIRouter

from api.public import landing, listing, oai, unsubscribe

router = APIRouter()
router.include_router(listing.router)
router.include_router(landing.router)
router.include_router(oai.router)
router.include_router(unsubscribe.router)

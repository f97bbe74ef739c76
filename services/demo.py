"""Demo data for `lohub demo`: idempotent, so `make run` can load it every time."""

from models.user import Role, User
from services.passwords import hash_password
from services.users import ensure_user


async def load_demo(*, admin_password: str, reset_password: bool) -> bool:
    """Create the demo admin (and, as later modules add them, the FY 2565 example). True when
    ``admin_password`` is now the admin's password."""
    created = await ensure_user(
        username="admin",
        password=admin_password,
        display_name="ผู้ดูแลระบบ (Administrator)",
        roles=frozenset({Role.ADMIN}),
    )
    if not created and reset_password:
        await User.filter(username="admin").update(
            password_hash=await hash_password(admin_password)
        )
        return True
    return created

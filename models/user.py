"""User accounts, their role grants, sessions, refresh tokens and login attempts."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    """Installation-wide roles. Scoped roles (unit approver, committee role, judge, author) are
    derived from the objects that grant them and are added by later modules."""

    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    CONTEST_ORGANISER = "CONTEST_ORGANISER"


class User(Model):
    """A person's login account (บัญชีผู้ใช้)."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=150, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=255)
    email = fields.CharField(max_length=255, null=True)
    is_active = fields.BooleanField(default=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    role_grants: fields.ReverseRelation["RoleGrant"]

    class Meta:
        table = "user_account"


class RoleGrant(Model):
    """One role held by one user."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="role_grants", on_delete=fields.CASCADE
    )
    user_id: int
    role = fields.CharEnumField(Role, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role_grant"
        unique_together = (("user", "role"),)


class UserSession(Model):
    """One sign-in (เซสชัน): every refresh token rotated from one login, and every access token
    issued with them, belong to it. Ended by logout, a password change, deactivation or a
    reused refresh token; an ended session never comes back (services/auth.py)."""

    # The refresh tokens' family.
    id = fields.CharField(max_length=32, primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    ended_at = fields.DatetimeField(null=True)
    # LOGOUT, PASSWORD_CHANGED, DEACTIVATED, TOKEN_REUSED
    end_reason = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "user_session"


class RefreshToken(Model):
    """A refresh token, stored as its SHA-256 only. Tokens rotated from one login share a
    ``family``: presenting a token that was already rotated revokes the whole family."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    family = fields.CharField(max_length=32, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "refresh_token"


class LoginAttempt(Model):
    """Every login attempt, so throttling holds across API processes."""

    id = fields.BigIntField(primary_key=True)
    username = fields.CharField(max_length=150, db_index=True)
    client_address = fields.CharField(max_length=64, db_index=True)
    succeeded = fields.BooleanField()
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "login_attempt"
        indexes = (("username", "client_address", "at"),)


class ExternalIdentity(Model):
    """An account's sign-in at an identity provider of the department (OpenID Connect): the
    provider's name in the settings and the subject it gives the person (``sub``)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="external_identities", on_delete=fields.CASCADE
    )
    user_id: int
    provider = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=255)
    # The e-mail the provider last asserted, for administrators matching waiting accounts.
    email = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_sign_in_at = fields.DatetimeField(null=True)

    class Meta:
        table = "external_identity"
        unique_together = (("provider", "subject"),)

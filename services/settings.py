"""Settings from the environment (prefix ``LOHUB_``), validated once at start-up."""

from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Known to everyone who reads this file: fine on a laptop, refused in production.
DEVELOPMENT_SECRET = "lohub-development-secret-change-me-0123456789"
DEFAULT_SQLITE_URL = f"sqlite://{Path('data') / 'lohub.sqlite3'}"


class OidcProvider(BaseModel):
    """One identity provider of the department (OpenID Connect), e.g. Microsoft Entra ID,
    Google Workspace or Keycloak; README "Signing in with the department"."""

    # In the routes: /auth/oidc/{name}/login and /auth/oidc/{name}/callback.
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    label: str = ""
    # The provider's issuer; its discovery document is {issuer}/.well-known/openid-configuration.
    issuer: str
    client_id: str
    client_secret: SecretStr = SecretStr("")
    # E-mail domains whose people may sign in (lower case); empty allows every domain.
    allowed_domains: list[str] = Field(default_factory=list)
    # The claim holding the department's employee id (matched with Person.employee_id).
    employee_id_claim: str | None = None
    scopes: str = "openid email profile"


class Settings(BaseSettings):
    """Every knob of the service; each field is read from ``LOHUB_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="LOHUB_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    cors_origins: list[str] = Field(default_factory=list)

    # Fernet keys for secrets kept in the database (channel credentials), comma-separated:
    # the first encrypts, every one decrypts (services/secrets.py). Required in production.
    secret_keys: SecretStr = SecretStr("")
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed; none by
    # default, so a client cannot choose its own address (api/middleware.py).
    trusted_proxies: list[str] = Field(default_factory=list)

    # Signing in with the department (api/oidc.py), as JSON: [{"name": "dept", "issuer": ...}].
    oidc_providers: list[OidcProvider] = Field(default_factory=list)
    # Where the browser goes after a department sign-in, the tokens in the URL's fragment; empty:
    # the callback answers with JSON.
    oidc_return_url: str = ""
    # Usernames and passwords (`login`); an installation that signs in only with the
    # department switches them off.
    password_login: bool = True

    access_token_minutes: int = Field(15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(30, ge=1, le=365)
    # Login throttling (services/login_throttle.py): a delay per (account, address) pair that
    # doubles with each failure, and wide limits that spare addresses the account knows.
    login_pair_free_failures: int = Field(5, ge=1)
    login_pair_delay_base_seconds: int = Field(2, ge=1)
    login_pair_delay_max_seconds: int = Field(900, ge=1)
    login_pair_memory_hours: int = Field(24, ge=1)
    login_window_minutes: int = Field(15, ge=1)
    login_max_failures_per_account: int = Field(100, ge=1)
    login_max_failures_per_address: int = Field(300, ge=1)
    login_known_address_days: int = Field(30, ge=1)

    max_body_bytes: int = Field(1_000_000, ge=1_024)
    max_query_depth: int = Field(12, ge=2)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(3_000, ge=50)
    max_query_cost: int = Field(20_000, ge=10)
    max_directives: int = Field(50, ge=1)
    max_fields: int = Field(2_000, ge=1)
    max_field_repeats: int = Field(10, ge=1)
    max_fragments: int = Field(50, ge=1)
    max_variables: int = Field(100, ge=1)
    max_string_length: int = Field(100_000, ge=1)
    # Lists read as rows and answered without the resolvers when every selected field allows
    # it (schema/compiled/); off, every query goes through the resolvers.
    compiled_reads: bool = True

    # None means "on in development, off in production".
    introspection: bool | None = None
    field_suggestions: bool | None = None
    graphiql: bool | None = None

    log_level: str = "INFO"
    # Bearer token a Prometheus scraper sends to /metrics; without one /metrics is served only
    # in development.
    metrics_token: SecretStr | None = None

    # Government units work on Labour Day (1 May) although it is a public holiday.
    labour_day_is_working_day: bool = True
    # Where uploaded files are kept: a bucket (`s3://bucket/prefix`, any S3-compatible store),
    # else the folder `storage_dir`.
    storage_url: str = ""
    storage_dir: str = "data/files"
    storage_s3_endpoint_url: str = ""  # empty: AWS S3 itself
    storage_s3_region: str = "us-east-1"
    storage_s3_access_key_id: str = ""  # empty: the usual AWS sources (environment, role)
    storage_s3_secret_access_key: SecretStr = SecretStr("")
    storage_s3_addressing_style: Literal["path", "virtual", "auto"] = "path"
    # "presigned": downloads are redirected to a short-lived URL of the bucket; "proxy": LO Hub
    # streams them (a bucket reachable only from LO Hub's network).
    storage_downloads: Literal["presigned", "proxy"] = "presigned"
    storage_presign_seconds: int = Field(300, ge=10, le=3600)
    storage_timeout_seconds: float = Field(10.0, gt=0)
    max_upload_bytes: int = Field(20_000_000, ge=1_024)
    # "Today" for due dates and overdue flags.
    timezone: str = "Asia/Bangkok"

    # Publishing: links in posts point at the work's public page under this address.
    public_base_url: str = "http://127.0.0.1:8000"
    # OAI-PMH Identify's adminEmail; empty means lohub@<host of public_base_url>.
    oai_admin_email: str = ""
    # The in-process dispatcher inside `lohub serve`; None means on for SQLite, off otherwise
    # (run `lohub worker` processes there).
    publishing_dispatcher: bool | None = None
    publishing_max_attempts: int = Field(8, ge=1, le=100)
    publishing_backoff_base_seconds: float = Field(2.0, ge=0)
    publishing_backoff_max_seconds: float = Field(900.0, ge=0)
    publishing_lease_seconds: float = Field(300.0, gt=0)
    publishing_throttle_seconds: float = Field(60.0, ge=0)
    publishing_settle_seconds: float = Field(30.0, ge=0)
    publishing_http_timeout_seconds: float = Field(15.0, gt=0)
    # Webhook endpoints must be https://; this lets http:// to a loopback address through, for
    # tests and development only (refused in production).
    webhook_allow_http_loopback: bool = False
    # Reminders (issue 8): working days before a due day that warn, then once when overdue.
    reminder_days_before: list[int] = Field(default_factory=lambda: [3])
    reminder_overdue: bool = True
    reminder_scan_seconds: float = Field(3600.0, gt=0)
    smtp_host: str = ""  # empty: no e-mail reminders
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "LO Hub <lohub@localhost>"
    smtp_starttls: bool = True
    smtp_tls: bool = False  # implicit TLS (port 465)
    smtp_timeout_seconds: float = Field(15.0, gt=0)
    # Status-change notices chosen as a daily digest go out at this hour (local time).
    notice_digest_hour: int = Field(7, ge=0, le=23)

    @model_validator(mode="after")
    def _validate_secrets_and_proxies(self) -> "Settings":
        if self.env == "production" and self.secret_key.get_secret_value() == DEVELOPMENT_SECRET:
            raise ValueError("LOHUB_SECRET_KEY must be set to a real secret in production")
        if self.env == "production" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("LOHUB_SECRET_KEY must be at least 32 characters in production")
        if self.env == "production" and not self.secret_keys.get_secret_value().strip():
            raise ValueError(
                "LOHUB_SECRET_KEYS must hold at least one Fernet key in production "
                "(make one with `lohub new-secret-key`)"
            )
        for key in self.secret_keys.get_secret_value().split(","):
            if key.strip():
                Fernet(key.strip())  # 32 url-safe base64-encoded bytes, or a ValueError now
        if self.env == "production" and self.webhook_allow_http_loopback:
            raise ValueError("LOHUB_WEBHOOK_ALLOW_HTTP_LOOPBACK is for tests and development")
        for proxy in self.trusted_proxies:
            ip_network(proxy, strict=False)  # a typo fails at start-up, not at the first login
        return self

    def _dev_default(self, value: bool | None) -> bool:
        return self.env == "development" if value is None else value

    @property
    def introspection_enabled(self) -> bool:
        return self._dev_default(self.introspection)

    @property
    def field_suggestions_enabled(self) -> bool:
        return self._dev_default(self.field_suggestions)

    @property
    def graphiql_enabled(self) -> bool:
        return self._dev_default(self.graphiql)


@lru_cache
def get_settings() -> Settings:
    return Settings()

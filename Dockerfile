# LO Hub API image.
#
#   docker build -t lohub .
#   docker run -p 127.0.0.1:8000:8000 \
#     -e LOHUB_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" \
#     -e LOHUB_SECRET_KEYS="$(python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
#     -e LOHUB_DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB lohub
#
# Production settings by default: LOHUB_SECRET_KEY (32+ characters) and LOHUB_SECRET_KEYS (the
# Fernet keys that encrypt channel credentials) must be supplied, or `lohub migrate` refuses
# to start. /app is the working directory, so /app/data holds what the
# defaults keep under data/ (uploaded files; SQLite when LOHUB_DATABASE_URL is not set): mount
# a volume there. Migrations run on every start, then the server; set LOHUB_MIGRATE_ON_START=0
# for a container that must not migrate (a second replica, a worker). Behind a reverse proxy,
# set LOHUB_TRUSTED_PROXIES to its address so its X-Forwarded-For is believed.

ARG PYTHON_IMAGE=python:3.11-slim

# ---- builder: a virtualenv with the dependencies and the lohub wheel ----------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /src

# Dependencies first, read from pyproject.toml alone, so a code change reuses this layer.
# tzdata (PyPI) gives zoneinfo the IANA database whatever the base image's Debian ships.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(deps))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt tzdata

# Then the project itself, as a wheel: a regular (not editable) install that needs no source tree.
COPY . .
RUN pip wheel --no-deps --wheel-dir /tmp/wheels . \
 && pip install --no-deps /tmp/wheels/lohub-*.whl

# ---- runtime: the virtualenv alone, run by an unprivileged user -------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LOHUB_ENV=production \
    LOHUB_MIGRATE_ON_START=1

# A fixed numeric id, so orchestrators can check runAsNonRoot; /app/data is the one writable path.
RUN groupadd --system --gid 10001 lohub \
 && useradd --system --uid 10001 --gid lohub --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin lohub \
 && mkdir -p /app/data \
 && chown lohub:lohub /app/data

# Same base image as the builder, so the venv's interpreter symlinks stay valid.
COPY --from=builder /opt/venv /opt/venv

# Fail the build, not the first start: the installed app imports (package data included) and
# the default time zone resolves. Development settings here only because no secret exists yet.
RUN LOHUB_ENV=development python -c "import zoneinfo, api.app; zoneinfo.ZoneInfo('Asia/Bangkok')"

WORKDIR /app
USER 10001:10001
EXPOSE 8000

# The slim image has no curl; the venv's python is enough. urlopen raises (exit 1) on any
# connection error or non-2xx answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Migrate, then `exec` the command: it replaces the shell, so SIGTERM from `docker stop`
# reaches uvicorn, which shuts down gracefully.
ENTRYPOINT ["/bin/sh", "-c", "set -e; if [ \"$LOHUB_MIGRATE_ON_START\" = 1 ]; then lohub migrate; fi; exec \"$@\"", "lohub-entrypoint"]
CMD ["lohub", "serve", "--host", "0.0.0.0", "--port", "8000"]

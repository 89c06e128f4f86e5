"""Settings for Asiakaskunto, read from the environment with safe defaults for development.

Production differences are environment variables (see README.md), not a second settings tree.
"""

import math
import os
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-asiakaskunto-do-not-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_database_url(url: str | None, *, base_dir: Path = BASE_DIR) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry.

    Empty: a SQLite file in the project folder. ``sqlite:///path`` (relative to the project)
    or ``sqlite:////abs/path``. ``postgres://user:pass@host:port/name?sslmode=…`` or
    ``postgresql://…``: PostgreSQL with kept connections.
    """
    if not url:
        url = "sqlite:///db.sqlite3"
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):
            name = path[1:]  # sqlite:////abs/path → /abs/path
        elif path in ("/:memory:", ":memory:"):
            name = ":memory:"
        else:
            name = str(base_dir / path.lstrip("/"))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # WAL and immediate transactions keep concurrent writers from "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            # Django's backend with a health check that needs no round trip (see its docstring).
            "ENGINE": "asiakaskunto.db.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme!r} is not supported (sqlite or postgres)."
    )


# A production SECRET_KEY needs at least this many characters, this many different ones, and
# this many bits of entropy by its own letter frequencies (``secrets.token_urlsafe(50)`` has
# about 370; Django's own deploy check asks for 50 characters and 5 different ones).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
SECRET_KEY_MIN_BITS = 128


def secret_key_bits(secret_key: str) -> float:
    """The key's entropy estimated from its own character frequencies (Shannon), times its
    length; a key that is one piece repeated counts only that piece."""
    if not secret_key:
        return 0.0
    period = (secret_key + secret_key).find(secret_key, 1)  # shortest repeating piece
    piece = secret_key[:period]
    counts = Counter(piece)
    return -sum(n * math.log2(n / len(piece)) for n in counts.values())


def check_secret_key(secret_key: str, *, debug: bool) -> str:
    """Refuse a weak secret when DEBUG is off: none, the development key (or any
    ``django-insecure-`` key), short, few different characters, or little entropy."""
    if debug:
        return secret_key
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY:
        problem = "the development key (or none) is refused"
    elif secret_key.startswith("django-insecure-"):
        problem = "a 'django-insecure-' key is refused"
    elif len(secret_key) < SECRET_KEY_MIN_LENGTH:
        problem = f"it has {len(secret_key)} characters, at least {SECRET_KEY_MIN_LENGTH} needed"
    elif (
        len(set(secret_key)) < SECRET_KEY_MIN_DISTINCT
        or secret_key_bits(secret_key) < SECRET_KEY_MIN_BITS
    ):
        problem = "it is too predictable (repeated or few different characters)"
    else:
        return secret_key
    raise ImproperlyConfigured(
        f"SECRET_KEY must be a long random value when DEBUG is off: {problem}. Make one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = check_secret_key(os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY), debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Absolute links (e-mails, QR codes): SITE_URL when set, else the request's own address, else
# SERVED_URL, where `make run` started the server (see asiakaskunto/links.py).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SERVED_URL = os.environ.get("SERVED_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "asiakaskunto",
    "observations",
    "photos",
    "surveys",
    "interviews",
    "sampling",
    "reports",
    "coaching",
    "privacy",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "asiakaskunto.middleware.FinnishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A user who still owes the second factor reaches only the page that settles it.
    "accounts.middleware.TwoFactorMiddleware",
    # A signed-in user's pages (dashboards, exports) are not kept by browsers or proxies.
    "asiakaskunto.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "asiakaskunto.urls"
WSGI_APPLICATION = "asiakaskunto.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "asiakaskunto.context_processors.roles",
                "asiakaskunto.context_processors.language_menu",
            ],
        },
    },
]


def databases_from(environ) -> dict:
    """DATABASES from DATABASE_URL, and with DATABASE_REPLICA_URL a second alias "replica": a
    read replica of that database for the reporting reads (``asiakaskunto.db``). Tests never
    create a database for it: in tests it reads the primary's test database (a mirror)."""
    databases = {"default": parse_database_url(environ.get("DATABASE_URL"))}
    if environ.get("DATABASE_REPLICA_URL"):
        replica = parse_database_url(environ["DATABASE_REPLICA_URL"])
        replica["TEST"] = {"MIRROR": "default"}
        if replica["ENGINE"] != "django.db.backends.sqlite3":
            # A replica that does not answer is left aside after this long, not waited for.
            replica["OPTIONS"].setdefault("connect_timeout", "3")
        databases["replica"] = replica
    return databases


DATABASES = databases_from(os.environ)
# Writes and ordinary reads on the primary; the reporting reads pick the replica themselves.
DATABASE_ROUTERS = ["asiakaskunto.db.router.PrimaryReplicaRouter"]
# A replica further behind than this is left aside: the reports read the primary.
DATABASE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Two caches. "shared" holds what decides correctness and must be the same for every app
# process (and the task worker): rate counters, repeat guards, the stamps of cached links, the
# stored report results (reports/results_cache.py). "default" holds what may be stale
# harmlessly: the survey's questions (a minute).
if REDIS_URL:
    _redis = {
        # Django's Redis cache with one client per connection pool, which carries on without
        # Redis while it cannot be reached (asiakaskunto/cache.py). Short timeouts: a Redis
        # that hangs must not hold a customer's answer for long.
        "BACKEND": "asiakaskunto.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {"default": _redis, "shared": _redis}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Without Redis, a table in the database (made by migrate) that every process sees.
        "shared": {
            "BACKEND": "asiakaskunto.cache.DatabaseCache",
            "LOCATION": "asiakaskunto_cache",
            # Each survey answer may add an entry (its repeat guard) and each client address a
            # rate counter; expired ones are culled as the table grows.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins (django-axes). A username is paused only together with the address
# that failed with it: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair waits AXES_COOLOFF_MINUTES (a clear page says so), while the real user elsewhere
# still gets in. An address with AXES_ADDRESS_FAILURE_LIMIT failures across any usernames
# (password spraying) waits as a whole (asiakaskunto/login_guard.py). The address is the one
# the survey limiter uses (asiakaskunto/addresses.py: X-Forwarded-For per TRUSTED_PROXY_COUNT).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "asiakaskunto.login_guard.LoginGuard"
AXES_CLIENT_IP_CALLABLE = "asiakaskunto.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# django-axes keeps a record of every login and failure; privacy.retention erases older ones.
LOGIN_RECORDS_DAYS = int(os.environ.get("LOGIN_RECORDS_DAYS", "90"))

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Public pages for customers and mystery shoppers follow the browser's language; staff pages
# start in Finnish (see asiakaskunto.middleware).
BROWSER_LANGUAGE_PATHS = ["/s/", "/m/"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Helsinki")
# Each language's own date and number formats; English with the day first (asiakaskunto/formats).
FORMAT_MODULE_PATH = ["asiakaskunto.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the installed plotly package: no CDN, nothing copied by hand.
    "asiakaskunto.staticfinders.PlotlyFinder",
]
# Uploaded files (photos attached to answers as evidence) go through Django's storage API. By
# default local files under MEDIA_ROOT, outside the static files and never served as media
# (``photos.views`` streams each photo to those who may see it). MEDIA_STORAGE=s3 stores them
# in an S3-compatible bucket through django-storages (the optional extra ``.[s3]``).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 8 * 1024 * 1024))
if os.environ.get("MEDIA_STORAGE", "local") == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", "asiakaskunto"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # in MEDIA_ROOT
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Under DEBUG whitenoise reads static files through the finders, as they are (uncompressed);
# `make run` turns that off to serve the collected, gzip- and brotli-compressed files.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# Files browsers ask for at the site's root (favicon.ico), served by whitenoise as they are.
WHITENOISE_ROOT = BASE_DIR / "public_root"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console by default; EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# the EMAIL_HOST… variables for a real server.
_email_options = {}
if os.environ.get("EMAIL_HOST"):
    _email_options = {
        "host": os.environ["EMAIL_HOST"],
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": _email_options,
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "asiakaskunto@localhost")

# Background work (e-mails, recomputing the stored report results): Django's tasks API. Immediate by default (development, tests); in
# production TASKS_BACKEND=django_tasks_db.DatabaseBackend queues the tasks in the database and
# `manage.py db_worker` runs them (README, Deploy).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Content Security Policy: only our own assets; scripts need the per-request nonce (CSP.NONCE
# becomes 'nonce-…', the value templates read as {{ csp_nonce }}). plotly's mode bar sets inline
# styles, hence 'unsafe-inline' for styles only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Accounts (accounts/) --------------------------------------------------------------------
# Password reset requests per client address and per e-mail address within the window; more are
# refused (per address) or silently not sent (per e-mail, so that nobody learns who has an account).
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10"))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_WINDOW_SECONDS = int(os.environ.get("PASSWORD_RESET_WINDOW_SECONDS", "3600"))

# Two-factor sign-in (django-otp's TOTP devices): the name the authenticator app shows, and the
# admin's device pages without the keys and QR codes of other people's devices.
OTP_TOTP_ISSUER = "Asiakaskunto"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Customer surveys (surveys/) -------------------------------------------------------------
# Standing links: answers per client address per window (0 = no limit), and how long an identical
# repeat from the same browser is refused. With several app processes set REDIS_URL, so that the
# processes share the counters.
SURVEY_RATE_LIMIT = int(os.environ.get("SURVEY_RATE_LIMIT", "30"))
SURVEY_RATE_WINDOW_SECONDS = int(os.environ.get("SURVEY_RATE_WINDOW_SECONDS", "600"))
SURVEY_REPEAT_WINDOW_SECONDS = int(os.environ.get("SURVEY_REPEAT_WINDOW_SECONDS", "900"))
# Personal invitations: valid for this many days; one reminder after this many days unanswered.
SURVEY_INVITATION_VALID_DAYS = int(os.environ.get("SURVEY_INVITATION_VALID_DAYS", "14"))
SURVEY_REMINDER_AFTER_DAYS = int(os.environ.get("SURVEY_REMINDER_AFTER_DAYS", "5"))
# The client address for rate limits: REMOTE_ADDR, unless this many trusted proxies add
# X-Forwarded-For in front of the app (then the address that the outermost one saw).
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_PROXY", False) else "0")
)
# ...and only from a peer at one of these addresses or networks (the proxy's; "*": any peer).
# gunicorn reads the same variable for the X-Forwarded-Proto it may trust.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")  # as gunicorn
# A friendly "the form expired, reload" page in the user's language, for every form.
CSRF_FAILURE_VIEW = "surveys.views.public.csrf_failure"

"""Mutual's one settings module, driven by the environment.

SQLite under ``var/`` by default; ``DATABASE_URL=postgres://…`` switches to PostgreSQL.
Every variable read here is listed in docs/configuration.md (a test keeps the two in step).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from mutual.config.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent  # src/mutual
VAR_DIR = Path(os.environ.get("MUTUAL_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_or_file(name: str) -> str | None:
    """``NAME``, or the content of the file named by ``NAME_FILE`` (which keeps a secret
    out of ``/proc/*/environ`` and process listings), or None."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


def _secret(name: str, *, generate_in: Path | None) -> str:
    """Read a secret from ``NAME``, from the file named by ``NAME_FILE``, or (development
    only) from a file generated once under ``var/``."""
    value = _env_or_file(name)
    if value:
        return value
    if generate_in is None:
        raise RuntimeError(f"{name} or {name}_FILE must be set in production")
    generate_in.parent.mkdir(parents=True, exist_ok=True)
    if not generate_in.exists():
        generate_in.write_text(secrets.token_urlsafe(48))
        generate_in.chmod(0o600)
    return generate_in.read_text().strip()


PRODUCTION = _env_bool("MUTUAL_PRODUCTION", False)
DEBUG = _env_bool("MUTUAL_DEBUG", not PRODUCTION)

SECRET_KEY = _secret(
    "MUTUAL_SECRET_KEY", generate_in=None if PRODUCTION else VAR_DIR / "secret_key"
)


def _networks(name: str, default: str) -> list[str]:
    """A comma-separated list of addresses or networks, checked at start-up."""
    entries = [e.strip() for e in os.environ.get(name, default).split(",") if e.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise RuntimeError(f"{name}: {entry!r} is not an address or a network") from None
    return entries


#: Peers whose ``X-Forwarded-For`` names the client (``mutual.web.client``): the reverse
#: proxy, on loopback in docs/deploy.md. Every limit and the security log use it.
MUTUAL_TRUSTED_PROXIES = _networks("MUTUAL_TRUSTED_PROXIES", "127.0.0.1,::1")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("MUTUAL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "mutual.accounts",
    "mutual.bonds",
    "mutual.checkins",
    "mutual.differences",
    "mutual.safety",
    "mutual.insights",
    "mutual.learn",
    "mutual.api",
    "mutual.notifications",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check and the HTTPS redirect.
    "mutual.config.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mutual.web.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # 'wasm-unsafe-eval' on the pages that run the end-to-end scheme, and only there.
    "mutual.accounts.keys_views.SchemePagesMiddleware",
    "mutual.web.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language) unless the person chose one (below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mutual.accounts.middleware.AuthenticationMiddleware",
    # The session list and the idle lock, then the person's language and time zone.
    "mutual.accounts.middleware.PersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "mutual.config.urls"
WSGI_APPLICATION = "mutual.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "mutual.web.source.source_link",
            ],
            # ``|day`` and ``|day_time``: one way to write a date on every page;
            # ``{% path %}``: a link to one of Mutual's pages, reversed once per route.
            "builtins": ["mutual.accounts.templatetags.when", "mutual.web.links"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mutual.sqlite3'}"),
        # Production keeps each thread's connection open for a minute (checked before
        # reuse, so a restarted database is reconnected without help).
        conn_max_age=int(os.environ.get("MUTUAL_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL, so psycopg prepares a statement the fifth time
    # a connection runs it and PostgreSQL stops planning the same reads again and again.
    # Behind a pooler in transaction mode without prepared-statement support, turn it off.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = _env_bool(
        "MUTUAL_PG_SERVER_BINDING", True
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
    }

#: Entries in the security cache at which expired ones are swept (live ones never go).
SECURITY_CACHE_SWEEP = 10_000
#: Entries of ordinary caching (drawn charts); beyond it the oldest third is dropped.
ORDINARY_CACHE_ENTRIES = 1_000


def caches(*, shared: bool) -> dict[str, dict[str, object]]:
    """Two caches that never share room.

    ``default`` — which allauth uses for sign-in throttles and the replay guard of
    one-time codes, and which Mutual's own code names ``security`` — drops an entry only
    once it has expired (``mutual.config.caches``), so no amount of other traffic can push
    a throttle or a used code out. ``ordinary`` holds everything else (drawn charts) and
    may drop its entries at any time. With ``shared`` (production) both are tables of the
    database, made by ``mutual manage createcachetable`` and shared by every app process;
    otherwise each process keeps them in its own memory.
    """
    if shared:
        security: dict[str, object] = {
            "BACKEND": "mutual.config.caches.SecurityDatabaseCache",
            "LOCATION": "mutual_security_cache",
        }
        ordinary: dict[str, object] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mutual_cache",
        }
    else:
        security = {
            "BACKEND": "mutual.config.caches.SecurityMemoryCache",
            "LOCATION": "mutual-security",
        }
        ordinary = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "mutual-ordinary",
        }
    security["OPTIONS"] = {"MAX_ENTRIES": SECURITY_CACHE_SWEEP}
    ordinary["OPTIONS"] = {"MAX_ENTRIES": ORDINARY_CACHE_ENTRIES}
    return {"default": security, "security": dict(security), "ordinary": ordinary}


# Throttles and the replay guard of one-time codes must be shared by every app process:
# in production both caches are tables of the database.
CACHES = caches(shared=_env_bool("MUTUAL_SHARED_CACHE", PRODUCTION))

# Background tasks (``mutual worker``): queued in the database, run by one worker process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Person"

PASSWORD_HASHERS = [
    "mutual.accounts.hashers.MutualArgon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# allauth's backend, refusing accounts whose address is not confirmed yet (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "mutual.accounts.backends.AuthenticationBackend",
]

# django-allauth: email is the identity; no usernames.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up answers "check your email" whether or not the address has an account, and an
# account signs in once its address is confirmed: nobody learns who has one.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("MUTUAL_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
# The browser that signed up is signed in when its link is followed (that browser only).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Every account form in Mutual's words (mutual.accounts.forms.Worded).
ACCOUNT_FORMS = {
    name: f"mutual.accounts.forms.{form}"
    for name, form in {
        "signup": "SignupForm",
        "login": "LoginForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "change_password": "ChangePasswordForm",
        "reauthenticate": "ReauthenticateForm",
        "add_email": "AddEmailForm",
    }.items()
}
ACCOUNT_LOGOUT_ON_GET = False
# A mail's subject says what it is in Mutual's words, with no "[site]" in front.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/bonds/"
LOGIN_URL = "/accounts/login/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Safety and privacy (docs/security.md): throttling with a trusted-device exemption,
# short single-use reset links, fresh re-authentication for sensitive changes.
ACCOUNT_ADAPTER = "mutual.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "mutual.accounts.adapter.MFAAdapter"
# The code that turns TOTP on is used up, like every other one-time code.
MFA_FORMS = {
    "activate_totp": "mutual.accounts.forms.ActivateTOTPForm",
    "authenticate": "mutual.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "mutual.accounts.forms.MFAReauthenticateForm",
}
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_trusted": "10/5m/key",
    # The salt lookup that starts a sign-in with keys (accounts.keys_views.salt).
    "keys_salt": "20/m/ip,10/5m/key",
    "keys_salt_trusted": "10/5m/key",
}
PASSWORD_RESET_TIMEOUT = 30 * 60
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_REAUTHENTICATION_REQUIRED = True
DEFAULT_EXCEPTION_REPORTER_FILTER = "mutual.web.security.QuietExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "mutual.web.security.QuietExceptionReporter"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    },
}
MFA_TOTP_ISSUER = "Mutual"

EMAIL_BACKEND = os.environ.get(
    "MUTUAL_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_TIMEOUT = 10
# Where mail leaves the machine (``mutual.config.mail``): one URL, its password inside,
# so it may come from a file like the other secrets.
_email_url = _env_or_file("MUTUAL_EMAIL_URL")
if _email_url:
    try:
        _mail = email_settings(_email_url)
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None
    EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
    EMAIL_HOST = _mail["EMAIL_HOST"]
    EMAIL_PORT = _mail["EMAIL_PORT"]
    EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _mail["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _mail["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _mail["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = os.environ.get("MUTUAL_FROM_EMAIL", "Mutual <mutual@localhost>")

#: The address people reach Mutual at, for the links in notification mails.
MUTUAL_BASE_URL = os.environ.get("MUTUAL_BASE_URL", "http://127.0.0.1:8000")
#: Web Push (docs/notifications.md): the VAPID key pair, base64url (the private key may
#: also be a PEM file's path), and the contact the push services may write to. Without
#: both keys Mutual offers no push.
MUTUAL_VAPID_PRIVATE_KEY = os.environ.get("MUTUAL_VAPID_PRIVATE_KEY", "")
MUTUAL_VAPID_PUBLIC_KEY = os.environ.get("MUTUAL_VAPID_PUBLIC_KEY", "")
MUTUAL_VAPID_SUBJECT = os.environ.get("MUTUAL_VAPID_SUBJECT", "mailto:mutual@localhost")

#: Where the footer's "Source code" link goes (AGPL-3.0: everyone who uses Mutual over the
#: network is offered its source). Empty: /source/, a tarball of the running code.
MUTUAL_SOURCE_URL = os.environ.get("MUTUAL_SOURCE_URL", "").strip()
#: The operator's list of support services by country (mutual.web.support): a JSON file,
#: or nothing, in which case everyone sees the neutral words on finding local help.
SUPPORT_FILE = os.environ.get("MUTUAL_SUPPORT_FILE", "")

LANGUAGE_CODE = "en"
#: The languages Mutual speaks. A person's choice (``Person.language``) wins; otherwise
#: the browser's ``Accept-Language`` picks among these; otherwise ``LANGUAGE_CODE``. Dates
#: and numbers are written the way the active language writes them.
LANGUAGES = [("en", "English")]
#: The catalogue ``mutual manage makemessages`` writes (src/mutual/locale/<lang>/).
LOCALE_PATHS = [BASE_DIR / "locale"]
#: Mutual's own date formats per language (``mutual/formats/<lang>/formats.py``).
FORMAT_MODULE_PATH = ["mutual.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it to exist
# Project-wide assets (src/mutual/static) beside each app's own static folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Database sessions whose rows hold only sha256 of the session key (accounts/session_store.py).
SESSION_ENGINE = "mutual.accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on form
# posts, which Django's CSRF check refuses. Other origins still receive no referrer.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = _env_bool("MUTUAL_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every log record's exception is reduced to its type and traceback before any handler
# sees it (``mutual.web.security.configure_logging``): messages may quote people.
LOGGING_CONFIG = "mutual.web.security.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MUTUAL_LOG_LEVEL", "WARNING")},
}

"""Settings for Dialogues, read from environment variables (see docs/deployment.md).

With no environment at all the app runs on SQLite in ``var/`` with mail written to
``var/mail/``: the embedded default that the demo uses.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from dialogues.env import env, envbool, envint, envlist, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("DIALOGUES_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DIALOGUES_DEBUG", False)
# pytest sets PYTEST_VERSION: the tests serve static files from the apps, uncollected.
TESTING = "PYTEST_VERSION" in os.environ
# Production sits behind HTTPS; the demo and the tests run on plain http://127.0.0.1.
HTTPS = envbool("DIALOGUES_HTTPS", False)


def _secret_key() -> str:
    key = envsecret("DIALOGUES_SECRET_KEY")
    if key:
        return key
    # Without a configured key (the demo, a developer's machine) keep a random one
    # in var/ so that sessions survive a restart. Production sets DIALOGUES_SECRET_KEY.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# Earlier keys, after a rotation: sessions and the campaigns' personal links stay valid.
SECRET_KEY_FALLBACKS = envlist("DIALOGUES_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = envlist("DIALOGUES_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DIALOGUES_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("DIALOGUES_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = env("DIALOGUES_ORGANISATION_NAME", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "mozilla_django_oidc",
    "axes",
    "django_tasks_db",
    "dialogues.common",
    "dialogues.organisation",
    "dialogues.accounts",
    "dialogues.concepts",
    "dialogues.rounds",
    "dialogues.experiences",
    "dialogues.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dialogues.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dialogues.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dialogues.urls"
WSGI_APPLICATION = "dialogues.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "dialogues.common.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dialogues.sqlite3'}"),
        conn_max_age=envint("DIALOGUES_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "DIALOGUES_DB_PREPARED_STATEMENTS", True
):
    # Parameters bound on the server and statements prepared after five uses on a connection:
    # PostgreSQL then plans the respondent's few statements once per connection, not per
    # request (docs/benchmarks.md). Turn off behind a pooler in transaction mode (PgBouncer).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # WAL lets readers and one writer work at once; IMMEDIATE avoids
        # "database is locked" when two transactions upgrade to writers.
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    if TESTING:
        # A file, not memory: the browser tests' live server then gives each of its threads
        # its own connection, as in production, instead of sharing the test's one.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisation.Person"

AUTHENTICATION_BACKENDS = [
    # First: refuses a log-in while its email and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "dialogues.accounts.backends.EmailBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "common:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Guessing passwords: after 5 failures for one email from one address, that pair waits
# 15 minutes (django-axes). Locking the pair, not the email alone, stops an attacker from
# locking people out of their own accounts.
AXES_FAILURE_LIMIT = envint("DIALOGUES_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("DIALOGUES_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "dialogues.accounts.backends.normalised_login_email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dialogues.accounts.views.locked_out"
AXES_VERBOSE = False
# Behind the HTTPS proxy every request comes from the proxy: the client's address is the one
# the proxies appended to X-Forwarded-For (dialogues.common.ratelimit.client_address). Axes and
# every limit below count that address; without it one visitor would lock out everyone.
BEHIND_PROXY = envbool("DIALOGUES_BEHIND_PROXY", False)
PROXY_COUNT = envint("DIALOGUES_PROXY_COUNT", 1) if BEHIND_PROXY else 0
AXES_CLIENT_IP_CALLABLE = "dialogues.common.ratelimit.client_address"

# Other attempts that are limited, as (attempts, seconds), counted in the shared cache (CACHES)
# by dialogues.common.ratelimit. Over the limit the answer is HTTP 429 with Retry-After.
RATE_LIMITS = {
    # Invalid questionnaire links from one address (valid links always open).
    "answer-link": (20, 10 * 60),
    # Wrong passwords from one address whatever the email: guessing one password for many
    # people. High, because a whole office may sit behind one address.
    "login-address": (envint("DIALOGUES_LOGIN_ADDRESS_LIMIT", 50), 15 * 60),
    # Password-reset mails for one email (beyond it the same page, no mail), and reset forms
    # sent from one address: nobody's inbox can be flooded, no address probed.
    "password-reset-email": (3, 60 * 60),
    "password-reset-address": (10, 60 * 60),
    # Wrong API tokens from one address, then every API request from it, for the window.
    "api-token-address": (20, 10 * 60),
    # API tokens one person creates.
    "api-token-create": (10, 60 * 60),
    # Failed returns from single sign-on (forged or replayed state) from one address.
    "sso-callback-address": (20, 10 * 60),
}

# Single sign-on through OpenID Connect, switched on by giving a client id (docs/sso.md).
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = envsecret("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
    # Only people the HR import knows may sign in; SSO never creates accounts.
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    AUTHENTICATION_BACKENDS.append("dialogues.accounts.backends.OrganisationOIDCBackend")
OIDC_LOGIN_LABEL = env("OIDC_LOGIN_LABEL", "")
# The provider's return, with a limit on failed returns per address (RATE_LIMITS).
OIDC_CALLBACK_CLASS = "dialogues.accounts.views.SingleSignOnCallbackView"

# A log-in lasts 8 hours from the moment of logging in, however busy, and ends sooner after
# 2 hours without a request (dialogues.accounts.middleware.SessionLimitsMiddleware); the
# cookie itself ends when the browser closes. Logging out deletes the session on the server.
SESSION_COOKIE_AGE = envint("DIALOGUES_SESSION_SECONDS", 60 * 60 * 8)
SESSION_IDLE_SECONDS = envint("DIALOGUES_SESSION_IDLE_SECONDS", 60 * 60 * 2)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
SECURE_SSL_REDIRECT = HTTPS and envbool("DIALOGUES_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("DIALOGUES_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: every page's JavaScript and CSS are static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("DIALOGUES_TIME_ZONE", "Europe/Copenhagen")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Mail goes through Django's mail framework: SMTP when a host is given, otherwise
# into files in var/mail/ so that the demo's password-reset mails can be read.
DEFAULT_FROM_EMAIL = env("DIALOGUES_FROM_EMAIL", "Dialogues <dialogues@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("DIALOGUES_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("DIALOGUES_SMTP_HOST"),
                "port": envint("DIALOGUES_SMTP_PORT", 587),
                "username": env("DIALOGUES_SMTP_USER"),
                "password": envsecret("DIALOGUES_SMTP_PASSWORD"),
                "use_tls": envbool("DIALOGUES_SMTP_STARTTLS", True),
                "timeout": envint("DIALOGUES_SMTP_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    # The tests run a task where it is enqueued; the worker itself is django-tasks-db's.
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# An HR export of a large organisation is a few MB; refuse anything far beyond that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
ORGANISATION_IMPORT_MAX_BYTES = envint("DIALOGUES_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The questionnaire's URL holds the personal link: never let it reach a log line.
    "filters": {"hide_answer_links": {"()": "dialogues.experiences.logs.HideAnswerLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_answer_links"]}},
    "root": {"handlers": ["console"], "level": env("DIALOGUES_LOG_LEVEL", "INFO")},
    # django-axes reports every log-in and log-out at INFO; failures come at WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# The counters kept here (RATE_LIMITS above) must be shared by every gunicorn worker:
# Redis when DIALOGUES_REDIS_URL is given, else files in var/; per-process memory in tests.
if env("DIALOGUES_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("DIALOGUES_REDIS_URL"),
        }
    }
elif TESTING:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dialogues",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Dialogue rounds: how often each concept is due, and when a step counts as overdue.
ROUNDS_WELLBEING_EVERY_MONTHS = envint("DIALOGUES_WELLBEING_EVERY_MONTHS", 24)
ROUNDS_LEADERSHIP_EVERY_MONTHS = envint("DIALOGUES_LEADERSHIP_EVERY_MONTHS", 12)
ROUNDS_INVITE_DAYS_BEFORE = envint("DIALOGUES_INVITE_DAYS_BEFORE", 30)
ROUNDS_DOCUMENT_DAYS_AFTER = envint("DIALOGUES_DOCUMENT_DAYS_AFTER", 14)
ROUNDS_FOLLOWUP_DAYS_AFTER = envint("DIALOGUES_FOLLOWUP_DAYS_AFTER", 60)

# Gathering experiences: the anonymity minimums a campaign starts from (docs/anonymity.md).
# Counts are reported from this many invitees or answers; comments and sensitive questions later.
EXPERIENCES_COUNT_MINIMUM = envint("DIALOGUES_EXPERIENCES_COUNT_MINIMUM", 5)
EXPERIENCES_COMMENT_MINIMUM = envint("DIALOGUES_EXPERIENCES_COMMENT_MINIMUM", 10)
EXPERIENCES_SENSITIVE_MINIMUM = envint("DIALOGUES_EXPERIENCES_SENSITIVE_MINIMUM", 20)

# How long a campaign's answers are kept after its close date, in days; then
# `manage.py delete_expired_answers` deletes them (docs/privacy.md). Three years by default
# (1,096 days, a leap day included): the APV must be redone at least every three years, so the
# answers last until the next round can be compared with them, and no longer. A campaign may
# choose fewer days, never more.
EXPERIENCES_ANSWER_RETENTION_DAYS = max(1, envint("DIALOGUES_ANSWER_RETENTION_DAYS", 1096))

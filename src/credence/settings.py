"""Settings, from environment variables only.

Embedded mode (the default) needs no configuration: SQLite in the project folder, Celery tasks run
eagerly in-process, e-mail to the console. Production mode (CREDENCE_DEBUG=false) refuses to start
with the default secret key or an empty ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()

DEFAULT_SECRET_KEY = "insecure-dev-key-change-me-credence"

DEBUG = env.bool("CREDENCE_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
# Encrypts the issuers' Ed25519 private keys at rest (credence.issuance.crypto); the public address
# below is where issuer DID documents, status lists and verification links live.
DEFAULT_KEY_ENCRYPTION_KEY = "insecure-dev-key-encryption-key-change-me"
CREDENCE_KEY_ENCRYPTION_KEY = env.str("CREDENCE_KEY_ENCRYPTION_KEY", default=DEFAULT_KEY_ENCRYPTION_KEY)
CREDENCE_PUBLIC_URL = env.str("CREDENCE_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters when CREDENCE_DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) served when CREDENCE_DEBUG is off.")
    if CREDENCE_KEY_ENCRYPTION_KEY == DEFAULT_KEY_ENCRYPTION_KEY or len(CREDENCE_KEY_ENCRYPTION_KEY) < 32:
        raise ImproperlyConfigured(
            "CREDENCE_KEY_ENCRYPTION_KEY must be set to a random value of at least 32 characters "
            "when CREDENCE_DEBUG is off."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "credence.audit",
    "credence.organisations",
    "credence.files",
    "credence.microcredentials",
    "credence.frameworks",
    "credence.reviews",
    "credence.monitoring",
    "credence.register",
    "credence.issuance",
    "credence.interop",
    "credence.notifications",
    "credence.comments",
    "credence.workflows",
    "credence.committees",
    "credence.catalogue",
    "credence.integrations",
    "credence.web",
    "credence.demo",
    # Single sign-on (integrations): per-organisation SAML 2.0 and OpenID Connect through django-allauth.
    # Only its provider URLs are mounted (under /sso/); our own sign-in page stays the one for passwords.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "credence.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "credence.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "credence.urls"
WSGI_APPLICATION = "credence.wsgi.application"
ASGI_APPLICATION = "credence.asgi.application"

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
                "credence.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # Tests use a file, as the embedded mode does: an in-memory shared-cache database locks whole tables
    # and fails concurrent writers instead of making them wait.
    # One file per test process, so that parallel runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"credence-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "credence.organisations.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Django's own page for a failed CSRF check has inline styles, which our Content-Security-Policy blocks.
CSRF_FAILURE_VIEW = "credence.web.views.csrf_failure"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(PROJECT_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(PROJECT_DIR / "media"))

# Largest request body Django will read into memory; larger bodies are refused with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
# Largest attachment (evidence files, documents) accepted, in bytes; checked by credence.files.services.
CREDENCE_MAX_UPLOAD_BYTES = env.int("CREDENCE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Webhooks may call private, loopback or plain-HTTP addresses only when this is on (development, tests).
CREDENCE_WEBHOOK_ALLOW_PRIVATE = env.bool("CREDENCE_WEBHOOK_ALLOW_PRIVATE", default=DEBUG)
# Single sign-on: who may sign in through an organisation's identity provider is decided in
# credence.integrations.sso (an existing member, matched by a verified e-mail address); nobody signs up.
SOCIALACCOUNT_ADAPTER = "credence.integrations.sso.OrganisationSignOnAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
ACCOUNT_EMAIL_VERIFICATION = "none"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="credence@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        # An organisation's scoped API token (integrations): `Authorization: Bearer cred_...`.
        "credence.integrations.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("TOKEN_THROTTLE_RATE", default="10/minute")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "credence.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Credence API",
    "DESCRIPTION": (
        "Quality assurance and governance of micro-credentials.\n\n"
        "**Signing in.** Get a token from `POST /api/auth/token/` and send it as `Authorization: Token <token>`; "
        "a signed-in browser session works too (writes then need the CSRF token).\n\n"
        "**Errors.** A rejected write answers 400 with `errors` keyed by field path "
        "(`learning_outcomes[2].text`) and writes nothing. Another organisation's unpublished records answer "
        "404; a record you may see but not change answers 403.\n\n"
        "**Concurrent edits.** Writes carry the `lock_version` that was read; a stale one answers 409 with "
        "the record as it is now.\n\n"
        '**Decimals** (credits, weights, hours, fees, coordinates) are written as strings (`"5.00"`); '
        "numbers are accepted on input."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets named by what they are, not by the field that happens to hold them ("kind", "role").
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "credence.organisations.models.OrganisationKind",
        "QFEHEALevelEnum": "credence.organisations.models.QFEHEALevel",
        "IdentifierResourceEnum": "credence.organisations.models.IdentifierResource",
        "MembershipRoleEnum": "credence.organisations.models.Role",
        "PartnerRoleEnum": "credence.microcredentials.models.PartnerRole",
        "PathwayKindEnum": "credence.microcredentials.models.PathwayKind",
        "AssessmentTypeEnum": "credence.microcredentials.models.AssessmentType",
        "VersionStatusEnum": "credence.microcredentials.models.VersionStatus",
        "ProposalKindEnum": "credence.workflows.models.ProposalKind",
        "ProposalStatusEnum": "credence.workflows.models.ProposalStatus",
        "StageKindEnum": "credence.workflows.models.StageKind",
        "StageRunStatusEnum": "credence.workflows.models.StageRunStatus",
        "TaskKindEnum": "credence.workflows.models.TaskKind",
        "TaskStatusEnum": "credence.workflows.models.TaskStatus",
        "DecisionActionEnum": "credence.workflows.models.DecisionAction",
    },
}

# Periodic jobs, for deployments that run `celery -A credence beat` (times in TIME_ZONE); without beat, run
# the same management commands from cron (docs/operations.md). The daily digest is added by notifications.
CELERY_BEAT_SCHEDULE = {
    "workflows-publish-due": {"task": "credence.workflows.tasks.publish_due", "schedule": 15 * 60.0},
    "workflows-task-reminders": {
        "task": "credence.workflows.tasks.send_task_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "monitoring-check-reviews": {"task": "credence.monitoring.tasks.check_reviews", "schedule": crontab(hour=5, minute=0)},
    "catalogue-rebuild": {"task": "credence.catalogue.tasks.rebuild_catalogue", "schedule": crontab(hour=3, minute=0)},
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

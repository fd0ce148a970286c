"""Tandem settings.

Everything that differs between a laptop, CI and production is read from the environment
(django-environ). With nothing set, Tandem runs on embedded defaults: a SQLite file and a
filesystem message broker under ``var/``, so ``make run`` needs no servers. With ``DEBUG`` off a
missing ``SECRET_KEY`` stops start-up rather than falling back to a known key, unless a plainly
local run (no ``DATABASE_URL``, no ``ALLOWED_HOSTS``) has its own key in ``var/secret_key`` (made
by ``make run``).
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mentoring.client_address import client_address_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("TANDEM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A local run (`make run`) keeps its own key in var/secret_key, so `python manage.py ...`
# works beside it with nothing exported. Only a plainly local run reads it: the embedded
# SQLite database and the default hosts. A server names its database or its hosts, so there
# a missing (or empty) SECRET_KEY stops start-up even if a var/secret_key is lying about.
LOCAL_SECRET_KEY_FILE = VAR_DIR / "secret_key"
PLAINLY_LOCAL = not env.str("DATABASE_URL", default="") and not env.str("ALLOWED_HOSTS", default="")
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and PLAINLY_LOCAL and LOCAL_SECRET_KEY_FILE.is_file():
    SECRET_KEY = LOCAL_SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            f"(For a local run with neither DATABASE_URL nor ALLOWED_HOSTS set, `make run` "
            f"makes one in {LOCAL_SECRET_KEY_FILE}.)"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    # Before django_otp: Django takes a management command from the first app that has it, so
    # accounts' addstatictoken (which refuses) hides django-otp's (which skips the audit).
    "accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "audit",
    "core",
    "schemes",
    "mentees",
    "concerns",
    "relationships",
    "flags",
    "reports",
    "privacy",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.permissions_policy",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: whether this session gave a code (OTPMiddleware) ...
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.no_store_when_logged_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    # ... the idle and absolute limits, for a session past the password alone as well ...
    "accounts.middleware.session_limits",
    # ... then to the code step if it gave none.
    "accounts.second_factor.middleware.second_factor_step",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

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
                "accounts.context_processors.roles",
                "core.context_processors.notifications",
                "core.context_processors.outbox",
            ],
        },
    },
]

# --- Database ----------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web app, the worker and the scheduler share one file: wait for locks instead of
    # failing, and take the write lock up front so concurrent writers queue rather than deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database fails a request (and /healthz) in seconds instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Audit trail ----------
# The key the audit events' MACs and hash chain are made with (audit/chain.py). Set it on its own in
# production and keep it outside the database; unset, it is derived from SECRET_KEY, so
# rotating SECRET_KEY would make the chain unverifiable.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")

# --- Cache ----------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- People ----------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a lockout limit is reached
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing (accounts/lockout.py says why each limit is what it is): failures are
# counted for one email from one address, for one address across every email and for one email
# across every address, each with its own limit; reaching any locks for the cool-off time. Every
# attempt is logged by django-axes (visible in the admin) and in the audit trail.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=10)
# Past this many from one address, every account is refused from there (accounts/lockout.py).
LOGIN_FAILURE_CAP_PER_ADDRESS = env.int("LOGIN_FAILURE_CAP_PER_ADDRESS", default=30)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", default=20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "accounts.lockout.LimitsPerParameterHandler"
# A correct password clears only its own account-and-address count (accounts.lockout).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.forms.login_username"
# ipware's answer, or the nearest proxy's entry when the header is shorter than expected.
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"

# The client's address, through django-ipware (mentoring/client_address.py says how).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
vars().update(client_address_settings(TRUSTED_PROXY_COUNT))
# The second factor (accounts/second_factor/): a code from an app after the password. Wrong
# codes lock the step as wrong passwords lock the login; django-otp doubles the wait between
# tries on top.
SECOND_FACTOR_FAILURE_LIMIT = env.int("SECOND_FACTOR_FAILURE_LIMIT", default=5)
SECOND_FACTOR_LOCKOUT = datetime.timedelta(
    minutes=env.int("SECOND_FACTOR_LOCKOUT_MINUTES", default=15)
)
OTP_TOTP_ISSUER = "Tandem"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.RepetitionValidator"},
    {"NAME": "accounts.passwords.ProductNameValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)

# Case records are sensitive. A session ends when the browser closes, and
# (accounts/middleware.py) after a time without activity or a time since logging in, whatever
# the activity. Managers and coordinators (and the admin) see whole schemes from desks: 30
# minutes idle, 12 hours in all, so a session never outlives a working day. Mentors see only
# their own matches, on their own phones (which lock themselves), and write a meeting up after
# it: 4 hours idle covers a meeting and the journey home, 24 hours means logging in once a day
# rather than in the street before each meeting.
SESSION_IDLE_MINUTES_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=30)
SESSION_ABSOLUTE_HOURS_STAFF = env.int("SESSION_ABSOLUTE_HOURS_STAFF", default=12)
SESSION_IDLE_MINUTES_MENTOR = env.int("SESSION_IDLE_MINUTES_MENTOR", default=4 * 60)
SESSION_ABSOLUTE_HOURS_MENTOR = env.int("SESSION_ABSOLUTE_HOURS_MENTOR", default=24)
# The stored session lives as long as the longest idle limit; the middleware ends it sooner.
# It records activity at most once a minute, so the session is saved then, not every request.
SESSION_COOKIE_AGE = 60 * max(SESSION_IDLE_MINUTES_STAFF, SESSION_IDLE_MINUTES_MENTOR)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Production switches ----------
# With DEBUG off Tandem is served over HTTPS only: secure cookies, a redirect from plain HTTP
# and a year of HSTS, unless one explicit setting says this run is plain HTTP on purpose
# (`make run`, the test suite and its live servers set ALLOW_PLAIN_HTTP=true). Each switch can
# still be set on its own.
ALLOW_PLAIN_HTTP = env.bool("ALLOW_PLAIN_HTTP", default=False)
HTTPS_ONLY = not DEBUG and not ALLOW_PLAIN_HTTP
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
# A load balancer's or the machine's own probe of /healthz often comes over plain HTTP, straight
# to the app: it gets its answer rather than a redirect (the public sees only the status).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS_ONLY)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 * HTTPS_ONLY)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS_ONLY)
# "preload" in the header only says the site consents to browsers' preload lists; nothing is
# listed until someone submits the domain at hstspreload.org.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): the app's own files only. No inline script or style,
# no CDN: scripts and styles are files under static/ (an element's style set from a script,
# as Bootstrap does, is allowed; a style="" attribute in the markup is not). Images may be
# data: URLs, which Bootstrap's stylesheet uses for its icons (the menu button, form ticks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (core.middleware.permissions_policy): browser features no page uses are
# switched off, so an injected script could not reach the camera or the location either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    )
}  # fmt: skip

# --- Language and time ----------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ----------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Email is sent by the worker (core.mail), never in a web request; a mail server that does not
# answer gives up after this many seconds and the task tries again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Where links in emails point when no web request is at hand (e.g. from a command).
SITE_DOMAIN = env.str("SITE_DOMAIN", default="127.0.0.1:8000")
SITE_HTTPS = env.bool("SITE_HTTPS", default=not DEBUG and SECURE_SSL_REDIRECT)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tandem <tandem@localhost>")

# --- Celery ----------
# Default broker: kombu's filesystem transport under var/broker, so no server is needed, with
# each message written whole before the worker can read it (core/broker.py says why).
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT = "core.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A hung task must not hold a worker for ever: soft limit raises in the task, hard kills it.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=5 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=6 * 60)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# How often the worker proves it is alive, and how old a heartbeat may be before /healthz fails.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=15)
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=90)
FLAG_SWEEP_SECONDS = env.int("FLAG_SWEEP_SECONDS", default=15 * 60)
# How often offers of a match left unanswered past their deadline are closed.
OFFER_LAPSE_SECONDS = env.int("OFFER_LAPSE_SECONDS", default=15 * 60)
# How often the worker reminds mentors of tomorrow's planned meetings and asks "Did it happen?"
# about those whose time has passed.
PLAN_REMINDER_SECONDS = env.int("PLAN_REMINDER_SECONDS", default=15 * 60)
# How often the worker looks for concerns nobody acknowledged in time.
CONCERN_ESCALATION_SECONDS = env.int("CONCERN_ESCALATION_SECONDS", default=5 * 60)
# How often the worker places new audit events in the audit chain (docs/audit.md).
AUDIT_CHAIN_SECONDS = env.int("AUDIT_CHAIN_SECONDS", default=60)
# How often the retention worker runs (daily).
RETENTION_SECONDS = env.int("RETENTION_SECONDS", default=24 * 60 * 60)
# How often the worker sends the reminders before vetting expires (daily; a run sends each once).
EXPIRY_REMINDER_SECONDS = env.int("EXPIRY_REMINDER_SECONDS", default=24 * 60 * 60)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.heartbeat", "schedule": WORKER_HEARTBEAT_SECONDS},
    "flag-sweep": {"task": "flags.tasks.sweep_flags", "schedule": FLAG_SWEEP_SECONDS},
    "concern-escalation": {
        "task": "concerns.tasks.escalate_overdue_concerns",
        "schedule": CONCERN_ESCALATION_SECONDS,
    },
    "audit-chain": {"task": "audit.tasks.chain_pending", "schedule": AUDIT_CHAIN_SECONDS},
    "report-exports-waiting": {"task": "reports.tasks.run_waiting_exports", "schedule": 60},
    "report-exports-expire": {"task": "reports.tasks.expire_exports", "schedule": 60 * 60},
    "import-jobs-waiting": {"task": "home.tasks.run_waiting_imports", "schedule": 60},
    "import-jobs-expire": {"task": "home.tasks.expire_imports", "schedule": 60 * 60},
    "offers-lapse": {"task": "relationships.tasks.lapse_offers", "schedule": OFFER_LAPSE_SECONDS},
    "plans-remind": {"task": "relationships.tasks.remind_plans", "schedule": PLAN_REMINDER_SECONDS},
    "plans-ask": {"task": "relationships.tasks.ask_plans", "schedule": PLAN_REMINDER_SECONDS},
    # Retention (privacy): anonymise people past their scheme's period, delete private notes.
    "retention": {"task": "privacy.tasks.run_retention", "schedule": RETENTION_SECONDS},
    "subject-access-expire": {"task": "privacy.tasks.expire_subject_access", "schedule": 60 * 60},
    # Reminders before a mentor's DBS check or prison clearance expires (sent once each).
    "expiry-reminders": {
        "task": "schemes.tasks.send_expiry_reminders",
        "schedule": EXPIRY_REMINDER_SECONDS,
    },
}
# How long an exported report file stays downloadable before it is deleted.
REPORT_FILE_HOURS = env.int("REPORT_FILE_HOURS", default=24)
# How long an uploaded import file waits for the go-ahead after its check before it is deleted.
IMPORT_FILE_HOURS = env.int("IMPORT_FILE_HOURS", default=24)
# How soon an import that found another import into its scheme is queued to run again.
IMPORT_SCHEME_BUSY_SECONDS = env.int("IMPORT_SCHEME_BUSY_SECONDS", default=30)

# --- Logging ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # not a start-up banner in every command
}

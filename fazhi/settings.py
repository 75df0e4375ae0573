"""One settings module, driven by environment variables.

Defaults serve the demo (SQLite under ./var). Production (FAZHI_ENV=production) refuses to
start without a real SECRET_KEY and FAZHI_PII_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", Path.cwd() / "var")).resolve()

DEMO_SECRET_KEY = "fazhi-demo-secret-key-not-for-production-0123456789"
DEMO_PII_KEY = "00112233445566778899aabbccddeeff"  # 16-byte SM4 key, hex


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true/false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


FAZHI_ENV = os.environ.get("FAZHI_ENV", "demo")
if FAZHI_ENV not in {"demo", "production", "test"}:
    raise ImproperlyConfigured(f"FAZHI_ENV must be demo, production or test, got {FAZHI_ENV!r}")
PRODUCTION = FAZHI_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
FAZHI_PII_KEY = os.environ.get("FAZHI_PII_KEY", DEMO_PII_KEY)
# The previous key during a rotation: still decrypts and still matches blind indexes.
FAZHI_PII_KEY_OLD = os.environ.get("FAZHI_PII_KEY_OLD", "")
if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少50个字符，且不能使用演示密钥）。")
    if FAZHI_PII_KEY == DEMO_PII_KEY:
        raise ImproperlyConfigured(
            "生产环境必须设置 FAZHI_PII_KEY（32位十六进制 SM4 密钥，且不能使用演示密钥）。"
        )
try:
    if len(bytes.fromhex(FAZHI_PII_KEY)) != 16:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("FAZHI_PII_KEY must be 32 hex digits (a 128-bit SM4 key).") from None

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "fazhi.core",
    "fazhi.org",
    "fazhi.cases",
    "fazhi.hotline",
    "fazhi.metrics",
    "fazhi.legal",
    "fazhi.reports",
    "fazhi.suggestions",
    "fazhi.mediation",
    "fazhi.assessment",
    "fazhi.portal",
    "fazhi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fazhi.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fazhi.core.middleware.SessionIdleTimeoutMiddleware",
    "fazhi.core.middleware.PasswordExpiryMiddleware",
    "fazhi.core.middleware.DeniedAccessAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

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
                "fazhi.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:workbench"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "fazhi.core.security.ComplexityValidator"},
]

# 等保 level 3 practice values; the standard itself fixes no numbers (DOMAIN.md §12).
FAZHI_LOGIN_MAX_FAILURES = env_int("FAZHI_LOGIN_MAX_FAILURES", 5, minimum=1)
FAZHI_LOGIN_LOCK_MINUTES = env_int("FAZHI_LOGIN_LOCK_MINUTES", 10, minimum=1)
FAZHI_PASSWORD_MAX_AGE_DAYS = env_int("FAZHI_PASSWORD_MAX_AGE_DAYS", 90)  # 0 disables expiry
FAZHI_SESSION_IDLE_MINUTES = env_int("FAZHI_SESSION_IDLE_MINUTES", 30, minimum=1)
FAZHI_DUE_SOON_WORKDAYS = env_int("FAZHI_DUE_SOON_WORKDAYS", 2)
# How often a process re-reads the calendar's fingerprint to notice edits made by other processes.
FAZHI_CALENDAR_RECHECK_SECONDS = env_int("FAZHI_CALENDAR_RECHECK_SECONDS", 5)
# The daily sweep keeps the calendar this many days ahead of today: years the holiday package
# lacks are laid out from weekends (暂按周休日) so a six-month deadline plus an extension can be
# counted; they are recomputed when the State Council's notice is loaded.
FAZHI_CALENDAR_AHEAD_DAYS = env_int("FAZHI_CALENDAR_AHEAD_DAYS", 400, minimum=1)
# 12345 hotspots: a street × category cell warns when it has at least this many requests in the
# window and at least FACTOR times the previous window's count (local practice; adjust here).
FAZHI_HOTSPOT_MIN_COUNT = env_int("FAZHI_HOTSPOT_MIN_COUNT", 5, minimum=1)
FAZHI_HOTSPOT_FACTOR = env_float("FAZHI_HOTSPOT_FACTOR", 2.0, minimum=1.0)
FAZHI_AUDIT_RETENTION_DAYS = env_int("FAZHI_AUDIT_RETENTION_DAYS", 183, minimum=183)
FAZHI_ANNUAL_REPORT_DATES = os.environ.get("FAZHI_ANNUAL_REPORT_DATES", "")  # "department=03-01,public=04-01"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The browser preload list is for public internet domains; most deployments sit on a
    # government intranet, so preloading is opt-in and Django's reminder about it is silenced.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FAZHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fazhi@localhost")
FAZHI_EMAIL_NOTICES = env_bool("FAZHI_EMAIL_NOTICES", False)
# 12345: the supervisor account the escalation sweep and 差评 rectification tasks act as (username).
FAZHI_HOTLINE_SUPERVISOR = os.environ.get("FAZHI_HOTLINE_SUPERVISOR", "")
# The 12345 centre operator account portal submissions are registered as (the demo creates it).
FAZHI_PORTAL_OPERATOR = os.environ.get("FAZHI_PORTAL_OPERATOR", "portal")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pii": {"()": "fazhi.core.logging.PiiRedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["pii"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

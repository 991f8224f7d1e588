"""Settings for civicline. Everything a deployment changes comes from the environment."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from civicline import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

DEBUG = config.env_bool("CIVICLINE_DEBUG", False)
SECRET_KEY = config.secret_key(DATA_DIR)
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "civicline.directory",
    "civicline.cases",
    "civicline.routing",
    "civicline.deadlines",
    "civicline.notifications",
    "civicline.worker",
    "civicline.open311",
    "civicline.portal",
    "civicline.knowledge",
    "civicline.workorders",
    "civicline.telephony",
    "civicline.dashboard",
    "civicline.desk",
    "civicline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "civicline.limits.RequestSizeLimit",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, and sync-only like the two of civicline.limits: the whole chain then runs
    # in one worker thread, where a sync middleware between async ones would have every
    # request hop between the thread and the event loop at each of them.
    "civicline.limits.RejectNul",
]

ROOT_URLCONF = "civicline.urls"
ASGI_APPLICATION = "civicline.asgi.application"
WSGI_APPLICATION = "civicline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicline.desk.context_processors.staff_roles",
            ],
        },
    },
]

DATABASES = {"default": config.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = config.env_str("CIVICLINE_LANGUAGE", "sr")
LANGUAGES = [
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("bg", _("Bulgarian")),
    ("uk", _("Ukrainian")),
    ("en", _("English")),
]
if LANGUAGE_CODE not in dict(LANGUAGES):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"CIVICLINE_LANGUAGE={LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}"
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = config.env_timezone("CIVICLINE_TIME_ZONE", "Europe/Belgrade")
# The country whose numbering plan applies to numbers typed without +country code.
PHONE_REGION = config.env_str("CIVICLINE_PHONE_REGION", "RS")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the apps; it only checks this exists
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the app folders directly, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page, not the cookie
SESSION_COOKIE_SECURE = config.env_bool("CIVICLINE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Live updates: how long one server-sent-events stream stays open before the browser
# reconnects (with Last-Event-ID, so nothing is missed), and how often it looks for events.
LIVE_STREAM_SECONDS = config.env_int("CIVICLINE_LIVE_STREAM_SECONDS", 55, minimum=1)
# A ringing phone must pop the caller's history within a second, the lookup included.
LIVE_POLL_SECONDS = 0.25

# Telephony. Only a simulation sets the switchboard's clock from its requests
# (X-Civicline-Time); never turn this on for a real line.
TELEPHONY_SIMULATED_TIME = config.env_bool("CIVICLINE_SIMULATED_TIME", False)
# Who routes calls to agents: civicline's own ACD (the PBX asks over the CTI API), or the
# PBX's queues (Asterisk over AMI), which civicline then only follows.
TELEPHONY_ROUTING = config.env_str("CIVICLINE_ROUTING", "civicline")
if TELEPHONY_ROUTING not in ("civicline", "pbx"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"CIVICLINE_ROUTING={TELEPHONY_ROUTING!r} is not civicline or pbx")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_secrets": {"()": "civicline.accesslog.HideSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config.env_str("CIVICLINE_LOG_LEVEL", "INFO")},
    "loggers": {
        # "Unauthorized: /api/v1/cti/<token>" and the like name the address.
        "django.request": {"filters": ["hide_secrets"]},
        "django.db.backends": {"level": "WARNING"},
        # The PDF work orders subset their font: fontTools narrates every glyph at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Notifications
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# SMS: "log" writes them to the worker's log (the demo); "http" hands them to a gateway.
SMS_GATEWAY = config.env_str("CIVICLINE_SMS_GATEWAY", "log")
SMS_HTTP = {
    "url": config.env_str("CIVICLINE_SMS_URL", ""),
    "method": config.env_str("CIVICLINE_SMS_METHOD", "POST").upper(),
    "auth_header": config.env_str("CIVICLINE_SMS_AUTH_HEADER", ""),
    # {to} (E.164), {text} and {key} (the idempotency key), escaped for the body's format.
    "body_template": config.env_str(
        "CIVICLINE_SMS_BODY_TEMPLATE", '{"to": "{to}", "text": "{text}", "key": "{key}"}'
    ),
    "content_type": config.env_str("CIVICLINE_SMS_CONTENT_TYPE", "application/json"),
    "timeout": config.env_int("CIVICLINE_SMS_TIMEOUT", 10, minimum=1),
}
if SMS_GATEWAY not in ("log", "http"):
    raise ImproperlyConfigured(f"CIVICLINE_SMS_GATEWAY={SMS_GATEWAY!r} is not log or http")
if SMS_GATEWAY == "http" and not SMS_HTTP["url"].startswith(("http://", "https://")):
    raise ImproperlyConfigured("CIVICLINE_SMS_URL must be an http:// or https:// URL")
if SMS_HTTP["method"] not in ("GET", "POST", "PUT"):
    raise ImproperlyConfigured(
        f"CIVICLINE_SMS_METHOD={SMS_HTTP['method']!r} is not GET, POST or PUT"
    )

# E-mail: SMTP when a host is set; otherwise the worker prints them (the demo).
DEFAULT_FROM_EMAIL = config.env_str("CIVICLINE_EMAIL_FROM", "civicline@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = config.env_str("CIVICLINE_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = config.env_int("CIVICLINE_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = config.env_str("CIVICLINE_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = config.env_str("CIVICLINE_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = config.env_bool("CIVICLINE_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = config.env_int("CIVICLINE_EMAIL_TIMEOUT", 20, minimum=1)

# How long a worker holds a message it is sending before another worker may take it over
# (the first one died). Longer than any gateway's timeout, or a slow send goes out twice.
NOTIFICATIONS_LEASE_SECONDS = config.env_int("CIVICLINE_NOTIFY_LEASE_SECONDS", 300, minimum=1)
if max(SMS_HTTP["timeout"], EMAIL_TIMEOUT) >= NOTIFICATIONS_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "CIVICLINE_NOTIFY_LEASE_SECONDS must be longer than CIVICLINE_SMS_TIMEOUT and "
        "CIVICLINE_EMAIL_TIMEOUT"
    )

# The address citizens reach civicline at, for links in messages (no trailing slash).
SITE_URL = config.env_str("CIVICLINE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("CIVICLINE_SITE_URL must start with http:// or https://")

# Open311 GeoReport v2
OPEN311_JURISDICTION = config.env_str("CIVICLINE_OPEN311_JURISDICTION", "novisad.rs")
OPEN311_CONTACT = config.env_str("CIVICLINE_OPEN311_CONTACT", "Контакт центар, 0800 021 021")
OPEN311_POSTS_PER_MINUTE_PER_KEY = config.env_int("CIVICLINE_OPEN311_POSTS_PER_MINUTE_PER_KEY", 120)
OPEN311_POSTS_PER_MINUTE_PER_ADDRESS = config.env_int(
    "CIVICLINE_OPEN311_POSTS_PER_MINUTE_PER_ADDRESS", 20
)

# Photos sent with cases: the largest file accepted, and the largest image in pixels (a
# small file can decode into a huge image).
PHOTO_MAX_BYTES = config.env_int("CIVICLINE_PHOTO_MAX_MB", 10, minimum=1) * 2**20
PHOTO_MAX_PIXELS = 40_000_000
PHOTOS_PER_CASE = 5
# Uploads bigger than this are written to a temporary file instead of kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20

# The citizen portal's maps: the tile server the citizen's browser loads (any
# {z}/{x}/{y} server, the city's own or OpenStreetMap's), its attribution, and where the
# map opens ("latitude,longitude,zoom").
PORTAL_TILE_URL = config.env_str(
    "CIVICLINE_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
PORTAL_TILE_ATTRIBUTION = config.env_str(
    "CIVICLINE_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
if not all(part in PORTAL_TILE_URL for part in ("{z}", "{x}", "{y}")):
    raise ImproperlyConfigured("CIVICLINE_TILE_URL must contain {z}, {x} and {y}")
try:
    _lat, _lon, _zoom = config.env_str("CIVICLINE_MAP_CENTRE", "45.2551,19.8452,13").split(",")
    PORTAL_MAP_CENTRE = {"lat": float(_lat), "lng": float(_lon), "zoom": int(_zoom)}
except ValueError:
    raise ImproperlyConfigured(
        "CIVICLINE_MAP_CENTRE must be latitude,longitude,zoom, e.g. 45.2551,19.8452,13"
    ) from None
# Reports from one address per minute, on top of a hidden field only robots fill in.
PORTAL_REPORTS_PER_MINUTE_PER_ADDRESS = config.env_int(
    "CIVICLINE_PORTAL_REPORTS_PER_MINUTE", 5, minimum=1
)

# Duplicate suggestions on the desk: cases of the same category within this many metres,
# registered within this many days of each other.
DUPLICATE_DISTANCE_M = config.env_int("CIVICLINE_DUPLICATE_DISTANCE_M", 50, minimum=1)
DUPLICATE_WINDOW_DAYS = config.env_int("CIVICLINE_DUPLICATE_WINDOW_DAYS", 14, minimum=1)

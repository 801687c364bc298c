"""Settings for the test suite: same as production but fast hashing and a file
SQLite database (threads in concurrency tests need a real file, not :memory:)."""

from __future__ import annotations

import os
import tempfile

from .settings import *  # noqa: F403
from .settings import DATABASES, EMPORIA

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_tmp = os.environ.get("EMPORIA_TEST_DB_DIR", tempfile.gettempdir())
if DATABASES["default"]["ENGINE"].endswith(("sqlite3", "sqlite")):
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_tmp, "emporia-test.sqlite3")}
else:
    # Several checkouts may test against one server at once: name the database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("EMPORIA_TEST_PG_NAME", "test_emporia")
    }
if DATABASES["sandbox"]["ENGINE"].endswith(("sqlite3", "sqlite")):
    # the sandbox gateway's own database (settings: a provider's books are
    # not the merchant's), a file too: the HTTP transport's sender threads
    # and the concurrency tests use it from several threads
    DATABASES["sandbox"]["TEST"] = {
        "NAME": os.path.join(_tmp, "emporia-test-sandbox.sqlite3")
    }
EMPORIA["INPROCESS_JOBS"] = False
EMPORIA["SANDBOX_CALLBACK_TRANSPORT"] = "inprocess"
# Tests change users and tokens behind the API's back; the token cache has
# its own tests, which turn it on.
EMPORIA["TOKEN_CACHE_SECONDS"] = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

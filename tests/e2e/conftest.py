"""Browser journeys: a real Chromium (the system one) driven by Playwright
against pytest-django's live server.

Skipped, with the reason, when /usr/bin/chromium is missing. Screenshots of
every page a journey passes through go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DOC_IMAGES = ROOT / "docs" / "images"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API keeps an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of one journey under test-artifacts/<journey>/."""

    def __init__(self, name: str):
        self.dir = ARTIFACTS / name
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page, label: str, *, doc: str | None = None) -> Path:
        self.n += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        path = self.dir / f"{self.n:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        if doc:
            DOC_IMAGES.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOC_IMAGES / doc), full_page=False)
        return path


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


@pytest.fixture
def new_page(browser):
    """``new_page(locale="en-US")`` → a page in a fresh browser context (its
    own cookies), closed after the test."""
    contexts = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 900):
        context = browser.new_context(
            locale=locale, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def callbacks_to_live_server(settings, live_server):
    """The sandbox gateway POSTs its signed callback over real HTTP to the
    live server, as a provider would (see infra/psp/sandbox/transport.py)."""
    settings.EMPORIA = {
        **settings.EMPORIA,
        "SANDBOX_CALLBACK_TRANSPORT": "http",
        "PUBLIC_BASE_URL": live_server.url,
    }
    return live_server

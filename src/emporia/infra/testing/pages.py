"""Test helper: a page as a logged-in person reads it."""

from __future__ import annotations

from django.test import Client


def page_text(user, url: str, *, language: str = "zh-hans") -> str:
    """The HTML of ``url`` for ``user``, asked for in ``language`` (the
    platform's, Chinese, unless told); fails unless the page answers 200."""
    client = Client()
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()

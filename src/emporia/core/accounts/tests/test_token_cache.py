"""The per-process reuse of bearer-token lookups (EMPORIA["TOKEN_CACHE_SECONDS"])."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporia.core.accounts import services
from emporia.core.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_cache(settings):
    """Reuse lookups for 5 s; start and end with an empty cache."""
    settings.EMPORIA = {**settings.EMPORIA, "TOKEN_CACHE_SECONDS": 5}
    services._forget_grants()
    yield
    services._forget_grants()


def test_a_reused_lookup_costs_no_query(token_cache, user, frozen_clock):
    # given a token looked up once
    _, raw = services.create_api_token(user=user, name="laptop")
    assert services.authenticate_token(raw=raw) == (user, None)
    # when it is presented again within the reuse window
    with CaptureQueriesContext(connection) as queries:
        found = services.authenticate_token(raw=raw)
    # then it acts as the same user, without touching the database
    assert found == (user, None)
    assert len(queries) == 0


def test_each_caller_gets_its_own_user_instance(token_cache, user, frozen_clock):
    _, raw = services.create_api_token(user=user, name="laptop")
    first, _ = services.authenticate_token(raw=raw)
    first.display_name = "changed by one request"
    second, _ = services.authenticate_token(raw=raw)
    assert second.display_name == user.display_name
    assert second is not first


def test_revoking_takes_effect_at_once_in_this_process(token_cache, user, frozen_clock):
    # given a token whose lookup is cached
    token, raw = services.create_api_token(user=user, name="laptop")
    assert services.authenticate_token(raw=raw) == (user, None)
    # when its owner revokes it
    services.revoke_api_token(user=user, token_id=token.pk)
    # then it no longer authenticates, although the window has not passed
    assert services.authenticate_token(raw=raw) is None


def test_a_change_made_elsewhere_counts_once_the_window_passes(
    token_cache, user, frozen_clock
):
    # given a cached token, and its user deactivated behind this process's back
    _, raw = services.create_api_token(user=user, name="laptop")
    assert services.authenticate_token(raw=raw) == (user, None)
    User.objects.filter(pk=user.pk).update(is_active=False)
    # then the lookup is reused until the window passes, and refused after it
    frozen_clock.advance(seconds=4)
    assert services.authenticate_token(raw=raw) == (user, None)
    frozen_clock.advance(seconds=2)
    assert services.authenticate_token(raw=raw) is None


def test_an_expiring_token_is_refused_at_its_expiry_whatever_is_cached(
    token_cache, user, frozen_clock
):
    expires = frozen_clock() + dt.timedelta(seconds=2)
    _, raw = services.create_api_token(user=user, name="short", expires_at=expires)
    assert services.authenticate_token(raw=raw) == (user, None)
    frozen_clock.advance(seconds=2)
    assert services.authenticate_token(raw=raw) is None


def test_with_the_cache_off_every_call_looks_the_token_up(settings, user):
    settings.EMPORIA = {**settings.EMPORIA, "TOKEN_CACHE_SECONDS": 0}
    services._forget_grants()
    token, raw = services.create_api_token(user=user, name="laptop")
    assert services.authenticate_token(raw=raw) == (user, None)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert services.authenticate_token(raw=raw) is None

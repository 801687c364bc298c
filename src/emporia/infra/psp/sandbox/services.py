"""What the sandbox gateway does: take charges, let the buyer pay or decline
on the hosted page, tell the merchant in signed callbacks, and refund.

It behaves like a third-party provider: its only channel to the platform is
an HTTP POST of a signed JSON body to the merchant's callback URL, retried
with backoff until the merchant answers 2xx. Callbacks may therefore arrive
more than once, and :func:`resend` replays one on purpose so tests can prove
the merchant copes with duplicates and reordering.

Test and benchmark code acts as the buyer with :func:`pay` and :func:`decline`,
which do exactly what the pay page's POST does.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from emporia.infra import signing
from emporia.infra.psp.base import ProviderDeclined, RefundResult
from emporia.infra.sql import CompiledQuery, insert_objects, update_where
from emporia.kernel import clock
from emporia.kernel.errors import NotFound, ValidationFailed
from emporia.kernel.money import Money

from . import transport
from .models import SandboxCallback, SandboxCharge, SandboxRefund
from .routers import DATABASE

_CHARGE_BY_TOKEN = CompiledQuery(
    lambda token: SandboxCharge.objects.filter(token=token).order_by("pk")[:1],
    token=str,
)


def charge_by_token(token: str) -> SandboxCharge | None:
    """The charge a hosted pay page link names, or None."""
    return _CHARGE_BY_TOKEN.first(token=token)


log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sandbox-Signature"
# Threads per process sending immediate callbacks. Each waits for the
# merchant's answer, which under load takes as long as any request: too few
# and callbacks queue behind each other (4 doubled the time to "paid" at 50
# buyers). Each may hold a database connection.
SENDER_THREADS = 16
MAX_DELAY = dt.timedelta(hours=1)


def secret() -> str:
    return settings.EMPORIA["SANDBOX_PSP_SECRET"]


def max_attempts() -> int:
    return int(settings.EMPORIA.get("SANDBOX_CALLBACK_MAX_ATTEMPTS", 10))


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait 5 s after the first failure, then double (capped at an hour)."""
    return min(dt.timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _check_target(url: str, field: str) -> str:
    if not url or len(url) > 500:
        raise ValidationFailed(
            _("%(field)s must be 1–500 characters") % {"field": field}, field=field
        )
    if not (url.startswith(("http://", "https://")) or url.startswith("/")):
        raise ValidationFailed(
            _("%(field)s must be an http(s) URL or a path on this site")
            % {"field": field},
            field=field,
        )
    return url


# -- charges ----------------------------------------------------------------------
def create_charge(
    *,
    merchant_ref: str,
    amount: Money,
    description: str,
    callback_url: str,
    return_url: str,
) -> SandboxCharge:
    """Open a charge the buyer can pay on ``/sandbox-pay/<token>/``.

    ``token`` is unguessable (256 random bits) and is the only key to the pay
    page; the merchant refers to the charge by ``provider_ref``.
    """
    if amount.minor <= 0:
        raise ValidationFailed(_("A charge must be for a positive amount"))
    if not merchant_ref or len(merchant_ref) > 64:
        raise ValidationFailed(_("merchant_ref must be 1–64 characters"))
    charge = SandboxCharge(
        token=secrets.token_urlsafe(32),
        merchant_ref=merchant_ref,
        amount_minor=amount.minor,
        currency=amount.currency,
        description=(description or "")[:200],
        callback_url=_check_target(callback_url, "callback_url"),
        return_url=_check_target(return_url, "return_url"),
        created_at=clock.now(),
    )
    return insert_objects([charge])[0]


_PAY_PATHS: dict[str, str] = {}


def pay_url(charge: SandboxCharge) -> str:
    """The charge's pay page. ``reverse()`` is ~0.2 ms and runs in the
    checkout's write transaction: the path is reversed once per URL prefix
    and the (URL-safe) token put in."""
    prefix = get_script_prefix()
    path = _PAY_PATHS.get(prefix)
    if path is None:
        path = _PAY_PATHS[prefix] = reverse(
            "sandbox_psp:pay", kwargs={"token": "TOKEN"}
        ).replace("TOKEN", "{token}")
    return path.format(token=charge.token)


def payer_ref(card: str) -> str:
    """The stable, opaque reference of a test card, as a real provider would
    report a card fingerprint: the same card always gives the same reference."""
    digits = "".join(ch for ch in card if ch.isdigit())
    return "sbx_pa_" + hashlib.sha256(f"{secret()}:{digits}".encode()).hexdigest()[:24]


def default_card(token: str) -> str:
    """The test card prefilled on a charge's pay page: a fresh one per charge,
    so payments share a payer only when the same card is typed in on purpose."""
    digest = int(hashlib.sha256(token.encode()).hexdigest()[:15], 16)
    return "4000" + f"{digest % 10**12:012d}"


def test_card(label: str) -> str:
    """A stable 16-digit test card number for ``label`` (a demo persona, a
    test's "shared wallet"): the same label pays from the same account."""
    digest = int(hashlib.sha256(label.encode()).hexdigest()[:15], 16)
    return "5100" + f"{digest % 10**12:012d}"


@transaction.atomic(using=DATABASE)
def _settle(
    token: str, outcome: str, card: str = "", charge: SandboxCharge | None = None
) -> tuple[SandboxCharge, SandboxCallback | None]:
    now = clock.now()
    payer = (
        payer_ref(card or default_card(token))
        if outcome == SandboxCharge.Status.SUCCEEDED
        else ""
    )
    won = update_where(
        SandboxCharge,
        {"status": outcome, "settled_at": now, "payer_ref": payer},
        token=token,
        status=SandboxCharge.Status.OPEN,
    )
    if won and charge is not None and charge.token == token:
        # The caller's copy, read before: only what was just set has changed
        # (a charge's amount, references and URLs never do).
        charge.status, charge.settled_at, charge.payer_ref = outcome, now, payer
    else:
        charge = _CHARGE_BY_TOKEN.first(token=token)
    if charge is None:
        raise NotFound(_("No such sandbox charge"))
    if not won:
        # Paid or declined already (a double click, the back button): the
        # outcome stands and the merchant has been told once.
        return charge, None
    event_id = "sbx_evt_" + secrets.token_hex(16)
    # Created already claimed for its first attempt, which _finish makes
    # at once; should that attempt be lost, the job retries when it is due.
    callback = SandboxCallback(
        charge=charge,
        event_id=event_id,
        body={
            "event_id": event_id,
            "provider_ref": charge.provider_ref,
            "merchant_ref": charge.merchant_ref,
            "status": outcome,
            "amount_minor": charge.amount_minor,
            "currency": charge.currency,
            "occurred_at": now.isoformat(),
            **({"payer_ref": payer} if payer else {}),
        },
        attempts=1,
        next_attempt_at=now + retry_delay(1),
        created_at=now,
    )
    insert_objects([callback])
    return charge, callback


def _finish(
    token: str, outcome: str, card: str = "", charge: SandboxCharge | None = None
) -> SandboxCharge:
    charge, callback = _settle(token, outcome, card, charge)
    if callback is not None:
        _deliver_now(callback)
    return charge


def pay(
    token: str, *, card: str = "", charge: SandboxCharge | None = None
) -> SandboxCharge:
    """The buyer pays with a test ``card`` (default: the charge's own fresh
    card): record success, queue the callback and try it at once. ``charge``:
    the charge as the caller read it by this token (the pay page does), to
    save reading it again."""
    if card and not 12 <= sum(ch.isdigit() for ch in card) <= 19:
        raise ValidationFailed(_("A card number has 12 to 19 digits"), field="card")
    return _finish(token, SandboxCharge.Status.SUCCEEDED, card, charge)


def decline(token: str, *, charge: SandboxCharge | None = None) -> SandboxCharge:
    """The buyer declines: record failure, queue the callback and try it at
    once (``charge`` as for :func:`pay`)."""
    return _finish(token, SandboxCharge.Status.FAILED, charge=charge)


# -- callbacks --------------------------------------------------------------------
def callback_body(callback: SandboxCallback) -> bytes:
    """The exact bytes POSTed, the same on every attempt: keys sorted, since
    a JSON column may hand the body back in another order (PostgreSQL's
    jsonb does) than the one it was created with."""
    return json.dumps(callback.body, sort_keys=True, separators=(",", ":")).encode()


def _send(callback: SandboxCallback) -> tuple[int | None, str]:
    body = callback_body(callback)
    headers = {
        SIGNATURE_HEADER: signing.sign(secret(), body),  # fresh t on every attempt
        "X-Sandbox-Event-Id": callback.event_id,
    }
    try:
        return transport.post(callback.charge.callback_url, body, headers)
    except Exception as exc:  # the merchant's failure must not break the gateway
        log.exception("sandbox callback %s failed", callback.event_id)
        return None, f"{type(exc).__name__}: {exc}"[:500]


def _claim(pk: int, attempts: int, next_attempt_at: dt.datetime) -> bool:
    """Compare-and-swap: one worker wins each due attempt; the winner pushes
    the next attempt out, so a crash mid-request only delays the callback."""
    return bool(
        SandboxCallback.objects.filter(
            pk=pk,
            delivered_at__isnull=True,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
        ).update(
            attempts=attempts + 1,
            next_attempt_at=clock.now() + retry_delay(attempts + 1),
        )
    )


def _record(pk: int, attempts: int, status: int | None, error: str) -> bool:
    ok = status is not None and 200 <= status < 300
    now = clock.now()
    changes = {"last_status": status, "last_error": error}
    if ok:
        changes["delivered_at"] = now
    else:
        changes["next_attempt_at"] = now + retry_delay(attempts)
    update_where(SandboxCallback, changes, pk=pk, attempts=attempts)
    return ok


def deliver_callback(callback_id: int) -> bool | None:
    """Make one attempt at a callback; True when the merchant took it, False
    when it refused, None when there was nothing to attempt (delivered,
    out of attempts, or another worker claimed it)."""
    row = (
        SandboxCallback.objects.filter(pk=callback_id, delivered_at__isnull=True)
        .values_list("attempts", "next_attempt_at")
        .first()
    )
    if row is None or row[0] >= max_attempts() or not _claim(callback_id, *row):
        return None
    callback = SandboxCallback.objects.select_related("charge").get(pk=callback_id)
    status, error = _send(callback)
    return _record(callback_id, callback.attempts, status, error)


def _first_attempt(callback: SandboxCallback) -> bool:
    """The attempt a new callback was created claimed for (no claim query)."""
    status, error = _send(callback)
    return _record(callback.pk, callback.attempts, status, error)


def _first_attempt_in_background(callback: SandboxCallback) -> None:
    try:
        _first_attempt(callback)
    except Exception:
        log.exception("immediate sandbox callback %s failed", callback.event_id)
    finally:
        # The pool's threads live on: keep their connection unless it is
        # broken or past CONN_MAX_AGE, as a request thread would.
        close_old_connections()


@functools.cache
def _senders(pid: int) -> ThreadPoolExecutor:
    """Long-lived threads (SENDER_THREADS per process) send the immediate callbacks
    (a thread and a database connection per callback cost more than the
    callback). Keyed by pid: a forked child makes its own."""
    return ThreadPoolExecutor(
        max_workers=SENDER_THREADS, thread_name_prefix="sandbox-callback"
    )


def _deliver_now(callback: SandboxCallback) -> None:
    """The immediate attempt after the buyer's POST.

    Over HTTP it runs after commit on a sender thread, so the pay page never
    waits on the merchant (the job retries if it fails). In-process it runs
    right here, through the same connection, so a test sees the effect at once.
    """
    if transport.mode() == transport.HTTP:
        pool = _senders(os.getpid())
        transaction.on_commit(
            lambda: pool.submit(_first_attempt_in_background, callback),
            using=DATABASE,
        )
    else:
        _first_attempt(callback)


def deliver_due(*, limit: int = 100) -> int:
    """Attempt every due, undelivered callback once (the job); returns how many."""
    due = list(
        SandboxCallback.objects.filter(
            delivered_at__isnull=True,
            next_attempt_at__lte=clock.now(),
            attempts__lt=max_attempts(),
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if deliver_callback(pk) is not None)


def resend(event_id: str) -> int | None:
    """Send a callback again now, delivered or not (to test duplicates and
    reordering); returns the merchant's HTTP status."""
    callback = (
        SandboxCallback.objects.select_related("charge")
        .filter(event_id=event_id)
        .first()
    )
    if callback is None:
        raise NotFound(_("No such sandbox callback"))
    status, _response = _send(callback)
    if status is not None and 200 <= status < 300 and callback.delivered_at is None:
        SandboxCallback.objects.filter(
            pk=callback.pk, delivered_at__isnull=True
        ).update(delivered_at=clock.now(), last_status=status)
    return status


# -- refunds ----------------------------------------------------------------------
def refund(*, provider_ref: str, amount: Money, key: str) -> RefundResult:
    """Return ``amount`` of a succeeded charge to the buyer, once per ``key``.

    Never more than captured minus already refunded (checked in one
    conditional UPDATE, so concurrent refunds cannot overdraw). The same key
    again returns the first result; the same key with another amount is
    refused. Raises ProviderDeclined.
    """
    if not key or len(key) > 100:
        raise ProviderDeclined(_("A refund needs a key of 1–100 characters"))
    try:
        with transaction.atomic(using=DATABASE):
            return _refund(provider_ref, amount, key)
    except IntegrityError:
        # A concurrent call with the same key won the unique (charge, key).
        return _existing_refund(provider_ref, amount, key)


def _existing_refund(provider_ref: str, amount: Money, key: str) -> RefundResult:
    done = SandboxRefund.objects.filter(
        charge__provider_ref=provider_ref, key=key
    ).first()
    if done is None:
        raise ProviderDeclined(_("The refund could not be recorded; try again"))
    if done.amount_minor != amount.minor:
        raise ProviderDeclined(
            _("Refund key %(key)s was already used for a different amount")
            % {"key": repr(key)}
        )
    return RefundResult(provider_ref=done.provider_ref, succeeded=True)


def _refund(provider_ref: str, amount: Money, key: str) -> RefundResult:
    charge = SandboxCharge.objects.filter(provider_ref=provider_ref).first()
    if charge is None:
        raise ProviderDeclined(_("No such charge"))
    if SandboxRefund.objects.filter(charge=charge, key=key).exists():
        return _existing_refund(provider_ref, amount, key)
    if amount.currency != charge.currency:
        raise ProviderDeclined(
            _("The charge is in %(charge)s, not %(refund)s")
            % {"charge": charge.currency, "refund": amount.currency}
        )
    if amount.minor <= 0:
        raise ProviderDeclined(_("A refund must be for a positive amount"))
    if charge.status != SandboxCharge.Status.SUCCEEDED:
        raise ProviderDeclined(_("Only a succeeded charge can be refunded"))
    taken = SandboxCharge.objects.filter(
        pk=charge.pk,
        status=SandboxCharge.Status.SUCCEEDED,
        refunded_minor__lte=F("amount_minor") - amount.minor,
    ).update(refunded_minor=F("refunded_minor") + amount.minor)
    if not taken:
        left = Money(charge.amount_minor - charge.refunded_minor, charge.currency)
        raise ProviderDeclined(
            _("Cannot refund %(amount)s: only %(left)s of the charge is left")
            % {"amount": amount, "left": left},
            refundable_minor=left.minor,
        )
    done = SandboxRefund.objects.create(
        charge=charge, key=key, amount_minor=amount.minor, created_at=clock.now()
    )
    return RefundResult(provider_ref=done.provider_ref, succeeded=True)

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from emporia.infra import signing
from emporia.infra.psp.base import (
    InvalidSignature,
    MalformedCallback,
    ProviderDeclined,
    providers,
)
from emporia.infra.psp.sandbox import services, transport
from emporia.infra.psp.sandbox.gateway import SandboxGateway
from emporia.infra.psp.sandbox.models import (
    SandboxCallback,
    SandboxCharge,
    SandboxRefund,
)
from emporia.infra.testing import start_receiver, stop_receiver
from emporia.kernel.money import Money

CALLBACK = "/test-merchant/callback"


def new_charge(
    amount=Money(1999, "CNY"), callback_url=CALLBACK, return_url="/orders/42/"
):
    return providers.get("sandbox").create_charge(
        merchant_ref="order-42",
        amount=amount,
        description="Green tea 绿茶",
        callback_url=callback_url,
        return_url=return_url,
    )


def token_of(charge) -> str:
    return SandboxCharge.objects.get(provider_ref=charge.provider_ref).token


def signed(body: bytes, secret="sandbox-psp-shared-secret-for-hmac", **kw):
    return {"X-Sandbox-Signature": signing.sign(secret, body, **kw)}


# -- charges and the pay page -------------------------------------------------------
@pytest.mark.django_db
def test_sandbox_is_registered_and_create_charge_returns_the_pay_page():
    assert isinstance(providers.get("sandbox"), SandboxGateway)

    charge = new_charge()

    row = SandboxCharge.objects.get()
    assert charge.provider_ref == row.provider_ref
    assert charge.provider_ref.startswith("sbx_ch_")
    assert charge.redirect_url == f"/sandbox-pay/{row.token}/"
    assert len(row.token) >= 43
    assert row.token not in charge.provider_ref
    assert (row.amount_minor, row.currency, row.status) == (1999, "CNY", "open")
    assert SandboxCallback.objects.count() == 0


@pytest.mark.django_db
def test_pay_page_shows_the_amount_and_both_buttons(merchant):
    charge = new_charge()

    page = Client().get(charge.redirect_url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Sandbox Pay — test gateway / 沙箱支付" in html
    assert "¥19.99" in html
    assert "CN¥19.99" in html
    assert 'value="pay"' in html
    assert 'value="decline"' in html
    assert "Green tea 绿茶" in html
    assert page["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_unknown_token_is_404_and_a_bad_action_changes_nothing(merchant):
    charge = new_charge()
    client = Client(enforce_csrf_checks=True)

    assert client.get("/sandbox-pay/not-a-token/").status_code == 404
    assert client.post(charge.redirect_url, {"action": "steal"}).status_code == 400
    assert SandboxCharge.objects.get().status == "open"
    assert SandboxCallback.objects.count() == 0


@pytest.mark.django_db
def test_paying_redirects_back_and_the_merchant_gets_a_signed_callback(
    merchant, frozen_clock
):
    charge = new_charge()

    answer = Client(enforce_csrf_checks=True).post(
        charge.redirect_url, {"action": "pay"}
    )

    assert answer.status_code == 302
    assert answer["Location"] == "/orders/42/"
    row = SandboxCharge.objects.get()
    assert row.status == "succeeded"
    callback = SandboxCallback.objects.get()
    assert callback.body == {
        "event_id": callback.event_id,
        "provider_ref": charge.provider_ref,
        "merchant_ref": "order-42",
        "status": "succeeded",
        "amount_minor": 1999,
        "currency": "CNY",
        "occurred_at": "2026-11-11T10:00:00+00:00",
        "payer_ref": row.payer_ref,
    }
    assert row.payer_ref == services.payer_ref(services.default_card(row.token))
    assert callback.delivered_at == frozen_clock.current
    assert (callback.attempts, callback.last_status) == (1, 200)
    [(body, headers, data)] = merchant.received
    t = int(frozen_clock.current.timestamp())
    assert headers["X-Sandbox-Signature"] == (
        f"t={t},v1={signing.compute('sandbox-psp-shared-secret-for-hmac', t, body)}"
    )
    assert data.event_id == callback.event_id
    assert data.status == "succeeded"
    assert data.amount == Money(1999, "CNY")
    assert data.provider_ref == charge.provider_ref
    assert data.payer_ref == row.payer_ref


@pytest.mark.django_db
def test_the_same_card_gives_the_same_payer_ref_and_other_cards_do_not(merchant):
    first, second, third = new_charge(), new_charge(), new_charge()

    Client().post(first.redirect_url, {"action": "pay", "card": "4111 1111 1111 1111"})
    Client().post(second.redirect_url, {"action": "pay", "card": "4111111111111111"})
    Client().post(third.redirect_url, {"action": "pay"})

    refs = [
        SandboxCharge.objects.get(provider_ref=c.provider_ref).payer_ref
        for c in (first, second, third)
    ]
    assert refs[0] == refs[1] == services.payer_ref("4111111111111111")
    assert refs[0].startswith("sbx_pa_")
    assert refs[2] != refs[0]
    assert [d.payer_ref for _, _, d in merchant.received] == refs


@pytest.mark.django_db
def test_a_card_number_that_is_not_one_is_refused_and_nothing_is_paid(merchant):
    charge = new_charge()

    answer = Client().post(charge.redirect_url, {"action": "pay", "card": "12ab"})

    assert answer.status_code == 400
    assert SandboxCharge.objects.get().status == "open"
    assert SandboxCallback.objects.count() == 0


@pytest.mark.django_db
def test_the_pay_page_refuses_in_the_buyers_language(merchant):
    charge = new_charge()
    form = {"action": "pay", "card": "12ab"}

    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(charge.redirect_url, form)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").post(charge.redirect_url, form)

    assert chinese.status_code == 400
    assert chinese.content.decode() == "卡号应为 12 到 19 位数字"
    assert english.content.decode() == "A card number has 12 to 19 digits"
    assert SandboxCharge.objects.get().status == "open"
    assert SandboxCallback.objects.count() == 0


@pytest.mark.django_db
def test_a_refund_is_declined_in_the_merchant_requests_language(paid):
    with translation.override("zh-hans"), pytest.raises(ProviderDeclined) as declined:
        refund(paid, 1001, "r1")

    assert declined.value.message == ("无法退款 10.01 CNY：该笔支付仅剩 10.00 CNY 可退")
    assert SandboxCharge.objects.get().refunded_minor == 0
    assert SandboxRefund.objects.count() == 0


@pytest.mark.django_db
def test_decline_and_double_submit_tell_the_merchant_once(merchant):
    charge = new_charge()

    services.decline(token_of(charge))
    services.decline(token_of(charge))
    services.pay(token_of(charge))  # too late: the outcome stands

    assert SandboxCharge.objects.get().status == "failed"
    assert SandboxCallback.objects.count() == 1
    [(_, _, data)] = merchant.received
    assert data.status == "failed"
    page = Client().get(charge.redirect_url)
    assert 'value="pay"' not in page.content.decode()
    assert "Declined" in page.content.decode()


@pytest.mark.django_db
def test_resend_replays_the_same_event_freshly_signed(merchant, frozen_clock):
    charge = new_charge()
    services.pay(token_of(charge))
    event_id = SandboxCallback.objects.get().event_id
    frozen_clock.advance(minutes=10)

    assert services.resend(event_id) == 200

    first, second = merchant.received
    assert first[0] == second[0]
    assert first[1]["X-Sandbox-Signature"] != second[1]["X-Sandbox-Signature"]
    assert second[2].event_id == event_id


@pytest.mark.django_db
def test_failing_merchant_is_retried_by_the_clock_until_2xx(merchant, frozen_clock):
    merchant.status = 503
    charge = new_charge()
    services.pay(token_of(charge))  # attempt 1, at once
    assert services.deliver_due() == 0

    frozen_clock.advance(seconds=4)
    assert services.deliver_due() == 0
    frozen_clock.advance(seconds=1)
    assert services.deliver_due() == 1  # attempt 2 after 5 s
    frozen_clock.advance(seconds=10)
    merchant.status = 200
    assert services.deliver_due() == 1  # attempt 3 after 10 s

    callback = SandboxCallback.objects.get()
    assert callback.attempts == 3
    assert callback.last_status == 200
    assert callback.delivered_at == frozen_clock.current
    assert len(merchant.received) == 3
    frozen_clock.advance(hours=1)
    assert services.deliver_due() == 0


@pytest.mark.django_db
def test_callbacks_stop_after_the_maximum_attempts(merchant, frozen_clock):
    merchant.status = 500
    services.pay(token_of(new_charge()))
    for _ in range(20):
        frozen_clock.advance(hours=1)
        services.deliver_due()

    callback = SandboxCallback.objects.get()
    assert callback.attempts == 10
    assert callback.delivered_at is None
    assert len(merchant.received) == 10


@pytest.mark.django_db(transaction=True)
def test_http_transport_posts_to_a_real_server_without_blocking_the_page(
    receiver, settings
):
    settings.EMPORIA = {**settings.EMPORIA, "SANDBOX_CALLBACK_TRANSPORT": "http"}
    receiver.delay = 0.3
    charge = new_charge(
        callback_url=receiver.url, return_url="https://shop.example/done"
    )

    started = time.monotonic()
    answer = Client().post(charge.redirect_url, {"action": "pay"})
    elapsed = time.monotonic() - started

    assert answer.status_code == 302
    assert answer["Location"] == "https://shop.example/done"
    assert elapsed < receiver.delay, "the pay page waited for the merchant"
    [request] = receiver.wait_for(1)
    data = SandboxGateway().parse_callback(body=request.body, headers=request.headers)
    assert data.status == "succeeded"
    for _ in range(200):
        if SandboxCallback.objects.filter(delivered_at__isnull=False).exists():
            break
        time.sleep(0.02)
    assert SandboxCallback.objects.get().last_status == 200


@pytest.fixture
def over_http(settings):
    settings.EMPORIA = {**settings.EMPORIA, "SANDBOX_CALLBACK_TRANSPORT": "http"}


def test_http_transport_keeps_one_connection_alive_across_callbacks(over_http):
    merchant = start_receiver(keep_alive=True)
    try:
        answers = [transport.post(merchant.url, b"{}", {}) for _ in range(3)]
        received = merchant.wait_for(3)
    finally:
        stop_receiver(merchant)

    assert answers == [(200, "")] * 3
    assert len(received) == 3
    assert len({r.client_port for r in received}) == 1


def test_http_transport_reconnects_when_the_merchant_dropped_the_idle_connection(
    over_http,
):
    merchant = start_receiver(keep_alive=True)
    merchant.drop_idle = True
    try:
        first = transport.post(merchant.url, b'{"n":1}', {})
        time.sleep(0.05)  # the merchant has closed it by now
        second = transport.post(merchant.url, b'{"n":2}', {})
        received = merchant.wait_for(2)
    finally:
        stop_receiver(merchant)

    assert (first, second) == ((200, ""), (200, ""))
    assert [r.body for r in received] == [b'{"n":1}', b'{"n":2}']
    assert len({r.client_port for r in received}) == 2


def test_http_transport_reports_an_unreachable_merchant_without_raising(over_http):
    merchant = start_receiver()
    url = merchant.url
    stop_receiver(merchant)  # nothing listens on that port any more

    status, error = transport.post(url, b"{}", {})

    assert status is None
    assert "ConnectionRefused" in error


# -- parse_callback -------------------------------------------------------------------
BODY = json.dumps(
    {
        "event_id": "sbx_evt_1",
        "provider_ref": "sbx_ch_1",
        "merchant_ref": "order-1",
        "status": "succeeded",
        "amount_minor": 500,
        "currency": "CNY",
        "occurred_at": "2026-11-11T10:00:00+00:00",
    }
).encode()


def test_parse_callback_accepts_a_genuine_callback(frozen_clock):
    data = SandboxGateway().parse_callback(body=BODY, headers=signed(BODY))

    assert (data.event_id, data.status, data.amount) == (
        "sbx_evt_1",
        "succeeded",
        Money(500, "CNY"),
    )
    assert data.raw["merchant_ref"] == "order-1"


def test_parse_callback_reads_django_meta_style_headers(frozen_clock):
    meta = {"HTTP_X_SANDBOX_SIGNATURE": signed(BODY)["X-Sandbox-Signature"]}

    assert (
        SandboxGateway().parse_callback(body=BODY, headers=meta).event_id == "sbx_evt_1"
    )


@pytest.mark.parametrize(
    "case", ["tampered", "wrong_secret", "stale", "future", "missing", "garbage"]
)
def test_parse_callback_rejects_forged_or_stale_callbacks(case, frozen_clock):
    headers = signed(BODY)
    body = BODY
    if case == "tampered":
        body = BODY.replace(b"500", b"5")
    elif case == "wrong_secret":
        headers = signed(BODY, secret="guess")
    elif case == "stale":
        frozen_clock.advance(seconds=301)
    elif case == "future":
        headers = signed(BODY, timestamp=int(frozen_clock.current.timestamp()) + 301)
    elif case == "missing":
        headers = {}
    elif case == "garbage":
        headers = {"X-Sandbox-Signature": "hello"}

    with pytest.raises(InvalidSignature):
        SandboxGateway().parse_callback(body=body, headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"event_id": "e"}).encode(),
        BODY.replace(b'"succeeded"', b'"maybe"'),
        BODY.replace(b"500", b'"500"'),
        BODY.replace(b'"CNY"', b'"XXQ"'),
        BODY.replace(b"+00:00", b""),
    ],
)
def test_parse_callback_rejects_malformed_bodies(body, frozen_clock):
    with pytest.raises(MalformedCallback):
        SandboxGateway().parse_callback(body=body, headers=signed(body))


# -- refunds --------------------------------------------------------------------------
@pytest.fixture
def paid(merchant):
    charge = new_charge(amount=Money(1000, "CNY"))
    services.pay(token_of(charge))
    return charge


def refund(charge, minor, key, currency="CNY"):
    return providers.get("sandbox").refund(
        provider_ref=charge.provider_ref, amount=Money(minor, currency), key=key
    )


@pytest.mark.django_db
def test_refunds_add_up_to_the_captured_amount_and_no_more(paid):
    first = refund(paid, 600, "r1")
    second = refund(paid, 400, "r2")

    assert first.succeeded
    assert second.succeeded
    assert first.provider_ref != second.provider_ref
    with (
        translation.override("en"),
        pytest.raises(ProviderDeclined, match=r"only 0\.00 CNY"),
    ):
        refund(paid, 1, "r3")
    assert SandboxCharge.objects.get().refunded_minor == 1000
    assert SandboxRefund.objects.count() == 2


@pytest.mark.django_db
def test_over_refund_is_declined_and_changes_nothing(paid):
    with pytest.raises(ProviderDeclined):
        refund(paid, 1001, "r1")

    assert SandboxCharge.objects.get().refunded_minor == 0
    assert SandboxRefund.objects.count() == 0


@pytest.mark.django_db
def test_the_same_key_refunds_once(paid):
    first = refund(paid, 300, "order-42-refund-1")
    again = refund(paid, 300, "order-42-refund-1")

    assert again == first
    assert SandboxCharge.objects.get().refunded_minor == 300
    with (
        translation.override("en"),
        pytest.raises(ProviderDeclined, match="different amount"),
    ):
        refund(paid, 200, "order-42-refund-1")
    assert SandboxRefund.objects.count() == 1


@pytest.mark.django_db
def test_only_succeeded_charges_in_their_currency_can_be_refunded(merchant, paid):
    open_charge = new_charge()
    declined = new_charge()
    services.decline(token_of(declined))

    for charge in (open_charge, declined):
        with (
            translation.override("en"),
            pytest.raises(ProviderDeclined, match="succeeded"),
        ):
            refund(charge, 100, "k")
    with translation.override("en"), pytest.raises(ProviderDeclined, match="CNY"):
        refund(paid, 100, "k", currency="USD")
    with pytest.raises(ProviderDeclined):
        providers.get("sandbox").refund(
            provider_ref="sbx_ch_nope", amount=Money(1, "CNY"), key="k"
        )
    assert SandboxRefund.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_concurrent_refunds_never_exceed_the_charge(merchant):
    charge = new_charge(amount=Money(1000, "CNY"))
    services.pay(token_of(charge))
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt(n):
        try:
            barrier.wait()
            refund(charge, 400, f"r{n}")
            outcomes.append("ok")
        except ProviderDeclined:
            outcomes.append("declined")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["declined", "declined", "ok", "ok"]
    assert SandboxCharge.objects.get().refunded_minor == 800

"""Stored reasons (``emporia.infra.reasons``): stored in English, shown in
the reader's language, typed text shown as typed."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from emporia.infra import reasons
from emporia.infra.reasons import ReasonRegistry

FAKE_CATALOG = {
    "Not paid in time": "超时未支付",
    "Refunded %(amount)s": "已退款 %(amount)s",
    "Shipped with %(carrier)s %(tracking)s": "已发货：%(carrier)s %(tracking)s",
    "On hold: %(reason)s": "暂停处理：%(reason)s",
    "Governance penalty %(number)s: %(reason)s": "治理处罚 %(number)s：%(reason)s",
    "Governance penalty %(number)s lifted: %(reason)s": (
        "治理处罚 %(number)s 已撤销：%(reason)s"
    ),
    "Appeal granted: %(note)s": "申诉成立：%(note)s",
    "Broken %(n)s": "坏的翻译 %(m)s",
}


@pytest.fixture
def registry(monkeypatch):
    """A registry of its own, read through a fake Chinese catalog."""
    monkeypatch.setattr(
        reasons, "gettext", lambda msgid: FAKE_CATALOG.get(msgid, msgid)
    )
    return ReasonRegistry()


def test_a_reason_stores_its_english_text(registry):
    not_paid = registry.declare("Not paid in time")
    refunded = registry.declare("Refunded %(amount)s")

    assert not_paid.text() == "Not paid in time"
    assert str(not_paid) == "Not paid in time"
    assert refunded.text(amount="¥19.90") == "Refunded ¥19.90"
    assert refunded % {"amount": 5} == "Refunded 5"


def test_a_reason_refuses_missing_or_unknown_values(registry):
    refunded = registry.declare("Refunded %(amount)s")

    with pytest.raises(TypeError):
        refunded.text()
    with pytest.raises(TypeError):
        refunded.text(amount="1", extra="2")


@pytest.mark.parametrize("msgid", ["Refunded %s", "Refunded %(amount)d", "100% sure"])
def test_only_named_string_placeholders_may_be_declared(registry, msgid):
    with pytest.raises(ValueError, match="placeholders"):
        registry.declare(msgid)


def test_an_exact_reason_is_shown_translated(registry):
    registry.declare("Not paid in time")

    assert registry.shown("Not paid in time") == "超时未支付"


def test_a_parameterised_reason_is_shown_with_its_values_as_stored(registry):
    refunded = registry.declare("Refunded %(amount)s")
    odd = "¥1.5 (a+b)* [x] $^ ok?"  # regex characters and spaces

    assert registry.shown(refunded.text(amount=odd)) == f"已退款 {odd}"
    assert registry.shown(refunded.text(amount="")) == "已退款 "


def test_side_by_side_placeholders_read_back_the_same_text(registry):
    shipped = registry.declare("Shipped with %(carrier)s %(tracking)s")

    stored = shipped.text(carrier="SF Express", tracking="SF 1234")

    assert registry.shown(stored) == "已发货：SF Express SF 1234"


def test_the_most_specific_template_wins(registry):
    registry.declare("Governance penalty %(number)s: %(reason)s")
    registry.declare("Governance penalty %(number)s lifted: %(reason)s")

    assert registry.shown("Governance penalty 7 lifted: wrong shop") == (
        "治理处罚 7 已撤销：wrong shop"
    )
    assert registry.shown("Governance penalty 7: fake orders") == (
        "治理处罚 7：fake orders"
    )


def test_a_nested_reason_is_shown_translated_and_other_values_are_not(registry):
    registry.declare("Not paid in time")
    registry.declare("Appeal granted: %(note)s")
    registry.declare("On hold: %(reason)s", nested=("reason",))
    lifted = registry.declare(
        "Governance penalty %(number)s lifted: %(reason)s", nested=("reason",)
    )
    refunded = registry.declare("Refunded %(amount)s")

    assert registry.shown("On hold: Not paid in time") == "暂停处理：超时未支付"
    assert (
        registry.shown(lifted.text(number=3, reason="Appeal granted: Not paid in time"))
        == "治理处罚 3 已撤销：申诉成立：Not paid in time"
    )
    # a value that is not declared nested stays as stored, even a reason's words
    assert registry.shown(refunded.text(amount="Not paid in time")) == (
        "已退款 Not paid in time"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "尺码偏小，想换大一号",
        "The lid was cracked",
        "not paid in time",  # not the declared wording
        "Not paid in time.",
        "Refunded",
        "On hold",
    ],
)
def test_text_a_person_typed_is_shown_as_typed(registry, typed):
    registry.declare("Not paid in time")
    registry.declare("Refunded %(amount)s")
    registry.declare("On hold: %(reason)s", nested=("reason",))

    assert registry.shown(typed) == typed


def test_a_reason_cut_at_its_column_is_shown_as_stored(registry):
    registry.declare("Appeal granted: %(note)s")
    registry.declare("Governance penalty %(number)s lifted: %(reason)s")

    assert registry.shown("Governance penalty 9 lif") == "Governance penalty 9 lif"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("", ""), (42, "42"), ("\n", "\n"), ("%(amount)s", "%(amount)s")],
)
def test_odd_input_is_safe(registry, value, expected):
    registry.declare("Refunded %(amount)s")

    assert registry.shown(value) == expected


def test_a_translation_with_other_placeholders_falls_back_to_english(registry):
    broken = registry.declare("Broken %(n)s")

    assert registry.shown(broken.text(n=1)) == "Broken 1"


def test_declaring_a_reason_twice_is_one_reason(registry):
    first = registry.declare("Not paid in time")

    assert registry.declare("Not paid in time") is first
    with pytest.raises(ValueError, match="not placeholders"):
        registry.declare("On hold: %(reason)s", nested=("nothing",))


def test_without_chinese_a_stored_reason_reads_as_stored():
    """In English (the tests' language) every declared reason reads back as
    the text it stored."""
    for reason in reasons.declared():
        values = {name: f"v{i} x" for i, name in enumerate(reason.names)}
        assert reasons.shown(reason.text(**values)) == reason.text(**values)


# --- the apps' declared reasons ------------------------------------------------


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_the_apps_declare_their_reasons():
    msgids = {r.msgid for r in reasons.declared()}

    assert {"Not paid in time", "Order %(number)s settled", "Goods received"} <= msgids


def test_every_declared_reason_has_a_chinese_translation_with_its_placeholders():
    """Beyond tests/test_translations.py (every catalog entry translated):
    every declared msgid is in a catalog, and its Chinese keeps the same
    placeholders."""
    missing, mismatched = [], []
    with translation.override("zh-hans"):
        for reason in reasons.declared():
            zh = translation.gettext(reason.msgid)
            if zh == reason.msgid:
                missing.append(reason.msgid)
            elif sorted(PLACEHOLDER.findall(zh)) != sorted(reason.names):
                mismatched.append(reason.msgid)

    assert missing == []
    assert mismatched == []

"""Knobs of keyword ads, read from ``settings.EMPORIA`` with these defaults."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from emporia.kernel import clock

DEFAULTS = {
    "ADS_CURRENCY": "CNY",  # the auction compares bids in one currency
    "ADS_RESERVE_MINOR": 10,  # reserve price and minimum bid: 0.10 CNY
    "ADS_MAX_BID_MINOR": 100_00,  # 100 CNY a click
    "ADS_SLOTS": 3,
    "ADS_CLICK_TTL_SECONDS": 30 * 60,  # a served link stays valid this long
    "ADS_REPEAT_WINDOW_HOURS": 24,  # repeat clicks in this window are free
    "ADS_ATTRIBUTION_DAYS": 7,
    "ADS_PRIOR_CTR": "0.02",  # prior mean until the platform has history
    "ADS_PRIOR_MIN_IMPRESSIONS": 1000,
    "ADS_MAP_TTL_SECONDS": 10,  # the eligible keyword map is rebuilt this often
}


def get(name: str):
    return settings.EMPORIA.get(name, DEFAULTS[name])


def currency() -> str:
    return get("ADS_CURRENCY")


def reserve_minor() -> int:
    return int(get("ADS_RESERVE_MINOR"))


def prior_ctr() -> Fraction:
    return Fraction(str(get("ADS_PRIOR_CTR")))


def local_now() -> dt.datetime:
    """Now in the platform's time zone: budgets reset at local midnight and
    schedules speak local hours."""
    return timezone.localtime(clock.now())


def today() -> dt.date:
    return local_now().date()

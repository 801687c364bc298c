"""Stored reasons: text kept with a change, shown in the reader's language.

A status-history reason ("Not paid in time"), a ledger memo, a stock
movement's reason is stored as written, in English, so that a row written
during a Chinese request does not read Chinese for every later reader
(ADR 12). Each app declares the reasons it writes, at module level in its
``reasons.py``::

    NOT_PAID = stored_reason(gettext_noop("Not paid in time"))
    SETTLED = stored_reason(gettext_noop("Order %(number)s settled"))

and stores ``NOT_PAID.text()`` or ``SETTLED.text(number=order.number)``: the
English, exactly what an f-string would have written. ``gettext_noop`` puts
the msgid in the app's catalog, where it is translated like any other
message. Placeholders are ``%(name)s`` only.

``shown(text)`` reads a stored text back in the active language: a text that
is a declared msgid is translated; one that matches a declared template in
full is translated with the values read back from it put in as they were
stored; anything else — what a person typed, an old wording no app
declares any more, a text cut at its column's length — is returned
unchanged. A placeholder named in ``nested`` holds a reason of its own
(``"On hold: %(reason)s"``) and is shown the same way. Declaring a wording
the code already stored translates the rows stored before as well.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

__all__ = ["ReasonRegistry", "StoredReason", "declared", "shown", "stored_reason"]

# What a msgid may hold besides text: named string placeholders and "%%".
_FORMAT = re.compile(r"%\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)s|%%|%")
# Reasons inside reasons inside reasons are read back; deeper ones are not.
_MAX_DEPTH = 4


@dataclass(frozen=True, eq=False)
class StoredReason:
    """A reason an app stores. ``text()`` renders the English to store; the
    msgid is the catalog's key."""

    msgid: str
    names: tuple[str, ...]
    nested: frozenset[str]
    pattern: re.Pattern | None
    literal: int  # characters outside placeholders: the more, the more specific

    def text(self, **values) -> str:
        """The English text to store, with ``values`` (str()-ed) in place."""
        if set(values) != set(self.names):
            raise TypeError(
                f"{self.msgid!r} takes {sorted(self.names)}, got {sorted(values)}"
            )
        if not self.names:
            return self.msgid
        return self.msgid % {name: str(value) for name, value in values.items()}

    def __mod__(self, values: dict) -> str:
        return self.text(**values)

    def __str__(self) -> str:
        return self.text()


def _parse(msgid: str, nested: tuple[str, ...]) -> StoredReason:
    names: list[str] = []
    parts: list[str] = []
    literal = 0
    at = 0
    for m in _FORMAT.finditer(msgid):
        text = msgid[at : m.start()]
        parts.append(re.escape(text))
        literal += len(text)
        if m.group(0) == "%%":
            parts.append("%")
            literal += 1
        elif m.group("name") is None:
            raise ValueError(f"{msgid!r}: use named placeholders, %(name)s")
        else:
            name = m.group("name")
            if name in names:
                raise ValueError(f"{msgid!r}: placeholder {name!r} twice")
            names.append(name)
            parts.append(f"(?P<{name}>.*?)")
        at = m.end()
    parts.append(re.escape(msgid[at:]))
    literal += len(msgid) - at
    if not set(nested) <= set(names):
        raise ValueError(f"{msgid!r}: nested {sorted(nested)} are not placeholders")
    pattern = re.compile("".join(parts), re.DOTALL) if names else None
    return StoredReason(msgid, tuple(names), frozenset(nested), pattern, literal)


class ReasonRegistry:
    """The declared reasons and how to read stored text back. ``discover``
    runs once before the first lookup (the apps' ``reasons`` modules)."""

    def __init__(self, discover: Callable[[], None] | None = None):
        self._declared: dict[str, StoredReason] = {}
        self._lock = threading.Lock()  # held while one reason is added
        self._discovery = threading.RLock()  # held while ``discover`` runs
        self._discover = discover
        self._discovered = discover is None
        self._match = lru_cache(maxsize=4096)(self._find)
        self._templates: tuple[StoredReason, ...] = ()

    def declare(self, msgid: str, *, nested: tuple[str, ...] = ()) -> StoredReason:
        """Declare a reason; see ``stored_reason``."""
        reason = _parse(msgid, nested)
        with self._lock:
            existing = self._declared.get(msgid)
            if existing is not None:
                if existing.nested != reason.nested:
                    raise ValueError(f"{msgid!r} is declared with other nested names")
                return existing
            self._declared[msgid] = reason
            # Most specific first: most literal text, fewest placeholders,
            # then the msgid for a stable order.
            self._templates = tuple(
                sorted(
                    (r for r in self._declared.values() if r.names),
                    key=lambda r: (-r.literal, len(r.names), r.msgid),
                )
            )
            self._match.cache_clear()
        return reason

    def declared(self) -> list[StoredReason]:
        self._discover_once()
        return list(self._declared.values())

    def shown(self, text) -> str:
        """``text`` in the active language if it is a declared reason, else
        unchanged. Never raises: None is "", anything else is its str()."""
        if text is None:
            return ""
        if not isinstance(text, str):
            text = str(text)
        if not text:
            return text
        try:
            self._discover_once()
            return self._shown(text, 0)
        except Exception:  # showing a stored text must never break a page
            return text

    def _shown(self, text: str, depth: int) -> str:
        found = self._match(text) if depth <= _MAX_DEPTH else None
        if found is None:
            return text
        reason, pairs = found
        translated = gettext(reason.msgid)
        if not reason.names:
            return translated
        values = {
            name: self._shown(value, depth + 1) if name in reason.nested else value
            for name, value in pairs
        }
        try:
            return translated % values
        except (KeyError, ValueError, TypeError):
            # A translation whose placeholders are not the msgid's (the
            # catalogs' test catches it): the English.
            return reason.msgid % values

    def _find(self, text: str) -> tuple[StoredReason, tuple] | None:
        """Which declared reason ``text`` is, with the values read back from
        it (the same in every language, so cached by text)."""
        exact = self._declared.get(text)
        if exact is not None and not exact.names:
            return exact, ()
        for reason in self._templates:
            m = reason.pattern.fullmatch(text)
            if m is not None:
                return reason, tuple(m.groupdict().items())
        return None

    def _discover_once(self) -> None:
        if self._discovered:
            return
        with self._discovery:
            if not self._discovered:
                self._discover()
                self._discovered = True


def _import_apps_reasons() -> None:
    autodiscover_modules("reasons")


_registry = ReasonRegistry(discover=_import_apps_reasons)


def stored_reason(msgid: str, *, nested: tuple[str, ...] = ()) -> StoredReason:
    """Declare (and return) a reason an app stores, at module level in the
    app's ``reasons.py``. Wrap ``msgid`` in ``gettext_noop`` so makemessages
    puts it in the app's catalog. ``nested`` names the placeholders whose
    values are reasons themselves. The same msgid declared twice is one
    reason (ValueError if the two disagree on ``nested``)."""
    return _registry.declare(msgid, nested=nested)


def declared() -> list[StoredReason]:
    """Every reason the installed apps declare."""
    return _registry.declared()


def shown(text) -> str:
    """A stored text in the active language when it is a declared reason
    (values stored in it kept as they are); any other text unchanged."""
    return _registry.shown(text)

"""The message catalogs: complete, compiled, and never shadowed.

Domain messages are written in English and translated with Django's gettext
(``_``) into each app's ``locale/zh_Hans/LC_MESSAGES/django.po``; the
compiled ``django.mo`` beside it is what Django reads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parent.parent / "src" / "emporia"
CATALOGS = sorted(SRC.rglob("locale/zh_Hans/LC_MESSAGES/django.po"))


def test_there_are_catalogs():
    assert len(CATALOGS) >= 2  # the web pages' and the checkout's at least


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(SRC)))
def test_every_message_is_translated_and_compiled(po):
    with po.open("rb") as f:
        source = read_po(f, locale="zh_Hans")
    with po.with_suffix(".mo").open("rb") as f:
        compiled = read_mo(f)
    untranslated = [m.id for m in source if m.id and not m.string]
    fuzzy = [m.id for m in source if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    # the .mo is compiled from this .po (run compilemessages after editing)
    want = {_key(m.id): _key(m.string) for m in source if m.id}
    got = {_key(m.id): _key(m.string) for m in compiled if m.id}
    assert got == want


def _key(text):
    # a plural message is a sequence of forms (a list from the .mo)
    return tuple(text) if isinstance(text, (list, tuple)) else text


def _shadowing(path: Path) -> list[str]:
    """Places that bind ``_`` in a module that uses ``_`` as gettext: in a
    function, ``x, _ = f()`` makes ``_`` local to the whole function, so its
    ``_("…")`` calls the throwaway value instead of translating."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports_gettext = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "django.utils.translation"
        and any(alias.asname == "_" for alias in node.names)
        for node in tree.body
    )
    if not imports_gettext:
        return []
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.comprehension, ast.GeneratorExp)):
            continue
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.For, ast.With, ast.AnnAssign, ast.AugAssign)):
            targets = [getattr(node, "target", None)] + [
                item.optional_vars for item in getattr(node, "items", [])
            ]
        for target in targets:
            for name in ast.walk(target) if target is not None else []:
                if isinstance(name, ast.Name) and name.id == "_":
                    bad.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return bad


def test_no_module_that_translates_with_underscore_rebinds_it():
    bad = [place for path in sorted(SRC.rglob("*.py")) for place in _shadowing(path)]
    assert bad == []


def test_one_message_has_one_translation_across_catalogs():
    """Django merges every app's catalog into one: a message two apps
    translate differently would show whichever app loads first."""
    seen: dict[tuple, dict[str, str]] = {}
    for po in CATALOGS:
        with po.open("rb") as f:
            for m in read_po(f, locale="zh_Hans"):
                if m.id and m.string:
                    key = (m.context, _key(m.id))
                    app = str(po.relative_to(SRC)).split("/locale/")[0]
                    seen.setdefault(key, {})[app] = _key(m.string)
    differing = {
        key[1]: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1
    }
    assert differing == {}

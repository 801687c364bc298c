"""The product page's SKU picker by attribute (one control per attribute,
e.g. 颜色 and 尺码, instead of one list of SKUs).

The rule, applied here for the first render and again by the page's inline
script on every change: attributes are taken in order of their names; a value of the
*n*-th attribute is enabled when some SKU in stock has that value together
with the values chosen for the attributes before it. When a choice disables
a later attribute's current value, that attribute moves to its first enabled
value. So every combination in stock can be reached, and a combination that
does not exist or is sold out can never be picked. Products whose SKUs do
not share one set of attribute names get no picker (the page lists SKUs).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    value: str
    enabled: bool
    checked: bool


@dataclass(frozen=True)
class Dimension:
    name: str
    choices: list[Choice]


def dimensions(skus: list[dict]) -> list[str] | None:
    """The attribute names every SKU has, sorted (PostgreSQL's jsonb does not
    keep the order keys were written in, so "first seen" would differ by
    database); None when the SKUs have none or do not share the same names."""
    if not skus:
        return None
    names = sorted(skus[0]["attributes"])
    if not names or any(set(s["attributes"]) != set(names) for s in skus):
        return None
    return names


def picker(skus: list[dict], selected_id: int | None) -> list[Dimension] | None:
    """The controls for ``skus`` (dicts with ``id``, ``attributes`` and
    ``available`` units) with ``selected_id``'s values chosen, adjusted by the
    rule above; None when there is no picker to show."""
    names = dimensions(skus)
    if names is None:
        return None
    selected = next((s for s in skus if s["id"] == selected_id), skus[0])
    chosen: dict[str, str] = {}
    out = []
    for name in names:
        values = list(dict.fromkeys(str(s["attributes"][name]) for s in skus))

        def enabled(value: str, name=name) -> bool:
            return any(
                s["available"] > 0
                and str(s["attributes"][name]) == value
                and all(str(s["attributes"][k]) == v for k, v in chosen.items())
                for s in skus
            )

        allowed = [v for v in values if enabled(v)]
        want = str(selected["attributes"][name])
        pick = want if want in allowed else (allowed[0] if allowed else want)
        chosen[name] = pick
        out.append(
            Dimension(
                name=name,
                choices=[Choice(v, v in allowed, v == pick) for v in values],
            )
        )
    return out


def chosen_sku(skus: list[dict], dims: list[Dimension] | None) -> dict | None:
    """The SKU matching the checked value of every dimension, if any."""
    if not dims:
        return None
    wanted = {d.name: next(c.value for c in d.choices if c.checked) for d in dims}
    return next(
        (
            s
            for s in skus
            if all(str(s["attributes"][k]) == v for k, v in wanted.items())
        ),
        None,
    )


def option_label(sku: dict, names: list[str] | None) -> str:
    """``颜色: 红色 / 尺码: M`` in the picker's attribute order (for the no-JS
    list of SKUs); the SKU code when it has no attributes."""
    keys = names or sorted(sku["attributes"])
    return " / ".join(f"{k}: {sku['attributes'][k]}" for k in keys) or sku["code"]

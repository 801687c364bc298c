"""Trade governance pages (刷单治理). Operations console: the fake-trade
review queue — flagged trades by score with their evidence, penalties to
apply or lift, appeals to rule. Seller center: the shop's penalties and the
appeal form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import DomainError, NotFound
from emporia.modes.c2c.governance import detectors, selectors, services
from emporia.modes.c2c.models import Penalty

from .common import login_page
from .ops import operator_page

MEASURES = [(m.value, m.label) for m in Penalty.Measure]
# What each measure does, in the seller's words.
MEASURE_EFFECTS = {
    Penalty.Measure.REMOVE_SALES: gettext_lazy(
        "These trades no longer count in your sales or your credit."
    ),
    Penalty.Measure.WITHHOLD_ESCROW: gettext_lazy(
        "The money of these trades stays in escrow."
    ),
    Penalty.Measure.DEMOTE: gettext_lazy("Your products rank last in search."),
    Penalty.Measure.FREEZE: gettext_lazy(
        "Your shop is frozen: it is hidden from search and cannot sell."
    ),
}
MEASURE_LABELS = {
    Penalty.Measure.REMOVE_SALES: gettext_lazy("Remove from sales and credit"),
    Penalty.Measure.WITHHOLD_ESCROW: gettext_lazy("Withhold escrow"),
    Penalty.Measure.DEMOTE: gettext_lazy("Demote in search"),
    Penalty.Measure.FREEZE: gettext_lazy("Freeze the shop"),
}


def evidence_lines(evidence: list[dict]) -> list[dict]:
    """Evidence sentences in the reader's language (the stored English text
    when a sentence has no template any more)."""
    out = []
    for item in evidence:
        template = detectors.TEMPLATES.get(item.get("signal", ""))
        try:
            text = _(template) % item["params"] if template else item["text"]
        except (KeyError, TypeError, ValueError):
            text = item.get("text", "")
        out.append(
            {"signal": item.get("signal"), "weight": item.get("weight"), "text": text}
        )
    return out


@operator_page
def queue(request):
    flagged = list(selectors.review_queue()[:50])
    for a in flagged:
        a.lines = evidence_lines(a.evidence)
    return render(
        request,
        "web/ops/governance_queue.html",
        {
            "flagged": flagged,
            "counts": selectors.queue_counts(),
            "measures": MEASURES,
        },
    )


def _done(request, message: str):
    messages.success(request, message)
    return redirect(request.POST.get("next") or "web:ops_governance")


def _refused(request, exc: DomainError):
    messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "web:ops_governance")


@require_POST
@operator_page
def penalise(request, order_id: int):
    found = selectors.assessment(order_id=order_id)
    try:
        services.apply_penalty(
            shop_id=found.shop_id,
            order_ids=[order_id],
            measures=request.POST.getlist("measures"),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, _("Penalty applied to %(shop)s.") % {"shop": found.shop.name})


@require_POST
@operator_page
def dismiss(request, order_id: int):
    try:
        services.dismiss_assessment(
            order_id=order_id, by=request.user, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, _("The trade was dismissed as honest."))


@operator_page
def penalties(request):
    active = list(selectors.penalties(status=Penalty.Status.ACTIVE)[:100])
    for p in active:
        p.order_ids = selectors.penalty_order_ids(p)
    return render(
        request,
        "web/ops/governance_penalties.html",
        {
            "active": active,
            "appeals": list(selectors.open_appeals()[:100]),
            "counts": selectors.queue_counts(),
        },
    )


@require_POST
@operator_page
def lift(request, penalty_id: int):
    try:
        services.lift_penalty(
            penalty_id=penalty_id,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, _("The penalty was lifted and its measures reversed."))


@require_POST
@operator_page
def rule(request, appeal_id: int):
    try:
        services.rule_appeal(
            appeal_id=appeal_id,
            by=request.user,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, _("The appeal was ruled on."))


# --- seller center -------------------------------------------------------------


@login_page
def seller_penalties(request, shop_id: int):
    """The shop's penalties, newest first: measures and what they do, the
    reason, the trades, the status, and the appeal (or a form to file one
    while the penalty is active and not yet appealed)."""
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    rows = list(
        selectors.penalties_for_shop(user=request.user, shop_id=shop.pk)
        .prefetch_related("trades__order")
        .select_related("appeal__ruled_by")[:100]
    )
    for p in rows:
        p.measure_rows = [
            {"label": MEASURE_LABELS.get(m, m), "effect": MEASURE_EFFECTS.get(m, "")}
            for m in p.measures
        ]
        p.orders = sorted((t.order for t in p.trades.all()), key=lambda o: o.pk)
        p.appealed = getattr(p, "appeal", None)
        p.can_appeal = p.status == Penalty.Status.ACTIVE and p.appealed is None
    return render(
        request,
        "web/seller/c2c_governance.html",
        {"shop": shop, "section": "c2c_governance", "penalties": rows},
    )


@require_POST
@login_page
def seller_appeal(request, shop_id: int, penalty_id: int):
    """The shop's staff appeal one of the shop's penalties with text."""
    shop = accounts.staff_shop(user=request.user, shop_id=shop_id)
    penalty = selectors.penalty_for_party(user=request.user, penalty_id=penalty_id)
    if penalty.shop_id != shop.pk:
        raise NotFound("No such penalty")
    try:
        services.file_appeal(
            penalty_id=penalty.pk, by=request.user, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your appeal is filed. An operator will rule on it.")
        )
    return redirect("web:seller_penalties", shop_id=shop.pk)

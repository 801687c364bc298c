from django.urls import path

from .views import c2c_governance, c2c_trust, ops

urlpatterns = [
    path("", ops.dashboard, name="ops_dashboard"),
    path("disputes/", c2c_trust.ops_disputes, name="c2c_ops_disputes"),
    path("disputes/<int:dispute_id>/", c2c_trust.ops_dispute, name="c2c_ops_dispute"),
    path("governance/", c2c_governance.queue, name="ops_governance"),
    path(
        "governance/trades/<int:order_id>/penalise/",
        c2c_governance.penalise,
        name="ops_governance_penalise",
    ),
    path(
        "governance/trades/<int:order_id>/dismiss/",
        c2c_governance.dismiss,
        name="ops_governance_dismiss",
    ),
    path(
        "governance/penalties/",
        c2c_governance.penalties,
        name="ops_governance_penalties",
    ),
    path(
        "governance/penalties/<int:penalty_id>/lift/",
        c2c_governance.lift,
        name="ops_governance_lift",
    ),
    path(
        "governance/appeals/<int:appeal_id>/rule/",
        c2c_governance.rule,
        name="ops_governance_rule",
    ),
]

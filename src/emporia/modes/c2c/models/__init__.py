"""C2C models, one module per concept; each is imported here so Django finds it."""

from .ads import (
    AdChange,
    AdClick,
    AdConversion,
    AdKeyword,
    AdKeywordDay,
    AdServingVersion,
    Campaign,
    CampaignDay,
    CampaignProduct,
)
from .credit import (
    CategoryScoreDay,
    CreditExclusion,
    TradeRating,
    TradeRatingChange,
    Verdict,
)
from .disputes import Dispute, DisputeEvidence, DisputeStatusChange, EscrowExtension
from .governance import (
    PenalisedTrade,
    Penalty,
    PenaltyAppeal,
    TradeAssessment,
    TradeScoreRequest,
)
from .growth import ShopVisit
from .pickup import PickupBooking, PickupScan, PickupSlot
from .shops import SellerIdentity

__all__ = [
    "AdChange",
    "AdClick",
    "AdConversion",
    "AdKeyword",
    "AdKeywordDay",
    "AdServingVersion",
    "Campaign",
    "CampaignDay",
    "CampaignProduct",
    "CategoryScoreDay",
    "CreditExclusion",
    "Dispute",
    "DisputeEvidence",
    "DisputeStatusChange",
    "EscrowExtension",
    "PenalisedTrade",
    "Penalty",
    "PenaltyAppeal",
    "PickupBooking",
    "PickupScan",
    "PickupSlot",
    "SellerIdentity",
    "ShopVisit",
    "TradeAssessment",
    "TradeRating",
    "TradeRatingChange",
    "TradeScoreRequest",
    "Verdict",
]

"""Social commerce models, one module per concept."""

from .groups import CampaignChange, Group, GroupCampaign, GroupChange, GroupMember
from .invites import DeviceSighting, Invite, InviteReward, ReferralCode
from .orchard import BrowseVisit, OrchardPrize, Tree, WaterGrant
from .shares import GroupShare, ShareVisit

__all__ = [
    "BrowseVisit",
    "CampaignChange",
    "DeviceSighting",
    "Group",
    "GroupCampaign",
    "GroupChange",
    "GroupMember",
    "GroupShare",
    "Invite",
    "InviteReward",
    "OrchardPrize",
    "ReferralCode",
    "ShareVisit",
    "Tree",
    "WaterGrant",
]

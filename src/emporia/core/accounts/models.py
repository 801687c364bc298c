"""Parties: users, shops and their staff, business organizations, API tokens,
and address books."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q

from emporia.kernel import clock


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, password=None, *, mobile=None, **extra):
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, mobile=mobile or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", "Operator")
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: buyer, shop staff, organization member or platform operator.

    Logs in with an email address or a mobile number. ``is_staff`` marks a
    platform operator.
    """

    email = models.EmailField(unique=True, null=True, blank=True)
    mobile = models.CharField(max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(max_length=80)
    language = models.CharField(max_length=10, default="zh-hans")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(mobile__isnull=False),
                name="user_has_email_or_mobile",
            )
        ]

    def __str__(self):
        return self.display_name or self.email or self.mobile or f"user {self.pk}"

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff


class Shop(models.Model):
    """A seller. The platform's own self-operated store is a shop too."""

    class Kind(models.TextChoices):
        SELF_OPERATED = "self_operated", "Self-operated"
        ENTERPRISE = "enterprise", "Enterprise"
        INDIVIDUAL = "individual", "Individual"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        FROZEN = "frozen", "Frozen"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(blank=True)
    # The profile in English beside the Chinese name and description above;
    # blank means "show the Chinese text".
    name_en = models.CharField(max_length=120, blank=True)
    description_en = models.TextField(blank=True)
    logo = models.ImageField(upload_to="shops/logos/%Y/%m/", blank=True)
    banner = models.ImageField(upload_to="shops/banners/%Y/%m/", blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    commission_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.0500")
    )
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ACTIVE

    def display_name(self, language: str | None = None) -> str:
        """The shop's name in ``language`` (English when set), else its name."""
        if language and language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def about(self, language: str | None = None) -> str:
        """The shop's description in ``language``, falling back to the other."""
        if language and language.startswith("en") and self.description_en:
            return self.description_en
        return self.description or self.description_en


class ShopProfileChange(models.Model):
    """Who changed which fields of a shop's profile, when and why."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="profile_changes"
    )
    actor = models.ForeignKey(
        "User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = models.JSONField(default=list)
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class ShopMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    # the shop_member_once unique constraint leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="shop_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shop_member_once")
        ]


class Organization(models.Model):
    """A business buyer (B2B): a company with departments and members."""

    name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return self.name


class Department(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="departments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=120)

    def __str__(self):
        return self.name


class OrganizationMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        APPROVER = "approver", "Approver"
        BUYER = "buyer", "Buyer"

    # the org_member_once unique constraint leads with organization
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="org_roles")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.BUYER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="org_member_once"
            )
        ]


class ApiToken(models.Model):
    """A bearer token: personal (acts as its user) or an organization API key
    (acts as the user who created it, limited to that organization) for ERP
    integration. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Address(models.Model):
    """A shipping address in a buyer's address book."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(max_length=80)
    phone = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="CN")
    province = models.CharField(max_length=60, blank=True)
    city = models.CharField(max_length=60)
    district = models.CharField(max_length=60, blank=True)
    line1 = models.CharField(max_length=200)
    postcode = models.CharField(max_length=12, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)

    def as_snapshot(self) -> dict:
        return {
            "recipient": self.recipient,
            "phone": self.phone,
            "country": self.country,
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "line1": self.line1,
            "postcode": self.postcode,
        }


class ShopStatusChange(models.Model):
    """Who froze, unfroze or closed a shop, when and why."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="status_history"
    )
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class LoginRecord(models.Model):
    """One successful login (web session or API token), with the client's IP
    and device id (see ``clients``). Kept for trust and safety; the IP and
    device are blanked after the retention period."""

    class Channel(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"

    # the login_user_recent index leads with user
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="logins", db_index=False
    )
    channel = models.CharField(max_length=5, choices=Channel.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    device_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-at"], name="login_user_recent"),
            models.Index(fields=["device_id"], name="login_device"),
            models.Index(fields=["at"], name="login_at"),
        ]

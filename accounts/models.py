import unicodedata
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.selectors import Roles


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=normalise_email(username or ""))


def normalise_email(email: str) -> str:
    """People type their address in any case; one address is one account.

    Folded with NFKC and casefold, as Django folds the login form's username: a look-alike
    spelling (fullwidth 's', long 's') becomes the plain address, so the login, the lockout's
    check and its failure count, and every lookup all use one string for one account."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff or a volunteer. Logs in with an email address.

    What a user may see is decided by their memberships (roles in schemes), not by Django's
    permission flags; ``is_staff`` only opens the admin for system administrators.
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can open the Django admin. For system administrators only."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    # Not a field: the user's roles, cached on the instance by ``accounts.selectors.user_roles``.
    _tandem_roles: "Roles"

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message="Someone already has an account with this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    MANAGER = "manager", "Manager"
    COORDINATOR = "coordinator", "Coordinator"
    MENTOR = "mentor", "Mentor"


class Membership(models.Model):
    """A role a user holds. Managers hold theirs organisation-wide (no scheme); coordinators
    and mentors hold theirs in one scheme each, and may hold several.

    Scope in every selector is computed from these rows, so adding or removing one is how a
    manager grants or takes away access.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    scheme = models.ForeignKey(
        "schemes.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "scheme__name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.MANAGER, scheme__isnull=True)
                    | (~models.Q(role=Role.MANAGER) & models.Q(scheme__isnull=False))
                ),
                name="membership_manager_org_wide_others_per_scheme",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scheme"],
                name="membership_unique_role_per_scheme",
                violation_error_message="This person already has this role in this scheme.",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role=Role.MANAGER),
                name="membership_one_manager_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.scheme.name if self.scheme is not None else "all schemes"
        return f"{self.get_role_display()} ({where})"


class SignedInSession(models.Model):
    """One signed-in browser of a user, so they can see where they are signed in and end the
    others ("Your sessions"). Django's session table cannot be listed by user (its data is
    encoded); this row is written at login, touched at most once a minute, and removed at
    logout. The device is a coarse description ("Chrome on Android"), not the user agent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    device = models.CharField(max_length=100, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.device or 'an unknown device'}"

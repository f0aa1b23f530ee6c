import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from contrat_ville.accounts.enums import OrganizationKind
from contrat_ville.accounts.validators import (
    validate_departement_code,
    validate_region_code,
    validate_rna,
    validate_siren,
    validate_siret,
)
from contrat_ville.core.fields import optional_reference
from contrat_ville.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    """An institution a user acts for: State service, local authority, operator, association, conseil citoyen…

    ``former_names`` keeps the names under which the seeds cite it (DDCS → DDETS, Pôle emploi →
    France Travail: domain.md §3.4, rule R36), shown beside the current name.
    """

    name = models.CharField("nom", max_length=255)
    acronym = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("nature", max_length=32, choices=OrganizationKind.choices)
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="L'établissement qui attribue ou reçoit les subventions (données essentielles, décret 2017-779).",
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text="Pour une association : W et 9 chiffres.",
    )
    former_names = models.CharField("anciennes dénominations", max_length=255, blank=True)
    departement_code = models.CharField(
        "département",
        max_length=3,
        blank=True,
        validators=[validate_departement_code],
        help_text="Code officiel du département où l'organisation intervient (35, 2A, 971…).",
    )
    region_code = models.CharField(
        "région",
        max_length=2,
        blank=True,
        validators=[validate_region_code],
        help_text="Code officiel de la région que couvre un centre de ressources (76 pour l'Occitanie, 84…) : ses "
        "membres mènent le questionnaire des conseils citoyens et lisent l'état des lieux de cette région.",
    )

    # A local authority is tied to its territory through the SIREN (Territory.siren), and any organisation to
    # its département through the official code, not a foreign key: territories sit above accounts in the app
    # graph.
    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siren"], condition=~models.Q(siren=""), name="organization_unique_siren"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> "User":
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: object) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: object) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address; acts for at most one organisation."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    organization = optional_reference(Organization, "organisation", related_name="users", on_delete=models.SET_NULL)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    proconnect_sub = models.CharField(
        "identifiant ProConnect",
        max_length=255,
        blank=True,
        help_text="L'identifiant que ProConnect donne à cette personne, noté à sa première connexion par ProConnect.",
    )

    objects: ClassVar[UserManager] = UserManager()
    # Not stored: set on the request's user when the identity provider that signed the session in said the person
    # used two factors (accounts.two_factor.TwoFactorPendingMiddleware).
    second_factor_at_provider = False

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["proconnect_sub"], condition=~models.Q(proconnect_sub=""), name="user_unique_proconnect_sub"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        full_name = f"{self.first_name} {self.last_name}".strip()
        return full_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only its SHA-256 is stored: the raw token is shown once."""

    user = models.ForeignKey(User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField("libellé", max_length=100, blank=True)
    prefix = models.CharField("préfixe", max_length=8)
    token_hash = models.CharField("empreinte", max_length=64, unique=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate_raw_token() -> str:
        return "cv_" + secrets.token_urlsafe(32)

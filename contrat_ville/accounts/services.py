from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contrat_ville.accounts.models import ApiToken, Organization, User, hash_token
from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.personal_data import ANONYMISED, Person


@transaction.atomic
def api_token_create(*, user: User, label: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored nor shown again."""
    if not user.is_active:
        raise BusinessRuleError("Impossible de créer un jeton pour un compte désactivé.")
    raw_token = ApiToken.generate_raw_token()
    token = ApiToken.objects.create(user=user, label=label, prefix=raw_token[:8], token_hash=hash_token(raw_token))
    return token, raw_token


def api_token_authenticate(*, raw_token: str) -> User | None:
    """The active user behind a bearer token, or None. Updates the token's last use."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


@transaction.atomic
def organization_get_or_create(
    *,
    name: str,
    kind: str,
    acronym: str = "",
    siren: str = "",
    former_names: str = "",
    departement_code: str = "",
    region_code: str = "",
) -> Organization:
    """Find an organisation by SIREN (or by name and kind when it has none), else create it."""
    lookup: dict[str, Any] = {"siren": siren} if siren else {"name": name, "kind": kind}
    organization, _ = Organization.objects.update_or_create(
        **lookup,
        defaults={
            "name": name,
            "kind": kind,
            "acronym": acronym,
            "former_names": former_names,
            "departement_code": departement_code,
            "region_code": region_code,
        },
    )
    return organization


@transaction.atomic
def user_create_or_update(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    organization: Organization | None = None,
    is_superuser: bool = False,
) -> User:
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        user = User(email=email.lower())
    user.first_name = first_name
    user.last_name = last_name
    user.organization = organization
    user.is_staff = is_superuser
    user.is_superuser = is_superuser
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_from_proconnect(*, sub: str, email: str, given_name: str = "", usual_name: str = "") -> User:
    """The account a ProConnect identity signs in to: the one already linked to ``sub``, else the one holding the
    address (any case: addresses are stored in lower case), which gets linked; else a new account, named after
    ProConnect, with no password, no organisation and so no contract access (granted by invitation and roles as
    for anyone). A deactivated account is refused."""
    email = email.strip().lower()
    user = User.objects.filter(proconnect_sub=sub).first() if sub else None
    if user is None:
        user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=given_name.strip()[:150], last_name=usual_name.strip()[:150])
        user.set_unusable_password()
    elif not user.is_active:
        raise BusinessRuleError("Ce compte est désactivé : adressez-vous à l'administrateur de la plateforme.")
    if sub and not user.proconnect_sub:
        user.proconnect_sub = sub
    if not user.first_name and not user.last_name:
        user.first_name, user.last_name = given_name.strip()[:150], usual_name.strip()[:150]
    user.full_clean(exclude=["password"])
    user.save()
    return user


def password_link_parts(user: User) -> tuple[str, str]:
    """(uidb64, token) of the one-time link with which ``user`` chooses a password (Django's reset tokens: the
    link stops working once the password is set)."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def account_open(
    *,
    organization: Organization,
    email: str,
    link_for: Callable[[User], str],
    first_name: str = "",
    last_name: str = "",
    by: Any = None,
) -> User:
    """Open an account acting for ``organization`` (a resource centre's member, issue 12 §6): the person gets an
    e-mail with a one-time link (``link_for(user)``) to choose their password. An existing account without an
    organisation joins it; one acting for another organisation is refused."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise BusinessRuleError("Saisissez une adresse électronique valide.", field="email") from error
    user = User.objects.filter(email=email).first()
    if user is not None and user.organization_id not in (None, organization.pk):
        raise BusinessRuleError(f"{email} agit déjà pour une autre organisation ({user.organization}).", field="email")
    if user is None:
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_unusable_password()
    user.organization = organization
    user.full_clean(exclude=["password"])
    user.save()
    inviter = getattr(by, "display_name", "") or "L'administrateur de la plateforme"
    body = (
        f"Bonjour,\n\n{inviter} vous a ouvert un compte sur la {settings.PLATFORM_NAME}, pour « {organization} ».\n\n"
        f"Choisissez votre mot de passe avec ce lien (utilisable une fois) :\n{link_for(user)}\n\n"
        "Si vous n'attendiez pas ce message, ignorez-le.\n"
    )
    EmailMessage(subject=f"Votre compte : {organization}", body=body, to=[email]).send()
    return user


def user_account_erase(person: Person, apply: bool) -> list[str]:
    """The user account with that e-mail, when the request covers it (``--compte``): its e-mail becomes
    « anonyme-<n>@anonymise.invalid », its names « Personne anonymisée », it can no longer sign in and its API tokens
    are revoked. The row stays: what it authored keeps its author, anonymised."""
    if not person.account or not person.normalised_email:
        return []
    users = list(User.objects.filter(email__iexact=person.normalised_email))
    if apply:
        for user in users:
            user.set_unusable_password()
            User.objects.filter(pk=user.pk).update(
                email=f"anonyme-{user.pk}@anonymise.invalid",
                first_name=ANONYMISED,
                last_name="",
                password=user.password,
                is_active=False,
            )
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return [f"Compte utilisateur n° {user.pk} : {user.email}, {user.get_full_name() or '—'}" for user in users]

"""Personal links: derived from the secret key and a random salt, stored only as a hash.

The invitation and every reminder carry the same link, yet the link is stored nowhere: it is
recomputed from ``SECRET_KEY`` and the invitee's random ``link_salt`` (256-bit HMAC-SHA256, so
it cannot be guessed without the key), and only its SHA-256 is in the database. Someone who
reads the database cannot open anyone's questionnaire. After a key rotation the old keys in
``SECRET_KEY_FALLBACKS`` still give the old links; once a key is gone, the next message gets
a fresh link and any draft moves with it.
"""

import base64
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac

from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.models import CampaignInvitee, Draft

__all__ = ["assign_link", "current_link", "link_url"]

_PURPOSE = "dialogues.experiences.personal-link"


def _derive(invitee: CampaignInvitee, secret: str) -> str:
    value = f"{invitee.campaign_id}:{invitee.pk}:{invitee.link_salt}"
    digest = salted_hmac(_PURPOSE, value, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def assign_link(invitee: CampaignInvitee) -> str:
    """Give ``invitee`` a new salt and link (not saved); return the token."""
    invitee.link_salt = secrets.token_hex(16)
    token = _derive(invitee, settings.SECRET_KEY)
    invitee.token_hash = token_hash(token)
    return token


def current_link(invitee: CampaignInvitee) -> str:
    """The token of ``invitee``'s link as stored; a new one (draft kept) if no key gives it."""
    if invitee.link_salt:
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
            token = _derive(invitee, secret)
            if token_hash(token) == invitee.token_hash:
                return token
    old_hash = invitee.token_hash
    with transaction.atomic():
        token = assign_link(invitee)
        CampaignInvitee.objects.filter(pk=invitee.pk).update(
            link_salt=invitee.link_salt, token_hash=invitee.token_hash
        )
        if old_hash:
            Draft.objects.filter(token_hash=old_hash).update(token_hash=invitee.token_hash)
    return token


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("experiences:answer", args=[token])

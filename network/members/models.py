"""Members and how they get in: accounts, invitations, recovery codes and sessions."""

from __future__ import annotations

from datetime import timedelta

from tortoise import fields
from tortoise.expressions import Q, Subquery
from tortoise.models import Model

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.keys import random_id
from network.core.personal import DELETE, UNLINK, Keep, Link, Privacy

ROLES = ("member", "moderator", "policymaker", "admin")
DURESS_ACTIONS = ("none", "hide", "erase", "alert")
VISIBILITY = ("nobody", "rooms", "members")
AGE_BANDS = ("under18", "18-24", "25-34", "35-49", "50plus", "unsaid")
# What else a member may choose to be counted under (Member.counted_as): each has "unsaid".
DIMENSIONS = {"gender": ("woman", "man", "other"), "disability": ("yes", "no"), "displaced": ("yes", "no"),
              "minority": ("yes", "no")}


def _ended_decoys(settings, now):
    # Sessions past their time are purged first (Session.privacy); a decoy lives only with its session.
    return Q(role="decoy") & ~Q(id__in=Subquery(Session.all().values("member_id")))


def _expired_sessions(settings, now):
    return Q(last_seen_at__lt=now - timedelta(minutes=settings.session_idle_minutes)) | \
        Q(created_at__lt=now - timedelta(days=settings.session_max_days))


class Member(EncryptedModel):
    # Drawn at random: an id in a URL or an export tells nothing of who joined when (a duress decoy's
    # id is no newer than the account it stands in for).
    id = fields.IntField(primary_key=True, generated=False, default=random_id)
    pseudonym = fields.CharField(max_length=64)
    # Case-folded NFKC form: pseudonyms are unique without regard to case.
    pseudonym_key = fields.CharField(max_length=128, unique=True)
    # Look-alike skeleton: two pseudonyms that look the same share it.
    skeleton = fields.CharField(max_length=128, unique=True)
    passphrase_hash = fields.CharField(max_length=255)
    role = fields.CharField(max_length=16, default="member")
    # active; hidden (after a duress login, until the member shows it again); or decoy: the
    # throwaway account a duress passphrase opens, which shares nothing with the real one.
    status = fields.CharField(max_length=16, default="active")
    avatar = fields.CharField(max_length=32, default="leaf")
    languages = fields.JSONField(default=list)
    region = fields.CharField(max_length=8, default="")
    age_band = fields.CharField(max_length=8, default="unsaid")
    bio = EncryptedTextField(purpose="member.bio", default="")
    # What the member chose to be counted under in breakdowns (gender, disability, displacement,
    # minority), as JSON: sealed, never shown on a profile, copied only into unlinked breakdown counts.
    counted_as = EncryptedTextField(purpose="member.counted_as", null=True)
    locale = fields.CharField(max_length=8, null=True)
    # The IANA time zone the member reads meeting times in; empty: each meeting's own zone.
    time_zone = fields.CharField(max_length=40, default="", db_default="")
    visibility = fields.CharField(max_length=8, default="nobody")
    invited_by = fields.ForeignKeyField(
        "network.Member", related_name="invitees", null=True, on_delete=fields.SET_NULL
    )
    # Discreet mode: a neutral title, icon and app name on every page.
    discreet = fields.BooleanField(default=False)
    # A second passphrase that opens a decoy, and what it silently does besides.
    duress_hash = fields.CharField(max_length=255, null=True)
    duress_action = fields.CharField(max_length=8, default="none")
    created_at = fields.DatetimeField(auto_now_add=True)
    # The participation key, sealed under the key the passphrase opens (members.vault); 1 once the
    # member has one (0: made before keys, moved over at the next sign-in).
    vault = fields.TextField(null=True)
    vault_version = fields.IntField(default=0)
    # Set when the key had to be made anew (it could not be opened): told once, then cleared.
    vault_renewed = fields.BooleanField(default=False)
    # The key sealed under the duress passphrase too, only while that passphrase erases the account:
    # a duress sign-in then finds the member's answers to erase them.
    duress_vault = fields.TextField(null=True)
    # What the member has been told of (commitment updates, answers to proposals), sealed under
    # their participation key: kept beside the rows it is about, it would say whose they are.
    notice_cursor = fields.TextField(null=True)

    privacy = Privacy(
        identifying=("pseudonym", "pseudonym_key", "skeleton"),
        personal=("avatar", "languages", "region", "age_band", "bio", "counted_as", "locale", "time_zone"),
        operational=("id", "role", "status", "visibility", "discreet", "duress_action", "created_at",
                     "vault_version", "vault_renewed"),
        secret=("passphrase_hash", "duress_hash", "vault", "duress_vault", "notice_cursor"),
        reference=("invited_by",),
        links=(Link("id", DELETE, export="profile"), Link("invited_by_id", UNLINK)),
        keep=(Keep("ended decoys", _ended_decoys, after=True),),
    )

    class Meta:
        table = "member"


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharField(max_length=16, default="member")
    max_uses = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField(
        "network.Member", related_name="invitations", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    # A member's vouch holds one of their slots of the month (members.invitations): the month
    # (year * 12 + month - 1, UTC) and a slot from 1 to the monthly limit, unique per member, so
    # the database itself refuses a vouch beyond the limit, however many requests race.
    # Administrators' invitations (and the command line's) take no slot: both stay empty.
    vouch_period = fields.IntField(null=True)
    vouch_slot = fields.IntField(null=True)

    privacy = Privacy(
        operational=("id", "role", "max_uses", "uses", "expires_at", "revoked_at", "created_at",
                     "vouch_period", "vouch_slot"),
        secret=("code_hash",), reference=("created_by",),
        links=(Link("created_by_id", DELETE, export="invitations_created"),),
    )

    class Meta:
        table = "invitation"
        unique_together = (("created_by", "vouch_period", "vouch_slot"),)


class RecoveryCode(Model):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="recovery_codes", on_delete=fields.CASCADE)
    code_hash = fields.CharField(max_length=64, unique=True)
    used_at = fields.DatetimeField(null=True)
    # The code's own key derivation (a record as for passphrases) and the participation key sealed under it.
    record = fields.CharField(max_length=255, null=True)
    vault = fields.TextField(null=True)

    privacy = Privacy(operational=("id", "used_at"), secret=("code_hash", "record", "vault"), reference=("member",),
                      links=(Link("member_id", DELETE, export="recovery_codes"),))

    class Meta:
        table = "recovery_code"


class Session(Model):
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    member = fields.ForeignKeyField("network.Member", related_name="sessions", on_delete=fields.CASCADE)
    csrf_token = fields.CharField(max_length=64)
    device = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    # The participation key, sealed under a key only the session cookie gives (members.vault).
    vault = fields.TextField(null=True)

    privacy = Privacy(
        operational=("id", "device", "created_at", "last_seen_at"), secret=("token_hash", "csrf_token", "vault"),
        reference=("member",), links=(Link("member_id", DELETE, export="sessions"),),
        keep=(Keep("expired sessions", _expired_sessions),),
    )

    class Meta:
        table = "session"

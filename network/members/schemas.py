"""JSON bodies of the members' API, validated by pydantic and described in the OpenAPI document.

The limits are the service's own (pseudonyms 3 to 32 characters, passphrases 12 to 128, the
profile's lists), so a body the document accepts is refused only for what a schema cannot say (a
passphrase too common, an invitation that is not valid)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.bounds import integer
from network.core.schemas import Body, Line, Locale, Text, example
from network.members.models import AGE_BANDS, DIMENSIONS, ROLES, VISIBILITY
from network.members.profiles import AVATARS, BIO_MAX, SPOKEN_LANGUAGES, TIME_ZONE_MAX, regions

Role = Literal[ROLES]  # type: ignore[valid-type]
Region = Literal[("", "unsaid", *regions())]  # type: ignore[valid-type]
Passphrase = Field(min_length=12, max_length=128, examples=["a few words I remember"])
# What a person types to sign in is checked, not bounded by the rules for new passphrases.
Typed = Field(min_length=1, max_length=1024)


class RegisterBody(Body):
    model_config = example(invite_code="7K2M-QX9D-4HTR-Z8PW", pseudonym="Amani", passphrase="river stones at dawn")

    invite_code: str = Field(min_length=1, max_length=64, examples=["7K2M-QX9D-4HTR-Z8PW"])
    pseudonym: str = Field(min_length=3, max_length=32, examples=["Amani"])
    passphrase: str = Passphrase


class LoginBody(Body):
    model_config = example(pseudonym="Amani", passphrase="river stones at dawn")

    pseudonym: str = Field(min_length=1, max_length=128, examples=["Amani"])
    passphrase: str = Typed


class RecoverBody(Body):
    model_config = example(pseudonym="Amani", recovery_code="7K2M-QX9D-4HTR", new_passphrase="a new quiet morning")

    pseudonym: str = Field(min_length=1, max_length=128)
    recovery_code: str = Field(min_length=1, max_length=64, examples=["7K2M-QX9D-4HTR"])
    new_passphrase: str = Passphrase


class PassphraseBody(Body):
    model_config = example(current_passphrase="river stones at dawn", new_passphrase="a new quiet morning")

    current_passphrase: str = Typed
    new_passphrase: str = Passphrase


class ProfilePatch(Body):
    """Only the fields sent change; `locale: null` goes back to the browser's language."""

    model_config = example(avatar="sun", languages=["sw", "en"], region="KE", visibility="rooms")

    avatar: Literal[AVATARS] = None  # type: ignore[valid-type, assignment]
    languages: list[Literal[SPOKEN_LANGUAGES]] = Field(default=None, max_length=10)  # type: ignore[valid-type]
    region: Region = None  # type: ignore[assignment]
    age_band: Literal[AGE_BANDS] = None  # type: ignore[valid-type, assignment]
    bio: Text(0, BIO_MAX) = None  # type: ignore[assignment]
    # Counted under in breakdowns only (never shown on the profile); "unsaid" takes it back.
    gender: Literal[(*DIMENSIONS["gender"], "unsaid")] = None  # type: ignore[valid-type, assignment]
    disability: Literal[(*DIMENSIONS["disability"], "unsaid")] = None  # type: ignore[valid-type, assignment]
    displaced: Literal[(*DIMENSIONS["displaced"], "unsaid")] = None  # type: ignore[valid-type, assignment]
    minority: Literal[(*DIMENSIONS["minority"], "unsaid")] = None  # type: ignore[valid-type, assignment]
    locale: Locale | None = None
    visibility: Literal[VISIBILITY] = None  # type: ignore[valid-type, assignment]
    # Meeting times are shown in it; "" (or null) goes back to each meeting's own time zone.
    time_zone: Line(0, TIME_ZONE_MAX, description="An IANA time zone, such as Africa/Nairobi.") | None = None


class EraseBody(Body):
    model_config = example(passphrase="river stones at dawn", messages="anonymise")

    passphrase: str = Typed
    messages: Literal["delete", "anonymise"] = "delete"


class InvitationBody(Body):
    model_config = example(role="member", uses=1, days=7)

    role: Role = "member"
    uses: integer(1, 500) = 1
    days: integer(1, 90) = 7


class RoleBody(Body):
    model_config = example(role="moderator")

    role: Role

"""JSON bodies of the members' API, validated by pydantic and described in the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.schemas import Body

Role = Literal["member", "moderator", "policymaker", "admin"]


class RegisterBody(Body):
    invite_code: str = Field(min_length=1, max_length=64)
    pseudonym: str = Field(min_length=1, max_length=128)
    passphrase: str = Field(min_length=1, max_length=1024)


class LoginBody(Body):
    pseudonym: str = Field(min_length=1, max_length=128)
    passphrase: str = Field(min_length=1, max_length=1024)


class RecoverBody(Body):
    pseudonym: str = Field(min_length=1, max_length=128)
    recovery_code: str = Field(min_length=1, max_length=64)
    new_passphrase: str = Field(min_length=1, max_length=1024)


class PassphraseBody(Body):
    current_passphrase: str = Field(min_length=1, max_length=1024)
    new_passphrase: str = Field(min_length=1, max_length=1024)


class ProfilePatch(Body):
    avatar: str | None = Field(default=None, max_length=32)
    languages: list[str] | None = Field(default=None, max_length=10)
    region: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=8)
    bio: str | None = Field(default=None, max_length=2000)
    locale: str | None = Field(default=None, max_length=8)
    visibility: Literal["nobody", "rooms", "members"] | None = None


class EraseBody(Body):
    passphrase: str = Field(min_length=1, max_length=1024)
    messages: Literal["delete", "anonymise"] = "delete"


class InvitationBody(Body):
    role: Role = "member"
    uses: int = Field(default=1, ge=1, le=500)
    days: int = Field(default=7, ge=1, le=90)


class RoleBody(Body):
    role: Role

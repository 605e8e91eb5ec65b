"""The shapes of ``/api/v1/tokens`` and ``/api/v1/users`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape


class TokenRequest(Body):
    """E-mail and password (or an ``Authorization`` header with a token you already have)."""

    email: str | None = Field(default=None, examples=["steward@statistical-office.example.si"])
    password: str | None = Field(default=None, examples=["demo-password"])
    name: str | None = Field(default=None, description="What the token is for")


class IssuedToken(Body):
    id: int
    name: str
    token: str = Field(description="The secret: shown only this once")
    note: str


class TokenInfo(Body):
    id: int
    name: str
    prefix: str = Field(description="The first characters, to recognise the token by")
    created: str
    last_used: str | None
    revoked: str | None


class TokenList(Body):
    items: list[TokenInfo]


class RevokedToken(Body):
    id: int
    revoked: bool


class Me(Body):
    id: int
    name: str
    email: str
    global_role: str = Field(description='admin, auditor or "" (roles per organisation only)')
    roles: dict[str, list[str]] = Field(description="Organisation slug -> roles there")


class NewUser(Body):
    email: str = Field(examples=["steward@tax-office.example.si"])
    name: str
    password: str
    global_role: str | None = Field(default=None, description='"admin", "auditor" or empty')
    roles: dict[str, str] | None = Field(
        default=None, description='Organisation slug -> role, e.g. {"tax-office": "steward"}'
    )


class CreatedUser(Body):
    id: int
    email: str
    name: str


class UserInfo(Body):
    id: int
    email: str
    name: str
    global_role: str
    active: bool
    created: str
    roles: dict[str, list[str]]


class UserList(Body):
    items: list[UserInfo]
    total: int


class RoleGrant(Body):
    organisation: str = Field(examples=["statistical-office"])
    role: str = Field(examples=["steward"], description="steward or dpo")


class GrantedRole(Body):
    id: int
    organisation: str
    role: str


class RevokedRole(GrantedRole):
    revoked: bool


class UserUpdate(Body):
    """Only the fields to change; every change ends the user's browser sessions."""

    active: bool | None = None
    password: str | None = None
    global_role: str | None = Field(default=None, description='"admin", "auditor" or empty')


class UpdatedUser(Body):
    id: int
    updated: bool


TokenRequestBody = Annotated[dict[str, Any], Shape(TokenRequest)]
IssuedTokenOut = Annotated[dict[str, Any], Shape(IssuedToken)]
TokenListOut = Annotated[dict[str, Any], Shape(TokenList)]
RevokedTokenOut = Annotated[dict[str, Any], Shape(RevokedToken)]
MeOut = Annotated[dict[str, Any], Shape(Me)]
NewUserBody = Annotated[dict[str, Any], Shape(NewUser)]
CreatedUserOut = Annotated[dict[str, Any], Shape(CreatedUser)]
UserListOut = Annotated[dict[str, Any], Shape(UserList)]
RoleGrantBody = Annotated[dict[str, Any], Shape(RoleGrant)]
GrantedRoleOut = Annotated[dict[str, Any], Shape(GrantedRole)]
RevokedRoleOut = Annotated[dict[str, Any], Shape(RevokedRole)]
UserUpdateBody = Annotated[dict[str, Any], Shape(UserUpdate)]
UpdatedUserOut = Annotated[dict[str, Any], Shape(UpdatedUser)]

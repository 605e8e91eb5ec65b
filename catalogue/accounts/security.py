"""Password hashing (argon2) and API tokens (random, stored as a SHA-256 hash)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy: tuple[PasswordHasher, str] | None = None
TOKEN_PREFIX = "cat_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def dummy_hash() -> str:
    """A hash of no one's password, made with the current cost parameters.

    Checking a password against it takes as long as checking a real user's, so an unknown
    address answers no faster than a known one and addresses cannot be told apart by time.
    """
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(32)))
    return _dummy[1]


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``None`` (no such user) is checked against the dummy
    hash and is always False, after the same work."""
    try:
        matches = _hasher.verify(dummy_hash() if password_hash is None else password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


def new_token() -> str:
    """A token people can recognise (``cat_...``) with 256 bits of randomness."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are long random strings, so a fast hash is safe and lets us look them up."""
    return hashlib.sha256(token.encode()).hexdigest()

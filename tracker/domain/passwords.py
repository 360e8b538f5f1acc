"""Password hashing (argon2id, salted and slow) and the password policy, after NCSC guidance."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 12
MAX_LENGTH = 256

# The commonest passwords of 12 characters or more in public breach lists; the policy refuses them.
COMMON_PASSWORDS = frozenset({
    "123456789012", "1234567890123", "12345678901234", "123456123456", "111111111111", "000000000000",
    "qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "password1234",
    "password12345", "passwordpassword", "password123456", "iloveyou1234", "abc123abc123", "abcdefghijkl",
    "aaaaaaaaaaaa", "letmein12345", "welcome12345", "welcome123456", "administrator", "adminadmin123",
    "changeme1234", "football1234", "monkey123456", "sunshine1234", "princess1234", "trustno11234",
    "qwertyqwerty", "asdfghjklasd", "zxcvbnmzxcvb", "superman1234", "baseball1234", "starwars1234",
    "dragon123456", "master123456", "passw0rd1234", "p@ssw0rd1234", "nhsnhsnhsnhs", "healthcare123",
    "betterfund123", "passwordpass", "1234qwerasdf", "qwer1234asdf", "abcd1234abcd", "january12345",
})


def hash_password(password: str) -> str:
    """A salted argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash (constant time)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, in the words to show, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        return "Password is too easy to guess. Choose a longer phrase, such as three random words"
    if email and lowered == email.lower():
        return "Password must not be your email address"
    return None

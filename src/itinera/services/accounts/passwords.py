"""Password quality (issue 10, item 14): long enough, and not guessable.

Length alone let ``aaaaaaaaaaaa`` and ``password1234`` through. A password is now also scored
by zxcvbn (the Python port of Dropbox's estimator, which ships its own lists of common
passwords, names and words, and recognises keyboard patterns, repeats, dates and the username):
a score under 3 (fewer than about 10^8 guesses) is refused with zxcvbn's own advice. Nothing is
fetched at run time; the lists are in the package.
"""

from __future__ import annotations

from itinera.domain.account import check_password
from itinera.domain.errors import FieldError

__all__ = ["MIN_SCORE", "password_errors"]

MIN_SCORE = 3


def password_errors(password: str, *, username: str = "") -> list[FieldError]:
    """What is wrong with a new password (nothing when it may be used)."""
    errors = check_password(password)
    if errors:
        return errors
    from zxcvbn import zxcvbn  # imported on use: the scorer loads its lists (~1 MB)

    result = zxcvbn(password, user_inputs=[username] if username else [])
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result.get("feedback") or {}
    advice = " ".join(
        part for part in [feedback.get("warning"), *feedback.get("suggestions", [])] if part
    )
    message = "too easy to guess (a common password, a pattern or the username)"
    return [FieldError("password", f"{message}. {advice}".strip())]

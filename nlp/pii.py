"""Mask personal data before a post is stored: NIK/KK numbers, phone numbers, emails, plates.

Order matters: emails first (they may contain digits), then long digit runs (NIK and KK are 16
digits, often written in groups with spaces, dots or dashes), then phone numbers, then plates.
A masked text contains no digits of what was masked and masking it again changes nothing.

A digit run is measured as a whole, separators included, so a NIK written next to another
number is masked with it rather than left half visible: over-masking a long number is
preferred to leaking part of one.
"""

from __future__ import annotations

import re

NIK = "[NIK]"
KK = "[KK]"
PHONE = "[TELEPON]"
EMAIL = "[EMAIL]"
PLATE = "[PLAT]"

_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_THREE_DIGITS = re.compile(r"[0-9]{3}")
_DIGIT_RUN = re.compile(r"[0-9](?:[ .\-]?[0-9])*")
_KK_CONTEXT = re.compile(r"(?:\bkk|kartu keluarga)\W{0,6}(?:no(?:mor)?\W{0,4})?$", re.IGNORECASE)
_PHONE = re.compile(
    r"(?:\(?\+\s?62\)?|(?<![0-9])62|(?<![0-9])0)[ .\-]{0,2}8(?:[ .\-]?[0-9]){7,11}(?![0-9])"
    r"|(?<![0-9])\(0[1-9][0-9]{1,2}\)[ .\-]?[0-9]{3,4}[ .\-]?[0-9]{3,5}(?![0-9])"
    r"|(?<![0-9])0[2-9][0-9]{1,2}[ \-][0-9]{3,4}[ \-]?[0-9]{3,4}(?![0-9])"
    r"|(?:\+\s?62|(?<![0-9])62)[ .\-]?[1-9][0-9]{1,2}[ .\-]?[0-9]{3,4}[ .\-]?[0-9]{3,5}(?![0-9])"
)
# Region codes of Indonesian plates (one or two letters); the suffix is one to three letters.
_PLATE_CODES = (
    "A B D E F G H K L M N P R S T W Z AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP DA DB DC "
    "DD DE DG DH DK DL DM DN DR DT DW EA EB ED KB KH KT KU PA PB"
).split()
_CODES = "|".join(sorted(_PLATE_CODES, key=len, reverse=True))
# One digit glued to the code ("S2 UI", "D3") is a degree, not a plate ("B 1 RI").
_PLATE_UPPER = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_CODES})(?:[ \-]?[0-9]{{2,4}}|[ \-][0-9])[ \-]?[A-Z]{{1,3}}(?![A-Za-z0-9])"
)
_PLATE_ANYCASE = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_CODES})[ \-]?[0-9]{{3,4}}[ \-]?([A-Za-z]{{1,3}})(?![A-Za-z0-9])", re.IGNORECASE
)
# Short words that follow a number in ordinary sentences ("b 2024 ini"): never a plate suffix.
_NOT_SUFFIX = frozenset(
    "di ke ya yg dan ini itu ada apa aja sih deh dong nya kok lah pun jam rb ribu jt km kg m cm mm "
    "th thn tahun hr x an wib an org per ke2 kali dgn utk dr sd s d ok rp".split()
)


def mask(text: str, *, plates: bool = True) -> str:
    """The text with personal data replaced by ``[NIK]``, ``[KK]``, ``[TELEPON]``, ``[EMAIL]``, ``[PLAT]``."""
    if "@" in text:
        text = _EMAIL.sub(EMAIL, text)
    digits = sum(map(text.count, "0123456789"))
    if not digits:
        return text  # every other kind of PII has digits
    # Each pattern runs only when the text has the digits it needs: a NIK or KK has 16, every
    # phone pattern at least 9, an any-case plate three in a row.
    if digits >= 16:
        text = _DIGIT_RUN.sub(lambda m: _mask_long_number(m, text), text)
    if digits >= 9:
        text = _PHONE.sub(PHONE, text)
    if plates:
        text = _PLATE_UPPER.sub(PLATE, text)
        if _THREE_DIGITS.search(text):
            text = _PLATE_ANYCASE.sub(_mask_plate, text)
    return text


def _mask_long_number(match: re.Match[str], text: str) -> str:
    run = match.group()
    if sum(c.isdigit() for c in run) < 16:
        return run
    return KK if _KK_CONTEXT.search(text, 0, match.start()) else NIK


def _mask_plate(match: re.Match[str]) -> str:
    return match.group() if match.group(1).lower() in _NOT_SUFFIX else PLATE

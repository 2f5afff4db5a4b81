"""PII masking: property-based, so that no NIK, phone, email or plate survives in any context."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.pii import _NOT_SUFFIX, _PLATE_CODES, mask

SEPARATORS = st.sampled_from(["", " ", ".", "-"])
context = st.text(max_size=40)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _grouped(digits: str, cuts: list[int], seps: list[str]) -> str:
    """Insert separators at the given cut points (the way people write NIK and phones)."""
    out, last = [], 0
    for cut, sep in zip(sorted(set(cuts)), seps):
        out.append(digits[last:cut] + sep)
        last = cut
    return "".join(out) + digits[last:]


@st.composite
def niks(draw: st.DrawFn) -> str:
    digits = draw(st.from_regex(r"[1-9][0-9]{15}", fullmatch=True))
    cuts = draw(st.lists(st.integers(1, 15), max_size=5))
    seps = draw(st.lists(SEPARATORS, min_size=5, max_size=5))
    return _grouped(digits, cuts, seps)


@st.composite
def phones(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["0", "62", "+62", "+62 "]))
    digits = "8" + draw(st.from_regex(r"[1-9][0-9]{7,10}", fullmatch=True))
    cuts = draw(st.lists(st.integers(1, len(digits) - 1), max_size=3))
    seps = draw(st.lists(SEPARATORS, min_size=3, max_size=3))
    return prefix + draw(st.sampled_from(["", " ", "-"])) + _grouped(digits, cuts, seps)


emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z0-9][a-z0-9._%+-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True),
    st.sampled_from(["com", "co.id", "go.id", "id", "net", "ac.id"]),
)


@st.composite
def plates(draw: st.DrawFn) -> str:
    code = draw(st.sampled_from(_PLATE_CODES))
    digits = draw(st.from_regex(r"[1-9][0-9]{2,3}", fullmatch=True))
    suffix = draw(st.from_regex(r"[A-Z]{1,3}", fullmatch=True).filter(lambda s: s.lower() not in _NOT_SUFFIX))
    sep1, sep2 = draw(st.sampled_from([" ", ""])), draw(st.sampled_from([" ", ""]))
    plate = f"{code}{sep1}{digits}{sep2}{suffix}"
    return plate.lower() if draw(st.booleans()) else plate


def _embed(before: str, secret: str, after: str) -> str:
    return f"{before} {secret} {after}"


@settings(max_examples=300, deadline=None)
@given(context, niks(), context)
def test_no_nik_survives(before: str, nik: str, after: str) -> None:
    masked = mask(_embed(before, nik, after))
    assert _digits(nik) not in _digits(masked)
    assert "[NIK]" in masked or "[KK]" in masked


@settings(max_examples=300, deadline=None)
@given(context, phones(), context)
def test_no_phone_number_survives(before: str, phone: str, after: str) -> None:
    masked = mask(_embed(before, phone, after))
    assert _digits(phone)[-8:] not in _digits(masked)


@settings(max_examples=200, deadline=None)
@given(context, emails, context)
def test_no_email_survives(before: str, email: str, after: str) -> None:
    masked = mask(_embed(before, email, after))
    assert email not in masked and "[EMAIL]" in masked


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" abcdefghij.,!?", max_size=30), plates(), st.text(alphabet=" abcdefghij.,!?", max_size=30))
def test_no_plate_survives(before: str, plate: str, after: str) -> None:
    masked = mask(_embed(before, plate, after))
    assert plate not in masked and "[PLAT]" in masked


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(context, niks(), phones(), emails, plates()), max_size=6).map(" ".join))
def test_masking_is_idempotent(text: str) -> None:
    once = mask(text)
    assert mask(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK saya 3374 0101 0101 0001 mohon dicek", "NIK saya [NIK] mohon dicek"),
        ("no KK: 33.74.010101.010001", "no KK: [KK]"),
        ("WA 0812-3456-7890 ya", "WA [TELEPON] ya"),
        ("hubungi (024) 8312345", "hubungi [TELEPON]"),
        ("telp (+62) 812-3456-7890", "telp [TELEPON]"),
        ("motor H 1234 AB hilang", "motor [PLAT] hilang"),
        ("mobil ab 1234 xy", "mobil [PLAT]"),
    ],
)
def test_masks_name_what_was_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tahun 2024 ini di 2024 ini b 2024 ya",
        "harga Rp 1.500.000 tanggal 12-10-2024 jam 10:30",
        "lulusan S2 UI dan D3 UGM",
        "antre 3 jam di loket 2, nomor 145",
        "RT 02 RW 05 kelurahan Tembalang",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask(text) == text


def test_plates_can_be_left_unmasked() -> None:
    assert mask("motor H 1234 AB", plates=False) == "motor H 1234 AB"

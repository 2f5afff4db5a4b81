"""Region resolution with the bundled Central Java gazetteer and with a user's own file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.gazetteer import BUNDLED_PATH, GazetteerError, load_gazetteer, resolve_region
from nlp.normalize import normalize

BPS = {
    "3301": "Cilacap", "3302": "Banyumas", "3303": "Purbalingga", "3304": "Banjarnegara", "3305": "Kebumen",
    "3306": "Purworejo", "3307": "Wonosobo", "3308": "Magelang", "3309": "Boyolali", "3310": "Klaten",
    "3311": "Sukoharjo", "3312": "Wonogiri", "3313": "Karanganyar", "3314": "Sragen", "3315": "Grobogan",
    "3316": "Blora", "3317": "Rembang", "3318": "Pati", "3319": "Kudus", "3320": "Jepara", "3321": "Demak",
    "3322": "Semarang", "3323": "Temanggung", "3324": "Kendal", "3325": "Batang", "3326": "Pekalongan",
    "3327": "Pemalang", "3328": "Tegal", "3329": "Brebes", "3371": "Magelang", "3372": "Surakarta",
    "3373": "Salatiga", "3374": "Semarang", "3375": "Pekalongan", "3376": "Tegal",
}


def region(text: str) -> str | None:
    found = resolve_region(normalize(text))
    return found.code if found else None


def test_bundled_file_has_the_35_regions_with_bps_codes() -> None:
    data = json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))
    assert {r["code"]: r["base"] for r in data["regions"]} == BPS
    kinds = {r["code"]: r["kind"] for r in data["regions"]}
    assert sorted(c for c, k in kinds.items() if k == "kota") == ["3371", "3372", "3373", "3374", "3375", "3376"]
    assert sum(len(r["districts"]) for r in data["regions"]) >= 500


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Banjir di Kota Semarang lagi", "3374"),
        ("Kab. Semarang banjir lagi", "3322"),
        ("Pemkab Semarang kapan perbaiki jalan", "3322"),
        ("jalan di Ungaran rusak parah", "3322"),
        ("macet parah di Tembalang, Semarang", "3374"),
        ("Semarang hujan deres", "3374"),
        ("Pemkab Pekalongan lamban, jalan di Kajen rusak", "3326"),
        ("rob lagi di Kota Pekalongan", "3375"),
        ("Walikota Magelang", "3371"),
        ("Borobudur ramai, Magelang macet", "3308"),
        ("Bupati Tegal harus turun tangan", "3328"),
        ("Slawi macet total", "3328"),
        ("Kota Tegal", "3376"),
        ("PDAM Solo mati dari pagi", "3372"),
        ("antre KTP di Purwokerto lama", "3302"),
        ("Kaliwungu Kendal macet", "3324"),
        ("banjir di Batang", "3325"),
        ("sekolah di kec. Salam", "3308"),
        ("kecamatan Wedi banjir", "3310"),
        ("Cepu panas", "3316"),
        ("macet parah di Kota Lumpia", "3374"),
        ("banjir rob di kota batik", "3375"),
        ("Karanganyar", "3313"),
    ],
)
def test_resolves_region_from_context(text: str, code: str) -> None:
    assert region(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "jalan di depan rumah rusak",
        "batang pohon tumbang menutup jalan",
        "salam sejahtera untuk kita semua",
        "taman kota kotor",
        "jalan di Kaliwungu rusak",  # three regencies have a Kaliwungu: no guess
        "Jawa Tengah gayeng",
        "",
    ],
)
def test_posts_without_a_place_stay_without_region(text: str) -> None:
    assert region(text) is None


def test_region_names_come_from_the_file() -> None:
    found = resolve_region(normalize("Kota Surakarta"))
    assert found is not None and found.name == "Kota Surakarta"


def test_a_configured_gazetteer_is_used(tmp_path: Path) -> None:
    path = tmp_path / "diy.json"
    path.write_text(
        json.dumps(
            {
                "regions": [
                    {"code": "3404", "name": "Kabupaten Sleman", "base": "Sleman", "kind": "kabupaten",
                     "aliases": [], "districts": ["Depok", "Ngemplak"]},
                    {"code": "3471", "name": "Kota Yogyakarta", "base": "Yogyakarta", "kind": "kota",
                     "aliases": ["Jogja", "Yogya"], "districts": ["Gondokusuman"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(str(path))
    assert resolve_region(normalize("macet di Jogja"), gazetteer).code == "3471"
    assert resolve_region(normalize("Ngemplak banjir"), gazetteer).code == "3404"
    assert resolve_region(normalize("Semarang"), gazetteer) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a readable JSON"),
        ('{"regions": [{"code": "1"}]}', "expected regions with"),
        ('{"regions": [{"code": "1", "name": "X", "base": "X", "kind": "desa", "districts": []}]}', "kind must be"),
        ('{"bare_name_default": {"X": "9"}, "regions": []}', "unknown region codes"),
    ],
)
def test_a_bad_gazetteer_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(str(path))


def test_a_missing_gazetteer_says_which_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="taxonomy.gazetteer"):
        load_gazetteer(str(tmp_path / "nope.json"))

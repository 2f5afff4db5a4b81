"""The taxonomy file: the bundled one is complete, wrong files fail naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.taxonomy import BUNDLED_PATH, PhraseMatcher, Taxonomy, TaxonomyError
from pantau.config import load_config

REQUIRED_AGENCIES = {
    "dpu-bina-marga", "bpbd", "pdam", "dinkes", "disdikbud", "disdukcapil", "bapenda", "dpmptsp", "dishub",
    "dlhk", "dinsos", "distanbun", "disnakertrans", "disperindag", "pln", "satpol-pp", "inspektorat",
}

GOOD = """
version = 1
[agencies.bpbd]
name = "Badan Penanggulangan Bencana Daerah"
short = "BPBD"
[topics.flood]
name_id = "Banjir"
name_en = "Flooding"
agency = "bpbd"
keywords = ["banjir*", "tanggul jebol"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_taxonomy_has_every_required_agency_and_a_topic_each() -> None:
    taxonomy = Taxonomy.load()
    assert set(taxonomy.agencies) == REQUIRED_AGENCIES
    assert {t.agency for t in taxonomy.topics.values()} == REQUIRED_AGENCIES
    assert taxonomy.topics["civil-registry"].name_en == "Population documents"
    assert taxonomy.agencies["satpol-pp"].short == "Satpol PP"
    assert taxonomy.agencies["pln"].kind == "bumn"
    assert taxonomy.source == BUNDLED_PATH.resolve()


def test_agencies_for_maps_topics_once_each_in_taxonomy_order() -> None:
    taxonomy = Taxonomy.load()
    assert taxonomy.agencies_for(["water", "roads", "water"]) == ["dpu-bina-marga", "pdam"]
    assert taxonomy.agencies_for([]) == []
    assert taxonomy.topics_of("inspektorat") == ["service-conduct"]
    with pytest.raises(TaxonomyError, match="unknown topic 'potholes'"):
        taxonomy.agencies_for(["potholes"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan rusak parah, PDAM juga air mati 3 hari", ["roads", "water"]),
        ("JHT BPJS Ketenagakerjaan belum cair", ["labour"]),
        ("banjirnya sudah sepinggang di Kaligawe", ["flood-disaster"]),
        ("pungli di kantor samsat", ["vehicle-tax", "service-conduct"]),
        ("e-ktp saya belum jadi", ["civil-registry"]),
        ("izin nanya min, ini lokasinya di mana", []),
        ("jalanan sepi pagi ini", []),
    ],
)
def test_match_finds_whole_word_keywords(text: str, expected: list[str]) -> None:
    assert Taxonomy.load().match(text) == expected


def test_phrase_matcher_prefers_the_longest_phrase_and_honours_stars() -> None:
    matcher = PhraseMatcher({"bpjs": ["health"], "bpjs ketenagakerjaan": ["labour"], "banjir*": ["flood"]})
    assert matcher.labels("kartu bpjs ketenagakerjaan hilang") == {"labour"}
    assert matcher.labels("bpjs saya nonaktif, kebanjiran juga") == {"health"}
    assert matcher.labels("banjirnya tinggi") == {"flood"}


def test_from_config_reads_a_path_relative_to_the_config_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "pantau.toml").write_text('[taxonomy]\ntopics = "taxonomy.toml"\n', encoding="utf-8")
    taxonomy = Taxonomy.from_config(load_config(tmp_path / "pantau.toml", env={}))
    assert taxonomy.slugs == ["flood"]
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    assert "roads" in Taxonomy.from_config(load_config(tmp_path / "empty.toml", env={})).topics


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"nope\.toml: taxonomy file not found"):
        Taxonomy.load(tmp_path / "nope.toml")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[topics.roads\nname_id = 1")
    with pytest.raises(TaxonomyError, match=r"taxonomy\.toml: not valid TOML"):
        Taxonomy.load(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('agency = "bpbd"', 'agency = "bnpb"'), r"topics\.flood\.agency: unknown agency 'bnpb'"),
        (('keywords = ["banjir*", "tanggul jebol"]', "keywords = []"), r"topics\.flood\.keywords: expected a non-empty list"),
        (('"tanggul jebol"', '"Tanggul Jebol"'), r"topics\.flood\.keywords: 'Tanggul Jebol' is not a lowercase phrase"),
        (('"banjir*"', '"*banjir"'), r"'\*banjir' is not a lowercase phrase"),
        (('name_en = "Flooding"', 'name_en = ""'), r"topics\.flood\.name_en: expected a non-empty string"),
        (('short = "BPBD"', 'short = "BPBD"\nphone = "112"'), r"agencies\.bpbd\.phone: unknown key"),
        (("[topics.flood]", "[topics.Flood_Water]"), r"topics\.Flood_Water: a slug must be lowercase"),
        (("[agencies.bpbd]", '[agencies.bpbd]\nkind = "ngo"'), r"agencies\.bpbd\.kind: expected one of opd, bumd, bumn"),
    ],
)
def test_wrong_values_name_the_file_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(TaxonomyError, match=message) as info:
        Taxonomy.load(path)
    assert str(path) in str(info.value)


def test_a_file_without_topics_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.split("[topics.flood]")[0])
    with pytest.raises(TaxonomyError, match=r"topics: expected at least one \[topics\.<slug>\] table"):
        Taxonomy.load(path)


def test_a_good_small_file_loads(tmp_path: Path) -> None:
    taxonomy = Taxonomy.load(write(tmp_path, GOOD))
    assert taxonomy.slugs == ["flood"]
    assert taxonomy.agencies["bpbd"].kind == "opd"
    assert taxonomy.match("Kebanjiran lagi, tanggul jebol") == ["flood"]

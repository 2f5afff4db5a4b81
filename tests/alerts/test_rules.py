from datetime import timedelta
from pathlib import Path

import dataclasses
import pytest

from alerts.defaults import default_rules, effective_rules
from alerts.detectors.volume_spike import VolumeSpikeDetector
from alerts.errors import AlertRuleError
from alerts.rules import load_rules
from pantau.config import AlertsSettings, Config

GOOD = '''
[[rule]]
name = "dinkes-volume"
detector = "volume_spike"
query = "puskesmas OR rsud"
agency = "dinkes"
kind = ["complaint", "question"]
recipients = ["kadinkes@jatengprov.go.id"]
cooldown = "30m"
language = "en"
min_ratio = 3.0
window = "1h"

[[rule]]
name = "kritis"
detector = "watch_terms"
terms = ["meninggal", "korban jiwa"]
'''


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rule_file_is_read_into_rules(tmp_path: Path) -> None:
    first, second = load_rules(write(tmp_path, GOOD))
    assert isinstance(first.detector, VolumeSpikeDetector)
    assert first.detector.min_ratio == 3.0 and first.detector.window == timedelta(hours=1)
    assert first.detector.z == 5.0  # default kept
    assert first.cooldown == timedelta(minutes=30) and first.max_cooldown == timedelta(hours=24)
    assert first.scope.text() == "(puskesmas OR rsud) agency:dinkes (kind:complaint OR kind:question)"
    assert first.recipients == ("kadinkes@jatengprov.go.id",) and first.language == "en"
    assert second.detector.terms == ["meninggal", "korban jiwa"]


def test_a_folder_reads_every_toml_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, '[[rule]]\nname = "x"\ndetector = "negative_share"\n', "b.toml")
    assert [r.name for r in load_rules(tmp_path)] == ["dinkes-volume", "kritis", "x"]


@pytest.mark.parametrize(("text", "key", "message"), [
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nmin_ratoi = 3\n', "min_ratoi", "unknown key for detector volume_spike"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nmin_ratio = "three"\n', "min_ratio", "expected a number"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\ncooldown = "soon"\n', "cooldown", "expected a duration"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nrecipients = ["not-an-address"]\n', "recipients", "not an email address"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nquery = "(jalan rusak"\n', "query", "expected"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nquery = "banjir since:7d"\n', "query", "since:/until: have no place"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nsentiment = "angry"\n', "sentiment", "expected"),
    ('[[rule]]\nname = "a"\ndetector = "spike"\n', "detector", "unknown detector 'spike'"),
    ('[[rule]]\nname = "a"\ndetector = "watch_terms"\n', "terms", "required by detector watch_terms"),
    ('[[rule]]\ndetector = "watch_terms"\n', "name", "required"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\nbaseline_weeks = 12\n', "baseline_weeks", "between 4 and 8"),
    ('[[rule]]\nname = "a"\ndetector = "volume_spike"\ncooldown = "4h"\nmax_cooldown = "1h"\n', "max_cooldown", "at least the cooldown"),
])
def test_errors_name_the_file_the_rule_and_the_key(tmp_path: Path, text: str, key: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(AlertRuleError) as caught:
        load_rules(path)
    error = caught.value
    assert error.file == str(path) and error.key == key
    assert message in str(error) and str(path) in str(error)


def test_an_empty_folder_holds_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path) == []


def test_duplicate_names_across_files_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(AlertRuleError, match="duplicate rule name"):
        load_rules(tmp_path)


def test_toml_syntax_errors_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[[rule]\nname = ")
    with pytest.raises(AlertRuleError, match="not valid TOML"):
        load_rules(path)


def test_default_rules_come_from_the_taxonomy_with_configured_recipients() -> None:
    cfg = dataclasses.replace(Config(), alerts=AlertsSettings(recipients={"dinkes": ["kadinkes@x.go.id"], "*": ["humas@x.go.id"]}))
    rules = effective_rules(cfg)
    from nlp.taxonomy import Taxonomy

    agencies = list(Taxonomy.from_config(cfg).agencies)
    assert {r.name for r in rules} >= {f"{a}-volume" for a in agencies} | {"watch-terms"}
    dinkes = next(r for r in rules if r.name == "dinkes-volume")
    assert dinkes.scope.value("agency") == ("dinkes",)
    assert dinkes.recipients == ("kadinkes@x.go.id", "humas@x.go.id")
    watch = next(r for r in rules if r.name == "watch-terms")
    assert watch.detector.terms == cfg.taxonomy.watch_terms and watch.recipients == ("humas@x.go.id",)


def test_a_configured_rules_file_replaces_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    cfg = dataclasses.replace(Config(), alerts=AlertsSettings(rules=str(path)))
    assert [r.name for r in effective_rules(cfg)] == ["dinkes-volume", "kritis"]
    assert default_rules(Config(), {"a": "A"})[0].name == "a-volume"


def test_managed_rules_sit_beside_the_defaults_and_replace_them_by_name(tmp_path: Path) -> None:
    from pantau.config import PathsSettings

    cfg = dataclasses.replace(Config(), paths=PathsSettings(data_dir=str(tmp_path)))
    managed = tmp_path / "alert-rules"
    managed.mkdir()
    (managed / "dashboard.toml").write_text(
        '[[rule]]\nname = "dinkes-volume"\ndetector = "volume_spike"\nagency = "dinkes"\nenabled = false\n\n'
        '[[rule]]\nname = "pdam-malam"\ndetector = "watch_terms"\nterms = ["air keruh"]\n', encoding="utf-8")
    rules = {r.name: r for r in effective_rules(cfg)}
    assert not rules["dinkes-volume"].enabled and rules["dinkes-negative"].enabled
    assert "pdam-malam" in rules
    assert [r.name for r in effective_rules(cfg)].count("dinkes-volume") == 1

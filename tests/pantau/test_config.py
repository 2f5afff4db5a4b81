from pathlib import Path

import pytest

from pantau.config import ConfigError, Secret, example_toml, iter_settings, key_lines, load_config, redacted

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pantau.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config(env={})
    assert cfg.source is None
    assert cfg.province.timezone == "Asia/Jakarta"
    assert cfg.store.backend == "embedded"
    assert cfg.data_dir == Path("pantau-data")


def test_file_overrides_defaults_and_data_dir_is_relative_to_it(tmp_path):
    cfg = load_config(write(tmp_path, '[province]\nname = "Jawa Timur"\n[smtp]\nport = 2525\n'), env={})
    assert cfg.province.name == "Jawa Timur"
    assert cfg.smtp.port == 2525
    assert cfg.smtp.host == "localhost"
    assert cfg.data_dir == tmp_path / "pantau-data"


def test_environment_overrides_secrets(tmp_path):
    path = write(tmp_path, '[smtp]\npassword = "from-file"\n')
    cfg = load_config(path, env={"PANTAU_SMTP_PASSWORD": "from-env", "PANTAU_ES_URL": "http://es:9200"})
    assert cfg.smtp.password.reveal() == "from-env"
    assert cfg.store.es_url == "http://es:9200"


def test_secrets_never_show_in_reprs(tmp_path):
    cfg = load_config(write(tmp_path, '[smtp]\npassword = "hunter2"\n'), env={})
    assert "hunter2" not in repr(cfg)
    assert "hunter2" not in str(redacted(cfg))
    assert redacted(cfg)["smtp.password"] == "***"
    assert repr(Secret("x")) == "Secret('***')"


def test_errors_name_the_key_the_file_line_and_what_was_expected(tmp_path):
    path = write(tmp_path, '[province]\ntimezone = "Mars/Olympus"\n\n[smtp]\nport = "twenty-five"\nsecurity = "tls"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    problems = {p.key: p for p in caught.value.problems}
    assert problems["smtp.port"].line == 5
    assert "whole number" in problems["smtp.port"].message
    assert problems["smtp.security"].line == 6
    assert "starttls" in problems["smtp.security"].message
    assert problems["smtp.port"].file == str(path)
    assert f"{path}:5: smtp.port" in str(caught.value)


def test_semantic_errors_come_after_type_errors_are_fixed(tmp_path):
    path = write(tmp_path, '[province]\ntimezone = "Mars/Olympus"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    (problem,) = caught.value.problems
    assert problem.key == "province.timezone" and problem.line == 2


def test_unknown_keys_and_sections_are_errors(tmp_path):
    path = write(tmp_path, '[smtp]\nprot = 25\n[smpt]\nhost = "x"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    keys = {p.key: p.line for p in caught.value.problems}
    assert keys == {"smtp.prot": 2, "smpt": 3}


def test_invalid_toml_names_the_line(tmp_path):
    path = write(tmp_path, '[smtp]\nport = \n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.problems[0].line == 2


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_elasticsearch_backend_needs_a_url(tmp_path):
    with pytest.raises(ConfigError, match="store.es_url"):
        load_config(write(tmp_path, '[store]\nbackend = "elasticsearch"\n'), env={})


def test_import_section_is_spelled_import(tmp_path):
    cfg = load_config(write(tmp_path, '[sources.import]\ncolumns = { text = "isi" }\n'), env={})
    assert cfg.sources.import_.columns == {"text": "isi"}


def test_every_setting_is_documented():
    for key, field, _tp in iter_settings():
        assert field.metadata.get("help"), f"{key} has no help text"


def test_shipped_example_is_the_generated_one():
    assert (ROOT / "pantau.toml.example").read_text(encoding="utf-8") == example_toml(), (
        "pantau.toml.example is stale: run `pantau config example > pantau.toml.example`"
    )


def test_example_uncommented_is_a_valid_config_equal_to_the_defaults(tmp_path):
    lines = [line[2:] if line.startswith("# ") and "=" in line else line for line in example_toml().splitlines()]
    cfg = load_config(write(tmp_path, "\n".join(lines)), env={})
    assert cfg == load_config(write(tmp_path, ""), env={})


def test_key_lines_handles_nested_tables_and_dotted_keys():
    lines = key_lines('a = 1\n[sources.news]\nfeeds = []\n[x]\n"quoted.key" = 2\ny.z = 3\n')
    assert lines["a"] == 1
    assert lines["sources.news.feeds"] == 3
    assert lines["x.quoted.key"] == 5
    assert lines["x.y.z"] == 6

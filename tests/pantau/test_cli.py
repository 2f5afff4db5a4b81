import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pantau.cli import cli, main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_top_level_help_lists_config():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "config" in result.output and "--config" in result.output and "--verbose" in result.output


@pytest.mark.parametrize("path", list(all_commands(cli)), ids=" ".join)
def test_every_subcommand_has_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_config_check_ok_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PANTAU_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 0
    assert "built-in defaults" in result.output


def test_config_check_reports_each_problem_with_its_line(tmp_path):
    path = tmp_path / "pantau.toml"
    path.write_text('[dashboard]\nport = 99999\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "config", "check"])
    assert result.exit_code == 1
    assert f"{path}:2: dashboard.port" in result.output


def test_user_errors_are_one_line_without_traceback(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(tmp_path / "missing.toml"), "config", "show"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not found" in err
    assert "Traceback" not in err


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "pantau.cli", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Pantau" in result.stdout


def test_config_example_is_valid_toml():
    import tomllib

    result = CliRunner().invoke(cli, ["config", "example"])
    assert result.exit_code == 0
    tomllib.loads(result.output)


def test_ctx_exit_codes_reach_the_shell():
    @cli.command(name="exit-three", hidden=True)
    @click.pass_context
    def exit_three(ctx):
        ctx.exit(3)

    try:
        with pytest.raises(SystemExit) as exited:
            main(["exit-three"])
        assert exited.value.code == 3
    finally:
        cli.commands.pop("exit-three")

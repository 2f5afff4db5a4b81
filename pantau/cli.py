"""The ``pantau`` command.

Subcommands are found, not listed: every module in ``pantau/commands/`` exposes a click
``command`` (a command or a group), and every module in ``pantau/benches/`` exposes one for
``pantau bench``. A capability adds its commands by adding a module; nothing here changes.
Command modules import heavy libraries (torch, scrapy) inside their functions so that
``pantau --help`` stays fast.
"""

from __future__ import annotations

import logging
import sys

import click

from pantau.errors import USER_ERRORS
from pantau.logs import configure_logging
from pantau.shell import AppContext

log = logging.getLogger("pantau")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="PANTAU_CONFIG",
              help="Config file (default: ./pantau.toml when present, else built-in defaults).")
@click.option("-v", "--verbose", is_flag=True, help="Debug logs and full tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors; no progress bars.")
@click.option("--log-json", is_flag=True, help="Write logs as JSON lines (for log collectors).")
@click.version_option(package_name="pantau")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool, quiet: bool, log_json: bool) -> None:
    """Pantau: social listening and sentiment monitoring for local government."""
    configure_logging(verbose=verbose, quiet=quiet, json_lines=log_json)
    ctx.obj = AppContext(config_path=config_path, verbose=verbose, quiet=quiet)


def _register() -> None:
    import pantau.commands

    for command in pantau.commands.discover(pantau.commands):
        cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    try:
        # Without standalone mode click returns ctx.exit(code)'s code instead of exiting.
        returned = cli.main(args=args, prog_name="pantau", standalone_mode=False)
    except USER_ERRORS as exc:
        if "-v" in args or "--verbose" in args:
            log.exception("failed")
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    if isinstance(returned, int) and not isinstance(returned, bool) and returned:
        sys.exit(returned)


if __name__ == "__main__":
    main()

"""Users: roles and scopes, argon2 hashes, and `pantau users add|list|remove`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dashboard.db import FILE_NAME, Database
from dashboard.errors import DashboardError
from dashboard.users import UserStore
from pantau.cli import cli
from tests.dashboard.conftest import FAST_HASHER, PASSWORD


@pytest.fixture
def users(tmp_path) -> UserStore:
    return UserStore(Database(tmp_path / FILE_NAME), hasher=FAST_HASHER)


def test_password_is_stored_as_an_argon2_hash(users, tmp_path):
    users.add("ana", PASSWORD, "analyst")
    with Database(tmp_path / FILE_NAME).connect() as db:
        stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert users.authenticate("ana", PASSWORD).role == "analyst"
    assert users.authenticate("ana", "wrong password") is None
    assert users.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize("args,field", [
    (("Bad Name!", PASSWORD, "analyst", ()), "username"),
    (("ana", PASSWORD, "boss", ()), "role"),
    (("ana", "short", "analyst", ()), "password"),
    (("ana", PASSWORD, "agency", ()), "agencies"),
    (("ana", PASSWORD, "humas", ("dinkes",)), "agencies"),
])
def test_bad_users_are_refused_naming_the_field(users, args, field):
    with pytest.raises(DashboardError) as caught:
        users.add(*args)
    assert caught.value.field == field
    assert users.list() == []


def test_agency_user_is_scoped(users):
    user = users.add("kadinkes", PASSWORD, "agency", ("dinkes",))
    assert user.scoped and user.may_see_agency("dinkes") and not user.may_see_agency("pdam")
    assert not user.can_edit_rules


def test_cli_add_list_remove(tmp_path):
    (tmp_path / "pantau.toml").write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    run = lambda *args, stdin=None: CliRunner().invoke(cli, ["--config", str(tmp_path / "pantau.toml"), "users", *args],  # noqa: E731
                                                        input=stdin)
    added = run("add", "kadinkes", "--role", "agency", "--agency", "dinkes", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "added kadinkes (agency for dinkes)" in added.output
    listed = run("list")
    assert "kadinkes" in listed.output and "dinkes" in listed.output
    assert UserStore(Database(tmp_path / "data" / FILE_NAME)).authenticate("kadinkes", PASSWORD) is not None
    assert run("remove", "kadinkes").exit_code == 0
    assert "no users yet" in run("list").output


def test_cli_refuses_unknown_agency(tmp_path):
    (tmp_path / "pantau.toml").write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "pantau.toml"), "users", "add", "x1", "--role", "agency",
                                      "--agency", "nope", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "unknown agency 'nope'" in str(result.exception)

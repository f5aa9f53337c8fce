"""Where plugins come from and how they are switched off: plugins.toml, environment, load order."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins.helpers import GOOD_PLUGIN, InstallDistribution, new_host, write_plugin, write_toml
from workbench.core.errors import BadInputError
from workbench.plugins import PluginHost, read_plugins_toml

IMPORT_MARKER = """
    from pathlib import Path
    Path(__file__).with_suffix(".imported").touch()
"""


def statuses(host: PluginHost) -> dict[str, tuple[str, str]]:
    return {s.name: (s.source, s.status) for s in host.statuses()}


# --- disabling ----------------------------------------------------------------------------------------------


def test_the_environment_variable_disables_plugins_without_importing_them(tmp_path: Path) -> None:
    write_plugin(tmp_path, "watched", IMPORT_MARKER)
    host = new_host(
        write_toml(tmp_path / "plugins.toml", local=["watched.py"]),
        environ={"WORKBENCH_DISABLE_PLUGINS": " plaintext , watched,"},
    )
    named = {k: v for k, v in statuses(host).items() if k in ("plaintext", "watched")}
    assert named == {"plaintext": ("bundled", "disabled"), "watched": ("local", "disabled")}
    assert not (tmp_path / "watched.imported").exists()
    assert host.errors == []
    with pytest.raises(BadInputError, match="no importers are available"):
        host.importer_for(tmp_path / "a.txt")


def test_plugins_toml_disables_plugins(tmp_path: Path) -> None:
    host = new_host(write_toml(tmp_path / "plugins.toml", disabled=["plaintext"]))
    assert statuses(host)["plaintext"] == ("bundled", "disabled")
    assert host.importers() == []


def test_disabled_names_from_the_constructor_add_to_the_others() -> None:
    host = PluginHost(environ={}, discover_config=False, sources=["bundled"], disabled=["plaintext"])
    assert statuses(host)["plaintext"] == ("bundled", "disabled")


# --- which plugins.toml ------------------------------------------------------------------------------------


def test_the_environment_variable_names_the_plugins_toml_and_paths_are_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir = tmp_path / "config"
    write_plugin(config_dir / "local", "good", GOOD_PLUGIN)
    toml = write_toml(config_dir / "settings.toml", local=["local/good.py"])
    monkeypatch.chdir(tmp_path)  # the paths must not be resolved against the working directory

    host = new_host(environ={"WORKBENCH_PLUGINS_TOML": str(toml)}, discover_config=True)

    assert statuses(host)["good"] == ("local", "active")
    assert host.config is not None and host.config.path == toml
    assert [s.version for s in host.statuses() if s.name == "good"] == ["2.0"]


def test_a_plugins_toml_in_the_working_directory_is_used_when_no_variable_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin(tmp_path, "good", GOOD_PLUGIN)
    write_toml(tmp_path / "plugins.toml", local=["good.py"])
    monkeypatch.chdir(tmp_path)
    assert "good" in statuses(new_host(discover_config=True))


def test_an_explicit_config_path_beats_the_environment_variable(tmp_path: Path) -> None:
    chosen = write_toml(tmp_path / "chosen.toml", disabled=["plaintext"])
    ignored = write_toml(tmp_path / "ignored.toml")
    host = new_host(chosen, environ={"WORKBENCH_PLUGINS_TOML": str(ignored)}, discover_config=True)
    assert host.config_file() == chosen
    assert statuses(host)["plaintext"][1] == "disabled"


def test_without_discovery_no_plugins_toml_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_toml(tmp_path / "plugins.toml", disabled=["plaintext"])
    monkeypatch.chdir(tmp_path)
    host = new_host(environ={"WORKBENCH_PLUGINS_TOML": str(tmp_path / "plugins.toml")}, discover_config=False)
    assert host.config_file() is None
    assert statuses(host)["plaintext"][1] == "active"


def test_no_plugins_toml_anywhere_is_fine(tmp_path: Path) -> None:
    host = new_host(discover_config=True, cwd=tmp_path)
    assert host.config_file() is None
    assert host.errors == []


# --- bad plugins.toml ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[plugins\nlocal = []\n", "not valid TOML"),
        ('[plugins]\nlocal = "mine.py"\n', "local must be a list of non-empty strings"),
        ("[plugins]\ndisabled = [1, 2]\n", "disabled must be a list of non-empty strings"),
        ('[plugins]\nlocal = [""]\n', "local must be a list of non-empty strings"),
        ("plugins = 3\n", "'plugins' must be a table"),
        ("[plugins]\ndisable = ['x']\n", "unknown key(s) in [plugins]: disable (expected: local, disabled)"),
        (b"[plugins]\n# caf\xe9\n", "not UTF-8"),
    ],
    ids=[
        "unparseable",
        "local-not-a-list",
        "disabled-not-strings",
        "empty-path",
        "not-a-table",
        "typo",
        "bytes",
    ],
)
def test_a_bad_plugins_toml_is_one_error_with_its_path_and_entry_points_still_load(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    toml = tmp_path / "plugins.toml"
    if isinstance(content, bytes):
        toml.write_bytes(content)
    else:
        toml.write_text(content, encoding="utf-8")

    with pytest.raises(BadInputError) as caught:
        read_plugins_toml(toml)
    assert caught.value.where == str(toml)
    assert message in caught.value.message

    host = new_host(toml)
    (error,) = host.errors
    assert error.startswith(f"{toml}: ") and message in error and "\n" not in error
    assert statuses(host)["plaintext"] == ("bundled", "active")


def test_a_plugins_toml_named_by_the_variable_but_missing_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "plugins.toml"
    host = new_host(environ={"WORKBENCH_PLUGINS_TOML": str(missing)}, discover_config=True)
    assert host.errors == [f"{missing}: plugins.toml not found (local plugins from it are not loaded)"]
    assert statuses(host)["plaintext"][1] == "active"


def test_other_tables_in_plugins_toml_are_left_for_plugins(tmp_path: Path) -> None:
    toml = tmp_path / "plugins.toml"
    toml.write_text('[plugins]\ndisabled = []\n\n[gt]\nprofile = "charmaz"\n', encoding="utf-8")
    assert read_plugins_toml(toml).disabled == frozenset()


@pytest.mark.parametrize(
    ("listed", "error"),
    [("missing.py", "local plugin file not found"), ("notes.txt", "a local plugin must be a .py file")],
)
def test_a_listed_local_file_that_cannot_be_loaded_fails_only_that_plugin(
    tmp_path: Path, listed: str, error: str
) -> None:
    (tmp_path / "notes.txt").write_text("not python")
    write_plugin(tmp_path, "good", GOOD_PLUGIN)
    host = new_host(write_toml(tmp_path / "plugins.toml", local=[listed, "good.py"]))
    (failed,) = [s for s in host.statuses() if s.status == "failed"]
    assert failed.source == "local"
    assert error in failed.error and str(tmp_path / listed) in failed.error
    assert statuses(host)["good"] == ("local", "active")


# --- load order and sources ---------------------------------------------------------------------------------


def test_plugins_load_bundled_then_installed_then_local(
    tmp_path: Path, install_distribution: InstallDistribution
) -> None:
    importer = """
        from workbench import ImportedTranscript, hookimpl

        @hookimpl
        def register_importers(register):
            register(__name__, [".same"], lambda path, data: ImportedTranscript(text=__name__))
    """
    install_distribution(
        "fakewb",
        {"zeta": "fakewb_zeta", "alpha": "fakewb_alpha"},
        {"fakewb_zeta": importer, "fakewb_alpha": importer},
    )
    write_plugin(tmp_path / "local", "aardvark", importer)
    host = new_host(
        write_toml(tmp_path / "plugins.toml", local=["local/aardvark.py"]),
        sources=("bundled", "installed", "local"),
    )

    rows = [(s.source, s.name) for s in host.statuses()]
    sources = [source for source, _ in rows]
    assert sources == sorted(sources, key=["bundled", "installed", "local"].index)
    mine = ("alpha", "zeta", "aardvark")  # plugins installed in the venv (the rta example) are not ours
    assert [name for source, name in rows if source != "bundled" and name in mine] == list(mine)
    assert ("bundled", "plaintext") in rows
    assert [s.version for s in host.statuses() if s.name in mine[:2]] == ["1.2.3", "1.2.3"]
    # the first plugin in load order wins a shared extension
    assert host.importer_for(tmp_path / "x.same").plugin == "alpha"


def test_an_installed_plugin_cannot_take_a_bundled_plugins_name(
    install_distribution: InstallDistribution,
) -> None:
    install_distribution(
        "impostor", {"plaintext": "impostor_plugin"}, {"impostor_plugin": "raise SystemExit"}
    )
    host = new_host(sources=("bundled", "installed"))
    assert statuses(host)["plaintext"] == ("bundled", "active")
    (error,) = host.errors
    assert error.startswith("plugin 'plaintext' from impostor_plugin (impostor) ignored")


def test_sources_limit_what_is_loaded(tmp_path: Path, install_distribution: InstallDistribution) -> None:
    install_distribution("fakewb", {"extra": "fakewb_extra"}, {"fakewb_extra": ""})
    write_plugin(tmp_path, "good", GOOD_PLUGIN)
    toml = write_toml(tmp_path / "plugins.toml", local=["good.py"])
    assert {s.source for s in new_host(toml, sources=("bundled",)).statuses()} == {"bundled"}
    assert "extra" in statuses(new_host(toml, sources=("installed",)))
    with pytest.raises(ValueError, match="unknown plugin sources"):
        new_host(sources=("bundled", "pypi"))  # type: ignore[arg-type]


def test_constructing_a_host_imports_nothing_until_it_is_used(tmp_path: Path) -> None:
    write_plugin(tmp_path, "watched", IMPORT_MARKER)
    host = new_host(write_toml(tmp_path / "plugins.toml", local=["watched.py"]))
    assert not (tmp_path / "watched.imported").exists()
    host.statuses()
    assert (tmp_path / "watched.imported").exists()

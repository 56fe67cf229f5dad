import pytest

from readerfund.lib.env import (
    ConfigError,
    envbool,
    envint,
    envlist,
    envonion,
    envorigins,
    envsecret,
    envurl,
    generated_secret,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("yes", True), ("On", True), ("0", False), ("off", False), ("", False)],
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("FLAG", raw)
    assert envbool("FLAG") is value


def test_envbool_refuses_anything_else_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ConfigError, match="DEBUG='maybe' is not a boolean"):
        envbool("DEBUG")


def test_envint_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ConfigError, match="N='ten' is not a whole number"):
        envint("N", 1)
    monkeypatch.setenv("N", "-1")
    with pytest.raises(ConfigError, match="below the minimum of 0"):
        envint("N", 1, minimum=0)


def test_unset_values_take_their_defaults(monkeypatch):
    monkeypatch.delenv("UNSET_THING", raising=False)
    assert envint("UNSET_THING", 7) == 7
    assert envbool("UNSET_THING", True) is True
    assert envlist("UNSET_THING", ["a"]) == ["a"]


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " news.example , mirror.example,, ")
    assert envlist("HOSTS", []) == ["news.example", "mirror.example"]


def test_envurl_wants_a_scheme(monkeypatch):
    monkeypatch.setenv("SITE", "news.example")
    with pytest.raises(ConfigError, match="must start with http"):
        envurl("SITE")
    monkeypatch.setenv("SITE", "https://news.example/")
    assert envurl("SITE") == "https://news.example"


def test_envsecret_reads_the_value_or_the_file_named_by_name_file(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKEN", raising=False)
    secret_file = tmp_path / "token"
    secret_file.write_text("s3cret\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret_file))
    assert envsecret("TOKEN") == "s3cret"
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="TOKEN_FILE=.* cannot be read"):
        envsecret("TOKEN")


def test_generated_secret_is_made_once_and_readable_only_by_its_owner(tmp_path):
    first = generated_secret(tmp_path, "key")
    assert generated_secret(tmp_path, "key") == first
    assert len(first) >= 40
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0


ONION = "http://" + "a" * 56 + ".onion"


def test_mirrors_are_host_names_or_origins_a_bare_name_meaning_https(monkeypatch):
    monkeypatch.setenv("MIRRORS", "Mirror.example.net, http://cdn.example.org:8080/,")
    assert envorigins("MIRRORS") == ["https://mirror.example.net", "http://cdn.example.org:8080"]


@pytest.mark.parametrize("bad", ["https://m.example.net/news/", "ftp://m.example.net", "x:y:z"])
def test_a_mirror_with_a_path_or_another_scheme_is_refused(monkeypatch, bad):
    monkeypatch.setenv("MIRRORS", bad)
    with pytest.raises(ConfigError, match="MIRRORS: .* is not a host name or an http"):
        envorigins("MIRRORS")


def test_an_onion_address_must_be_a_v3_one(monkeypatch):
    monkeypatch.setenv("ONION", ONION + "/")
    assert envonion("ONION") == ONION
    monkeypatch.setenv("ONION", "http://example.onion")
    with pytest.raises(ConfigError, match="ONION='http://example.onion' is not a v3 onion"):
        envonion("ONION")


def test_spreadsheet_cells_that_would_be_formulas_become_text_and_numbers_stay():
    from readerfund.lib.spreadsheet import safe_row

    cells = ["=SUM(A1)", "+1 555", "-2+3", "@cmd", "\tTab", "-15.00", "25.00", "Ana", "", None]
    assert safe_row(cells) == [
        "'=SUM(A1)", "'+1 555", "'-2+3", "'@cmd", "'\tTab", "-15.00", "25.00", "Ana", "", "",
    ]  # fmt: skip

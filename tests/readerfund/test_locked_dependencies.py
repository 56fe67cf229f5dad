"""The locked dependency sets (README, Dependencies): every version pinned with its hashes,
generated from pyproject.toml, and installed exactly by `make install`."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def locked(path: Path) -> dict[str, tuple[str, str]]:
    """{name: (version, marker)} of a lock file; every entry has at least one hash."""
    text = path.read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = re.sub(r"\s+", " ", line.split(" #", 1)[0]).strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(
            r"([A-Za-z0-9_.\-\[\]]+)==(\S+)(?: ; ([^-]+?))?((?: --hash=sha256:[0-9a-f]{64})+)", line
        )
        assert match, f"{path.name}: not pinned with hashes: {line[:120]}"
        name = canonicalize_name(match.group(1).split("[")[0])
        found[name] = (match.group(2), (match.group(3) or "").strip())
    return found


def test_every_runtime_dependency_has_an_upper_bound():
    for dependency in PROJECT["dependencies"]:
        requirement = Requirement(dependency)
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), (
            f"{dependency} has no upper bound"
        )


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", []), ("requirements-test.lock", ["test", "demo"])]
)
def test_each_lock_pins_every_dependency_of_pyproject_within_its_bounds(lock, extras):
    pins = locked(ROOT / lock)
    wanted = list(PROJECT["dependencies"])
    for extra in extras:
        wanted += PROJECT["optional-dependencies"][extra]
    for dependency in wanted:
        requirement = Requirement(dependency)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {name}: run `make lock`"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{lock} pins {name}=={pins[name][0]} outside {requirement.specifier}: run `make lock`"
        )


def test_the_runtime_lock_holds_no_test_tool():
    pins = locked(ROOT / "requirements.lock")
    for tool in ("pytest", "playwright", "localstripe", "ruff", "hypothesis"):
        assert tool not in pins


def test_this_environment_has_exactly_the_locked_versions():
    """`make install` installs requirements-test.lock with --require-hashes: a version that
    differs here means the lock and the environment drifted apart."""
    drift = []
    for name, (version, marker) in locked(ROOT / "requirements-test.lock").items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drift.append(f"{name}=={version} is not installed")
            continue
        if Version(installed) != Version(version):
            drift.append(f"{name}: {installed} installed, {version} locked")
    assert not drift, "; ".join(drift) + " (make install, or make lock)"

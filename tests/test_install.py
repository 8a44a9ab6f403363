"""Installs that work anywhere: the set-up step of ``make test`` (``.ci/system-deps``) on every
kind of machine it may meet, and the package built as a wheel, installed into a virtualenv of
its own and run from a folder outside the checkout, without ``--rules``.

The virtualenvs made here hold nothing but the package under test: a ``.pth`` file lends them
the dependencies of the environment running the tests, so nothing is downloaded."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import CORPUS, REPO

SYSTEM_DEPS = REPO / ".ci" / "system-deps"
APT_PACKAGES = [line.strip() for line in (REPO / ".ci" / "apt-packages").read_text().splitlines() if line.strip() and not line.lstrip().startswith("#")]
REFERENCE = CORPUS / "baoji-2022-14.md"
WARNING = re.compile(r"warning", re.IGNORECASE)


def system_deps(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SYSTEM_DEPS), "--dry-run", *args], capture_output=True, text=True, timeout=60)


# fmt: off
# (machine, its description, exit status, what it would run, the one line it says on stderr)
# {missing} stands for the packages the description leaves out, in .ci/apt-packages order.
MACHINES = [
    ("everything-installed", ["--installed", " ".join(APT_PACKAGES), "--root", "no", "--sudo", "no", "--apt-get", "yes"],
     0, [], None),
    ("root-with-apt-get",    ["--installed", "chromium", "--root", "yes", "--apt-get", "yes"],
     0, ["would run: apt-get update -qq",
         "would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {missing}"],
     "system-deps: installing missing system packages: {missing}"),
    ("passwordless-sudo",    ["--installed", "fonts-wqy-zenhei,chromium", "--root", "no", "--sudo", "yes", "--apt-get", "yes"],
     0, ["would run: sudo -n apt-get update -qq",
         "would run: sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {missing}"],
     "system-deps: installing missing system packages: {missing}"),
    ("user-without-sudo",    ["--installed", "", "--root", "no", "--sudo", "no", "--apt-get", "yes"],
     1, [], "missing system packages: {missing} — install them with: sudo apt-get install {missing}"),
    ("root-without-apt-get", ["--installed", "chromium", "--root", "yes", "--apt-get", "no"],
     1, [], "missing system packages: {missing} — install them with: sudo apt-get install {missing}"),
    ("not-debian",           ["--dpkg", "no", "--root", "no", "--sudo", "no"],
     0, [], "system-deps: cannot check system packages without dpkg-query (not Debian or Ubuntu): install what Debian's {all} provide (see .ci/apt-packages)"),
]
# fmt: on


@pytest.mark.parametrize("machine, description, status, commands, message", MACHINES, ids=[m[0] for m in MACHINES])
def test_install_system_deps_on_each_machine(machine, description, status, commands, message):
    installed = set(description[description.index("--installed") + 1].replace(",", " ").split()) if "--installed" in description else set()
    names = {"missing": " ".join(p for p in APT_PACKAGES if p not in installed), "all": " ".join(APT_PACKAGES)}
    result = system_deps(*description)
    assert result.returncode == status, result.stderr
    assert result.stdout.splitlines() == [command.format(**names) for command in commands]
    assert result.stderr.splitlines() == ([message.format(**names)] if message else [])


def test_install_system_deps_takes_packages_named():
    result = system_deps("--installed", "", "--root", "no", "--sudo", "no", "--apt-get", "yes", "make")
    assert (result.returncode, result.stderr) == (1, "missing system packages: make — install them with: sudo apt-get install make\n")


def test_install_system_deps_line_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = next(line for line in readme.splitlines() if line.startswith("missing system packages:"))
    absent = example.split(": ", 1)[1].split(" — ")[0].split()
    installed = [p for p in APT_PACKAGES if p not in absent]
    result = system_deps("--installed", " ".join(installed), "--root", "no", "--sudo", "no", "--apt-get", "yes")
    assert result.stderr == example + "\n"


# fmt: off
# (make target, whether it runs the system-deps step before its work)
TARGETS = [
    ("test",  True),
    ("bench", True),
    ("run",   False),  # Markdown and text only: no font, browser or office is needed
]
# fmt: on


@pytest.mark.parametrize("target, needs_system", TARGETS, ids=[t[0] for t in TARGETS])
def test_install_make_targets_set_up_what_they_need(target, needs_system):
    # -B: every step as on a fresh clone, printed and not run
    steps = subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()
    assert ("bash .ci/system-deps" in steps) == needs_system
    if needs_system:
        assert steps.index("bash .ci/system-deps") < next(i for i, step in enumerate(steps) if "pip install" in step)


def test_install_ci_runs_the_readme_command():
    assert (REPO / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"


# -- the wheel -------------------------------------------------------------------------------
def _pip(*args: str, cwd: Path | None = None) -> str:
    """pip of the environment running the tests; its output, which must hold no warning."""
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], cwd=cwd,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _venv(path: Path) -> Path:
    """A virtualenv with no package at all; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=120)
    return path / "bin" / "python"


def _lend_dependencies(python: Path) -> None:
    """Make the test environment's packages importable from ``python``'s virtualenv (after the
    package itself is installed there, so pip never sees the checkout's editable install)."""
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, str]:
    """The project built as a wheel, as ``pip wheel`` builds it, and what the build printed."""
    out = tmp_path_factory.mktemp("wheel")
    log = _pip("wheel", str(REPO), "--no-deps", "--no-build-isolation", "--wheel-dir", str(out))
    (built,) = out.glob("bulletin_metrics-*.whl")
    return built, log


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A virtualenv holding the wheel alone (and the test environment's dependencies)."""
    python = _venv(tmp_path_factory.mktemp("venv") / "env")
    _pip("--python", str(python), "install", "--no-deps", str(wheel[0]))
    _lend_dependencies(python)
    return python


def test_install_wheel_builds_without_warnings(wheel):
    assert not [line for line in wheel[1].splitlines() if WARNING.search(line)], wheel[1]


def test_install_editable_install_prints_no_warnings(tmp_path):
    python = _venv(tmp_path / "env")
    _lend_dependencies(python)  # the build backend comes from there (no build isolation: no network)
    log = _pip("--python", str(python), "install", "--no-deps", "--no-build-isolation", "--editable", str(REPO), cwd=tmp_path)
    assert not [line for line in log.splitlines() if WARNING.search(line)], log
    assert "Successfully installed bulletin-metrics" in log


def test_install_wheel_holds_every_module_and_rule(wheel):
    names = set(zipfile.ZipFile(wheel[0]).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "pipeline").rglob("*.py")}
    rules = {f"pipeline/rules_data/{p.name}" for p in (REPO / "rules").iterdir() if p.is_file()}
    assert not modules - names, f"modules not in the wheel: {sorted(modules - names)}"
    assert not rules - names, f"rules not in the wheel (setup.py copies them): {sorted(rules - names)}"


def test_install_sdist_builds_the_same_wheel(wheel, tmp_path):
    """``pip install bulletin-metrics`` from a source archive: it carries rules/, and the wheel
    built from it carries them as the checkout's wheel does."""
    build = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    sdist = tmp_path / subprocess.run([sys.executable, "-c", build, str(tmp_path)], cwd=REPO, capture_output=True,
                                      text=True, timeout=300, check=True).stdout.split()[-1]
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"rules/{p.name}" for p in (REPO / "rules").iterdir() if p.is_file()} <= members
    _pip("wheel", str(sdist), "--no-deps", "--no-build-isolation", "--wheel-dir", str(tmp_path / "from-sdist"))
    (again,) = (tmp_path / "from-sdist").glob("*.whl")
    ours, theirs = (set(zipfile.ZipFile(w).namelist()) for w in (wheel[0], again))
    assert ours == theirs


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = python.parent / "bulletin-metrics"
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_install_wheel_runs_from_its_own_copy(installed, tmp_path):
    where = subprocess.run([str(installed), "-c", "import pipeline, pipeline.rules as r; print(pipeline.__file__); print(r.DEFAULT_RULES_DIR)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    env = installed.parent.parent.resolve()
    assert [Path(p).resolve().is_relative_to(env) for p in where] == [True, True], where
    assert Path(where[1]).name == "rules_data"


# fmt: off
# (command of the installed tool, run from a folder outside the checkout, what its stdout says)
COMMANDS = [
    (["rules", "check"], "user dictionary up to date"),
    (["--help"],         "extract"),
]
# fmt: on


@pytest.mark.parametrize("args, says", COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_install_wheel_commands(installed, tmp_path, args, says):
    result = _run(installed, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert says in result.stdout


def test_install_wheel_extracts_what_the_checkout_extracts(installed, tmp_path):
    from pipeline.cli import main

    result = _run(installed, "extract", str(REFERENCE), "--out", "out", "--jobs", "1", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert main(["extract", str(REFERENCE), "--out", str(tmp_path / "checkout"), "--jobs", "1", "-q"]) == 0
    installed_rows = (tmp_path / "out" / "metrics.csv").read_text(encoding="utf-8")
    assert installed_rows.count("\n") > 20  # the reference bulletin's figures, not a header alone
    assert installed_rows == (tmp_path / "checkout" / "metrics.csv").read_text(encoding="utf-8")

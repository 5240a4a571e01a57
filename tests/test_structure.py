"""Structural rules that keep the code easy to change, checked so that they stay true."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.corpora import REPO


def test_no_test_imports_helpers_from_conftest() -> None:
    """Helpers live in tests/support; conftest files only hold fixtures (pytest imports them itself)."""
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in (REPO / "tests").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from tests(\.\w+)*\.conftest import|from tests(\.\w+)* import conftest)", line)
    ]
    assert offenders == []


def test_the_state_object_does_not_shadow_qobject_event() -> None:
    from explorer.ui.state import ExplorerState

    assert "event" not in ExplorerState.__dict__


# -- one place each (issue 17): what would fail if a copy came back -----------------------------------

_APP = sorted((REPO / "explorer").rglob("*.py"))
_SOURCES = _APP + sorted((REPO / "tools").rglob("*.py"))


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _where(pattern: str, flags: int = 0, within: list[Path] = _SOURCES) -> list[str]:
    return [str(p.relative_to(REPO)) for p in within if re.search(pattern, _source(p), flags)]


def test_month_names_are_spelled_in_one_module() -> None:
    """explorer/core/months.py names the months; every reader and writer of dates imports them."""
    english = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b",
                         re.IGNORECASE)
    quoted_abbreviation = re.compile(r"""["'](jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)["']""", re.IGNORECASE)
    russian = re.compile(r"января|февраля|апреля|сентября|октября|ноября|декабря")
    spelled = [str(p.relative_to(REPO)) for p in _SOURCES
               if len({m.lower() for m in english.findall(_source(p))}) >= 8  # examples in a docstring are fine
               or len({m.lower() for m in quoted_abbreviation.findall(_source(p))}) >= 3
               or len(set(russian.findall(_source(p)))) >= 3]
    assert spelled == ["explorer/core/months.py"]
    # The C library's month names follow the locale (Qt sets it from the environment): never used.
    assert _where(r"%[bB]\b|month_name\[|month_abbr\[") == []


def test_the_version_is_written_in_one_place() -> None:
    import tomllib

    from explorer import __version__

    assert _where(r"__version__\s*=") == ["explorer/__init__.py"]
    assert _where(r"metadata\.version\(|importlib\.metadata|pkg_resources") == []
    assert _where(re.escape(f'"{__version__}"')) == ["explorer/__init__.py"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "explorer.__version__"}
    assert "version" not in project["project"]  # read from explorer/__init__.py, not written twice


def test_html_and_markdown_escaping_have_one_definition_each() -> None:
    """explorer/core/markup.py escapes; explorer/ui/rich_text.py builds links on it. (The app's code:
    tools/bench.py's floor window is a bare Qt window on purpose, the baseline the app is measured on.)"""
    assert _where(r"html\.escape\(|from html import escape", within=_APP) == ["explorer/core/markup.py"]
    assert _where(r"\"\\\\\"\s*\+\s*c\b") == ["explorer/core/markup.py"]  # {c: "\\" + c ...}: a Markdown escape
    assert _where(r"^def (esc|md|_e|_esc|escape)\(", re.MULTILINE) == ["explorer/core/markup.py"]


def test_links_are_styled_in_one_place() -> None:
    """The missing underline is rich_text.link_style's, and the link colour palette.link_colour's (the
    palette's link colour made readable on its base), nowhere else's."""
    assert _where(r"text-decoration:\s*none") == ["explorer/ui/rich_text.py"]
    assert _where(r"ColorRole\.Link\b") == ["explorer/ui/palette.py"]


def test_text_is_shortened_in_one_place() -> None:
    assert _where(r"^def (shorten|shortened|_shorten|truncate|elide)\w*\(", re.MULTILINE) == ["explorer/core/text.py"]


def test_tools_stay_out_of_the_app() -> None:
    """The synthetic-corpus generator and the benches are tools/ (not shipped); the app never imports them."""
    assert not (REPO / "explorer" / "core" / "synthetic.py").exists()
    assert (REPO / "tools" / "synthetic.py").is_file()
    assert _where(r"^\s*(from|import) (tools|synthetic|bench\w*)\b", re.MULTILINE, within=_APP) == []


# -- pinned versions (issue 17): .ci/constraints.txt ------------------------------------------------------


def _constraints() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pinned = {}
    for line in (REPO / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")  # nothing but exact pins
            pinned[canonicalize_name(name)] = version
    return pinned


def test_every_dependency_and_extra_is_pinned_in_the_constraints_file() -> None:
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    bundle = [line for line in (REPO / "tools" / "bundle-requirements.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    pinned = _constraints()
    for line in [*wanted, *bundle]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not pinned in .ci/constraints.txt (make constraints)"
        assert req.specifier.contains(pinned[name], prereleases=True), (line, pinned[name])
    assert all("==" not in line for line in bundle)  # versions have one place: the constraints file


def test_the_constraints_file_is_closed_under_what_the_pinned_packages_require() -> None:
    """Each pinned package installed here at its pinned version has its own requirements pinned too."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pinned = _constraints()
    checked = 0
    for name, version in pinned.items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if dist.version != version:
            continue
        checked += 1
        for line in dist.requires or ():
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                assert canonicalize_name(req.name) in pinned, f"{name} needs {req.name}, not pinned"
    assert checked >= 20  # the test venv holds most of them


def test_every_install_uses_the_constraints_file() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if re.search(r"pip install|\$\(PIP_INSTALL\)", line)
                and "--upgrade pip" not in line and "--no-deps" not in line and "PIP_INSTALL :=" not in line]
    unpinned = [line.strip() for line in installs if "-c $(CONSTRAINTS)" not in line
                and "'.[test,bundle]'" not in line]  # make constraints: the one install that re-pins
    assert len(installs) >= 4 and unpinned == []
    assert "CONSTRAINTS := .ci/constraints.txt" in makefile
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")  # CI installs through the Makefile

"""The packaged app: `make bundle` builds dist/explorer/, and the bundle passes its own --self-test.

Slow (a PyInstaller build, about a minute with the bundle venv in place);
`make bundle-test` runs it, and CI runs that target too. The bundle is copied
to a temporary folder and run there with an empty environment, so it can
lean neither on the source checkout, nor on the venv, nor on the working
directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpora import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.bundle,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle build is scripted for Linux"),
]

#: The issue's target for the one-folder bundle, in bytes.
SIZE_LIMIT = 130_000_000


@pytest.fixture(scope="module")
def bundle() -> Path:
    if os.environ.get("EXPLORER_REUSE_BUNDLE") != "1":  # set it to test a bundle you just built
        build = subprocess.run(["make", "bundle"], cwd=REPO, capture_output=True, text=True, timeout=1800)
        assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    folder = REPO / "dist" / "explorer"
    assert (folder / "explorer").is_file()
    return folder


def _size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*"))


def test_the_bundle_is_small_enough(bundle: Path) -> None:
    size = _size(bundle)
    print(f"dist/explorer: {size / 1e6:.1f} MB")
    assert size <= SIZE_LIMIT, f"the bundle is {size / 1e6:.1f} MB, over {SIZE_LIMIT / 1e6:.0f} MB"
    shipped = bundle / "_internal" / "explorer"
    assert (shipped / "data" / "korea-1950" / "corpus.yaml").is_file()
    assert (shipped / "resources" / "explorer.desktop").is_file()
    names = {p.name for p in (bundle / "_internal").rglob("*")}
    for left_out in ("libqwayland-generic.so", "libqeglfs.so", "libqvnc.so", "libqlinuxfb.so", "libQt6Network.so.6",
                     "libQt6Qml.so.6", "qtbase_en.qm", "libqopensslbackend.so",
                     "libcupsprintersupport.so", "libcups.so.2", "libgnutls.so.30"):
        assert left_out not in names, left_out


def test_the_bundle_passes_its_self_test_anywhere(bundle: Path, tmp_path: Path) -> None:
    moved = tmp_path / "somewhere else" / "explorer"
    shutil.copytree(bundle, moved, symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([str(moved / "explorer"), "--self-test"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "(bundle)" in run.stdout and "self-test passed" in run.stdout
    assert f"inside the bundle {moved / '_internal'}" in run.stdout
    assert not list(home.rglob("*")), "the self-test wrote into the user's home"

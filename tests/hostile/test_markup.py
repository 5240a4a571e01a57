"""Corpus text that looks like markup is shown literally and never loads anything.

The corpus from :mod:`tests.hostile.markup` puts ``<script>``, ``<img
src="file:///...">``, ``javascript:`` links, ``<style>``, entities,
right-to-left and zero-width characters and a 20,000-letter word in every
text a reader sees. Three layers are checked: the text on screen is the
corpus text, character for character; the rich text behind it holds no
image and no link but the app's own; and nothing is loaded, asked of the
browsers in-process and watched at the system-call level in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from explorer.core.loader import load_corpus
from explorer.ui.browser import LocalBrowser
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from explorer.ui.state import LINK_SCHEMES
from tests.hostile.markup import LONG_WORD, Seen, build_markup_corpus, payloads, walk
from tests.support.corpora import REPO


class _Recording(QTextDocument):
    """Parses rich text the way a label does, but records resource requests instead of loading."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def loadResource(self, type: int, name: QUrl) -> object:
        self.requests.append(name.toString())
        return None


def _images_and_links(html: str) -> tuple[list[str], list[str], list[str]]:
    """The images, link targets and resource requests in *html* once parsed."""
    doc = _Recording()
    doc.setHtml(html)
    images, links = [], []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                images.append(fmt.toImageFormat().name())
            if fmt.isAnchor() and fmt.anchorHref():
                links.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return images, links, doc.requests


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder named in the markup that nothing may ever open."""
    return tmp_path_factory.mktemp("canary-never-opened")


@pytest.fixture(scope="module")
def seen(qapp, tmp_path_factory: pytest.TempPathFactory, canary: Path) -> Iterator[tuple[Seen, list[str]]]:
    """One walk through a window on the markup corpus (about 8 s, so shared by
    the tests below): what it showed, and every URL its browsers were asked for."""
    folder = tmp_path_factory.mktemp("markup")
    asked: list[str] = []
    original = LocalBrowser.loadResource

    def spy(self: LocalBrowser, kind: int, name: QUrl) -> object:
        asked.append(name.toString())
        return original(self, kind, name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LocalBrowser, "loadResource", spy)
        corpus = load_corpus(build_markup_corpus(folder / "corpus", canary))
        window = MainWindow(corpus, Settings(open_settings(folder / "settings.ini")))
        window.show()
        try:
            yield walk(window, qapp.processEvents), asked
        finally:
            window.close()
            window.deleteLater()


def test_every_kind_of_markup_is_shown_as_its_own_characters(seen: tuple[Seen, list[str]], canary: Path) -> None:
    shown = "\n".join(seen[0].plain)
    for name, text in payloads(canary).items():
        if name != "long-word":
            assert text in shown, name
    # Entities stay entities: "&amp;" on screen, not "&".
    assert "&amp; &lt;b&gt;bold?&lt;/b&gt; &#65;&#x42; &nbsp;" in shown
    assert LONG_WORD in shown


def test_the_rich_text_behind_the_panes_has_no_image_and_only_app_links(seen: tuple[Seen, list[str]]) -> None:
    rich = seen[0].rich + seen[0].tooltips
    assert seen[0].rich and seen[0].tooltips
    for html in rich:
        images, links, requests = _images_and_links(html)
        assert images == [], html[:200]
        assert requests == [], html[:200]
        assert all(link.split(":", 1)[0] in LINK_SCHEMES for link in links), links


def test_the_browsers_are_never_asked_to_load_anything(seen: tuple[Seen, list[str]]) -> None:
    assert seen[1] == []


def test_a_browser_given_an_image_anyway_loads_nothing(qtbot, canary: Path) -> None:
    """The last line of defence, should escaping ever be missed: the browser is
    asked, and answers nothing, for a local file, a web address and a relative name."""
    (canary / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    browser = LocalBrowser()
    qtbot.addWidget(browser)
    targets = [f"{canary.as_uri()}/img.png", "http://198.51.100.7/x.png", "img.png"]
    browser.setSearchPaths([str(canary)])  # even with the file findable
    browser.setHtml("".join(f'<img src="{t}"><link rel="stylesheet" href="{t}.css">' for t in targets))
    document = browser.document()
    for target in targets:
        assert not browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(target))
        assert not document.resource(QTextDocument.ResourceType.ImageResource, QUrl(target))
    assert browser.openLinks() is False and browser.openExternalLinks() is False


# -- the whole walk, watched by the kernel --------------------------------------------

WALK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication(["explorer"])
    from explorer.core.loader import load_corpus
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings
    from tests.hostile.markup import build_markup_corpus, walk

    root, canary = Path(sys.argv[1]), Path(sys.argv[2])
    window = MainWindow(load_corpus(build_markup_corpus(root, canary)),
                        Settings(open_settings(root.parent / "settings.ini")))
    window.show()
    seen = walk(window, app.processEvents)
    window.grab()
    print(len(seen.rich), len(seen.plain))
""")


def _strace_works() -> bool:
    if sys.platform != "linux" or shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=none", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _strace_works(), reason="needs strace, and ptrace allowed")
def test_walking_the_window_opens_no_file_it_was_not_given_and_no_socket(tmp_path: Path, canary: Path) -> None:
    trace = tmp_path / "trace.log"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        ["strace", "-f", "-qq", "-s", "512", "-e", "trace=%file,%network", "-o", str(trace),
         sys.executable, "-c", WALK, str(tmp_path / "markup"), str(canary)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    calls = trace.read_text(errors="replace")
    assert "mkdir" in calls or "openat" in calls  # the trace saw file access at all
    touched = [line for line in calls.splitlines() if canary.name in line and "execve(" not in line]
    assert touched == []
    internet = [line for line in calls.splitlines() if "AF_INET" in line]
    assert internet == []

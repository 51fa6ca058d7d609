"""The CJK fonts every PDF is set in: chosen once per process and embedded as subsets.

The forms must look the same on every township PC, so the fonts shipped under `resources/fonts`
(with their licences) come first: AR PL UMing, a Song face, for the text, and WenQuanYi Micro Hei,
a Hei face, for titles and headings. Only if they are missing (a damaged installation) do the
system's fonts serve: SimSun / SimHei / Microsoft YaHei on Windows, WenQuanYi on Linux. reportlab
embeds TrueType outlines only, so CFF-outline fonts (Noto CJK, Source Han) are never candidates.
When nothing is found the PDF falls back to the built-in CID font STSong-Light, which is not
embedded (the reader must supply it), and that is logged."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from hengdong_desktop.resources import resource_path

log = logging.getLogger(__name__)

FALLBACK_CID_FONT = "STSong-Light"
REGULAR_NAME = "HengdongCJK"
HEADING_NAME = "HengdongCJK-Heading"


@dataclass(frozen=True)
class Candidate:
    path: Path
    subfont_index: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class PdfFont:
    """The registered font names the documents use, and where they came from."""

    regular: str
    heading: str
    source: str
    embedded: bool
    heading_is_bold: bool  # False: headings use the regular face (drawn with a faux-bold stroke)


def _windows_font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # fonts installed per user
    return dirs


_LINUX_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
_LINUX_FILES = ("wqy-microhei.ttc", "wqy-zenhei.ttc")  # WenQuanYi: TrueType outlines


def _linux_candidates() -> Iterator[Candidate]:
    for name in _LINUX_FILES:
        for base in _LINUX_DIRS:
            root = Path(base)
            if not root.is_dir():
                continue
            # Debian: truetype/wqy/; Fedora: wqy-microhei/; the depth is small and fixed
            for pattern in (name, f"*/{name}", f"*/*/{name}"):
                for path in sorted(root.glob(pattern)):
                    yield Candidate(path, 0)


SHIPPED_BODY = ("uming.ttc", 0)  # AR PL UMing CN
SHIPPED_HEADING = ("wqy-microhei.ttc", 0)  # WenQuanYi Micro Hei


def shipped_candidates() -> tuple[list[Candidate], list[Candidate]]:
    """(body font, heading font) shipped under resources/fonts."""
    return (
        [Candidate(resource_path("fonts", SHIPPED_BODY[0]), SHIPPED_BODY[1])],
        [Candidate(resource_path("fonts", SHIPPED_HEADING[0]), SHIPPED_HEADING[1])],
    )


def system_candidates() -> tuple[list[Candidate], list[Candidate]]:
    """(body fonts, heading fonts) of this system, best first."""
    if sys.platform.startswith("win"):
        dirs = _windows_font_dirs()
        body = [Candidate(d / n, 0) for n in ("simsun.ttc", "msyh.ttc", "msyh.ttf") for d in dirs]
        heading = [Candidate(d / n, 0) for n in ("simhei.ttf", "msyhbd.ttc", "msyhbd.ttf") for d in dirs]
        return body, heading
    return list(_linux_candidates()), []


def _load(candidates: Iterable[Candidate], name: str) -> Candidate | None:
    for c in candidates:
        if not c.path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, str(c.path), subfontIndex=c.subfont_index))
        except (TTFError, OSError) as exc:  # e.g. CFF outlines, a damaged file
            log.warning("PDF font %s (face %d) not usable: %s", c.path, c.subfont_index, exc)
            continue
        return c
    return None


def choose_font(body: Iterable[Candidate], heading: Iterable[Candidate] = ()) -> PdfFont:
    """Registers the first usable body font (and a heading face, if any) with reportlab."""
    found = _load(body, REGULAR_NAME)
    if found is None:
        log.warning("no embeddable CJK TrueType font found; PDFs use the non-embedded CID font %s", FALLBACK_CID_FONT)
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
        return PdfFont(FALLBACK_CID_FONT, FALLBACK_CID_FONT, FALLBACK_CID_FONT, False, False)
    bold = _load(heading, HEADING_NAME)
    source = f"{found.path}#{found.subfont_index}"
    log.info("PDF fonts: %s, headings %s", source, f"{bold.path}#{bold.subfont_index}" if bold else "the same")
    return PdfFont(REGULAR_NAME, HEADING_NAME if bold else REGULAR_NAME, source, True, bold is not None)


@functools.cache
def pdf_font() -> PdfFont:
    """The process's PDF fonts, loaded on first use (loading a CJK font takes ~0.2 s)."""
    shipped_body, shipped_heading = shipped_candidates()
    body, heading = system_candidates()
    return choose_font([*shipped_body, *body], [*shipped_heading, *heading])

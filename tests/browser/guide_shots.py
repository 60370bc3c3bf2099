"""The guides' pictures (``docs/guides/images``), taken by the browser journeys.

``GUIDE_SCREENSHOTS=<folder>`` (``make guides``) turns them on. A picture is the window
as its reader sees it (no full-page stitching), animations stopped and the text caret
hidden, then reduced to 256 colours: admin screens are flat colours, and a 1280 px
screenshot falls from about 150 to 400 kB to a third of that, the same at every run.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

GUIDE_SHOTS = os.environ.get("GUIDE_SCREENSHOTS", "")


def save_guide_shot(page, name: str) -> Path | None:
    """Save the window as ``<GUIDE_SCREENSHOTS>/<name>.png``; nothing without the setting."""
    if not GUIDE_SHOTS:
        return None
    folder = Path(GUIDE_SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    # Wait for the web fonts and pictures, so that the text is drawn in its own typeface.
    page.evaluate("document.fonts.ready.then(() => true)")
    picture = Image.open(io.BytesIO(page.screenshot(animations="disabled", caret="hide")))
    path = folder / f"{name}.png"
    picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        path, optimize=True
    )
    return path

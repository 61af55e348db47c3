"""The worker's side: the OCR engine, loaded once per worker process, and one screen's text.

Nothing heavy is imported at module level: the bot imports this module (to name
`read_screen_in_worker` for its workers), and only the workers import RapidOCR, ONNX
Runtime, OpenCV and NumPy, in `start_worker`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.shared.local_reader.boxes import Color, TextBox
from app.shared.local_reader.scoreboard import Reread
from app.shared.local_reader.screens import ScreenReading, read_screen

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# RapidOCR's default text-score floor is 0.5; small digits in a JPEG-40 capture score lower
# and are still right far more often than not.
TEXT_SCORE = 0.3
# Share of a box's pixels taken as its background (the darkest) and as its ink (the brightest).
BACKGROUND_SHARE, INK_SHARE = 0.3, 0.1
# Thin and single glyphs (a team score of "1") score below the default 0.5 as text regions.
BOX_THRESHOLD = 0.3
# The detector sees the screenshot shrunk to at most this many pixels a side (the recogniser
# still reads the full-size crops): half the detector's CPU time and 300 MB less memory than
# the 1,845 pixels of a prepared ultrawide, for the same accuracy on bench/reader.py.
DETECTION_SIDE = 1280
# What `Extraction.usage` names as the model: no tokens, no cost.
ENGINE_NAME = "rapidocr-pp-ocrv6"

_engine: Any = None


def start_worker(threads: int, memory_limit: int) -> None:
    """A worker's initializer: load the models once, then cap what the worker may grow by."""
    global _engine
    # ONNX Runtime's and OpenCV's own thread pools: one worker stays on its share of cores.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    from rapidocr import RapidOCR

    _engine = RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Global.text_score": TEXT_SCORE,
            "Det.box_thresh": BOX_THRESHOLD,
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECTION_SIDE,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )
    _load_models(_engine)
    from app.shared.image_workers import limit_memory

    limit_memory(memory_limit)


def _load_models(engine: Any) -> None:
    """RapidOCR loads each network on its first use: use both now, on a blank image, so the
    first screenshot does not pay for loading them (and their memory counts as the worker's
    starting size, under the ceiling set next)."""
    import numpy as np

    blank = np.zeros((48, 192, 3), dtype=np.uint8)
    engine(blank, use_det=True, use_cls=False, use_rec=False)
    engine(blank, use_det=False, use_cls=False, use_rec=True)


def read_screen_in_worker(data: bytes, gamertags: Sequence[str] = ()) -> ScreenReading:
    """One screenshot's text, laid out and read; runs in a worker started by `start_worker`.

    `gamertags`: the player's linked names, to find their row by."""
    if _engine is None:
        raise RuntimeError("read_screen_in_worker runs in a worker started by start_worker")
    pixels = decoded(data)
    grey = brightest_channel(pixels)
    boxes = text_boxes(_engine, pixels, grey)
    return read_screen(boxes, tuple(gamertags), reread=_rereader(_engine, grey))


def decoded(data: bytes) -> npt.NDArray[np.uint8]:
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        return np.asarray(opened.convert("RGB"))


def brightest_channel(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The brightest channel as grey, three times: coloured text (a red score, a yellow name)
    keeps the contrast of white text on the dark scoreboard, where plain luminance dims it."""
    import numpy as np

    grey = pixels.max(axis=2)
    return np.ascontiguousarray(np.dstack((grey, grey, grey)))


def text_boxes(
    engine: Any, pixels: npt.NDArray[np.uint8], grey: npt.NDArray[np.uint8]
) -> list[TextBox]:
    # The flags are given each time: RapidOCR keeps the last call's as its defaults.
    found = engine(grey, use_det=True, use_cls=False, use_rec=True)
    if found.boxes is None or found.txts is None:
        return []
    return [
        _box(pixels, str(text), corners)
        for corners, text in zip(found.boxes, found.txts, strict=True)
    ]


def _box(pixels: npt.NDArray[np.uint8], text: str, corners: Any) -> TextBox:
    xs = [float(point[0]) for point in corners]
    ys = [float(point[1]) for point in corners]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    background, ink = _colours(pixels, left, top, right, bottom)
    return TextBox(text, left, top, right, bottom, background, ink)


def _colours(
    pixels: npt.NDArray[np.uint8], left: float, top: float, right: float, bottom: float
) -> tuple[Color, Color]:
    import numpy as np

    region = pixels[int(top) : int(bottom) + 1, int(left) : int(right) + 1].reshape(-1, 3)
    if region.size == 0:
        return (0, 0, 0), (255, 255, 255)
    order = np.argsort(region.max(axis=1), kind="stable")
    darkest = region[order[: max(1, int(len(order) * BACKGROUND_SHARE))]]
    brightest = region[order[-max(1, int(len(order) * INK_SHARE)) :]]
    return _median(darkest), _median(brightest)


def _median(colours: npt.NDArray[np.uint8]) -> Color:
    import numpy as np

    red, green, blue = (int(value) for value in np.median(colours, axis=0))
    return red, green, blue


def _rereader(engine: Any, grey: npt.NDArray[np.uint8]) -> Reread:
    def reread(left: float, top: float, right: float, bottom: float) -> str:
        height, width = grey.shape[:2]
        x0, x1 = max(0, int(left)), min(width, int(right))
        y0, y1 = max(0, int(top)), min(height, int(bottom))
        if x1 - x0 < 2 or y1 - y0 < 2:
            return ""
        found = engine(grey[y0:y1, x0:x1], use_det=False, use_cls=False, use_rec=True)
        return " ".join(str(text) for text in (found.txts or ()))

    return reread

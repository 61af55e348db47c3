"""The on-device scoreboard reader: OCR in worker processes, then the scoreboard's layout.

`reader` runs the pool, `engine` is the workers' side, and `screens`, `scoreboard`,
`weapons`, `columns`, `cells` and `boxes` turn text boxes into the game model's raw stats
(pure Python, tested on synthetic boxes).
"""

from app.shared.local_reader.reader import LocalStatsReader, local_reader_installed

__all__ = ["LocalStatsReader", "local_reader_installed"]

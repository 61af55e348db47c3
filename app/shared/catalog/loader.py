"""Read the catalog of maps, weapons and teams from a TOML data file."""

from __future__ import annotations

import logging
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from app.core.game.catalog import Catalog
from app.core.game.errors import InvalidCatalog

logger = logging.getLogger(__name__)

PACKAGED_CATALOG = "catalog.toml"


def load_catalog(path: Path | None = None) -> Catalog:
    """Load the catalog at ``path``, or the one packaged with Debrief when ``path`` is None.

    Raises `InvalidCatalog` when the file cannot be read or parsed, or when an entry is
    malformed; the message names the file and the entry.
    """
    source: Traversable | Path = path or resources.files(__package__).joinpath(PACKAGED_CATALOG)
    try:
        data = tomllib.loads(source.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InvalidCatalog([f"cannot read the file ({exc.strerror})"], str(source)) from exc
    except UnicodeDecodeError as exc:
        raise InvalidCatalog([f"not UTF-8 text ({exc.reason})"], str(source)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidCatalog([f"not valid TOML: {exc}"], str(source)) from exc
    catalog = Catalog.from_data(data, source=str(source))
    logger.info(
        "catalog loaded from %s: %d maps, %d weapons, %d teams",
        source,
        len(catalog.maps),
        len(catalog.weapons),
        len(catalog.teams),
    )
    return catalog

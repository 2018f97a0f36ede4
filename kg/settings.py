"""Project-wide locations and defaults (one place, no silent dependence on the working directory).

>>> default_store().name
'kg'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR", "PACKAGE_DATA", "PROJECT_ROOT", "curation_dir", "default_store"]

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def default_store() -> Path:
    """``$KG_STORE`` if set, else ``data/kg`` under the project root."""
    env = os.environ.get("KG_STORE")
    return Path(env).expanduser().resolve() if env else DATA_DIR / "kg"


def curation_dir() -> Path:
    """``$KG_CURATION`` if set, else ``data/curation`` under the project root."""
    env = os.environ.get("KG_CURATION")
    return Path(env).expanduser().resolve() if env else DATA_DIR / "curation"

"""Where the real data for checks lives (``shared/data`` beside the project, e.g. Pol.is
conversations). A checkout elsewhere (a CI clone in a temporary folder) finds it through
``HADAF_SHARED_DATA`` or the workplace's own copy."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [
    os.environ.get("HADAF_SHARED_DATA", ""),
    ROOT.parent / "shared" / "data",
    "/work/shared/data",
]


def shared_data(*parts):
    """The first existing ``<shared data>/<parts>``; the error names every place looked in."""
    for base in CANDIDATES:
        if base and (Path(base).joinpath(*parts)).exists():
            return Path(base).joinpath(*parts)
    looked = ", ".join(str(Path(base).joinpath(*parts)) for base in CANDIDATES if base)
    raise FileNotFoundError(f"shared data not found (set HADAF_SHARED_DATA); looked in {looked}")

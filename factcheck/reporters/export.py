"""The JSON text of ``factcheck export``: the data of ``views.claimreview``, as a file.

Non-ASCII text is kept as it is (UTF-8), as the statements and names are written.
"""

from __future__ import annotations

import json
from typing import Any


def claimreview_json(data: list[dict[str, Any]]) -> str:
    """ClaimReview objects (or markup pages) as an indented JSON array."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

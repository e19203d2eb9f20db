"""The JSON report (schema: docs/report-schema.md)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .files import write_text


def _clean(value: Any) -> Any:
    """NaN and infinities become null: the output is strict JSON."""
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(_clean(data), indent=2, allow_nan=False)


def write_json(analysis, path: str | Path) -> Path:
    """Write ``analysis`` as JSON to ``path`` atomically."""
    return write_text(path, dumps(analysis.to_dict()) + "\n")

"""formcheck: judge recorded sets of hip thrusts and Romanian deadlifts from pose landmarks.

The public API is small and lazily imported (no heavy imports at ``import formcheck``):

>>> import formcheck
>>> analysis = formcheck.analyze_video("set.mp4")          # doctest: +SKIP
>>> [f.rule for f in analysis.flagged()]                    # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Config",
    "FormcheckError",
    "PoseSequence",
    "__version__",
    "analyze_folder",
    "analyze_landmarks",
    "analyze_video",
    "load_config",
]

_LAZY = {
    "Analysis": ("formcheck.analysis", "Analysis"),
    "Config": ("formcheck.config", "Config"),
    "FormcheckError": ("formcheck.errors", "FormcheckError"),
    "PoseSequence": ("formcheck.types", "PoseSequence"),
    "analyze_folder": ("formcheck.batch", "analyze_folder"),
    "analyze_landmarks": ("formcheck.pipeline", "analyze_landmarks"),
    "analyze_video": ("formcheck.pipeline", "analyze_video"),
    "load_config": ("formcheck.config", "load_config"),
}

if TYPE_CHECKING:
    from .analysis import Analysis
    from .batch import analyze_folder
    from .config import Config, load_config
    from .errors import FormcheckError
    from .pipeline import analyze_landmarks, analyze_video
    from .types import PoseSequence


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'formcheck' has no attribute {name!r}")

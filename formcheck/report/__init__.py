"""Report writers: each takes an :class:`~formcheck.analysis.Analysis`."""

#: x264 presets offered to users for the annotated video: speed against file size (docs/PERFORMANCE.md). Here, not in
#: :mod:`.overlay`, so that checking ``--video-preset`` does not import OpenCV.
PRESETS = ("ultrafast", "superfast", "veryfast")

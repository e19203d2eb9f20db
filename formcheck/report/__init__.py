"""Report writers: each takes an :class:`~formcheck.analysis.Analysis`."""

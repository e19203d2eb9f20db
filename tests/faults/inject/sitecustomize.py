"""Loaded by every Python process started with this folder on PYTHONPATH (the fault harness's batch runs, whose
workers are spawned): installs the write-failure hook of :mod:`faultinject` when its variable is set."""

import faultinject

faultinject.install()

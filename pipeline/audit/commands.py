"""Command-line entry points of the audit (``audit`` and ``review``)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the audit commands to the top-level parser (argparse only: keep start-up light)."""

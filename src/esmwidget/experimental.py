"""APIs that may still change: commands (RPC from JavaScript to Python)."""

from __future__ import annotations

from ._commands import command

__all__ = ["command"]

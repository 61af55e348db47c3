"""Abuse suite: hostile input at Debrief's edges (model output, OAuth callbacks)."""

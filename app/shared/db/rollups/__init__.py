"""Per-day rollups of the matches, for leaderboards and summaries that read a few documents
instead of every match of their period (see `days` for how writes keep them exact)."""

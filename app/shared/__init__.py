"""shared layer."""

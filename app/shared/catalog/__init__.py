"""The game catalog data file and its loader."""

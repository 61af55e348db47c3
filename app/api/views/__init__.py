"""Reads for the API: thin functions over the repositories. Changes go through the bus."""

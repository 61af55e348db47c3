"""Wire schemas: what the API accepts and returns, separate from the core and storage models."""

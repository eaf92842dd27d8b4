"""compiler layer (see docs/architecture.md)."""

"""states layer (see docs/architecture.md)."""

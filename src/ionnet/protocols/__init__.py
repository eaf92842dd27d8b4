"""protocols layer (see docs/architecture.md)."""

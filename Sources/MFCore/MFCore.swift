// MFCore module; see docs/architecture.md.

// MFServer module; see docs/architecture.md.

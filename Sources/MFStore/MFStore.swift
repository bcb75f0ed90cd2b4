// MFStore module; see docs/architecture.md.

// MFClient module; see docs/architecture.md.

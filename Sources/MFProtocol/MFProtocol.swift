// MFProtocol module; see docs/architecture.md.

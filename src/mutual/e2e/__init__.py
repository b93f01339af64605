"""End-to-end encryption: the scheme a person's device applies to their words."""

"""Helpers for tests that need more than the test client: a real SMTP server, a real process."""

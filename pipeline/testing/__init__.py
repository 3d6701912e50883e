"""Helpers for tests and the offline sample: real Argos packages with seeded random weights.

Never imported by the runtime."""

"""A run: plan what each segment can reuse, translate the rest, finish (restore, enforce
terms, check), then write. The public API in :mod:`pipeline` sits on it."""

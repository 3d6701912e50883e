"""The review workspace: the review store in a browser, served locally (``review``)."""

"""Assurance reviews: the override rule (rules), peer matching (peers) and recording a review (service)."""

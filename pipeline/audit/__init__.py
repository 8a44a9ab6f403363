"""Audit: consistency checks over extracted figures, the review workflow and the HTML report."""

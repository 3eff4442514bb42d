"""Grants, their budget lines, cluster projects, reports, and mentoring."""

"""Small grants to partner organisations: a short form, light reporting below a threshold, cluster
grants with one report, and mentoring kept with the grant. Money moves through the stipends' funds,
budgets, approvals and payments (network.stipends), never a copy of them."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    pass

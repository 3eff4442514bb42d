"""Members: invitations, accounts, passphrases, pseudonyms, sessions, throttling, profiles and
my data (export and erasure)."""

from __future__ import annotations

from pathlib import Path


def setup(registry, settings) -> None:
    from network.members import demo, labels, sessions
    from network.members.models import Session
    from network.members.routes import routes

    registry.routes += routes
    registry.add_templates(Path(__file__).parent / "templates", role_labels=labels.ROLE_LABELS,
                           status_labels=labels.INVITATION_STATUS_LABELS,
                           member_status_labels=labels.MEMBER_STATUS_LABELS,
                           age_band_labels=labels.AGE_BAND_LABELS, avatar_labels=labels.AVATAR_LABELS,
                           safety_alert_notes=labels.SAFETY_ALERT_NOTES)
    registry.demo_seeds.append(demo.seed)
    # Sessions that end by erasure or retention close their sockets too.
    registry.row_erasers[Session] = sessions.erase_rows

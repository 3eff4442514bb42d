"""Labels for stored codes (roles, statuses), translated where they are shown."""

from network.core.i18n import lazy as _l

ROLE_LABELS = {
    "member": _l("Member"), "moderator": _l("Moderator"),
    "policymaker": _l("Policymaker"), "admin": _l("Administrator"),
}
INVITATION_STATUS_LABELS = {
    "active": _l("Active"), "used": _l("Used up"), "expired": _l("Expired"), "revoked": _l("Revoked"),
}

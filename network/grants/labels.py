"""Labels for the grants' stored codes, translated where shown."""

from network.core.i18n import lazy as _l

TOPIC_NAMES = {"capacity": _l("Capacity building"), "safeguarding": _l("Safeguarding"),
               "data_protection": _l("Data protection"), "governance": _l("Governance"),
               "exit_legacy": _l("Exit and legacy planning")}
MENTORING_STATUS_NAMES = {"asked": _l("Waiting for a mentor"), "matched": _l("Mentor matched")}
# The three questions of a small grant's report, every grant's report starts with them.
QUESTIONS = {"did": _l("What did you do?"), "reached": _l("Who took part, or was reached?"),
             "learned": _l("What did you learn, and what would you change?")}

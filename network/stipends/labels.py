"""Labels for the stipends' stored codes (kinds, payout methods, statuses, history), translated where shown."""

from network.core.i18n import lazy as _l

KIND_NAMES = {"travel": _l("Travel"), "data": _l("Mobile data"), "time_off": _l("Time off work"),
              "honorarium": _l("Honorarium for speaking"), "grant": _l("Grant to an organisation")}
METHOD_NAMES = {"mobile_money": _l("Mobile money"), "bank": _l("Bank transfer"),
                "cash_partner": _l("Cash through a partner organisation")}
STATUS_NAMES = {"offered": _l("Offered: add how to pay you"), "pending": _l("Waiting for a decision"), "approved": _l("Approved"), "rejected": _l("Not approved"),
                "cancelled": _l("Cancelled"), "paid": _l("Paid")}
# A request's history (StipendEvent.action).
EVENT_NAMES = {"requested": _l("Requested"), "cancelled": _l("Cancelled"), "rejected": _l("Not approved"),
               "first_approval": _l("First approval"), "approved": _l("Approved"), "paid": _l("Paid"),
               "renewed": _l("Renewed for the month"), "stopped": _l("Stopped renewing"),
               "offered": _l("Offered with a place in a meeting")}

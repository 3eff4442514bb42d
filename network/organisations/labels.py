"""Labels for the organisations' stored codes, translated where shown."""

from network.core.i18n import lazy as _l

KIND_NAMES = {"womens_rights": _l("Women's rights organisation"), "survivor_led": _l("Survivor-led group"),
              "other": _l("Other partner")}

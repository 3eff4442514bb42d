"""Demo content: one open consultation with every question type."""

from __future__ import annotations

from consultations import service
from consultations.models import Consultation
from consultations.schemas import ConsultationIn


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Consultation.exists():
        return
    data = ConsultationIn(
        original_locale="en",
        title={"en": "Reparations: what should they include?",
               "fr": "Réparations : que doivent-elles inclure ?"},
        summary={"en": "A draft policy on reparations for survivors. Tell us what matters to you."},
        consent_text={"en": "Your answers shape this policy only. Nobody can see who answered what: results are "
                            "shown only for groups of at least 5 people, and written answers are checked by a "
                            "moderator for identifying details first. You can change or withdraw your answers "
                            "until the consultation closes."},
        sections=[
            {"heading": {"en": "Purpose"}, "body": {"en": "This policy sets out **reparations** for survivors of "
                                                           "conflict-related sexual violence."}},
            {"heading": {"en": "Who is covered"}, "body": {"en": "Every survivor, whatever their status or "
                                                                  "where they live now."}},
            {"heading": {"en": "What is offered"}, "body": {"en": "- Health care\n- Housing support\n- Legal help"}},
        ],
        questions=[
            {"kind": "single", "prompt": {"en": "Which matters most to you?"}, "required": True,
             "options": [{"en": "Health care"}, {"en": "Housing"}, {"en": "Justice"}]},
            {"kind": "multiple", "prompt": {"en": "Which two should come first?"}, "max_choices": 2,
             "options": [{"en": "Money"}, {"en": "Services"}, {"en": "Apology"}, {"en": "Memorials"}]},
            {"kind": "scale", "prompt": {"en": "How clear is the draft?"}, "scale_min": 1, "scale_max": 5,
             "scale_low_label": {"en": "not clear"}, "scale_high_label": {"en": "very clear"}},
            {"kind": "ranking", "prompt": {"en": "Put these in order of importance"},
             "options": [{"en": "Speed"}, {"en": "Privacy"}, {"en": "Amount"}]},
            {"kind": "text", "prompt": {"en": "Is anything missing?"}, "max_length": 1000},
            {"kind": "comment", "prompt": {"en": "Comments on who is covered"}, "section": 1},
        ],
    )
    consultation = await service.create(accounts["policymaker"], data)
    await service.set_status(accounts["policymaker"], consultation.id, "open")

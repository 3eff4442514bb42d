"""Demo content: one open consultation with every question type, written in all seven languages,
so whoever tries the product reads it as a member would, in their own language."""

from __future__ import annotations

from consultations import service
from consultations.models import Consultation
from consultations.schemas import ConsultationIn

TITLE = {
    "en": "Reparations: what should they include?",
    "fr": "Réparations : que doivent-elles inclure ?",
    "ar": "جبر الضرر: ماذا يجب أن يشمل؟",
    "es": "Reparaciones: ¿qué deberían incluir?",
    "uk": "Репарації: що вони мають охоплювати?",
    "sw": "Fidia: inapaswa kujumuisha nini?",
    "fa": "جبران خسارت: چه چیزهایی باید شامل آن باشد؟",
}
SUMMARY = {
    "en": "A draft policy on reparations for survivors. Tell us what matters to you.",
    "fr": "Un projet de politique sur les réparations pour les personnes survivantes. Dites-nous ce qui compte "
          "pour vous.",
    "ar": "مسودة سياسة بشأن جبر الضرر للناجيات والناجين. أخبرونا بما يهمّكم.",
    "es": "Un borrador de política sobre reparaciones para sobrevivientes. Cuéntenos qué es importante para usted.",
    "uk": "Проєкт політики щодо репарацій для людей, які пережили насильство. Розкажіть нам, що важливо для вас.",
    "sw": "Rasimu ya sera kuhusu fidia kwa manusura. Tuambie kile kilicho muhimu kwako.",
    "fa": "پیش‌نویس یک پالیسی دربارهٔ جبران خسارت برای بازماندگان. به ما بگویید چه چیزی برای شما مهم است.",
}
# The figure 5 is the consultation's k; each text writes it in its language's own digits.
CONSENT = {
    "en": "Your answers shape this policy only. Nobody can see who answered what: results are shown only for "
          "groups of at least 5 people, and written answers are checked by a moderator for identifying details "
          "first. You can change or withdraw your answers until the consultation closes.",
    "fr": "Vos réponses servent uniquement à construire cette politique. Personne ne peut voir qui a répondu quoi : "
          "les résultats ne sont montrés que pour des groupes d'au moins 5 personnes, et les réponses écrites sont "
          "d'abord relues par une personne de la modération, qui retire tout détail permettant de vous identifier. "
          "Vous pouvez modifier ou retirer vos réponses jusqu'à la clôture de la consultation.",
    "ar": "لا تُستخدم إجاباتكم إلا في صياغة هذه السياسة. لا يمكن لأحد أن يعرف من أجاب بماذا: تُعرض النتائج فقط "
          "لمجموعات من 5 أشخاص على الأقل، ويراجع أحد المشرفين الإجابات المكتوبة أولاً لحذف أي تفاصيل قد تكشف "
          "هويتكم. يمكنكم تعديل إجاباتكم أو سحبها حتى إغلاق الاستشارة.",
    "es": "Sus respuestas sirven solo para dar forma a esta política. Nadie puede ver quién respondió qué: los "
          "resultados solo se muestran para grupos de al menos 5 personas, y una persona moderadora revisa primero "
          "las respuestas escritas para quitar cualquier dato que pueda identificarle. Puede cambiar o retirar sus "
          "respuestas hasta que se cierre la consulta.",
    "uk": "Ваші відповіді використовуються лише для формування цієї політики. Ніхто не може побачити, хто що "
          "відповів: результати показуються лише для груп щонайменше з 5 осіб, а письмові відповіді спершу "
          "перевіряє модератор, щоб прибрати будь-які подробиці, за якими вас можна впізнати. Ви можете змінити "
          "або відкликати свої відповіді, доки консультацію не закрито.",
    "sw": "Majibu yako yanatumika kuunda sera hii tu. Hakuna anayeweza kuona nani alijibu nini: matokeo "
          "yanaonyeshwa tu kwa makundi ya angalau watu 5, na majibu yaliyoandikwa hukaguliwa kwanza na msimamizi "
          "ili kuondoa maelezo yoyote yanayoweza kukutambulisha. Unaweza kubadilisha au kuondoa majibu yako hadi "
          "mashauriano yatakapofungwa.",
    "fa": "جواب‌های شما فقط برای شکل دادن به این پالیسی به کار می‌رود. هیچ‌کس نمی‌تواند ببیند چه کسی چه جوابی "
          "داده است: نتایج فقط برای گروه‌های دست‌کم ۵ نفری نشان داده می‌شود، و جواب‌های نوشتاری نخست توسط یک "
          "ناظر بررسی می‌شود تا هر جزئیاتی که شما را شناسایی کند حذف شود. تا زمان بسته شدن مشوره می‌توانید "
          "جواب‌های خود را تغییر دهید یا پس بگیرید.",
}
SECTIONS = [
    ({"en": "Purpose", "fr": "Objet", "ar": "الغرض", "es": "Propósito", "uk": "Мета", "sw": "Lengo", "fa": "هدف"},
     {"en": "This policy sets out **reparations** for survivors of conflict-related sexual violence.",
      "fr": "Cette politique définit les **réparations** pour les personnes survivantes de violences sexuelles "
            "liées aux conflits.",
      "ar": "تحدد هذه السياسة **جبر الضرر** للناجيات والناجين من العنف الجنسي المرتبط بالنزاعات.",
      "es": "Esta política establece las **reparaciones** para sobrevivientes de violencia sexual relacionada con "
            "los conflictos.",
      "uk": "Ця політика визначає **репарації** для людей, які пережили сексуальне насильство, пов'язане з "
            "конфліктом.",
      "sw": "Sera hii inaweka **fidia** kwa manusura wa ukatili wa kingono unaohusiana na migogoro.",
      "fa": "این پالیسی **جبران خسارت** را برای بازماندگان خشونت جنسی مرتبط با جنگ مشخص می‌کند."}),
    ({"en": "Who is covered", "fr": "Qui est concerné", "ar": "مَن تشملهم السياسة", "es": "A quién cubre",
      "uk": "Кого це стосується", "sw": "Nani anahusika", "fa": "چه کسانی شامل می‌شوند"},
     {"en": "Every survivor, whatever their status or where they live now.",
      "fr": "Toute personne survivante, quel que soit son statut ou l'endroit où elle vit aujourd'hui.",
      "ar": "كل ناجية وناجٍ، أيًّا كان وضعهم أو مكان إقامتهم الآن.",
      "es": "Toda persona sobreviviente, sea cual sea su situación o el lugar donde viva ahora.",
      "uk": "Кожну людину, яка пережила насильство, незалежно від її статусу чи того, де вона живе зараз.",
      "sw": "Kila manusura, bila kujali hali yake au mahali anapoishi sasa.",
      "fa": "هر بازمانده، صرف نظر از وضعیت او یا جایی که اکنون زندگی می‌کند."}),
    ({"en": "What is offered", "fr": "Ce qui est proposé", "ar": "ما الذي يُقدَّم", "es": "Qué se ofrece",
      "uk": "Що пропонується", "sw": "Kinachotolewa", "fa": "چه چیزی پیشنهاد می‌شود"},
     {"en": "- Health care\n- Housing support\n- Legal help",
      "fr": "- Soins de santé\n- Aide au logement\n- Aide juridique",
      "ar": "- الرعاية الصحية\n- الدعم في السكن\n- المساعدة القانونية",
      "es": "- Atención de salud\n- Apoyo para la vivienda\n- Ayuda legal",
      "uk": "- Медична допомога\n- Підтримка з житлом\n- Правова допомога",
      "sw": "- Huduma za afya\n- Msaada wa makazi\n- Msaada wa kisheria",
      "fa": "- مراقبت صحی\n- کمک برای سرپناه\n- کمک حقوقی"}),
]


LANGUAGES = ("en", "fr", "ar", "es", "uk", "sw", "fa")


def _options(*columns: tuple[str, ...]) -> list[dict]:
    """Options given as one tuple per language, in LANGUAGES order."""
    return [dict(zip(LANGUAGES, texts)) for texts in zip(*columns)]


QUESTIONS = [
    {"kind": "single", "required": True,
     "prompt": {"en": "Which matters most to you?", "fr": "Qu'est-ce qui compte le plus pour vous ?",
                "ar": "ما الأهم بالنسبة لكم؟", "es": "¿Qué es lo más importante para usted?",
                "uk": "Що для вас найважливіше?", "sw": "Ni kipi kilicho muhimu zaidi kwako?",
                "fa": "برای شما چه چیزی از همه مهم‌تر است؟"},
     "options": _options(("Health care", "Housing", "Justice"), ("Soins de santé", "Logement", "Justice"),
                         ("الرعاية الصحية", "السكن", "العدالة"), ("Atención de salud", "Vivienda", "Justicia"),
                         ("Медична допомога", "Житло", "Справедливість"), ("Huduma za afya", "Makazi", "Haki"),
                         ("مراقبت صحی", "سرپناه", "عدالت"))},
    {"kind": "multiple", "max_choices": 2,
     "prompt": {"en": "Which two should come first?", "fr": "Quelles sont les deux priorités ?",
                "ar": "أيّ اثنين يجب أن يأتيا أولاً؟", "es": "¿Cuáles dos deberían ir primero?",
                "uk": "Які два пункти мають бути першими?", "sw": "Ni mambo gani mawili yanapaswa kuja kwanza?",
                "fa": "کدام دو مورد باید اول باشد؟"},
     "options": _options(("Money", "Services", "Apology", "Memorials"),
                         ("Argent", "Services", "Excuses publiques", "Mémoriaux"),
                         ("تعويض مالي", "خدمات", "اعتذار", "نُصُب تذكارية"),
                         ("Dinero", "Servicios", "Disculpa pública", "Memoriales"),
                         ("Гроші", "Послуги", "Вибачення", "Меморіали"),
                         ("Pesa", "Huduma", "Kuombwa msamaha", "Kumbukumbu"),
                         ("پول", "خدمات", "عذرخواهی", "یادبودها"))},
    {"kind": "scale", "scale_min": 1, "scale_max": 5,
     "prompt": {"en": "How clear is the draft?", "fr": "Le projet est-il clair ?", "ar": "ما مدى وضوح المسودة؟",
                "es": "¿Qué tan claro es el borrador?", "uk": "Наскільки зрозумілий проєкт?",
                "sw": "Rasimu iko wazi kiasi gani?", "fa": "پیش‌نویس چقدر روشن است؟"},
     "scale_low_label": {"en": "not clear", "fr": "pas clair", "ar": "غير واضحة", "es": "nada claro",
                         "uk": "незрозумілий", "sw": "si wazi", "fa": "روشن نیست"},
     "scale_high_label": {"en": "very clear", "fr": "très clair", "ar": "واضحة جدًا", "es": "muy claro",
                          "uk": "дуже зрозумілий", "sw": "wazi sana", "fa": "بسیار روشن"}},
    {"kind": "ranking",
     "prompt": {"en": "Put these in order of importance", "fr": "Classez-les par ordre d'importance",
                "ar": "رتّبوا هذه حسب الأهمية", "es": "Ordénelos por importancia", "uk": "Розташуйте їх за важливістю",
                "sw": "Panga haya kwa umuhimu", "fa": "این‌ها را به ترتیب اهمیت بچینید"},
     "options": _options(("Speed", "Privacy", "Amount"), ("Rapidité", "Confidentialité", "Montant"),
                         ("السرعة", "الخصوصية", "المبلغ"), ("Rapidez", "Privacidad", "Cantidad"),
                         ("Швидкість", "Конфіденційність", "Сума"), ("Kasi", "Faragha", "Kiasi"),
                         ("سرعت", "حریم خصوصی", "مقدار"))},
    {"kind": "text", "max_length": 1000,
     "prompt": {"en": "Is anything missing?", "fr": "Manque-t-il quelque chose ?", "ar": "هل ينقص شيء؟",
                "es": "¿Falta algo?", "uk": "Чогось бракує?", "sw": "Je, kuna kitu kinachokosekana?",
                "fa": "آیا چیزی کم است؟"}},
    {"kind": "comment", "section": 1,
     "prompt": {"en": "Comments on who is covered", "fr": "Commentaires sur les personnes concernées",
                "ar": "تعليقات على مَن تشملهم السياسة", "es": "Comentarios sobre a quién cubre",
                "uk": "Коментарі щодо того, кого це стосується", "sw": "Maoni kuhusu nani anahusika",
                "fa": "نظرها دربارهٔ اینکه چه کسانی شامل می‌شوند"}},
]


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Consultation.exists():
        return
    data = ConsultationIn(
        original_locale="en", title=TITLE, summary=SUMMARY, consent_text=CONSENT,
        sections=[{"heading": heading, "body": body} for heading, body in SECTIONS],
        questions=QUESTIONS,
    )
    consultation = await service.create(accounts["policymaker"], data)
    await service.set_status(accounts["policymaker"], consultation.id, "open")

"""Demo content for what follows a consultation: a second one, closed, with its outcome and the commitments made
after it (one late, one under way, one done), and members' proposals for the next ones (one taken up, one declined,
one still gathering support), so the whole cycle can be seen, in all seven languages, on the first run."""

from __future__ import annotations

import secrets
from datetime import timedelta

from consultations import commitments, demo, proposals, service
from consultations.models import Consultation
from consultations.participation import today
from consultations.schemas import ConsultationIn

TITLE = {
    "en": "Safe reporting of violence: what would make it safe for you?",
    "fr": "Signaler les violences : qu'est-ce qui vous permettrait de le faire en sécurité ?",
    "ar": "الإبلاغ الآمن عن العنف: ما الذي يجعله آمنًا لكم؟",
    "es": "Denunciar la violencia con seguridad: ¿qué haría que fuera seguro para usted?",
    "uk": "Безпечне повідомлення про насильство: що зробило б це безпечним для вас?",
    "sw": "Kuripoti ukatili kwa usalama: nini kingefanya iwe salama kwako?",
    "fa": "گزارش دادن امن خشونت: چه چیزی آن را برای شما امن می‌سازد؟",
}
SUMMARY = {
    "en": "A draft policy on how police stations and health centres receive survivors who report violence. The "
          "consultation is closed: read what we heard and what will be done.",
    "fr": "Un projet de politique sur l'accueil, dans les commissariats et les centres de santé, des personnes "
          "survivantes qui signalent des violences. La consultation est close : découvrez ce que nous avons entendu "
          "et ce qui sera fait.",
    "ar": "مسودة سياسة بشأن كيفية استقبال مراكز الشرطة والمراكز الصحية للناجيات والناجين الذين يبلّغون عن العنف. "
          "أُغلقت الاستشارة: اطّلعوا على ما سمعناه وما سيتم القيام به.",
    "es": "Un borrador de política sobre cómo las comisarías y los centros de salud reciben a las personas "
          "sobrevivientes que denuncian violencia. La consulta está cerrada: lea lo que escuchamos y lo que se hará.",
    "uk": "Проєкт політики про те, як відділки поліції та медичні заклади приймають людей, які пережили насильство "
          "і повідомляють про нього. Консультацію закрито: прочитайте, що ми почули і що буде зроблено.",
    "sw": "Rasimu ya sera kuhusu jinsi vituo vya polisi na vituo vya afya vinavyowapokea manusura wanaoripoti "
          "ukatili. Mashauriano yamefungwa: soma tulichosikia na kitakachofanyika.",
    "fa": "پیش‌نویس یک پالیسی دربارهٔ اینکه حوزه‌های پولیس و مراکز صحی چگونه بازماندگانی را که خشونت را گزارش "
          "می‌دهند می‌پذیرند. این مشوره بسته شده است: بخوانید که چه شنیدیم و چه کاری انجام خواهد شد.",
}
SECTIONS = [
    ({"en": "Purpose", "fr": "Objet", "ar": "الغرض", "es": "Propósito", "uk": "Мета", "sw": "Lengo", "fa": "هدف"},
     {"en": "This policy sets out how survivors of conflict-related sexual violence can report it **safely**: where, "
            "to whom, and at what cost.",
      "fr": "Cette politique définit comment les personnes survivantes de violences sexuelles liées aux conflits "
            "peuvent les signaler **en sécurité** : où, à qui et à quel coût.",
      "ar": "تحدد هذه السياسة كيف يمكن للناجيات والناجين من العنف الجنسي المرتبط بالنزاعات الإبلاغ عنه **بأمان**: "
            "أين، ولمن، وبأي تكلفة.",
      "es": "Esta política establece cómo las personas sobrevivientes de violencia sexual relacionada con los "
            "conflictos pueden denunciarla **con seguridad**: dónde, ante quién y a qué costo.",
      "uk": "Ця політика визначає, як люди, які пережили сексуальне насильство, пов'язане з конфліктом, можуть "
            "**безпечно** повідомити про нього: де, кому і скільки це коштуватиме.",
      "sw": "Sera hii inaeleza jinsi manusura wa ukatili wa kingono unaohusiana na migogoro wanavyoweza kuuripoti "
            "**kwa usalama**: wapi, kwa nani, na kwa gharama gani.",
      "fa": "این پالیسی مشخص می‌کند که بازماندگان خشونت جنسی مرتبط با جنگ چگونه می‌توانند آن را **به گونهٔ امن** "
            "گزارش دهند: در کجا، به چه کسی و با چه هزینه‌ای."}),
    ({"en": "What is proposed", "fr": "Ce qui est proposé", "ar": "ما المقترح", "es": "Qué se propone",
      "uk": "Що пропонується", "sw": "Kinachopendekezwa", "fa": "چه چیزی پیشنهاد می‌شود"},
     {"en": "- A private reporting desk in every police station\n- A woman officer on every shift\n"
            "- A free medical certificate\n- An interpreter when needed",
      "fr": "- Un bureau d'accueil confidentiel dans chaque commissariat\n- Une policière dans chaque équipe\n"
            "- Un certificat médical gratuit\n- Un interprète si besoin",
      "ar": "- مكتب خاص لتلقّي البلاغات في كل مركز شرطة\n- شرطية في كل مناوبة\n- شهادة طبية مجانية\n"
            "- مترجم عند الحاجة",
      "es": "- Un espacio privado para denunciar en cada comisaría\n- Una agente mujer en cada turno\n"
            "- Un certificado médico gratuito\n- Un intérprete cuando haga falta",
      "uk": "- Окреме приміщення для заяв у кожному відділку поліції\n- Жінка-поліцейська в кожній зміні\n"
            "- Безоплатна медична довідка\n- Перекладач, коли потрібно",
      "sw": "- Dawati la faragha la kuripoti katika kila kituo cha polisi\n- Afisa polisi mwanamke katika kila zamu\n"
            "- Cheti cha matibabu bila malipo\n- Mkalimani inapohitajika",
      "fa": "- یک میز جداگانه و محرم برای گزارش در هر حوزهٔ پولیس\n- یک افسر زن پولیس در هر نوبت کاری\n"
            "- تصدیق طبی رایگان\n- ترجمان در صورت نیاز"}),
]
QUESTIONS = [
    {"kind": "single", "required": True,
     "prompt": {"en": "Where would you feel safest reporting?",
                "fr": "Où vous sentiriez-vous le plus en sécurité pour signaler ?",
                "ar": "أين تشعرون بأمان أكبر للإبلاغ؟", "es": "¿Dónde sentiría más seguridad para denunciar?",
                "uk": "Де вам було б найбезпечніше повідомити?", "sw": "Ungejisikia salama zaidi kuripoti wapi?",
                "fa": "در کجا برای گزارش دادن بیشتر احساس امنیت می‌کنید؟"},
     "options": demo._options(("At a police station, at a private desk", "At a health centre",
                          "Through a survivors' organisation"),
                         ("Au commissariat, dans un bureau à part", "Dans un centre de santé",
                          "Par une association de personnes survivantes"),
                         ("في مركز الشرطة، في مكتب خاص", "في مركز صحي", "عن طريق منظمة للناجيات والناجين"),
                         ("En la comisaría, en un espacio privado", "En un centro de salud",
                          "A través de una organización de sobrevivientes"),
                         ("У відділку поліції, в окремому приміщенні", "У медичному закладі",
                          "Через організацію людей, які пережили насильство"),
                         ("Kituo cha polisi, kwenye dawati la faragha", "Kituo cha afya",
                          "Kupitia shirika la manusura"),
                         ("در حوزهٔ پولیس، در یک میز جداگانه", "در یک مرکز صحی", "از طریق یک سازمان بازماندگان"))},
    {"kind": "single",
     "prompt": {"en": "Who would you like to take your statement?",
                "fr": "Par qui aimeriez-vous que votre déclaration soit recueillie ?",
                "ar": "مَن تفضّلون أن يأخذ إفادتكم؟", "es": "¿Quién le gustaría que tomara su declaración?",
                "uk": "Кому ви хотіли б давати свідчення?", "sw": "Ungependa nani achukue maelezo yako?",
                "fa": "دوست دارید چه کسی اظهارات شما را ثبت کند؟"},
     "options": demo._options(("A woman officer", "It does not matter to me", "I would rather not say"),
                         ("Une policière", "Cela m'est égal", "Je préfère ne pas répondre"),
                         ("شرطية", "لا يهمّني ذلك", "أفضّل عدم الإجابة"),
                         ("Una agente mujer", "Me da igual", "Prefiero no responder"),
                         ("Жінці-поліцейській", "Для мене це не має значення", "Волію не відповідати"),
                         ("Afisa polisi mwanamke", "Haijalishi kwangu", "Sipendi kusema"),
                         ("یک افسر زن پولیس", "برایم فرقی نمی‌کند", "ترجیح می‌دهم نگویم"))},
]
HEARD = {
    "en": "Most of you would feel safer reporting at a health centre or through a survivors' organisation than at a "
          "police station. Many asked for a woman officer, for privacy, and for an interpreter in their own "
          "language. Several told us the cost of the medical certificate stopped them from reporting.",
    "fr": "La plupart d'entre vous se sentiraient plus en sécurité pour signaler dans un centre de santé ou par une "
          "association de personnes survivantes qu'au commissariat. Beaucoup ont demandé une policière, de la "
          "confidentialité et un interprète dans leur langue. Plusieurs nous ont dit que le prix du certificat "
          "médical les avait fait renoncer à signaler.",
    "ar": "يشعر معظمكم بأمان أكبر عند الإبلاغ في مركز صحي أو عن طريق منظمة للناجيات والناجين مقارنةً بمركز الشرطة. "
          "طلب كثيرون شرطيةً، وخصوصيةً، ومترجمًا بلغتهم. وأخبرنا عدد منكم أن تكلفة الشهادة الطبية منعتهم من الإبلاغ.",
    "es": "La mayoría se sentiría más segura denunciando en un centro de salud o a través de una organización de "
          "sobrevivientes que en una comisaría. Muchas personas pidieron una agente mujer, privacidad y un intérprete "
          "en su propio idioma. Varias nos dijeron que el costo del certificado médico les impidió denunciar.",
    "uk": "Більшість із вас почувалися б безпечніше, повідомляючи про насильство в медичному закладі або через "
          "організацію людей, які його пережили, ніж у відділку поліції. Багато хто просив про жінку-поліцейську, "
          "конфіденційність і перекладача рідною мовою. Дехто розповів, що саме вартість медичної довідки завадила "
          "їм звернутися.",
    "sw": "Wengi wenu mngejisikia salama zaidi kuripoti katika kituo cha afya au kupitia shirika la manusura kuliko "
          "katika kituo cha polisi. Wengi waliomba afisa polisi mwanamke, faragha, na mkalimani wa lugha yao. Baadhi "
          "walituambia kwamba gharama ya cheti cha matibabu iliwazuia kuripoti.",
    "fa": "بیشتر شما گزارش دادن در یک مرکز صحی یا از طریق یک سازمان بازماندگان را امن‌تر از حوزهٔ پولیس می‌دانید. "
          "بسیاری خواستار یک افسر زن پولیس، حفظ حریم خصوصی و یک ترجمان به زبان خودشان شدند. چند نفر به ما گفتند "
          "که هزینهٔ تصدیق طبی مانع گزارش دادن آن‌ها شده است.",
}
WILL_DO = {
    "en": "Police stations will open private reporting desks with a woman officer on every shift, and public "
          "hospitals will issue the medical certificate free of charge. Each commitment below says who is "
          "responsible and by when; we will post every step here.",
    "fr": "Les commissariats ouvriront des bureaux d'accueil confidentiels avec une policière dans chaque équipe, et "
          "les hôpitaux publics délivreront gratuitement le certificat médical. Chaque engagement ci-dessous indique "
          "qui en est responsable et pour quand ; nous publierons ici chaque étape.",
    "ar": "ستفتح مراكز الشرطة مكاتب خاصة لتلقّي البلاغات مع شرطية في كل مناوبة، وستصدر المستشفيات العامة الشهادة "
          "الطبية مجانًا. يوضح كل التزام أدناه الجهة المسؤولة عنه وموعده، وسننشر هنا كل خطوة.",
    "es": "Las comisarías abrirán espacios privados para denunciar, con una agente mujer en cada turno, y los "
          "hospitales públicos emitirán el certificado médico de forma gratuita. Cada compromiso a continuación "
          "indica quién es responsable y para cuándo; publicaremos aquí cada paso.",
    "uk": "У відділках поліції відкриють окремі приміщення для заяв, де в кожній зміні працюватиме "
          "жінка-поліцейська, а державні лікарні видаватимуть медичну довідку безоплатно. Для кожного зобов'язання "
          "нижче вказано, хто за нього відповідає і до якого терміну; про кожен крок ми повідомлятимемо тут.",
    "sw": "Vituo vya polisi vitafungua madawati ya faragha ya kuripoti yenye afisa polisi mwanamke katika kila zamu, "
          "na hospitali za umma zitatoa cheti cha matibabu bila malipo. Kila ahadi hapa chini inaeleza nani "
          "anahusika na kwa tarehe gani; tutaweka kila hatua hapa.",
    "fa": "حوزه‌های پولیس میزهای جداگانه برای گزارش با یک افسر زن پولیس در هر نوبت کاری باز خواهند کرد و "
          "شفاخانه‌های دولتی تصدیق طبی را به‌طور رایگان صادر خواهند کرد. در هر تعهد زیر آمده است که چه کسی مسئول "
          "آن است و تا چه زمانی؛ هر گام را در این‌جا نشر خواهیم کرد.",
}
# (what, who, due in days from the seeding day, status, note): dates are relative so the late one stays late.
COMMITMENTS = [
    ({"en": "Open a private reporting desk in every police station of the capital.",
      "fr": "Ouvrir un bureau d'accueil confidentiel dans chaque commissariat de la capitale.",
      "ar": "فتح مكتب خاص لتلقّي البلاغات في كل مركز شرطة في العاصمة.",
      "es": "Abrir un espacio privado para denunciar en cada comisaría de la capital.",
      "uk": "Відкрити окреме приміщення для заяв у кожному відділку поліції столиці.",
      "sw": "Kufungua dawati la faragha la kuripoti katika kila kituo cha polisi cha mji mkuu.",
      "fa": "باز کردن یک میز جداگانه برای گزارش در هر حوزهٔ پولیس پایتخت."},
     "Ministry of Interior", -60, "planned", None),
    ({"en": "Have a woman officer on every shift in stations with a reporting desk.",
      "fr": "Assurer la présence d'une policière dans chaque équipe des commissariats dotés d'un bureau d'accueil.",
      "ar": "ضمان وجود شرطية في كل مناوبة في المراكز التي يوجد فيها مكتب للبلاغات.",
      "es": "Contar con una agente mujer en cada turno en las comisarías con espacio para denunciar.",
      "uk": "Забезпечити жінку-поліцейську в кожній зміні у відділках, де є приміщення для заяв.",
      "sw": "Kuwa na afisa polisi mwanamke katika kila zamu kwenye vituo vyenye dawati la kuripoti.",
      "fa": "موجودیت یک افسر زن پولیس در هر نوبت کاری در حوزه‌هایی که میز گزارش دارند."},
     "National Police", 120, "under_way",
     {"en": "The first group of women officers has finished its training; they start on the night shifts next month.",
      "fr": "Le premier groupe de policières a terminé sa formation ; elles commenceront le mois prochain par les "
            "équipes de nuit.",
      "ar": "أنهت المجموعة الأولى من الشرطيات تدريبها، وسيبدأن العمل في المناوبات الليلية الشهر المقبل.",
      "es": "El primer grupo de agentes mujeres terminó su formación; empezarán el mes que viene por los turnos de "
            "noche.",
      "uk": "Перша група жінок-поліцейських завершила навчання; з наступного місяця вони почнуть із нічних змін.",
      "sw": "Kundi la kwanza la maafisa polisi wanawake limemaliza mafunzo; wataanza na zamu za usiku mwezi ujao.",
      "fa": "نخستین گروه افسران زن پولیس آموزش خود را تمام کرده‌اند؛ از ماه آینده کار را با نوبت‌های شب آغاز "
            "می‌کنند."}),
    ({"en": "Make the medical certificate free of charge for survivors in public hospitals.",
      "fr": "Rendre le certificat médical gratuit pour les personnes survivantes dans les hôpitaux publics.",
      "ar": "جعل الشهادة الطبية مجانية للناجيات والناجين في المستشفيات العامة.",
      "es": "Hacer gratuito el certificado médico para las personas sobrevivientes en los hospitales públicos.",
      "uk": "Зробити медичну довідку безоплатною для людей, які пережили насильство, у державних лікарнях.",
      "sw": "Kufanya cheti cha matibabu kiwe bila malipo kwa manusura katika hospitali za umma.",
      "fa": "رایگان ساختن تصدیق طبی برای بازماندگان در شفاخانه‌های دولتی."},
     "Ministry of Health", -30, "done",
     {"en": "Public hospitals now issue the certificate free of charge; no one has to give a reason for asking.",
      "fr": "Les hôpitaux publics délivrent désormais le certificat gratuitement, sans avoir à justifier la demande.",
      "ar": "تصدر المستشفيات العامة الآن الشهادة مجانًا، ولا يُطلب من أحد تبرير طلبه.",
      "es": "Los hospitales públicos ya emiten el certificado de forma gratuita, sin tener que justificar la "
            "solicitud.",
      "uk": "Державні лікарні вже видають довідку безоплатно, і нікому не потрібно пояснювати, навіщо вона.",
      "sw": "Hospitali za umma sasa zinatoa cheti bila malipo, na hakuna anayehitaji kueleza sababu ya kukiomba.",
      "fa": "شفاخانه‌های دولتی اکنون تصدیق را رایگان صادر می‌کنند و هیچ‌کس نیازی ندارد دلیل درخواست خود را "
            "بگوید."}),
]
# (kind, locale, text, supporters besides the author, decision, reason): a member writes in one language only.
PROPOSALS = [
    ("question", "fr",
     ("Les réparations devraient-elles aussi couvrir un soutien psychologique sur plusieurs années, et pas seulement "
      "quelques séances ?"), 7, "taken_up",
     {"en": "Taken up in the consultation on reparations: tell us there what long-term support you need.",
      "fr": "Reprise dans la consultation sur les réparations : dites-nous-y de quel soutien vous avez besoin sur "
            "la durée.",
      "ar": "أُدرج في الاستشارة بشأن جبر الضرر: أخبرونا هناك بما تحتاجونه من دعم على المدى الطويل.",
      "es": "Incluida en la consulta sobre reparaciones: cuéntenos allí qué apoyo necesita a largo plazo.",
      "uk": "Враховано в консультації щодо репарацій: розкажіть там, якої довготривалої підтримки ви потребуєте.",
      "sw": "Imechukuliwa katika mashauriano kuhusu fidia: tuambie huko msaada wa muda mrefu unaouhitaji.",
      "fa": "در مشورهٔ جبران خسارت گنجانده شد: در آن‌جا به ما بگویید به چه حمایت درازمدتی نیاز دارید."}),
    ("topic", "sw", "Vyeti vya matibabu viwe bure kwa manusura wote, kwa sababu gharama inatuzuia kuripoti.", 4,
     "declined",
     {"en": "Already decided: after the consultation on safe reporting, public hospitals issue the medical "
            "certificate free of charge. See its commitments.",
      "fr": "Déjà décidé : après la consultation sur le signalement en sécurité, les hôpitaux publics délivrent le "
            "certificat médical gratuitement. Voir ses engagements.",
      "ar": "تقرّر ذلك بالفعل: بعد الاستشارة بشأن الإبلاغ الآمن، تصدر المستشفيات العامة الشهادة الطبية مجانًا. "
            "راجعوا التزاماتها.",
      "es": "Ya está decidido: tras la consulta sobre la denuncia segura, los hospitales públicos emiten el "
            "certificado médico de forma gratuita. Vea sus compromisos.",
      "uk": "Це вже вирішено: після консультації про безпечне повідомлення державні лікарні видають медичну довідку "
            "безоплатно. Дивіться її зобов'язання.",
      "sw": "Tayari imeamuliwa: baada ya mashauriano kuhusu kuripoti kwa usalama, hospitali za umma zinatoa cheti "
            "cha matibabu bila malipo. Tazama ahadi zake.",
      "fa": "این موضوع از قبل تصمیم گرفته شده است: پس از مشوره دربارهٔ گزارش دادن امن، شفاخانه‌های دولتی تصدیق "
            "طبی را رایگان صادر می‌کنند. تعهدات آن را ببینید."}),
    ("topic", "en", "Interpreters at the police and in court, so that survivors can speak in their own language.", 11,
     None, None),
]


def _random_key() -> bytes:
    # A member's real key lives only in their session: these demo supporters are made up, and unreachable.
    return secrets.token_bytes(32)


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    owner = accounts["policymaker"]
    existing = await Consultation.all()
    if any(c.title.get("en") == TITLE["en"] for c in existing):
        return
    # The consent text is the other demo's: what it promises (k, review, withdrawal) is the network's, not the draft's.
    data = ConsultationIn(
        original_locale="en", title=TITLE, summary=SUMMARY, consent_text=demo.CONSENT,
        sections=[{"heading": heading, "body": body} for heading, body in SECTIONS], questions=QUESTIONS,
    )
    consultation = await service.create(owner, data)
    await service.set_status(owner, consultation.id, "open")
    await service.set_status(owner, consultation.id, "closed")
    await service.publish_outcome(owner, consultation.id, heard=HEARD, will_do=WILL_DO)
    for what, who, due_in, status, note in COMMITMENTS:
        commitment = await commitments.add(owner, consultation.id, what, who, today() + timedelta(days=due_in))
        if note:
            await commitments.post_update(owner, commitment.id, status, note)

    # A proposal is taken up by a consultation still ahead: the open one demo.py made, if it is there.
    ahead = [c for c in existing if c.owner_id == owner.id and c.status in ("draft", "open")]
    ahead.sort(key=lambda c: c.title.get("en") != demo.TITLE["en"])
    for kind, locale, text, backers, decision, reason in PROPOSALS:
        proposal = await proposals.propose(_random_key(), accounts["member"], kind, text, locale)
        await proposals.review(proposal.id, "release")
        for _ in range(backers):
            await proposals.support(_random_key(), proposal.id, True)
        if decision == "declined" or (decision == "taken_up" and ahead):
            taken_up_in = ahead[0].id if decision == "taken_up" else None
            await proposals.answer(owner, proposal.id, decision, taken_up_in, reason)

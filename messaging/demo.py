"""Demo content: rooms in several of the network's languages, each with a few messages in its own."""

from __future__ import annotations

from messaging import service
from messaging.models import Membership, Room

# (room, messages as (who, text)): "moderator" or "member". The demo member's first messages are
# held for review like any newcomer's, which also gives the moderation queue something to show.
ROOMS = [
    ({"name": "Welcome", "description": "Say hello. Moderators are here to keep this room safe.", "kind": "open",
      "age_group": "adults", "language": "en"},
     [("moderator", "Welcome, everyone. Please use only your pseudonym here."),
      ("member", "Hello from the demo member."),
      ("moderator", "Remember: quick exit is always at the bottom of the screen.")]),
    ({"name": "Peer support", "description": "Checked by a moderator before messages appear.", "kind": "premod",
      "retention": "30d", "slow_mode_seconds": 10, "language": "en"}, []),
    ({"name": "Bienvenue", "description": "Un espace pour se présenter, à son rythme. L'équipe de modération veille "
                                          "à la sécurité de ce salon.", "kind": "open", "language": "fr"},
     [("moderator", "Bienvenue à toutes et à tous. Ici, on utilise uniquement son pseudonyme."),
      ("member", "Bonjour, merci pour cet espace. Je lis d'abord, j'écrirai plus tard."),
      ("moderator", "Prenez votre temps : personne n'est obligé de raconter son histoire.")]),
    ({"name": "مساحة الترحيب", "description": "عرّفوا بأنفسكم إن شئتم. المشرفون هنا للحفاظ على أمان هذه الغرفة.",
      "kind": "open", "language": "ar"},
     [("moderator", "أهلاً بكم جميعًا. استخدموا اسمكم المستعار فقط في هذه الغرفة."),
      ("member", "مرحبًا، شكرًا على هذه المساحة الآمنة."),
      ("moderator", "تذكير: زر الخروج السريع موجود دائمًا أسفل الشاشة.")]),
    ({"name": "اتاق همدلی", "description": "پیام‌ها پیش از نمایش توسط یک ناظر بررسی می‌شوند.", "kind": "premod",
      "retention": "30d", "language": "fa"},
     [("moderator", "خوش آمدید. اینجا فقط با نام مستعار خود بنویسید و نام واقعی کسی را نپرسید."),
      ("moderator", "اگر خواستید دربارهٔ مشوره یا کمک هزینهٔ انترنت سوال کنید، همین‌جا بپرسید.")]),
    ({"name": "Karibu", "description": "Jitambulishe ukipenda. Wasimamizi wako hapa kulinda usalama wa chumba hiki.",
      "kind": "open", "language": "sw"},
     [("moderator", "Karibuni nyote. Tafadhali tumieni jina lenu la siri pekee hapa."),
      ("member", "Habari zenu, asanteni kwa nafasi hii.")]),
    ({"name": "Apoyo entre pares", "description": "Un espacio para acompañarnos. Los mensajes se revisan antes "
                                                  "de aparecer.", "kind": "premod", "language": "es"},
     [("moderator", "Bienvenidas y bienvenidos. Aquí nadie tiene que contar su historia si no quiere.")]),
    ({"name": "Ласкаво просимо", "description": "Привітайтеся, якщо хочете. Модератори дбають про безпеку цієї "
                                                "кімнати.", "kind": "open", "language": "uk"},
     [("moderator", "Вітаємо всіх. Будь ласка, використовуйте тут лише свій псевдонім.")]),
]


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Room.exists():
        return
    for fields, messages in ROOMS:
        room = await service.create_room(accounts["moderator"], {"age_group": "adults", **fields})
        # The member is in the rooms they wrote in; the others show as rooms they could join.
        if any(who == "member" for who, _ in messages):
            await Membership.get_or_create(room=room, member=accounts["member"])
        for who, text in messages:
            await service.post(rt, accounts[who], room.id, text)

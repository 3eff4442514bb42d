"""Members' pages and JSON API: signing in and out, my account, invitations and other members."""

from network.members.routes import account, me, people

routes = [*account.routes, *me.routes, *people.routes]

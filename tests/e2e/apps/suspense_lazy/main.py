"""Suspense and lazy routes in the page (tests/e2e/test_suspense_lazy.py).

`#/profiles`: two profiles under one Suspense, loaded from /api/users/<name>; the server holds
a user's answer until the test releases it (server.py), so the test sees the fallback, then both
profiles at once. `#/settings` and `#/broken` are lazy routes: their modules are not in the app
archive, and are fetched when the route is first shown.
"""

from framework import Component, Router, Suspense, aio, lazy, mount, resource


async def load_user(name):
    request = await aio.get(f"/api/users/{name}", format="json", raise_for_status=True)
    return request.data["name"]


class Profile(Component):
    name: str

    def setup(self):
        self.user = resource(load_user, source=lambda: self.name)

    def render(self):
        if self.user.loading:
            return t"<p>Refreshing {self.name}…</p>"
        return t"<h2>{self.user.value}</h2>"


class Profiles(Component):
    def render(self):
        return t"""<h1>Profiles</h1>
            {Suspense(Profile(name="ada"), Profile(name="bob"), fallback=t'<p class="waiting">Loading profiles…</p>')}"""


class Home(Component):
    def render(self):
        return t"<h1>Home</h1>"


router = Router(
    {
        "/": Home,
        "/profiles": Profiles,
        "/settings": lazy("pages.settings", fallback=t'<p class="waiting">Loading settings…</p>'),
        "/broken": lazy("pages.broken"),
    }
).start()


class Shell(Component):
    def render(self):
        links = [
            t"<a href={router.href(path)}>{label}</a>"
            for path, label in (
                ("/", "Home"),
                ("/profiles", "Profiles"),
                ("/settings", "Settings"),
                ("/broken", "Broken"),
            )
        ]
        return t"<nav>{links}</nav><main>{router.view()}</main>"


mount(Shell(), "#app")

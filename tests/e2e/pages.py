"""Every page a person can reach in Mutual, and one tour of them all in Chromium.

The list comes from the URL resolver: each named route outside the JSON API is either a
page below (with the demo objects that fill its ids) or excluded with a reason. A route
added later and listed nowhere is still visited, as Alice, with its ids filled by the
name of each parameter; a parameter nobody knows fails that page's checks, so a new
page is never forgotten.

The tour seeds the demo bond (``mutual demo``: Alice and Bob, three weeks of history,
check-ins and a difference), signs Alice in, visits every page once and records what
``test_every_page.py`` asserts: status and where the page landed, response headers,
title, landmarks, the quick-exit control at 390px and 1280px, where the first Tab goes,
axe-core's serious and critical findings, and every address the browser asked for.
"""

from __future__ import annotations

import importlib
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from mutual.demo import checkins as demo_checkins
from mutual.demo import differences as demo_differences
from mutual.demo import seed as _demo
from mutual.demo import seed as demo
from mutual.differences.models import Difference

ALICE = "alice"
SIGNED_OUT = "signed-out"
#: Alice after a second factor was added to her account.
ALICE_MFA = "alice-with-mfa"
#: Between password and second factor at sign-in.
MFA_STEP = "mfa-step"
#: The order of the tour: a second factor changes what the MFA pages show.
PHASES = (SIGNED_OUT, ALICE, ALICE_MFA, MFA_STEP)
#: Only these hosts may be asked for anything (DESIGN.md §5: no third-party origins).
OWN_HOSTS = {"127.0.0.1", "localhost"}
#: Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}
#: How far the keyboard walk goes on one page.
MAX_TAB_STOPS = 150


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    params: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    #: The case id and the screenshot's name.
    label: str
    #: The route as the resolver names it (``namespace:name``).
    route: str
    who: str = ALICE
    #: Which demo object fills the route's ids, when there is a choice.
    variant: str = ""
    query: str = ""
    #: Send the page's form once and check the page that answers (e.g. a new invite).
    submit: bool = False
    #: The status the page answers with: error pages are pages a person reaches too.
    status: int = 200
    #: Send the form with a stale CSRF token (a form left open across a sign-out).
    stale_form: bool = False
    #: Text the page must show (it is the state it claims to be) and text it must not hold.
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()


def _params(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def _walk(
    patterns: list[Any], prefix: str, namespace: str, params: tuple[str, ...]
) -> Iterator[Route]:
    for entry in patterns:
        here = prefix + str(entry.pattern)
        found = params + _params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, here, inner, found)
        elif isinstance(entry, URLPattern):
            name = entry.name or here
            yield Route(f"{namespace}:{name}" if namespace else name, here, found)


def routes() -> list[Route]:
    """Every route of the site outside the JSON API (docs/api.md covers that)."""
    return [
        r for r in _walk(get_resolver().url_patterns, "", "", ()) if not r.path.startswith("api/")
    ]


def _concepts() -> list[str]:  # the learning library's pages, one per concept
    from mutual.learn.concepts import CONCEPTS

    return list(CONCEPTS)


POST_ONLY = "an action (POST only) that redirects to a page visited here"
#: Routes that are no page of their own, each with the reason.
NOT_PAGES: dict[str, str] = {
    "mutual_session_revoke": POST_ONLY,
    "mutual_sessions_revoke_all": POST_ONLY,
    "mutual_token_revoke": POST_ONLY,
    "mutual_idle_lock": POST_ONLY,
    "mutual_country": POST_ONLY,
    "mutual_language": POST_ONLY,
    "mutual_confirmation_resend": POST_ONLY,
    "mutual_time_zone": POST_ONLY,
    "mutual_export_json": "a JSON file to download, not an HTML page",
    "mfa_download_recovery_codes": "a text file to download, not an HTML page",
    "source": "the source tarball to download, not an HTML page",
    "quick_exit": "leaves Mutual for a neutral site (and signs out, by a POST)",
    "account_set_password": "no way into Mutual: answers 404 (every account has a password)",
    "account_confirm_login_code": "no way into Mutual: answers 404 (no sign-in by code)",
    "notifications:waiting": "a notification's link: leads on to what waits, no page of its own",
    "bonds:ready": POST_ONLY,
    "bonds:step_back": POST_ONLY,
    "bonds:desire": POST_ONLY,
    "bonds:exchange_open": POST_ONLY,
    "bonds:take_back": POST_ONLY,
    "differences:step": POST_ONLY,
    "safety:pause": POST_ONLY,
    "safety:resume": POST_ONLY,
    "safety:mode_leave": POST_ONLY,
    "safety:confirm_deception": POST_ONLY,
    "safety:key_checked": POST_ONLY,
    "mutual_keys_salt": "the salt lookup of sign-in, JSON for keys.mjs (POST only)",
    "mutual_common_passwords": "a text list keys.mjs checks new passwords against",
    "mutual_keys_open": "opens the keys and leads on at once (tests/e2e/test_keys.py)",
    "notifications:push": "a JSON action of push.js (POST only)",
    "notifications:manifest": "the web app manifest, JSON for the browser",
    "notifications:service_worker": "the service worker's script",
}

KNOWN_PAGES: list[Page] = [
    # Signed out
    Page("landing", "bonds:home", SIGNED_OUT),
    Page("sign-in", "account_login", SIGNED_OUT),
    Page("sign-in-after-idle-lock", "account_login", SIGNED_OUT, query="locked=1"),
    Page("sign-up", "account_signup", SIGNED_OUT),
    Page("password-reset", "account_reset_password", SIGNED_OUT),
    Page("password-reset-sent", "account_reset_password_done", SIGNED_OUT),
    Page("password-reset-from-link", "account_reset_password_from_key", SIGNED_OUT),
    Page("password-reset-finished", "account_reset_password_from_key_done", SIGNED_OUT),
    Page("email-confirm", "account_confirm_email", SIGNED_OUT),
    Page("email-verification-sent", "account_email_verification_sent", SIGNED_OUT),
    Page("account-inactive", "account_inactive", SIGNED_OUT),
    # Alice: bonds and the core loop
    Page("bond-list", "bonds:list"),
    Page("bond-home", "bonds:bond"),
    Page("all-exchanges", "bonds:history"),
    Page("invite", "bonds:invite", variant="waiting"),
    Page("invite-created", "bonds:invite", variant="waiting", submit=True),
    Page(
        "form-expired", "bonds:invite", variant="waiting", submit=True, stale_form=True, status=403
    ),
    Page("join", "bonds:join"),
    Page("join-with-code", "bonds:join_code"),
    Page("prompt-picker", "bonds:prompts"),
    Page("prompt-new", "bonds:prompt_new"),
    # Bob answered, Alice has not: his answer stays out of her page.
    Page("exchange-sealed", "bonds:exchange", variant="sealed", hides=(_demo.LAST_OPEN.bob,)),
    # Both answered: each reads the other's answer.
    Page(
        "exchange-revealed",
        "bonds:exchange",
        variant="revealed",
        shows=(_demo.ROUNDS[2][-1].alice, _demo.ROUNDS[2][-1].bob),
    ),
    # What a forbidden or vanished object answers (DESIGN.md §3: 404, as if it did not exist).
    Page("not-found", "bonds:exchange", variant="missing", status=404),
    Page("reply-form", "bonds:reply"),
    Page("rating-form", "bonds:rate"),
    Page("checkins", "checkins:page"),
    Page("differences", "differences:list"),
    Page("difference", "differences:detail"),
    Page("insights", "insights:page"),
    # Alice: safety and privacy
    Page("privacy-and-safety", "safety:overview"),
    Page("safety", "safety:home"),
    Page("safety-report", "safety:report"),
    Page("withdraw", "safety:withdraw"),
    Page("leave", "safety:leave"),
    Page("who-sees-what", "safety:who_sees_what"),
    Page("support", "safety:support"),
    Page("support-signed-out", "safety:support", SIGNED_OUT),
    # Alice: what Mutual tells her, the bond's rhythm; anyone: unsubscribe, offline
    Page("notifications", "notifications:settings"),
    Page("rhythm", "notifications:rhythm"),
    Page("unsubscribe", "notifications:unsubscribe", SIGNED_OUT),
    Page("offline", "notifications:offline", SIGNED_OUT),
    # Alice: learning
    Page("learn", "learn:index"),
    Page("learn-model", "learn:model"),
    Page("learn-references", "learn:references"),
    Page("learn-references-search", "learn:references", query="q=trust&kind=article"),
    Page("learn-references-bad-year", "learn:references", query="year_from=12", status=400),
    *(Page(f"learn-concept-{slug}", "learn:concept", variant=slug) for slug in _concepts()),
    # Alice: her account
    Page("security-sessions", "mutual_security"),
    Page("security-log", "mutual_security_log"),
    Page("lock", "idle_lock"),
    Page("export", "mutual_export"),
    Page("delete-account", "mutual_delete"),
    Page("sign-out", "account_logout"),
    Page("reauthenticate", "account_reauthenticate"),
    Page("email", "account_email"),
    Page("password-change", "account_change_password"),
    Page("mfa", "mfa_index"),
    Page("mfa-totp-activate", "mfa_activate_totp"),
    # Alice with a second factor
    Page("mfa-with-totp", "mfa_index", ALICE_MFA),
    Page("mfa-totp-deactivate", "mfa_deactivate_totp", ALICE_MFA),
    Page("mfa-recovery-codes", "mfa_view_recovery_codes", ALICE_MFA),
    Page("mfa-recovery-codes-generate", "mfa_generate_recovery_codes", ALICE_MFA),
    Page("mfa-reauthenticate", "mfa_reauthenticate", ALICE_MFA),
    # Signing in with a second factor
    Page("mfa-sign-in-step", "mfa_authenticate", MFA_STEP),
]


def all_pages() -> list[Page]:
    """The known pages, then every route listed nowhere (visited as Alice)."""
    known = {p.route for p in KNOWN_PAGES} | set(NOT_PAGES)
    new = [
        Page(r.name.replace(":", "-").replace("_", "-"), r.name)
        for r in routes()
        if r.name not in known
    ]
    return [*KNOWN_PAGES, *new]


# ---------------------------------------------------------------------------------------
# The demo, and the ids it gives each route


@dataclass
class Demo:
    server: str
    password: str
    alice_email: str
    ids: dict[str, str]
    #: Names, prompts and every text the demo persons wrote: none may reach a title.
    secrets: list[str]
    totp_secret: str = ""

    def kwargs(self, page: Page, route: Route) -> dict[str, str]:
        values = {}
        for param in route.params:
            keys = [f"{page.route}.{param}", f"{param}.{page.variant}", param]
            key = next((k for k in keys if k in self.ids), None)
            if page.route == "learn:concept" and param == "slug":
                values[param] = page.variant
            elif key is None:
                raise LookupError(
                    f"no demo value for <{param}> of {route.name} ({route.path}): "
                    "add the page to tests/e2e/pages.py"
                )
            else:
                values[param] = self.ids[key]
        return values

    def url(self, page: Page) -> str:
        route = next((r for r in routes() if r.name == page.route), None)
        if route is None:
            raise LookupError(f"the resolver has no route {page.route}")
        path = reverse(page.route, kwargs=self.kwargs(page, route) or None)
        return self.server + path + (f"?{page.query}" if page.query else "")


def confirm_by_mail(page: Any, server: str, email: str) -> None:
    """Open the link sign-up mailed to ``email`` in ``page`` and confirm the address, as
    the person does from their mailbox (the live server's mail stays in memory)."""
    from django.core import mail

    sent = [m for m in mail.outbox if email in m.to]
    assert sent, f"no mail to {email}"
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", sent[-1].body)
    assert link is not None, sent[-1].body
    page.goto(server + link.group(1))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    through_keys_open(page)


def through_keys_open(page: Any) -> None:
    """Wait while the page that opens a person's keys after signing in leads on."""
    page.wait_for_url(lambda url: "/accounts/keys/open/" not in url)
    page.wait_for_load_state()


def keep_recovery_key(page: Any, label: str = "Create my account") -> str:
    """Read the recovery key shown once, say it was kept, and go on; its words."""
    panel = page.locator(".keys-recovery")
    panel.wait_for()
    words = panel.locator("code").inner_text().strip()
    panel.get_by_label("I have kept my recovery key somewhere safe").check()
    with page.expect_navigation():
        panel.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    return str(words)


def seed(server: str) -> Demo:
    """The demo bond in the test database, plus what some pages need beyond it: a third
    person's invite (join with a code), an unconfirmed address (confirm email) and a
    password-reset link."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.apps import apps

    from mutual.accounts.models import Person
    from mutual.bonds import services
    from mutual.bonds.models import Exchange, Prompt, Rating, Reply, Revelation
    from mutual.notifications.messages import unsubscribe_token

    # Transactional tests flush what data migrations load: the references again.
    importlib.import_module("mutual.learn.migrations.0002_load_references").forwards(apps, None)
    now = timezone.now()
    bond, _created = demo.build(now=now)
    alice, bob = bond.person_a, bond.person_b
    if alice is None or bob is None:
        raise LookupError("the demo bond lost a person")
    mine = Revelation.objects.filter(exchange__bond=bond, author=alice)
    theirs = Revelation.objects.filter(exchange__bond=bond, author=bob)
    revealed = Exchange.objects.filter(bond=bond, revealed_at__isnull=False)
    replied = Reply.objects.filter(author=alice).values("revelation")
    rated = Rating.objects.values("revelation")
    to_reply = theirs.filter(exchange__in=revealed).exclude(pk__in=replied).first()
    to_rate = mine.filter(reply__isnull=False).exclude(pk__in=rated).first()
    sealed = Exchange.objects.filter(bond=bond, revealed_at__isnull=True).first()
    difference = Difference.objects.filter(bond=bond).first()
    if not (to_reply and to_rate and sealed and difference):
        raise LookupError("the demo no longer has a reply, a rating or a sealed exchange to show")

    # A second bond of Alice's, still waiting for the other person: its invite page.
    waiting = services.bond_create(creator=alice, kind="friends", at=now)

    carol = Person.objects.create_user(
        "carol@example.com", demo.PASSWORD, confirmed=False, display_name="Carol"
    )
    carols = services.bond_create(creator=carol, kind="friends", at=now)
    _invite, code = services.invite_create(bond=carols, by=carol, at=now)
    unconfirmed = EmailAddress.objects.get(user=carol, email="carol@example.com")

    secrets = [*demo.PEOPLE[0], *demo.PEOPLE[1], "Carol", "carol@example.com"]
    secrets += [p.text for p in Prompt.objects.all()]
    for rounds in demo.ROUNDS.values():
        for r in rounds:
            secrets += [r.alice, r.bob, *r.heard]
    secrets += [demo.LAST_OPEN.bob]
    secrets += [text for both in demo.REPLIES.values() for reply in both for text in reply if text]
    secrets += [text for pair in demo_checkins.DEMO_NOTES.values() for text in pair if text]
    secrets += [
        demo_differences.DEMO_TOPIC,
        *demo_differences.DEMO_VIEWS,
        *demo_differences.DEMO_RESTATEMENTS,
    ]
    return Demo(
        server=server,
        password=demo.PASSWORD,
        alice_email=alice.email,
        ids={
            "bond_id": str(bond.pk),
            "bond_id.waiting": str(waiting.pk),
            "exchange_id.sealed": str(sealed.pk),
            "exchange_id.missing": str(uuid.uuid4()),
            "exchange_id.revealed": str(to_reply.exchange_id),
            "bonds:reply.revelation_id": str(to_reply.pk),
            "bonds:rate.revelation_id": str(to_rate.pk),
            "revelation_id": str(mine.filter(exchange__in=revealed).first().pk),  # type: ignore[union-attr]
            "difference_id": str(difference.pk),
            "code": code,
            "account_confirm_email.key": EmailConfirmationHMAC(unconfirmed).key,
            "uidb36": user_pk_to_url_str(alice),
            "account_reset_password_from_key.key": default_token_generator.make_token(alice),
            "token": unsubscribe_token(alice),
        },
        secrets=[s for s in secrets if s],
    )


def add_second_factor(demo_: Demo) -> None:
    """Alice turns on an authenticator app and recovery codes."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from mutual.accounts.models import Person

    alice = Person.objects.get(email=demo_.alice_email)
    demo_.totp_secret = generate_totp_secret()
    TOTP.activate(alice, demo_.totp_secret)
    RecoveryCodes.activate(alice)


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # A code is good for its 30-second window alone: never take one about to expire.
    while int(time.time()) % 30 > 25:
        time.sleep(0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# ---------------------------------------------------------------------------------------
# The tour


@dataclass
class Visit:
    page: Page
    url: str = ""
    error: str = ""
    status: int = 0
    landed: str = ""
    landed_route: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    title: str = ""
    h1: int = 0
    main: int = 0
    #: Width → what the quick-exit control looks like there (None: not shown).
    quick_exit: dict[int, str | None] = field(default_factory=dict)
    #: Width → the document's scroll width there (wider than the window: sideways scrolling).
    scroll_width: dict[int, int] = field(default_factory=dict)
    #: The element the first Tab reached and its computed focus style.
    first_tab: dict[str, Any] | None = None
    #: Every element Tab reaches, in order, until the focus leaves the page.
    tab_stops: list[dict[str, Any]] = field(default_factory=list)
    serious: list[str] = field(default_factory=list)
    #: What the page shows (its text) and holds (its HTML).
    text: str = ""
    html: str = ""
    requests: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


FOCUSED = """async () => {
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const cls = typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).join(".") : "";
  const path = [];
  for (let at = el; at && at.parentElement; at = at.parentElement) {
    const same = [...at.parentElement.children].filter((c) => c.tagName === at.tagName);
    path.unshift(`${at.tagName.toLowerCase()}:${same.indexOf(at)}`);
  }
  return {
    path: path.join(">"),
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls,
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
    outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
    outlineStyle: cs.outlineStyle,
    outlineWidth: parseFloat(cs.outlineWidth) || 0,
    boxShadow: cs.boxShadow,
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth && cs.visibility !== "hidden",
  };
}"""

QUICK_EXIT = """() => {
  const found = document.querySelectorAll("[data-quick-exit]");
  if (found.length !== 1) return `${found.length} quick-exit controls`;
  const el = found[0];
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const shown = r.width > 0 && r.height > 0 && cs.visibility !== "hidden"
    && cs.display !== "none" && parseFloat(cs.opacity) > 0
    && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight;
  return shown ? null : `hidden (${Math.round(r.left)},${Math.round(r.top)} `
    + `${Math.round(r.width)}x${Math.round(r.height)}, viewport ${innerWidth}x${innerHeight})`;
}"""

STALE_FORM = """() => document.querySelectorAll("main input[name=csrfmiddlewaretoken]")
  .forEach((input) => { input.value = "0".repeat(64); })"""

#: The document's full width: wider than the window means sideways scrolling.
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"

FACTS = """() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main, [role=main]").length,
})"""


def _route_of(url: str) -> str:
    try:
        return str(resolve(urlsplit(url).path).view_name)
    except Exception as error:  # a 404 path, or an address outside Mutual
        return f"<{type(error).__name__}: {urlsplit(url).path}>"


def sign_in(context: Any, demo_: Demo, second_factor: bool = False) -> Any:
    """Alice signs in; with ``second_factor`` she also gives her authenticator's code,
    otherwise a sign-in that asks for one stops there."""
    page = context.new_page()
    page.goto(demo_.server + reverse("account_login"))
    page.fill("input[name=login]", demo_.alice_email)
    page.fill("input[name=password]", demo_.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    through_keys_open(page)
    if second_factor:
        assert _route_of(page.url) == "mfa_authenticate", page.url
        page.fill("input[name=code]", totp_code(demo_.totp_secret))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def _reauthenticate(tab: Any, demo_: Demo) -> Any:
    """Answer a re-authentication prompt as Alice would; the response of the page
    she asked for."""
    with tab.expect_navigation() as navigation:
        if tab.locator("input[name=password]").count():
            tab.fill("input[name=password]", demo_.password)
        else:
            tab.fill("input[name=code]", totp_code(demo_.totp_secret))
        tab.locator("main form button[type=submit]").first.click()
    return navigation.value


def visit(
    tab: Any, page: Page, demo_: Demo, axe: Any, shoot: Callable[[Any, str], list[Path]]
) -> Visit:
    record = Visit(page=page)
    listener = record.requests.append

    def on_request(request: Any) -> None:
        listener(request.url)

    def on_socket(socket: Any) -> None:
        listener(socket.url)

    tab.on("request", on_request)
    tab.on("websocket", on_socket)
    try:
        record.url = demo_.url(page)
        tab.set_viewport_size({"width": 1280, "height": 900})
        response = tab.goto(record.url)
        reauth = {"account_reauthenticate", "mfa_reauthenticate"}
        if _route_of(tab.url) in reauth and page.route not in reauth:
            response = _reauthenticate(tab, demo_)
        if page.stale_form:
            tab.evaluate(STALE_FORM)
        if page.submit:
            with tab.expect_navigation() as navigation:
                tab.locator("main form button[type=submit]").first.click()
            response = navigation.value
        tab.wait_for_load_state()
        record.text = tab.inner_text("body")
        record.html = tab.content()
        record.status = response.status if response else 0
        record.headers = dict(response.headers) if response else {}
        record.landed = tab.url
        record.landed_route = _route_of(tab.url)
        # Keyboard first, before anything else can move the focus.
        tab.keyboard.press("Tab")
        record.first_tab = tab.evaluate(FOCUSED)
        if record.first_tab is not None:
            record.tab_stops.append(record.first_tab)
            for _ in range(MAX_TAB_STOPS):
                tab.keyboard.press("Tab")
                stop = tab.evaluate(FOCUSED)
                if stop is None or stop["path"] == record.first_tab["path"]:
                    break  # past the last stop, or round to the first again
                record.tab_stops.append(stop)
        record.title = tab.title()
        facts = tab.evaluate(FACTS)
        record.h1, record.main = facts["h1"], facts["main"]
        # Mobile first (DESIGN.md §5): the control and axe-core at both widths.
        for width in (390, 1280):
            tab.set_viewport_size({"width": width, "height": 900})
            tab.evaluate("() => window.scrollTo(0, 0)")
            record.quick_exit[width] = tab.evaluate(QUICK_EXIT)
            record.scroll_width[width] = tab.evaluate(SCROLL_WIDTH)
            results = axe.run(tab)
            record.serious += [
                f"{v['id']} ({v['impact']}, {width}px): {v['help']} at "
                + ", ".join(str(n["target"]) for n in v["nodes"][:5])
                for v in results.response["violations"]
                if v.get("impact") in {"serious", "critical"}
            ]
        record.screenshots = shoot(tab, f"every-page/{page.label}")
    except Exception as error:  # recorded: every check of this page then fails with it
        record.error = f"{type(error).__name__}: {error}"
    finally:
        tab.remove_listener("request", on_request)
        tab.remove_listener("websocket", on_socket)
    return record


def take_tour(
    browser: Any, server: str, shoot: Callable[[Any, str], list[Path]]
) -> tuple[Demo, dict[str, Visit]]:
    """Seed the demo and visit every page once; the visits by label."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    demo_ = seed(server)
    pages = all_pages()
    visits: dict[str, Visit] = {}
    contexts: list[Any] = []

    def context() -> Any:
        made = browser.new_context(viewport={"width": 1280, "height": 900})
        made.set_default_timeout(20_000)
        contexts.append(made)
        return made

    try:
        for phase in PHASES:
            todo = [p for p in pages if p.who == phase]
            if not todo:
                continue
            if phase == ALICE_MFA:
                add_second_factor(demo_)
            # Each phase in a browser of its own; with a second factor, signing in
            # stops at the second step (the MFA_STEP page).
            if phase == SIGNED_OUT:
                tab = context().new_page()
            else:
                tab = sign_in(context(), demo_, second_factor=phase == ALICE_MFA)
            for page in todo:
                visits[page.label] = visit(tab, page, demo_, axe, shoot)
    finally:
        for made in contexts:
            made.close()
    return demo_, visits


def focus_shown(stop: dict[str, Any]) -> bool:
    """Whether a focused element can be seen, and its focus with it: on screen, with an
    outline or a box-shadow."""
    ring = stop["outlineStyle"] != "none" and stop["outlineWidth"] > 0
    return bool(stop["onScreen"]) and (ring or stop["boxShadow"] != "none")


def summary(visits: dict[str, Visit]) -> list[dict[str, Any]]:
    """What each visit found, for a person reading the screenshots."""
    return [
        {
            "page": label,
            "url": v.url,
            "error": v.error,
            "status": v.status,
            "landed": v.landed,
            "cache_control": v.headers.get("cache-control"),
            "title": v.title,
            "h1": v.h1,
            "main": v.main,
            "quick_exit": v.quick_exit,
            "scroll_width": v.scroll_width,
            "tab_stops": [f"{s['element']} {s['text']!r}" for s in v.tab_stops],
            "focus_not_shown": [s for s in v.tab_stops if not focus_shown(s)],
            "axe_serious": v.serious,
            "requests": v.requests,
        }
        for label, v in visits.items()
    ]


def third_party(urls: list[str]) -> list[str]:
    """Addresses outside 127.0.0.1 and localhost."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if parts.scheme not in {"http", "https", "ws", "wss"} or parts.hostname not in OWN_HOSTS:
            out.append(url)
    return out


def title_leaks(title: str, secrets: list[str]) -> list[str]:
    """The secrets a title gives away: a name or address as a whole word, or any three
    words in a row of a prompt or of something a person wrote."""
    words = " ".join(re.findall(r"[\w@.'-]+", title.casefold()))
    padded = f" {words} "
    found = []
    for secret in secrets:
        parts = re.findall(r"[\w@.'-]+", secret.casefold())
        if len(parts) < 3:
            if f" {' '.join(parts)} " in padded:
                found.append(secret)
        elif any(f" {' '.join(parts[i : i + 3])} " in padded for i in range(len(parts) - 2)):
            found.append(secret)
    return found

"""form(): a pydantic model as a form, driven as a user drives it (the testing kit): typing into
fields found by their labels, leaving them, clicking submit; the errors are read by text and
tied to their fields by aria-invalid and aria-describedby. The async submits run on the test's
virtual clock against aio's MockTransport (a server answering 422 in FastAPI's shape).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from string.templatelib import Template
from typing import Any, cast

import pytest
from pydantic import BaseModel, model_validator
from pydantic import Field as ModelField

from framework import Component, MemoryDom, aio, mount
from framework.aio import HTTPRequest, HTTPResponse, MockTransport
from framework.aio.mock import json_response, text_response
from framework.dom.tree import Element
from framework.forms import Field, Form, form, unprocessable_detail
from framework.testing import ElementNotFound, Screen, User, until


class SignUp(BaseModel):
    email: str = ModelField(pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = ModelField(min_length=8)
    age: int = ModelField(ge=13)
    terms: bool = False

    @model_validator(mode="after")
    def terms_accepted(self) -> SignUp:
        if not self.terms:
            raise ValueError("Accept the terms to sign up")
        return self


def message(field: Field) -> Template | None:
    if field.error is None:
        return None
    return t'<p id={field.error_id} class="error">{field.error}</p>'


class SignUpForm(Component):
    """Every control wired as docs/forms.md shows; submits through `send` (set per test)."""

    send: Any = None

    def setup(self) -> None:
        self.form = form(SignUp, on_submit=self.send)

    def render(self) -> Template:
        f = self.form.fields
        general = [t'<li role="alert">{text}</li>' for text in self.form.errors]
        busy = self.form.submitting
        return t"""<form aria-label="Sign up" novalidate onsubmit={self.form.submit}>
  <label for={f.email.id}>Email</label>
  <input id={f.email.id} bind:value={f.email.draft} onblur={f.email.blur}
    aria-invalid={f.email.invalid} aria-describedby={f.email.described_by}>
  {message(f.email)}
  <label for={f.password.id}>Password</label>
  <input id={f.password.id} type="password" bind:value={f.password.draft}
    onblur={f.password.blur} aria-invalid={f.password.invalid}
    aria-describedby={f.password.described_by}>
  {message(f.password)}
  <label for={f.age.id}>Age</label>
  <input id={f.age.id} type="number" bind:value={f.age.draft} onblur={f.age.blur}
    aria-invalid={f.age.invalid} aria-describedby={f.age.described_by}>
  {message(f.age)}
  <label><input type="checkbox" bind:checked={f.terms.draft}> I accept the terms</label>
  <ul>{general}</ul>
  <button type="submit" ?disabled={busy}>{"Signing up..." if busy else "Sign up"}</button>
</form>"""


class Page:
    """A mounted SignUpForm with the kit's screen and user."""

    def __init__(self, send: Any = None) -> None:
        self.dom = MemoryDom()
        self.app = mount(SignUpForm(send=send), "#app", backend=self.dom)
        self.screen, self.user = Screen(self.dom), User(self.dom)

    @property
    def form(self) -> Form[SignUp]:
        component = cast("SignUpForm", self.app.part.content.instance)  # type: ignore[union-attr]
        return component.form

    def field(self, label: str) -> Element:
        return self.screen.get_by_label_text(label)

    def fill(self, email: str, password: str, age: str, terms: bool = True) -> None:
        for label, text in (("Email", email), ("Password", password), ("Age", age)):
            self.user.clear(self.field(label))
            self.user.type(self.field(label), text)
        if self.field("I accept the terms").checked != terms:
            self.user.click(self.field("I accept the terms"))

    def submit(self) -> None:
        self.user.click(self.screen.get_by_role("button", name=re.compile("Sign")))

    def error_of(self, label: str) -> str | None:
        """The text of the element the field's aria-describedby names (None: no error)."""
        field = self.field(label)
        described = field.attrs.get("aria-describedby")
        if described is None:
            assert "aria-invalid" not in field.attrs
            return None
        assert field.attrs.get("aria-invalid") == "true"
        (element,) = self.dom.document.select(lambda n: n.attrs.get("id") == described)
        return element.text_content

    def alerts(self) -> list[str]:
        try:
            return [el.text_content for el in self.screen.get_all_by_role("alert")]
        except ElementNotFound:
            return []


@pytest.fixture
def sent() -> list[SignUp]:
    return []


# -- drafts ------------------------------------------------------------------------------------


class Profile(BaseModel):
    name: str
    nickname: str = "Ace"
    age: int | None = None
    admin: bool
    tags_count: int = ModelField(default_factory=lambda: 3)


@pytest.mark.parametrize(
    ("initial", "drafts"),
    [
        (None, {"name": "", "nickname": "Ace", "age": None, "admin": False, "tags_count": 3}),
        (
            {"name": "Ada", "age": 36},
            {"name": "Ada", "nickname": "Ace", "age": 36, "admin": False, "tags_count": 3},
        ),
        (
            Profile(name="Bo", nickname="B", age=7, admin=True, tags_count=0),
            {"name": "Bo", "nickname": "B", "age": 7, "admin": True, "tags_count": 0},
        ),
    ],
    ids=["defaults", "mapping", "instance"],
)
def test_drafts_start_from_the_defaults_or_the_given_values(
    initial: Any, drafts: dict[str, Any]
) -> None:
    assert form(Profile, initial=initial).draft == drafts


def test_an_initial_mapping_naming_no_field_is_refused() -> None:
    with pytest.raises(KeyError, match="initial= names no field of Profile: nick"):
        form(Profile, initial={"nick": "x"})


def test_a_field_name_that_does_not_exist_says_which_do() -> None:
    with pytest.raises(AttributeError, match="Profile has no field 'mail'; its fields: name, "):
        form(Profile).fields.mail  # noqa: B018 - the read is the test


def test_the_typed_drafts_reach_the_fields_and_the_model() -> None:
    page = Page()
    page.fill("ada@example.com", "s3cret-pass", "36")
    assert page.form.draft == {
        "email": "ada@example.com",
        "password": "s3cret-pass",
        "age": 36,  # a number input binds an int
        "terms": True,
    }
    assert page.form.valid


# -- when errors show --------------------------------------------------------------------------


def test_no_error_shows_before_the_user_leaves_an_edited_field_or_submits() -> None:
    page = Page()
    page.user.type(page.field("Email"), "ada")
    assert page.error_of("Email") is None  # still typing: not told off yet
    page.user.click(page.field("Password"))  # leaves Email, edited
    assert page.error_of("Email") == "String should match pattern '^[^@\\s]+@[^@\\s]+$'"
    page.user.click(page.field("Age"))  # leaves Password untouched: nothing to say yet
    assert page.error_of("Password") is None


def test_submit_shows_every_error_next_to_its_field_and_sends_nothing(sent: list[Any]) -> None:
    page = Page(send=sent.append)
    page.user.type(page.field("Age"), "12")
    page.submit()
    assert sent == []
    assert page.error_of("Email") == "String should match pattern '^[^@\\s]+@[^@\\s]+$'"
    assert page.error_of("Password") == "String should have at least 8 characters"
    assert page.error_of("Age") == "Input should be greater than or equal to 13"


def test_after_a_submit_errors_follow_each_keystroke() -> None:
    page = Page()
    page.submit()
    page.user.type(page.field("Password"), "1234567")
    assert page.error_of("Password") == "String should have at least 8 characters"
    page.user.type(page.field("Password"), "8")
    assert page.error_of("Password") is None  # right now: no need to leave the field
    page.user.type(page.field("Password"), "{Backspace}")
    assert page.error_of("Password") == "String should have at least 8 characters"


def test_an_empty_number_field_is_required_and_text_is_not_a_number() -> None:
    page = Page()
    page.submit()
    assert page.error_of("Age") == "Field required"
    page.user.type(page.field("Age"), "x")  # the browser gives "" for what is not a number
    assert page.error_of("Age") == "Field required"


def test_model_validator_errors_are_form_level_after_a_submit() -> None:
    page = Page()
    page.fill("ada@example.com", "s3cret-pass", "36", terms=False)
    assert page.alerts() == []
    page.submit()
    assert page.alerts() == ["Accept the terms to sign up"]  # the validator's own words
    page.user.click(page.field("I accept the terms"))
    assert page.alerts() == []


def test_error_ids_are_unique_per_form_instance() -> None:
    first, second = form(SignUp), form(SignUp)
    assert first.fields.email.error_id != second.fields.email.error_id
    assert form(SignUp, id="signup").fields.email.error_id == "signup-email-error"


# -- submitting --------------------------------------------------------------------------------


def test_a_valid_submit_hands_over_a_model_instance_and_prevents_the_browser_submit(
    sent: list[SignUp],
) -> None:
    page = Page(send=sent.append)
    page.fill("ada@example.com", "s3cret-pass", "36")
    form_element = page.screen.get_by_role("form", name="Sign up")
    event = page.dom.dispatch(form_element, "submit")
    assert event.defaultPrevented
    assert sent == [SignUp(email="ada@example.com", password="s3cret-pass", age=36, terms=True)]


def test_an_async_submit_is_busy_while_it_runs_and_ignores_a_second_submit() -> None:
    started: list[SignUp] = []

    async def send(account: SignUp) -> None:
        started.append(account)
        await aio.sleep(1.0)

    page = Page(send=send)
    page.fill("ada@example.com", "s3cret-pass", "36")
    page.submit()
    assert page.form.submitting
    button = page.screen.get_by_role("button", name="Signing up...")
    page.user.type(page.field("Age"), "{Enter}")  # Enter in a field submits too: ignored
    assert len(started) == 1
    until(lambda: not page.form.submitting, page.dom, timeout=2.0)
    assert "disabled" not in button.attrs
    assert page.screen.get_by_role("button", name="Sign up") is button


# -- failures: the server's 422 and the rest ----------------------------------------------------


class Server:
    """POST /api/accounts answers `status` with `body` (JSON, or text for a str) after 0.5
    virtual seconds."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body
        self.transport = MockTransport(self.answer)

    async def answer(self, request: HTTPRequest) -> HTTPResponse:
        await asyncio.sleep(0.5)
        if isinstance(self.body, str):
            return text_response(self.status, self.body)
        return json_response(self.status, self.body)


TAKEN = {
    "detail": [
        {"loc": ["body", "email"], "msg": "Value error, Email already registered", "type": "value_error"},
        {"loc": ["body"], "msg": "Sign-ups are closed on Sundays", "type": "value_error"},
        {"loc": ["query", "ref"], "msg": "Field required", "type": "missing"},
    ]
}  # fmt: skip


@pytest.fixture
def server() -> Iterator[Server]:
    mock = Server(422, TAKEN)
    previous = aio.set_transport(mock.transport)
    yield mock
    aio.set_transport(previous)


async def post_raising(account: SignUp) -> None:
    await aio.post("/api/accounts", data=account.model_dump_json(), raise_for_status=True)


async def post_returning(account: SignUp) -> Any:
    return await aio.post("/api/accounts", data=account.model_dump_json(), format="json")


@pytest.mark.parametrize("send", [post_raising, post_returning], ids=["raised", "returned"])
def test_a_422_puts_the_servers_messages_on_the_fields_and_the_form(
    server: Server, send: Any
) -> None:
    page = Page(send=send)
    page.fill("ada@example.com", "s3cret-pass", "36")
    page.submit()
    until(lambda: not page.form.submitting, page.dom)
    assert page.error_of("Email") == "Email already registered"
    assert page.alerts() == ["Sign-ups are closed on Sundays", "Field required"]
    assert page.form.draft["email"] == "ada@example.com"  # nothing lost
    page.user.type(page.field("Email"), "m")  # edited: the server's message no longer applies
    assert page.error_of("Email") is None


def test_a_422_about_a_value_edited_meanwhile_does_not_stick_to_the_new_value(
    server: Server,
) -> None:
    page = Page(send=post_raising)
    page.fill("ada@example.com", "s3cret-pass", "36")
    page.submit()
    page.user.type(page.field("Email"), "m")  # while the request is in flight
    until(lambda: not page.form.submitting, page.dom)
    assert page.error_of("Email") is None
    page.user.type(page.field("Email"), "{Backspace}")  # back to what the server refused
    assert page.error_of("Email") == "Email already registered"


@pytest.mark.parametrize(
    ("status", "body", "shown"),
    [
        (500, "oops", "The server answered 500 error. Please try again."),
        (422, "<html>not json</html>", "The server answered 422 error. Please try again."),
    ],
)
def test_other_failures_are_a_form_level_error_and_keep_the_drafts(
    server: Server, status: int, body: Any, shown: str, errors: list[BaseException]
) -> None:
    server.status, server.body = status, body
    page = Page(send=post_raising)
    page.fill("ada@example.com", "s3cret-pass", "36")
    page.submit()
    until(lambda: not page.form.submitting, page.dom)
    assert page.alerts() == [shown]
    assert page.form.draft["password"] == "s3cret-pass"
    assert errors == []  # the network's answer, not a bug: shown on the form only
    server.status, server.body = 201, {}
    page.submit()  # a new try clears the old failure
    until(lambda: not page.form.submitting, page.dom)
    assert page.alerts() == []


def test_a_bug_in_the_submit_handler_shows_on_the_form_and_is_reported(
    errors: list[BaseException],
) -> None:
    def send(account: SignUp) -> None:
        raise KeyError("user_id")

    page = Page(send=send)
    page.fill("ada@example.com", "s3cret-pass", "36")
    page.submit()
    assert page.alerts() == ["Could not submit: 'user_id'"]
    assert [type(error) for error in errors] == [KeyError]


class Answer:
    """What ajax's callbacks receive: `status`, and `json` as a property."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.json = status, body


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (Answer(422, TAKEN), TAKEN["detail"]),
        (Answer(400, TAKEN), None),
        (TAKEN, TAKEN["detail"]),
        (TAKEN["detail"], TAKEN["detail"]),
        ({"detail": "Too many sign-ups"}, ["Too many sign-ups"]),
        ({"error": "no detail"}, None),
    ],
    ids=["ajax-422", "ajax-400", "body", "detail-list", "detail-str", "other-json"],
)
def test_what_counts_as_a_422_detail(answer: Any, detail: list[Any] | None) -> None:
    assert unprocessable_detail(answer) == detail


def test_show_server_errors_takes_an_ajax_answer() -> None:
    page = Page()
    page.fill("ada@example.com", "s3cret-pass", "36")
    assert page.form.show_server_errors(Answer(422, TAKEN))
    page.user.click(page.field("Age"))  # any re-render
    assert page.error_of("Email") == "Email already registered"
    assert not page.form.show_server_errors(Answer(500, {}))


def test_reset_brings_the_defaults_back_and_hides_the_errors() -> None:
    page = Page()
    page.user.type(page.field("Age"), "3")
    page.submit()
    page.form.reset()
    page.user.click(page.field("Email"))
    assert page.form.draft == {"email": "", "password": "", "age": None, "terms": False}
    assert page.error_of("Age") is None


# -- what form() refuses ----------------------------------------------------------------------


class Address(BaseModel):
    city: str


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [
        (Address, "a nested model (Address)"),
        (Address | None, "a nested model (Address)"),
        (list[str], "a list or collection (list[str])"),
        (dict[str, int], "a list or collection (dict[str, int])"),
        (set, "a list or collection (set)"),
    ],
)
def test_nested_models_and_lists_are_refused_as_not_supported_yet(
    annotation: Any, kind: str
) -> None:
    model = type("Order", (BaseModel,), {"__annotations__": {"part": annotation}})
    expected = f"form(Order): field 'part' is {kind}; nested models and lists are not supported"
    with pytest.raises(NotImplementedError, match=re.escape(expected)):
        form(model)


@pytest.mark.parametrize("model", [dict, Address(city="Oslo"), "SignUp"])
def test_form_takes_a_model_class(model: Any) -> None:
    with pytest.raises(TypeError, match="form\\(\\) takes a pydantic model class"):
        form(model)

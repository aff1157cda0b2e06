"""docs/forms.md's sign-up form, in a page: a pydantic model (email, password with a
validator, age >= 13, terms accepted) whose errors show beside its fields, and a submit that
posts the model to server.py (which answers 422 for a taken email).

tests/e2e/test_forms.py drives it like a user; `window.__forms_reset__()` mounts a fresh app,
so every test starts from the same state without a new page boot.
"""

import re

import js
from pydantic import BaseModel, Field, field_validator
from pyodide.ffi import create_proxy

from framework import Component, Signal, aio, form, mount


class SignUp(BaseModel):
    email: str
    password: str
    age: int = Field(ge=13)
    terms: bool = False

    @field_validator("email")
    @classmethod
    def looks_like_an_email(cls, email: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ValueError("Enter an email address such as ada@example.com")
        return email.lower()

    @field_validator("password")
    @classmethod
    def strong_enough(cls, password: str) -> str:
        if len(password) < 8 or not any(character.isdigit() for character in password):
            raise ValueError("Use 8 characters or more, one of them a digit")
        return password

    @field_validator("terms")
    @classmethod
    def accepted(cls, terms: bool) -> bool:
        if not terms:
            raise ValueError("Accept the terms to sign up")
        return terms


def error_of(field):
    """The field's message (empty until there is one), with the id aria-describedby names."""
    return t'<p class="error" id={field.error_id}>{field.error}</p>'


def text_field(field, label, kind="text"):
    return t"""<label for={field.id}>{label}</label>
<input id={field.id} type={kind} bind:value={field.draft} onblur={field.blur}
  aria-invalid={field.invalid} aria-describedby={field.described_by}>
{error_of(field)}"""


class SignUpPage(Component):
    # Each message has its line before it has a text: see "A message must not move the button".
    styles = ".error { min-height: 1.25em; margin: 0.25em 0; color: #b3261e; }"

    def setup(self):
        self.form = form(SignUp, on_submit=self.sign_up)
        self.welcome = Signal("")

    async def sign_up(self, account: SignUp):
        request = await aio.post(
            "/api/accounts", json=account.model_dump(), format="json", raise_for_status=True
        )
        self.welcome.value = f"Welcome, {request.data['email']} ({request.data['age']})!"

    def render(self):
        f = self.form.fields
        busy = self.form.submitting
        problems = [t'<li role="alert">{problem}</li>' for problem in self.form.errors]
        return t"""<form aria-label="Sign up" novalidate onsubmit={self.form.submit}>
  {text_field(f.email, "Email", "email")}
  {text_field(f.password, "Password", "password")}
  {text_field(f.age, "Age", "number")}
  <label><input type="checkbox" bind:checked={f.terms.draft}
    aria-invalid={f.terms.invalid} aria-describedby={f.terms.described_by}>
    I accept the terms</label>
  {error_of(f.terms)}
  <ul>{problems}</ul>
  <button ?disabled={busy}>{"Signing up..." if busy else "Sign up"}</button>
  <p role="status">{self.welcome}</p>
</form>"""


mounted = [mount(SignUpPage(), "#app")]


def reset():
    mounted.pop().unmount()
    mounted.append(mount(SignUpPage(), "#app"))


js.window.__forms_reset__ = create_proxy(reset)

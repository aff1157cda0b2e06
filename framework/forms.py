"""form(): a pydantic model as a form: drafts bound to the fields, pydantic's messages beside them.

    class SignUp(BaseModel):
        email: str
        age: int = Field(ge=13)

    class SignUpForm(Component):
        def setup(self) -> None:
            self.form = form(SignUp, on_submit=self.save)

        async def save(self, account: SignUp) -> None:
            await aio.post("/api/accounts", data=account.model_dump_json(), raise_for_status=True)

A field's `draft` is a Signal for `bind:value` (or `bind:checked`); `error` is pydantic's
message for it, and `invalid`, `described_by`, `id` and `error_id` wire the input to its message
for assistive technology. docs/forms.md is the guide. What it guarantees:

* Validation is the model's own (`model_validate` of the drafts, so lax coercion: "15" is an
  int), recomputed lazily when a draft changes. A draft of None is left out, so the model's
  default applies or pydantic says "Field required".
* When errors show ("reward early, punish late"): a field's error shows once the user has left
  it after editing it, or after the first submit; from then on it follows each keystroke, so it
  disappears as soon as the value is right. Nobody is told off for a field they have not
  reached yet.
* `submit` (an `onsubmit` handler) prevents the browser's own submission, shows every error,
  and calls `on_submit` with a validated model instance only when the drafts are valid. An
  async `on_submit` runs as a task; while it runs `submitting` is true and a second submit is
  ignored.
* A 422 answer (FastAPI's and pydantic's shape: `{"detail": [{"loc", "msg", "type"}]}`, `loc`
  perhaps starting with "body"), raised by `on_submit` as `aio.HTTPError`, returned by it as a
  finished request, or given to `show_server_errors`, puts each message on its field (until the
  user edits it) or, when no field matches, among the form's `errors`. Any other failure
  becomes a form-level error. The drafts are never touched by a failure.
* Nested models and lists are refused at `form()` with an error saying so (not supported yet).

Standard library, pydantic and the framework's core only: no js import (runs in the unit tier).
"""

# UP046/UP047 (PEP 695 generics) are waived like in reactive.py: host-side mypy (Python 3.11)
# reads this module through framework/__init__.py.
# ruff: noqa: UP046, UP047

from __future__ import annotations

import dataclasses
import inspect
import itertools
import json
import types
import typing
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from framework.aio.errors import HTTPError
from framework.aio.running import run
from framework.errors import report_error
from framework.reactive import Computed, Signal, batch, untracked

__all__ = ["Field", "Form", "form"]

M = TypeVar("M", bound=BaseModel)

_UNPROCESSABLE = 422
_ids = itertools.count(1)  # one per form made: ids unique on the page
_CONTAINERS = frozenset({list, tuple, set, frozenset, dict})


@dataclasses.dataclass(frozen=True)
class _Checked:
    """One validation of the drafts: the model, or the messages by field and the others."""

    model: BaseModel | None
    by_field: Mapping[str, tuple[str, ...]]
    general: tuple[str, ...]


class Field:
    """One field of a form: its draft, its error, and the ids that tie the two together."""

    def __init__(self, form: Form[Any], name: str, initial: Any) -> None:
        self.name = name
        self.id = f"{form.id}-{name}"  # the input's id: `<label for={field.id}>`
        self.error_id = f"{self.id}-error"  # the message element's id
        self.initial = initial
        self.draft: Signal[Any] = Signal(initial, name=f"{form.id}.{name}")
        self._form = form
        self._touched = Signal(False, name=f"{form.id}.{name}.touched")
        # The server's message and the draft it was about: shown until the draft changes.
        self._server: Signal[tuple[str, Any] | None] = Signal(None, name=f"{self.id}.server")

    @property
    def error(self) -> str | None:
        """The message to show now, or None. Tracked."""
        server = self._server.value
        if server is not None and server[1] == self.draft.value:
            return server[0]
        if not (self._touched.value or self._form._attempted.value):
            return None
        messages = self._form._checked.value.by_field.get(self.name, ())
        return messages[0] if messages else None

    @property
    def invalid(self) -> str | None:
        """For `aria-invalid={field.invalid}`: "true" while an error shows, else no attribute."""
        return "true" if self.error is not None else None

    @property
    def described_by(self) -> str | None:
        """For `aria-describedby={field.described_by}`: the error's id while it shows."""
        return self.error_id if self.error is not None else None

    def blur(self) -> None:
        """For `onblur={field.blur}`: leaving a field the user edited shows its error from now."""
        if self.draft.peek() != self.initial:
            self._touched.value = True

    def _reset(self, initial: Any) -> None:
        self.initial = initial
        self.draft.value = initial
        self._touched.value = False
        self._server.value = None

    def __repr__(self) -> str:
        return f"Field({self.name!r}, draft={self.draft.peek()!r})"


class Fields:
    """A form's fields by name: `form.fields.email` or `form.fields["email"]`, in model order."""

    def __init__(self, fields: dict[str, Field], model: type[BaseModel]) -> None:
        self._by_name = fields
        self._model = model

    def __getitem__(self, name: str) -> Field:
        found = self._by_name.get(name)
        if found is None:
            known = ", ".join(self._by_name)
            raise KeyError(f"{self._model.__name__} has no field {name!r}; its fields: {known}")
        return found

    def __getattr__(self, name: str) -> Field:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(error.args[0]) from None

    def __iter__(self) -> Iterator[Field]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


class Form(Generic[M]):
    """A pydantic model's form: `fields`, `errors`, `submitting`, `valid`, `submit`, `reset`.

    Made by `form()`; the class is public for annotations (`self.form: Form[SignUp]`)."""

    def __init__(
        self,
        model: type[M],
        on_submit: Callable[[M], Any] | None,
        initial: M | Mapping[str, Any] | None,
        id: str | None,
    ) -> None:
        _check_model(model)
        self.model = model
        self.id = id or f"form{next(_ids)}"
        self._on_submit = on_submit
        self._attempted = Signal(False, name=f"{self.id}.attempted")
        self._submitting = Signal(False, name=f"{self.id}.submitting")
        self._failures: Signal[tuple[str, ...]] = Signal((), name=f"{self.id}.failures")
        self._task: Any = None
        self._sent: dict[str, Any] = {}  # the drafts of the last submit: what a server judged
        start = _initial_values(model, initial)
        self.fields = Fields({name: Field(self, name, start[name]) for name in start}, model)
        self._checked = Computed(self._check, name=f"{self.id} validation")

    # -- what templates read -------------------------------------------------------------------

    @property
    def errors(self) -> list[str]:
        """Form-level messages: the model's own validators' (after a submit), the server's
        that name no field, and why the last submit failed. Tracked."""
        general = self._checked.value.general if self._attempted.value else ()
        return [*general, *self._failures.value]

    @property
    def submitting(self) -> bool:
        """Whether an async `on_submit` is running. Tracked."""
        return self._submitting.value

    @property
    def valid(self) -> bool:
        """Whether the drafts validate now (shown or not). Tracked."""
        return self._checked.value.model is not None

    @property
    def draft(self) -> dict[str, Any]:
        """The drafts by field name, as they are (unvalidated). Tracked."""
        return {field.name: field.draft.value for field in self.fields}

    # -- what handlers call --------------------------------------------------------------------

    def validate(self) -> M | None:
        """The drafts as a model instance, or None; shows every error from now on."""
        with batch():
            self._attempted.value = True
            self._failures.value = ()
            for field in self.fields:
                field._server.value = None
        model = untracked(lambda: self._checked.value.model)
        return typing.cast("M | None", model)

    def submit(self, event: Any = None) -> None:
        """For `onsubmit={form.submit}`: validate, then call `on_submit` with the model. The
        browser's own submission is prevented; a submit while one runs is ignored."""
        if event is not None:
            event.preventDefault()
        if self._submitting.peek():
            return
        model = self.validate()
        if model is None or self._on_submit is None:
            return
        self._sent = {field.name: field.draft.peek() for field in self.fields}
        try:
            outcome = self._on_submit(model)
        except Exception as error:  # noqa: BLE001 - shown on the form (and reported if a bug)
            self._failed(error)
            return
        if inspect.isawaitable(outcome):
            self._submitting.value = True
            self._task = run(self._finish(outcome))
        else:
            self._answered(outcome)

    def show_server_errors(self, answer: Any) -> bool:
        """Show a server's 422 on the fields: `answer` is an `aio.HTTPError`, a finished
        request (`aio`'s or `ajax`'s, status 422), or its JSON (`{"detail": [...]}` or the
        list). Messages whose `loc` names no field become form-level errors. False (nothing
        shown) when `answer` is not a 422."""
        detail = unprocessable_detail(answer)
        if detail is None:
            return False
        by_field, general = self._sort_server_errors(detail)
        with batch():
            for name, message in by_field.items():
                field = self.fields[name]
                judged = self._sent.get(name, field.draft.peek())
                field._server.value = (message, judged)
            self._failures.value = (*self._failures.peek(), *general)
        return True

    def reset(self, initial: M | Mapping[str, Any] | None = None) -> None:
        """Start again: drafts back to `initial` (else the model's defaults), no error shown."""
        start = _initial_values(self.model, initial)
        with batch():
            for field in self.fields:
                field._reset(start[field.name])
            self._attempted.value = False
            self._failures.value = ()

    # -- how it works --------------------------------------------------------------------------

    def _check(self) -> _Checked:
        """The computed: validate the drafts (a None draft is left out: default or required)."""
        data = {f.name: f.draft.value for f in self.fields if f.draft.value is not None}
        try:
            model = self.model.model_validate(data)
        except ValidationError as error:
            by_field: dict[str, tuple[str, ...]] = {}
            general: list[str] = []
            for entry in error.errors(include_url=False):
                loc, message = entry["loc"], _message(entry)
                if loc and loc[0] in self.fields:
                    by_field[str(loc[0])] = (*by_field.get(str(loc[0]), ()), message)
                else:
                    general.append(message)
            return _Checked(None, by_field, tuple(general))
        return _Checked(model, {}, ())

    async def _finish(self, outcome: Awaitable[Any]) -> None:
        try:
            answer = await outcome
        except Exception as error:  # noqa: BLE001 - shown on the form (and reported if a bug)
            self._failed(error)
        else:
            self._answered(answer)
        finally:
            self._submitting.value = False
            self._task = None

    def _answered(self, answer: Any) -> None:
        """What on_submit returned: a finished request that failed is a failure too."""
        status = getattr(answer, "status", None)
        if not isinstance(status, int) or status < 400:
            return
        if not self.show_server_errors(answer):
            reason = getattr(answer, "statusText", "") or "error"
            self._failures.value = (f"The server answered {status} {reason}. Please try again.",)

    def _failed(self, error: Exception) -> None:
        if self.show_server_errors(error):
            return
        self._failures.value = (_failure_message(error),)
        if not isinstance(error, OSError | TimeoutError):  # a bug, not the network: show it
            report_error(error)

    def _sort_server_errors(self, detail: list[Any]) -> tuple[dict[str, str], list[str]]:
        by_field: dict[str, str] = {}
        general: list[str] = []
        for entry in detail:
            if not isinstance(entry, Mapping):
                general.append(str(entry))
                continue
            loc = list(entry.get("loc") or ())
            if loc and loc[0] == "body":
                loc = loc[1:]
            message = _message(entry)
            name = str(loc[0]) if loc else ""
            if name in self.fields and name not in by_field:
                by_field[name] = message
            else:
                general.append(message)
        return by_field, general

    def __repr__(self) -> str:
        return f"Form({self.model.__name__}, id={self.id!r})"


def form(
    model: type[M],
    *,
    on_submit: Callable[[M], Any] | None = None,
    initial: M | Mapping[str, Any] | None = None,
    id: str | None = None,
) -> Form[M]:
    """A form for the pydantic `model`: one field per model field, drafts starting at
    `initial` (an instance or a mapping) or else the model's defaults. `on_submit(model)`
    (plain or async) receives a validated instance. `id` prefixes the fields' element ids
    (default: unique per form made)."""
    return Form(model, on_submit, initial, id)


# -- the model --------------------------------------------------------------------------------


def _check_model(model: Any) -> None:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"form() takes a pydantic model class, got {model!r}")
    for name, info in model.model_fields.items():
        kind = _unsupported(info.annotation)
        if kind is not None:
            raise NotImplementedError(
                f"form({model.__name__}): field {name!r} is {kind}; nested models and lists "
                "are not supported by form() yet. Give the form flat fields (str, int, float, "
                "bool, enums, dates) and build the nested value in on_submit."
            )


def _unsupported(annotation: Any) -> str | None:
    """What makes a field's type one form() cannot edit yet, or None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unsupported(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        found = [_unsupported(arg) for arg in typing.get_args(annotation)]
        return next((kind for kind in found if kind is not None), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a nested model ({annotation.__name__})"
    if dataclasses.is_dataclass(annotation):
        return f"a nested dataclass ({getattr(annotation, '__name__', annotation)})"
    container = origin or annotation
    if container in _CONTAINERS or (
        isinstance(container, type) and container.__module__ == "collections.abc"
    ):
        shown = annotation.__name__ if isinstance(annotation, type) else str(annotation)
        return f"a list or collection ({shown})"
    return None


def _initial_values(model: type[BaseModel], initial: Any) -> dict[str, Any]:
    """Each field's first draft: from `initial` (an instance or a mapping), else the model's
    default, else what an empty control holds (False for a bool, "" for a str, else None)."""
    given: Mapping[str, Any]
    if initial is None:
        given = {}
    elif isinstance(initial, BaseModel):
        given = {name: getattr(initial, name) for name in type(initial).model_fields}
    elif isinstance(initial, Mapping):
        unknown = sorted(set(initial) - set(model.model_fields))
        if unknown:
            raise KeyError(f"initial= names no field of {model.__name__}: {', '.join(unknown)}")
        given = initial
    else:
        raise TypeError(f"initial= takes a {model.__name__} or a dict, got {initial!r}")
    start: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in given:
            start[name] = given[name]
        elif not info.is_required():
            start[name] = info.get_default(call_default_factory=True, validated_data={})
        else:
            start[name] = _empty(info.annotation)
    return start


def _empty(annotation: Any) -> Any:
    if annotation is bool:
        return False
    if annotation is str:
        return ""
    return None


# -- messages ---------------------------------------------------------------------------------


def _message(entry: Mapping[str, Any]) -> str:
    """pydantic's message for one error. A validator's own ValueError or assertion is shown
    as its author wrote it, without pydantic's "Value error, " prefix."""
    message = str(entry.get("msg", ""))
    error = (entry.get("ctx") or {}).get("error")
    if entry.get("type") in ("value_error", "assertion_error"):
        if isinstance(error, Exception) and str(error):
            return str(error)
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
    return message


def _failure_message(error: Exception) -> str:
    if isinstance(error, HTTPError):
        return f"The server answered {error.status} {error.reason or 'error'}. Please try again."
    if isinstance(error, OSError | TimeoutError):
        return f"Could not reach the server ({error}). Please try again."
    return f"Could not submit: {error}"


def unprocessable_detail(answer: Any) -> list[Any] | None:
    """The `detail` list of a 422 answer (see Form.show_server_errors), else None."""
    if isinstance(answer, Mapping | list):
        body: Any = answer
    elif getattr(answer, "status", None) != _UNPROCESSABLE:
        return None
    elif isinstance(answer, HTTPError):
        body = _parsed(answer.text)
    else:
        read = getattr(answer, "json", None)
        try:
            body = read() if callable(read) else read
        except ValueError:
            return None
    if isinstance(body, Mapping):
        body = body.get("detail")
        if isinstance(body, str):  # HTTPException(422, detail="...")
            return [body]
    return list(body) if isinstance(body, list) else None


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None

"""An app that needs pydantic (a native wheel) in the browser: validate, then write the result."""

import pydantic
from pydantic import BaseModel, Field, ValidationError
from pyscript import document


class Greeting(BaseModel):
    name: str = Field(min_length=1)
    times: int


greeting = Greeting.model_validate({"name": "Ada", "times": "3"})  # "3" is coerced to 3
try:
    Greeting(name="", times=1)
    rejected = "nothing"
except ValidationError as error:
    rejected = f"{error.error_count()} error"

document.querySelector(
    "#app"
).textContent = (
    f"Hello {greeting.name} x{greeting.times * 2}; rejected {rejected}; pydantic {pydantic.VERSION}"
)

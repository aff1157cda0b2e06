# The plain PyScript page when the TO-DO app imports pydantic: the same wheels are loaded, one
# model validates one value, then the page says it is ready, as the framework's boot does.
from pydantic import BaseModel
from pyscript import document


class Todo(BaseModel):
    title: str
    done: bool = False


Todo.model_validate({"title": "milk"})
document.documentElement.dataset.ready = "1"

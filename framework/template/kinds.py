"""How a template instance handles each entry of its part plan (TemplateMeta.kinds).

The light kinds need no part object: their values live in the instance's values, the first
ones go into the CLONE, later ones are one op each, and a handler is looked up when its event
comes. PART entries (and a light entry once it takes a value that needs more, such as a Signal
or a nested template) get a part object.
"""

TEXT = 0  # a child slot, while it holds text: the anchor's data
ATTR = 1  # `name={value}` alone, absent from the template: setAttribute / removeAttribute
CLASS = 2  # `class={value}` alone, absent from the template
EVENT = 3  # `on<type>={handler}`: the handler is looked up in the values when the event comes
PART = 4  # anything else: a part object from the start

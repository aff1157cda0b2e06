"""The queries' rules, in the page: a Playwright selector engine that finds elements as the
unit tier's kit does (framework/testkit/roles.py and queries.py, ported to JavaScript).

Why not Playwright's own get_by_role and get_by_text: their rules differ from the unit kit's
where a test notices (a list item has no name from its text, get_by_text matches the text of
a whole subtree, a label's text includes the options of the select it holds), so a test
copied from the unit tier would find other elements. The engine gives the unit kit's answers;
only "hidden" is the browser's own (its computed styles), which a real page has and the
in-memory DOM does not. Selectors read `framework-testkit={json}`: lazy Playwright locators,
so `expect(...)` and auto-waiting work on what a query returns. tests/testkit_parity.py holds
one page's listings that both kits must give: a rule changed in one kit only fails there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

ENGINE_NAME = "framework-testkit"

# The rules, as function declarations shared by the engine and the error listings.
_RULES = r"""
const WHITESPACE = /\s+/g;
const TEXT_INPUTS = new Set(["text", "email", "tel", "url", "password"]);
const BUTTON_INPUTS = new Set(["button", "submit", "reset", "image"]);
const FORM_FIELDS = new Set(["input", "select", "textarea", "meter", "progress", "output"]);
const VALUE_FIELDS = new Set(["input", "textarea", "select"]);
const INPUT_ROLES = new Map([["checkbox", "checkbox"], ["radio", "radio"],
  ["number", "spinbutton"], ["range", "slider"], ["search", "searchbox"]]);
const TAG_ROLES = new Map([["a", "link"], ["area", "link"], ["img", "img"],
  ["h1", "heading"], ["h2", "heading"], ["h3", "heading"], ["h4", "heading"],
  ["h5", "heading"], ["h6", "heading"], ["button", "button"], ["textarea", "textbox"],
  ["option", "option"], ["ul", "list"], ["ol", "list"], ["menu", "list"],
  ["li", "listitem"], ["form", "form"], ["nav", "navigation"], ["main", "main"],
  ["dialog", "dialog"], ["header", "banner"], ["footer", "contentinfo"],
  ["aside", "complementary"], ["article", "article"], ["table", "table"], ["tr", "row"],
  ["td", "cell"], ["th", "columnheader"], ["p", "paragraph"], ["progress", "progressbar"],
  ["meter", "meter"], ["hr", "separator"], ["fieldset", "group"], ["output", "status"]]);
const NAME_FROM_CONTENT = new Set(["button", "link", "heading", "cell", "columnheader",
  "option", "listitem", "checkbox", "radio", "tab", "menuitem", "row", "tooltip"]);
const NOT_RENDERED = new Set(["script", "style", "template", "head"]);

const normalize = text => text.replace(WHITESPACE, " ").trim();
const tagOf = node => node.localName;
const isElement = node => node.nodeType === Node.ELEMENT_NODE;
const descendants = root => Array.from(root.querySelectorAll("*"));
const elementsOf = root => (isElement(root) ? [root, ...descendants(root)] : descendants(root));
const byId = (root, id) => descendants(root).find(e => e.getAttribute("id") === id) ?? null;
const attribute = (element, name) => element.getAttribute(name) ?? "";

function matcherOf(spec) {
  if (spec.pattern === undefined) {
    const wanted = normalize(spec.text);
    return text => text === wanted;
  }
  const pattern = new RegExp(spec.pattern, spec.flags);
  return text => pattern.test(text);
}

function roleOf(element) {
  const explicit = attribute(element, "role").split(/\s+/).filter(Boolean);
  return explicit.length ? explicit[0] : implicitRole(element);
}

function implicitRole(element) {
  const tag = tagOf(element);
  if (tag === "input") return inputRole(element);
  if (tag === "select") {
    const size = element.getAttribute("size") ?? "1";
    return element.multiple || !["", "0", "1"].includes(size) ? "listbox" : "combobox";
  }
  if ((tag === "a" || tag === "area") && !element.hasAttribute("href")) return null;
  if (tag === "img" && element.getAttribute("alt") === "") return "presentation";
  return TAG_ROLES.get(tag) ?? null;
}

function inputRole(element) {
  const kind = element.type;
  if (BUTTON_INPUTS.has(kind)) return "button";
  if (TEXT_INPUTS.has(kind)) return element.hasAttribute("list") ? "combobox" : "textbox";
  return INPUT_ROLES.get(kind) ?? null;
}

function headingLevel(element) {
  const level = attribute(element, "aria-level");
  if (/^[0-9]+$/.test(level)) return Number(level);
  const found = /^h([1-6])$/.exec(tagOf(element));
  return found ? Number(found[1]) : null;
}

// Hidden from users as the browser renders the page: aria-hidden, not rendered (display:
// none, from the `hidden` attribute or a stylesheet, on it or an ancestor), or invisible.
function isHidden(element) {
  for (let node = element; node; node = node.parentElement) {
    if (node.getAttribute("aria-hidden") === "true" || NOT_RENDERED.has(tagOf(node))) return true;
    if (getComputedStyle(node).display === "none") return true;
  }
  return getComputedStyle(element).visibility !== "visible";
}

function accessibleName(element, root) {
  return labelledBy(element, root)
    || normalize(attribute(element, "aria-label"))
    || nativeName(element, root)
    || (NAME_FROM_CONTENT.has(roleOf(element)) ? normalize(contentText(element, null)) : "")
    || normalize(attribute(element, "title") || attribute(element, "placeholder"));
}

function labelledBy(element, root) {
  const parts = attribute(element, "aria-labelledby").split(/\s+/).filter(Boolean);
  const found = parts.map(id => byId(root, id)).filter(Boolean);
  return normalize(found.map(part => contentText(part, null)).join(" "));
}

function nativeName(element, root) {
  const tag = tagOf(element);
  if (FORM_FIELDS.has(tag)) {
    const labels = normalize(labelsOf(element, root).map(l => contentText(l, element)).join(" "));
    if (labels) return labels;
  }
  if (tag === "input" && BUTTON_INPUTS.has(element.type)) {
    const fallback = { submit: "Submit", reset: "Reset" }[element.type] ?? "";
    const value = element.hasAttribute("value") ? element.getAttribute("value") : fallback;
    return normalize(value || attribute(element, "alt"));
  }
  if (tag === "img") return normalize(attribute(element, "alt"));
  return "";
}

function labelsOf(element, root) {
  const id = element.getAttribute("id");
  const found = id
    ? descendants(root).filter(n => tagOf(n) === "label" && n.getAttribute("for") === id)
    : [];
  for (let node = element.parentElement; node; node = node.parentElement) {
    if (tagOf(node) === "label" && !found.includes(node) && !node.hasAttribute("for")) {
      found.push(node);
    }
  }
  return found;
}

function labelledControl(label, root) {
  const target = label.getAttribute("for");
  if (target !== null) return byId(root, target);
  const inside = descendants(label).filter(n => FORM_FIELDS.has(tagOf(n)) || tagOf(n) === "button");
  return inside[0] ?? null;
}

// The text a user sees in a subtree: its texts and its images' alt texts (not `skip`'s).
function contentText(node, skip) {
  if (node.nodeType === Node.TEXT_NODE) return node.data;
  if (!isElement(node) || node === skip || NOT_RENDERED.has(tagOf(node))) return "";
  if (tagOf(node) === "img") return " " + attribute(node, "alt") + " ";
  return Array.from(node.childNodes, child => contentText(child, skip)).join("");
}

// A label's text without that of the field it names (skip), or of any select or textarea.
function labelText(label, skip) {
  return normalize(visibleText(label, skip));
}

function visibleText(element, skip) {
  return Array.from(element.childNodes, child => {
    if (child.nodeType === Node.TEXT_NODE) return child.data;
    if (!isElement(child) || child === skip) return "";
    if (skip === null && (tagOf(child) === "select" || tagOf(child) === "textarea")) return "";
    return visibleText(child, skip);
  }).join("");
}

function ownText(element) {
  if (tagOf(element) === "script" || tagOf(element) === "style") return "";
  const texts = Array.from(element.childNodes).filter(c => c.nodeType === Node.TEXT_NODE);
  return normalize(texts.map(text => text.data).join(""));
}

function displayed(field) {
  if (tagOf(field) === "select") {
    return Array.from(field.selectedOptions, option => normalize(option.textContent));
  }
  return [field.value];
}

const quoted = text => `"${text}"`;

function roleShown(element, root) {
  const role = roleOf(element);
  const level = role === "heading" ? headingLevel(element) : null;
  const shown = `${role} ${quoted(accessibleName(element, root))}`;
  return level ? `${shown} (level ${level})` : shown;
}

const KINDS = {
  role: {
    select(root, q) {
      const name = q.name === null ? null : matcherOf(q.name);
      return elementsOf(root).filter(element =>
        roleOf(element) === q.role
        && (q.hidden || !isHidden(element))
        && (q.level === null || headingLevel(element) === q.level)
        && (name === null || name(accessibleName(element, root))));
    },
    present(root, q) {
      return elementsOf(root)
        .filter(element => roleOf(element) !== null && (q.hidden || !isHidden(element)))
        .map(element => roleShown(element, root));
    },
  },
  label: {
    select(root, q) {
      const wanted = matcherOf(q.text);
      const found = [];
      for (const label of descendants(root).filter(n => tagOf(n) === "label")) {
        const control = labelledControl(label, root);
        if (control !== null && wanted(labelText(label, control))) found.push(control);
      }
      for (const element of elementsOf(root)) {
        const labelled = element.hasAttribute("aria-labelledby")
          || element.hasAttribute("aria-label");
        if (labelled && wanted(accessibleName(element, root))) found.push(element);
      }
      return [...new Set(found)];
    },
    present(root) {
      const labels = descendants(root).filter(n => tagOf(n) === "label")
        .map(label => labelText(label, null));
      const aria = elementsOf(root).filter(e => e.hasAttribute("aria-label"))
        .map(e => e.getAttribute("aria-label"));
      return [...labels, ...aria].map(quoted);
    },
  },
  attribute: {
    select(root, q) {
      const wanted = matcherOf(q.text);
      return elementsOf(root)
        .filter(e => e.hasAttribute(q.attribute) && wanted(e.getAttribute(q.attribute)));
    },
    present(root, q) {
      return elementsOf(root).filter(e => e.hasAttribute(q.attribute))
        .map(e => quoted(e.getAttribute(q.attribute)));
    },
  },
  text: {
    select(root, q) {
      const wanted = matcherOf(q.text);
      return elementsOf(root).filter(e => ownText(e) && wanted(ownText(e)));
    },
    present(root) {
      return elementsOf(root).filter(e => ownText(e)).map(e => quoted(ownText(e)));
    },
  },
  value: {
    select(root, q) {
      const wanted = matcherOf(q.text);
      return elementsOf(root).filter(e => VALUE_FIELDS.has(tagOf(e)))
        .filter(field => displayed(field).some(value => wanted(value)));
    },
    present(root) {
      return elementsOf(root).filter(e => VALUE_FIELDS.has(tagOf(e)))
        .flatMap(field => displayed(field).map(quoted));
    },
  },
};
"""

ENGINE = f"""(() => {{
{_RULES}
return {{
  queryAll(root, body) {{ const q = JSON.parse(body); return KINDS[q.kind].select(root, q); }},
  query(root, body) {{ return this.queryAll(root, body)[0] ?? null; }},
}};
}})()"""

# What the page has of a query's kind, for the message of a query that found nothing:
# called with the root element (None: the document) and the query.
PRESENT = f"""([root, q]) => {{
{_RULES}
return KINDS[q.kind].present(root ?? document, q);
}}"""


def install(playwright: Playwright) -> None:
    """Register the queries' selector engine with this Playwright, once. Every document
    opened afterwards has it, in every browser context: install before the page opens the
    app (a document already open does not get it). The pytest plugin does it for you.

    The engine runs in Playwright's isolated world (content_script): it reads the DOM and
    the computed styles, never the page's scripts, which cannot change what it sees."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        playwright.selectors.register(ENGINE_NAME, script=ENGINE, content_script=True)
    except PlaywrightError as error:
        if "already registered" not in str(error):
            raise

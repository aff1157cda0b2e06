"""One page and what the testing kit's queries list on it, checked in both tiers: the unit kit
on the in-memory DOM (tests/unit/test_testkit_parity.py) and the end-to-end kit in Chromium
(tests/e2e/test_testkit_playwright.py). The end-to-end kit's rules are a JavaScript port of the
unit kit's (framework/cli/e2e/engine.py): a change to one that the other lacks fails here.

A query that finds nothing lists what the page has of its kind: every role and accessible
name, label, text, value, placeholder and test id, so the listings cover each rule. The page
avoids what only a browser knows (a stylesheet, a select's default choice, an input's default
value), where the two tiers rightly differ.
"""

PAGE = """<header><h1>Shop</h1><nav aria-label="Main"><a href="#/">Home</a> <a>Soon</a></nav></header>
<main>
  <h2 id="cart-title">Your cart</h2><div role="heading" aria-level="3">Extras</div>
  <form aria-labelledby="cart-title cart-note">
    <p id="cart-note">Check twice</p>
    <label for="qty">Quantity</label> <input id="qty" type="number" value="2">
    <label>Size <select><option value="s">Small</option>
      <option value="m" selected>Medium</option></select></label>
    <label>Notes <textarea placeholder="Anything else?">gift</textarea></label>
    <input type="email" aria-label="Email" value="a@b.c" data-testid="email">
    <input type="search" title="Find" value="">
    <input type="text" list="colours" placeholder="Colour" value="red">
    <input type="range" aria-label="Volume" value="5">
    <input type="checkbox" value="yes" checked aria-label="Wrap it">
    <label><input type="radio" name="ship" value="fast"> Fast</label>
    <select multiple aria-label="Extras"><option selected>Bag</option><option>Card</option>
      <option selected>Bow</option></select>
    <input type="submit"> <input type="reset" value="Start over"> <input type="button" value="Help">
    <button><img src="data:," alt="Trash"> Remove</button>
    <button hidden>Hidden</button> <button aria-hidden="true">Silent</button>
    <span style="display: none"><button>Gone</button></span>
    <span role="button link" data-testid="custom">Custom</span>
  </form>
  <ul><li>One <b>bold</b></li><li data-testid="row">Two</li></ul>
  <ol><li><a href="#/3">Three</a></li></ol>
  <table><tr><th>Item</th><td>Pen</td></tr></table>
  <article><p>Text <em>inside</em> here</p></article>
  <img src="data:," alt=""> <img src="data:," alt="Logo"> <hr>
  <fieldset><progress value="1" max="2"></progress><meter value="0.5"></meter>
    <output>Done</output></fieldset>
  <style>p { color: black }</style>
</main>
<aside>Aside</aside><footer>Foot</footer>"""

# (query, arguments, the title of the listing, the listing) for queries that find nothing; a
# listing names each thing once (the second `list ""` and `paragraph ""` are left out).
LISTINGS = [
    (
        "role",
        {"role": "none-such"},
        "The roles and names on the page",
        [
            'banner ""',
            'heading "Shop" (level 1)',
            'navigation "Main"',
            'link "Home"',
            'main ""',
            'heading "Your cart" (level 2)',
            'heading "Extras" (level 3)',
            'form "Your cart Check twice"',
            'paragraph ""',
            'spinbutton "Quantity"',
            'combobox "Size"',
            'option "Small"',
            'option "Medium"',
            'textbox "Notes"',
            'textbox "Email"',
            'searchbox "Find"',
            'combobox "Colour"',
            'slider "Volume"',
            'checkbox "Wrap it"',
            'radio "Fast"',
            'listbox "Extras"',
            'option "Bag"',
            'option "Card"',
            'option "Bow"',
            'button "Submit"',
            'button "Start over"',
            'button "Help"',
            'button "Trash Remove"',
            'img "Trash"',
            'button "Custom"',
            'list ""',
            'listitem "One bold"',
            'listitem "Two"',
            'listitem "Three"',
            'link "Three"',
            'table ""',
            'row "ItemPen"',  # the cells' texts, joined as they are
            'columnheader "Item"',
            'cell "Pen"',
            'article ""',
            'presentation ""',
            'img "Logo"',
            'separator ""',
            'group ""',
            'progressbar ""',
            'meter ""',
            'status ""',
            'complementary ""',
            'contentinfo ""',
        ],
    ),
    (
        "label_text",
        {"text": "none-such"},
        "The labels on the page",
        [
            '"Quantity"',
            '"Size"',
            '"Notes"',
            '"Fast"',
            '"Main"',
            '"Email"',
            '"Volume"',
            '"Wrap it"',
            '"Extras"',
        ],
    ),
    (
        "placeholder_text",
        {"text": "none-such"},
        "The placeholders on the page",
        ['"Anything else?"', '"Colour"'],
    ),
    (
        "text",
        {"text": "none-such"},
        "The texts on the page",
        [
            '"Shop"',
            '"Home"',
            '"Soon"',
            '"Your cart"',
            '"Extras"',
            '"Check twice"',
            '"Quantity"',
            '"Size"',
            '"Small"',
            '"Medium"',
            '"Notes"',
            '"gift"',
            '"Fast"',
            '"Bag"',
            '"Card"',
            '"Bow"',
            '"Remove"',
            '"Hidden"',
            '"Silent"',
            '"Gone"',
            '"Custom"',
            '"One"',
            '"bold"',
            '"Two"',
            '"Three"',
            '"Item"',
            '"Pen"',
            '"Text here"',
            '"inside"',
            '"Done"',
            '"Aside"',
            '"Foot"',
        ],
    ),
    (
        "display_value",
        {"value": "none-such"},
        "The values on the page",
        [
            '"2"',
            '"Medium"',
            '"gift"',
            '"a@b.c"',
            '""',
            '"red"',
            '"5"',
            '"yes"',
            '"fast"',
            '"Bag"',
            '"Bow"',
            '"Start over"',
            '"Help"',
        ],
    ),
    (
        "test_id",
        {"test_id": "none-such"},
        "The test ids on the page",
        ['"email"', '"custom"', '"row"'],
    ),
]

"""Active content: JavaScript and actions that do more than move the reader.

PDF/X forbids them and print workflows refuse them. They hide in the catalogue (document
JavaScript, an action on opening, document actions), in each page's additional actions
and in each annotation's action and additional actions, and chain to more via /Next.
"""

from __future__ import annotations

import pikepdf

from .annotations import annotations, subtype

# Actions that only move the reader (to a page, another file, a web address): nothing
# runs and nothing opens by itself. Any other kind (JavaScript, Launch, SubmitForm, ...)
# is active content.
NAVIGATION_ACTIONS = ("GoTo", "GoToR", "URI", "Named")
MAX_CHAINED_ACTIONS = 64  # an action's /Next chain can loop in a broken file


def scripts(pdf: pikepdf.Pdf) -> list[str]:
    """Active content anywhere, in words: the catalogue's, each page's and each annotation's."""
    found = []
    root = pdf.Root
    if "/Names" in root and "/JavaScript" in root.Names:
        found.append("document JavaScript")
    for kind in active_kinds(root.get("/OpenAction")):
        found.append(f"an action on opening ({kind})")
    if "/AA" in root:
        found.append("document actions")
    for number, page in enumerate(pdf.pages, start=1):
        found.extend(page_scripts(number, page.obj))
    return list(dict.fromkeys(found))


def page_scripts(number: int, page) -> list[str]:
    found = [f"a {kind} action on page {number}" for kind in active_kinds(additional_actions(page))]
    for annot in annotations(page):
        actions = [annot.get("/A"), *additional_actions(annot)]
        found.extend(f"a {kind} action on a {subtype(annot)} annotation on page {number}" for kind in active_kinds(actions))
    return found


def additional_actions(obj) -> list:
    """The actions of an /AA dictionary (on opening a page, on clicking a field, ...)."""
    triggers = obj.get("/AA")
    return list(triggers.values()) if isinstance(triggers, pikepdf.Dictionary) else []


def active_kinds(actions) -> list[str]:
    """The kinds ("JavaScript", "Launch") of the actions given and those they chain to
    (/Next), leaving out mere navigation."""
    todo = list(actions) if isinstance(actions, (list, pikepdf.Array)) else [actions]
    kinds: list[str] = []
    looked = 0
    while todo and looked < MAX_CHAINED_ACTIONS:
        action = todo.pop()
        looked += 1
        if isinstance(action, pikepdf.Array):
            todo.extend(action)
        elif isinstance(action, pikepdf.Dictionary):
            kind = str(action.get("/S", "/?"))[1:]
            if kind not in NAVIGATION_ACTIONS and kind not in kinds:
                kinds.append(kind)
            if "/Next" in action:
                todo.append(action.Next)
    return kinds

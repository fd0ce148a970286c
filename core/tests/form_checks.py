"""What a page with form errors must show, read from its HTML: GOV.UK's error summary (focusable,
announced, each link going to an input that exists), "Error: " in the title, every invalid
input tied to its message by ``aria-describedby``, no id used twice (a label, a summary link
or a description would find the first), none of Django's default messages, and
``novalidate`` on every form with fields (so the browser's own bubbles, one field at a time,
never come before the server's summary of every error at once)."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Fragments of Django's default messages: none may reach a person.
DJANGO_WORDS = (
    "This field is required",
    "Ensure this value",
    "Enter a valid",
    "Select a valid choice",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a list of values",
    "---------",
    "asteriskField",
)


@dataclass
class Page(HTMLParser):
    """The parts of a page the checks read."""

    ids: set[str] = field(default_factory=set)
    duplicate_ids: set[str] = field(default_factory=set)
    title: str = ""
    summary: dict[str, str] | None = None
    summary_links: list[str] = field(default_factory=list)
    summary_items: int = 0
    described: list[tuple[str, str]] = field(default_factory=list)  # (tag id, describedby)
    invalid: list[dict[str, str]] = field(default_factory=list)
    validated_by_browser: set[str] = field(default_factory=set)  # forms without novalidate
    _form: dict[str, str] | None = None
    _in_title: bool = False
    _summary_depth: int = 0
    _depth: int = 0
    _fieldsets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        void = tag in {"input", "meta", "link", "br", "img", "hr"}
        if not void:
            self._depth += 1
        if a.get("id"):
            if a["id"] in self.ids:
                self.duplicate_ids.add(a["id"])
            self.ids.add(a["id"])
        if tag == "title":
            self._in_title = True
        if "data-error-summary" in a:
            self.summary = a
            self._summary_depth = self._depth
        if self._summary_depth and tag == "a":
            self.summary_links.append(a.get("href", ""))
        if self._summary_depth and tag == "li":
            self.summary_items += 1
        if tag == "form":
            self._form = a
        typed = tag in {"select", "textarea"} or (
            tag == "input" and a.get("type") not in {"hidden", "submit", "button"}
        )
        form = self._form
        if typed and form and form.get("method", "").lower() == "post" and "novalidate" not in form:
            self.validated_by_browser.add(form.get("action", "(this page)"))
        if tag == "fieldset":
            self._fieldsets.append(a.get("aria-describedby", ""))
        if a.get("aria-describedby"):
            self.described.append((a.get("id", tag), a["aria-describedby"]))
        if a.get("aria-invalid") == "true":
            self.invalid.append({**a, "_fieldset": " ".join(self._fieldsets)})

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "form":
            self._form = None
        if tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        if self._summary_depth and self._depth == self._summary_depth:
            self._summary_depth = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def read_page(body: str) -> Page:
    page = Page()
    page.feed(body)
    return page


def problems_with(body: str, *, has_errors: bool) -> list[str]:
    """Every way the page falls short of the pattern; empty when it holds."""
    page = read_page(body)
    found = [f"Django's words on the page: “{w}”" for w in DJANGO_WORDS if w in body]
    found += [f"the id {i!r} is on the page twice" for i in sorted(page.duplicate_ids)]
    for action in sorted(page.validated_by_browser):
        found.append(f"the form posting to {action} lets the browser check it before the server")
    if not has_errors:
        return found
    title = re.sub(r"\s+", " ", page.title).strip()
    if not title.startswith("Error: "):
        found.append(f"the title does not start “Error: ”: {title!r}")
    if page.summary is None:
        return [*found, "no error summary"]
    if page.summary.get("role") != "alert" or page.summary.get("tabindex") != "-1":
        found.append(f"the summary is not a focusable alert: {page.summary}")
    if not page.summary_items:
        found.append("the summary lists nothing")
    for href in page.summary_links:
        if not href.startswith("#") or href[1:] not in page.ids:
            found.append(f"a summary link goes nowhere: {href}")
    for element, refs in page.described:
        missing = [ref for ref in refs.split() if ref not in page.ids]
        if missing:
            found.append(f"{element} is described by ids not on the page: {missing}")
    for attrs in page.invalid:
        refs = f"{attrs.get('aria-describedby', '')} {attrs['_fieldset']}".split()
        if not any(ref.endswith("_error") for ref in refs):
            found.append(f"{attrs.get('id')} is invalid but not tied to its error")
    return found

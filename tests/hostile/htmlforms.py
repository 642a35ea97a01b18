"""The POST forms of a rendered page, read from its HTML: where each posts, and its fields
with the values and choices the page offers (the baseline the hostile values replace)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlField:
    name: str
    kind: str  # "text", "select", "file", "checkbox", "hidden", "textarea", "number", "date"…
    values: list[str] = field(default_factory=list)  # what the page has filled or selected
    options: list[str] = field(default_factory=list)  # a select's or a radio's choices


@dataclass
class HtmlForm:
    action: str
    fields: dict[str, HtmlField] = field(default_factory=dict)

    def add(
        self, name: str, kind: str, value: str | None = None, option: str | None = None
    ) -> None:
        entry = self.fields.setdefault(name, HtmlField(name, kind))
        if value is not None:
            entry.values.append(value)
        if option is not None and option not in entry.options:
            entry.options.append(option)


class _Parser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.select: str | None = None
        self.option: tuple[str, bool] | None = None
        self.option_text = ""
        self.textarea: str | None = None
        self.textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.current = HtmlForm(a.get("action") or self.page_path)
                self.forms.append(self.current)
            else:
                self.current = None
            return
        if self.current is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                checked = "checked" in a
                self.current.add(
                    name, kind, a.get("value", "on") if checked else None, a.get("value", "on")
                )
            elif kind == "file":
                self.current.add(name, kind)
            else:
                self.current.add(name, kind, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            self.current.add(name, "select")
        elif tag == "option" and self.select:
            self.option = (a.get("value", "\0none"), "selected" in a)
            self.option_text = ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.textarea_text = ""

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option_text += data
        if self.textarea is not None:
            self.textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "option" and self.select and self.option and self.current:
            value, selected = self.option
            value = self.option_text.strip() if value == "\0none" else value
            self.current.add(self.select, "select", value if selected else None, value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.current:
            self.current.add(self.textarea, "textarea", self.textarea_text.lstrip("\n"))
            self.textarea = None


def post_forms(html: str, page_path: str) -> list[HtmlForm]:
    parser = _Parser(page_path)
    parser.feed(html)
    return parser.forms

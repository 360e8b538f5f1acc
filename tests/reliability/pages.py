"""Reading the pages' HTML forms as a browser would: each form's action, method, encoding and fields.

Used by the load clients (to sign in and record events through the forms, with the CSRF and one-time submission
tokens the pages hand out) and by the form fuzzer (to start from what the page offers, then make it hostile).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin


@dataclass
class FormField:
    """One named control: its kind (hidden, text, radio, checkbox, select, textarea, file...) and the values on
    offer (a radio group's or a select's options, or the one value of any other control)."""

    name: str
    kind: str
    options: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what the page has selected or filled in already

    @property
    def value(self) -> str:
        """The value the page filled in (or the first on offer)."""
        return (self.checked or self.options or [""])[0]


@dataclass
class Form:
    """A form as the page shows it."""

    action: str
    method: str
    enctype: str
    fields: dict[str, FormField] = field(default_factory=dict)

    @property
    def multipart(self) -> bool:
        return self.enctype == "multipart/form-data"

    def hidden(self) -> dict[str, str]:
        """The hidden fields and their values (the CSRF token, a one-time submission token...)."""
        return {name: f.value for name, f in self.fields.items() if f.kind == "hidden"}

    def filled(self) -> list[tuple[str, str]]:
        """What a browser sends if nothing is touched: every filled-in or selected value (never a file)."""
        return [(name, value) for name, f in self.fields.items() if f.kind not in ("file", "submit", "button")
                for value in (f.checked if f.kind in ("radio", "checkbox", "select") else [f.value])]


class _FormParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base, self.forms, self._form, self._select, self._textarea = base, [], None, None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(urljoin(self.base, a.get("action") or self.base), (a.get("method") or "get").lower(),
                              a.get("enctype") or "application/x-www-form-urlencoded")
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            control = self._field(a["name"], kind)
            value = a.get("value", "on" if kind in ("radio", "checkbox") else "")
            control.options.append(value)
            if kind not in ("radio", "checkbox") or "checked" in a:
                control.checked.append(value)
        elif tag == "select":
            self._select = self._field(a["name"], "select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.checked.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._field(a["name"], "textarea")
            self._textarea.checked.append("")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.checked[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea.checked[-1]
            self._textarea.checked[-1] = text[1:] if text.startswith("\n") else text  # as HTML drops it
            self._textarea = None

    def _field(self, name: str, kind: str) -> FormField:
        return self._form.fields.setdefault(name, FormField(name, kind))


def parse_forms(html: str, base: str = "http://localhost/") -> list[Form]:
    """Every form on the page, actions made absolute against `base`."""
    parser = _FormParser(base)
    parser.feed(html)
    parser.close()
    return parser.forms


def post_form(html: str, base: str = "http://localhost/") -> Form:
    """The page's main POST form (the largest; the header's sign-out button is a POST form too)."""
    forms = [f for f in parse_forms(html, base) if f.method == "post"]
    if not forms:
        raise AssertionError(f"no POST form on the page {base}")
    return max(forms, key=lambda f: len(f.fields))


def form_for(html: str, action_path: str, base: str = "http://localhost/") -> Form:
    """The POST form on the page whose action ends with `action_path`."""
    for form in parse_forms(html, base):
        if form.method == "post" and form.action.split("?")[0].endswith(action_path):
            return form
    raise AssertionError(f"no form posting to {action_path} on {base}")


def as_bytes(value: str | bytes) -> bytes:
    """A value as it travels: UTF-8, lone surrogates as the (invalid) bytes a broken client would send."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(pairs: list[tuple[str | bytes, str | bytes]]) -> bytes:
    """An application/x-www-form-urlencoded body, byte for byte."""
    return b"&".join(quote_from_bytes(as_bytes(k), safe="").encode() + b"=" + quote_from_bytes(as_bytes(v),
                     safe="").encode() for k, v in pairs)


def multipart(pairs: list[tuple[str | bytes, str | bytes]], files: list[tuple[str, str | bytes, bytes]],
              boundary: str = "reliability-fuzz-boundary-7MA4YWxkTrZu0gW") -> tuple[bytes, str]:
    """A multipart/form-data body (fields, then files as (name, filename, content)) and its content type."""
    chunks: list[bytes] = []

    def quoted(text: str | bytes) -> bytes:
        return as_bytes(text).replace(b"\\", b"\\\\").replace(b'"', b"%22").replace(b"\r", b"%0D").replace(
            b"\n", b"%0A")

    for name, value in pairs:
        chunks.append(b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                      % (boundary.encode(), quoted(name), as_bytes(value)))
    for name, filename, content in files:
        chunks.append(b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                      b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
                      % (boundary.encode(), quoted(name), quoted(filename), content))
    chunks.append(b"--%s--\r\n" % boundary.encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"

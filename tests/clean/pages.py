"""Helpers for the clean-step tests: golden pages written for the project."""

from __future__ import annotations

LOREM = (
    "The council approved the new budget on Tuesday after a long debate about road repairs, "
    "school funding and the future of the public library in the old town centre. "
)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    """A minimal but complete news page."""
    return f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def article(paragraphs: list[str], extra_before: str = "", extra_after: str = "", h1: str = "Budget approved") -> str:
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><article><h1>{h1}</h1>{extra_before}{paras}{extra_after}</article></main>"
            f"<footer><p>© 2024 Example Media. All rights reserved.</p></footer>")

"""Five pages built like the catastrophic failures of issue 11's held-back pages, through three extractors.

The held-back pages returned a site's navigation as the article: a list of 400 football leagues over a
short report, 290 town names before a regional story, a page of menus, login box and weather for a
167-word story. No dev page is built like that, so these synthetic pages (one 60-word story, four
sentences, under five kinds of navigation) show whether a method keeps the navigation:

    .venv/bin/python benchmarks/navigation_pages.py

For each page and extractor: words returned, story sentences kept (of 4), and whether any navigation
came along. trafilatura runs as in `extract_bench.py` (`include_comments=False`), readability-lxml's
`Document.summary()` as its users call it.
"""

from __future__ import annotations

STORY = ["The regional council voted on Tuesday to extend the bus service to three outlying villages.",
         "Residents had campaigned for two years, saying the lack of transport cut them off from jobs and doctors.",
         "The new route will start in March and run every hour on weekdays, officials said.",
         "Opposition members questioned the cost, estimated at 1.2 million euros a year."]
HEADLINE = "<h1>Bus service extended to villages</h1>"
NAVIGATION = ("League number", "Town1", "Weather in", "cloudy", "Login")


def pages() -> dict[str, str]:
    leagues = "".join(f"<li><a href='/league/{i}'>League number {i} of the world, division {i % 7}</a></li>"
                      for i in range(400))
    towns = " ".join(f"<a href='/town/{i}'>Town{i}</a>," for i in range(290))
    weather = "".join(f"<p>Weather in Town{i}: sunny, 20 degrees, light wind from the west.</p>" for i in range(60))
    showers = "".join(f"<div class='weather'><p>Monday {i}: cloudy with showers in the afternoon, 14 degrees.</p>"
                      "</div>" for i in range(20))
    login = "<form><p>Login: username password. Forgot your password? Register now for free.</p></form>"
    return {
        "league list above a story div": (f"<html><head><title>Bus route | Site</title></head><body>"
                                          f"<ul class='menu'>{leagues}</ul>{HEADLINE}"
                                          f"<div class='text'>{' '.join(STORY)}</div></body></html>"),
        "town links above a <br> story": (f"<html><body><div>{towns}</div>{HEADLINE}<div>{'<br><br>'.join(STORY)}"
                                          "</div><div class='footer'>Contact us | Privacy | Terms</div></body></html>"),
        "weather sentences in a sidebar": (f"<html><body><div class='sidebar'>{weather}</div>{HEADLINE}"
                                           f"{''.join(f'<p>{s}</p>' for s in STORY)}</body></html>"),
        "league list in the story's table": (f"<html><body><table><tr><td>{leagues}</td><td>{HEADLINE}<font>"
                                             f"{'<br>'.join(STORY)}</font></td></tr></table></body></html>"),
        "login box and weather": (f"<html><body>{login}{showers}{HEADLINE}<div id='story'>{' '.join(STORY)}</div>"
                                  "</body></html>"),
    }


def judge(text: str) -> str:
    kept = sum(s[:30] in text for s in STORY)
    junk = any(n in text for n in NAVIGATION)
    return f"{len(text.split()):5d} words, story {kept}/4, {'NAVIGATION' if junk else 'clean'}"


def main() -> None:
    import logging

    import lxml.html
    import trafilatura
    from readability import Document

    from newsdedup.clean import extract

    logging.disable(logging.WARNING)
    clean = {"ours": 0, "trafilatura": 0, "readability-lxml": 0}
    for name, html in pages().items():
        texts = {
            "ours": extract(html, "https://example.com/news/bus").text,
            "trafilatura": trafilatura.extract(html, include_comments=False) or "",
            "readability-lxml": lxml.html.fromstring(Document(html).summary()).text_content(),
        }
        print(name)
        for who, text in texts.items():
            print(f"  {who:17s} {judge(text)}")
            clean[who] += all(s[:30] in text for s in STORY) and not any(n in text for n in NAVIGATION)
    print("story alone, of 5 pages: " + ", ".join(f"{who} {n}" for who, n in clean.items()))


if __name__ == "__main__":
    main()

"""HTML for the dashboard: one self-contained page (inline CSS and SVG, no script, nothing fetched).

Every value that came from a page or a feed (titles, sentences, URLs, source names, errors) goes
through `esc`, and links are only emitted for http(s) URLs, so a title holding `<script>` renders as
text and a `javascript:` URL never becomes a link.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from newsdedup.dashboard.data import SOURCE_OPTIONS_SHOWN, Cluster, Dashboard, Revision


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * float(rate):.1f}%"


def _link(url: str | None, text: str | None) -> str:
    label = esc(text or url or "(untitled)")
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return label


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;padding:16px 24px;color:#1a202c;
background:#fff}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0;
padding-bottom:4px}.muted{color:#718096}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));
gap:24px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #edf2f7;
vertical-align:top}th{font-weight:600;color:#4a5568}td.n{text-align:right;font-variant-numeric:tabular-nums}
details{border:1px solid #e2e8f0;border-radius:6px;margin:6px 0;padding:6px 10px}summary{cursor:pointer}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#edf2f7;margin-left:6px}
.canonical{background:#c6f6d5}.exact{background:#fed7d7}.near{background:#feebc8}.failed,.partial{color:#c53030}
pre.diff{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;background:#f7fafc;padding:8px;
margin:6px 0}pre.diff .add{background:#e6ffed;display:block}pre.diff .del{background:#ffeef0;display:block}
pre.diff .hunk{color:#805ad5;display:block}.was{color:#718096;text-decoration:line-through}
.notice{border:1px solid #bee3f8;background:#ebf8ff;border-radius:6px;padding:12px 16px;margin:16px 0}
svg.chart text{font-size:11px;fill:#4a5568}svg.chart rect.bar{fill:#3182ce}svg.chart rect.bar.dup{fill:#dd6b20}
form{margin:8px 0}select,button{font:inherit}
"""


def page(d: Dashboard, base: str = "") -> str:
    """The whole dashboard page."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>News dedup</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>News dedup</h1>",
        f"<div class='muted'>Warehouse snapshot: {esc(d.warehouse)} (read-only; at most one run old)</div>",
    ]
    if d.state == "missing":
        parts.append(
            "<div class='notice' id='notice'><b>No warehouse yet.</b> Nothing has been loaded at "
            f"{esc(d.warehouse)}. Trigger the <code>newsdedup_ingest</code> DAG (or run <code>make demo</code>); "
            "this page fills in after its load task succeeds.</div>")
        return "".join(parts) + "</body></html>"
    if d.state == "no_snapshot":
        parts.append(
            "<div class='notice' id='notice'><b>No snapshot published yet.</b> The warehouse exists but its "
            "read-only snapshot does not; the next load or maintenance run publishes it. (The dashboard never "
            "opens the loader's file.)</div>")
        return "".join(parts) + "</body></html>"
    if d.state == "unavailable":
        parts.append(
            "<div class='notice' id='notice'><b>The warehouse snapshot cannot be read.</b> "
            f"{esc(d.problem)}</div>")
        return "".join(parts) + "</body></html>"
    if d.state == "empty":
        parts.append(
            "<div class='notice' id='notice'><b>The warehouse is empty.</b> It exists but holds no articles yet: "
            "the runs so far found nothing new (see the runs below) or every source failed.</div>")
    else:
        parts.append(_filter_form(d, base))
        parts.append("<div class='grid'>")
        parts.append("<section><h2>Duplicate rate per day</h2>" + daily_chart(d.daily) + "</section>")
        parts.append("<section><h2>Duplicate rate per source</h2>" + source_chart(d.per_source)
                     + _sources_note(d) + "</section>")
        parts.append("</div>")
        parts.append(_clusters(d.clusters))
        parts.append(_revisions(d.revisions))
        parts.append("<div class='grid'>")
        parts.append("<section><h2>Top repeated sentences</h2>" + _sentences(d.sentences) + "</section>")
        parts.append("<section><h2>Boilerplate per source</h2>" + _boilerplate(d.boilerplate) + "</section>")
        parts.append("</div>")
    parts.append(_runs(d))
    return "".join(parts) + "</body></html>"


def _filter_form(d: Dashboard, base: str) -> str:
    if len(d.sources) > SOURCE_OPTIONS_SHOWN:
        # A text field suggesting the sources the page shows: a drop-down of thousands was megabytes
        names = "".join(f"<option value='{esc(r[0])}'></option>" for r in d.per_source)
        return (f"<form method='get' action='{esc(base)}/'><label>Source: <input name='source' list='source-names' "
                f"value='{esc(d.source_filter or '')}' placeholder='a source name (empty: all)' maxlength='200'>"
                f"<datalist id='source-names'>{names}</datalist></label> <button type='submit'>Show</button></form>")
    options = ["<option value=''>all sources</option>"]
    for s in d.sources:
        sel = " selected" if s == d.source_filter else ""
        options.append(f"<option value='{esc(s)}'{sel}>{esc(s)}</option>")
    return (f"<form method='get' action='{esc(base)}/'><label>Source: <select name='source'>{''.join(options)}"
            "</select></label> <button type='submit'>Show</button></form>")


def daily_chart(rows: list[tuple[Any, ...]], width: int = 560, height: int = 200) -> str:
    """Bars of the duplicate rate per day (0-100%), the day's article count in each tooltip."""
    if not rows:
        return "<p class='muted'>No dated articles yet.</p>"
    left, bottom, top = 36, 34, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    step = plot_w / len(rows)
    bar_w = max(2.0, step * 0.7)
    out = [f"<svg class='chart' id='chart-daily' role='img' aria-label='duplicate rate per day' "
           f"viewBox='0 0 {width} {height}' width='{width}' height='{height}'>"]
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        out.append(f"<line x1='{left}' x2='{width - 8}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e2e8f0'/>"
                   f"<text x='{left - 4}' y='{y + 4:.1f}' text-anchor='end'>{int(frac * 100)}%</text>")
    label_every = max(1, len(rows) // 8)
    for i, (day, articles, dups, rate) in enumerate(rows):
        h = plot_h * float(rate or 0)
        x = left + i * step + (step - bar_w) / 2
        out.append(f"<rect class='bar dup' x='{x:.1f}' y='{top + plot_h - h:.1f}' width='{bar_w:.1f}' "
                   f"height='{max(h, 1):.1f}'><title>{esc(day)}: {dups} of {articles} articles are duplicates "
                   f"({_pct(rate)})</title></rect>")
        if i % label_every == 0:
            out.append(f"<text x='{x + bar_w / 2:.1f}' y='{height - bottom + 14}' text-anchor='middle'>"
                       f"{esc(str(day)[5:])}</text>")
    out.append("</svg>")
    return "".join(out)


def source_chart(rows: list[tuple[Any, ...]], width: int = 560) -> str:
    """Horizontal bars: each source's share of duplicate articles, with counts."""
    if not rows:
        return "<p class='muted'>No sources yet.</p>"
    label_w, row_h = 170, 22
    height = row_h * len(rows) + 8
    plot_w = width - label_w - 120
    out = [f"<svg class='chart' id='chart-sources' role='img' aria-label='duplicate rate per source' "
           f"viewBox='0 0 {width} {height}' width='{width}' height='{height}'>"]
    for i, (source, articles, dups, exact, near, rate) in enumerate(rows):
        y = 4 + i * row_h
        w = plot_w * float(rate or 0)
        out.append(f"<text x='{label_w - 6}' y='{y + 14}' text-anchor='end'>{esc(source)}</text>"
                   f"<rect x='{label_w}' y='{y + 3}' width='{plot_w}' height='{row_h - 8}' fill='#edf2f7'/>"
                   f"<rect class='bar' x='{label_w}' y='{y + 3}' width='{max(w, 1):.1f}' height='{row_h - 8}'>"
                   f"<title>{esc(source)}: {exact} exact and {near} near duplicates of {articles} articles</title>"
                   f"</rect><text x='{label_w + plot_w + 6}' y='{y + 14}'>{_pct(rate)} ({dups}/{articles})</text>")
    out.append("</svg>")
    return "".join(out)


def _clusters(clusters: list[Cluster]) -> str:
    out = ["<h2>Latest story clusters</h2>"]
    if not clusters:
        return out[0] + "<p class='muted'>No story has been carried by more than one article yet.</p>"
    out.append("<div id='clusters'>")
    for c in clusters:
        out.append(
            f"<details class='cluster' data-cluster='{esc(c.cluster_id)}'><summary>"
            f"<b class='cluster-title'>{esc(c.canonical_title or '(untitled)')}</b>"
            f"<span class='badge'>{c.size} articles</span>"
            f"<span class='badge'>{c.sources} source{'s' if c.sources != 1 else ''}</span>"
            f" <span class='muted'>first published {_time(c.first_published_at)} by {esc(c.canonical_source)}"
            "</span></summary><table><tr><th>role</th><th>source</th><th>title</th><th>published</th>"
            "<th>fetched</th><th>similarity</th></tr>")
        for m in c.members:
            sim = "—" if m.similarity is None else f"{float(m.similarity):.3f}"
            out.append(f"<tr><td><span class='badge {esc(m.role)}'>{esc(m.role)}</span></td><td>{esc(m.source)}</td>"
                       f"<td>{_link(m.url, m.title)}</td><td>{_time(m.published_at)}</td>"
                       f"<td>{_time(m.fetched_at)}</td><td class='n'>{sim}</td></tr>")
        out.append("</table>")
        if c.size > len(c.members):
            out.append(f"<p class='muted members-note'>The first {len(c.members):,} of its {c.size:,} articles; all "
                       f"of them: <code>newsdedup sql \"select * from cluster_members where cluster_id = "
                       f"'{esc(c.cluster_id)}'\"</code></p>")
        out.append("</details>")
    out.append("</div>")
    return "".join(out)


def _diff_line(line: str) -> str:
    cls = ("hunk" if line.startswith("@@") else "add" if line.startswith("+") and not line.startswith("+++")
           else "del" if line.startswith("-") and not line.startswith("---") else "")
    return f"<span class='{cls}'>{esc(line)}</span>" if cls else esc(line) + "\n"


def _revisions(revisions: list[Revision]) -> str:
    """Recently revised articles: headline changes and a diff, as text only (no link, every line escaped)."""
    out = ["<h2>Recently revised</h2>"]
    if not revisions:
        return out[0] + ("<p class='muted'>No article has changed since it was first fetched (re-checks follow "
                         "<code>recheck_hours</code> in the sources file).</p>")
    out.append("<div id='revisions'>")
    for r in revisions:
        words = "" if r.words_added is None else f"+{r.words_added} / −{r.words_removed} words"
        when = "" if r.minutes_after_first_seen is None else f", {float(r.minutes_after_first_seen):.0f} min after first seen"
        was = (f"<div>headline was: <span class='was'>{esc(r.old_title or '(untitled)')}</span></div>"
               if r.title_changed else "")
        out.append(
            f"<details class='revision' data-article='{esc(r.article_id)}'><summary>"
            f"<b class='revision-title'>{esc(r.new_title or '(untitled)')}</b>"
            f"<span class='badge'>revision {r.revision}</span>"
            + ("<span class='badge near'>headline changed</span>" if r.title_changed else "")
            + f" <span class='muted'>{esc(r.source)}, fetched {_time(r.fetched_at)}{esc(when)}; {esc(words)}</span>"
            f"</summary>{was}<pre class='diff'>{''.join(_diff_line(x) for x in r.diff)}</pre></details>")
    out.append("</div>")
    return "".join(out)


def _sentences(rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return "<p class='muted'>No repeated sentences yet.</p>"
    out = ["<table id='sentences'><tr><th>sentence</th><th>scope</th><th>articles</th><th>stories</th>"
           "<th>max in one</th></tr>"]
    for text, articles, stories, _sources, within, scope in rows:
        out.append(f"<tr><td>{esc(text)}</td><td>{esc(scope)}</td><td class='n'>{articles}</td>"
                   f"<td class='n'>{stories}</td><td class='n'>{within}</td></tr>")
    return "".join(out) + "</table>"


def _sources_note(d: Dashboard) -> str:
    """What the source chart leaves out on a deployment of many sources."""
    if d.source_filter or len(d.per_source) >= d.sources_total:
        return ""
    return (f"<p class='muted' id='sources-note'>The {len(d.per_source)} of {d.sources_total} sources with the "
            "most duplicates; pick a source above to see its own figures and boilerplate.</p>")


def _boilerplate(rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return "<p class='muted'>No boilerplate found yet.</p>"
    out = ["<table id='boilerplate'><tr><th>source</th><th>sentence</th><th>on articles</th></tr>"]
    for source, text, articles, of, share in rows:
        out.append(f"<tr><td>{esc(source)}</td><td>{esc(text)}</td>"
                   f"<td class='n'>{articles}/{of} ({_pct(share)})</td></tr>")
    return "".join(out) + "</table>"


def _runs(d: Dashboard) -> str:
    out = ["<h2>Last runs</h2>"]
    if not d.runs:
        return out[0] + "<p class='muted'>No run recorded yet.</p>"
    out.append("<table id='runs'><tr><th>run</th><th>status</th><th>finished</th><th>sources (failed)</th>"
               "<th>entries</th><th>new articles</th><th>exact / near dups</th><th>fetch failures</th></tr>")
    for r in d.runs:
        fails = d.failures.get(r["run_id"], [])
        fail_text = "; ".join(f"{esc(s)}: {esc(reason)} ×{n}" for s, reason, n in fails) or "none"
        pairs, fetches = d.failures_total.get(r["run_id"], (len(fails), 0))
        if pairs > len(fails):
            fail_text += f"; … {pairs - len(fails):,} more ({fetches:,} failed fetches)"
        out.append(
            f"<tr><td>{esc(r['run_id'])}</td><td class='{esc(r['status'])}'>{esc(r['status'])}</td>"
            f"<td>{_time(r['finished_at'])}</td><td class='n'>{r['sources']} ({r['sources_failed']})</td>"
            f"<td class='n'>{r['entries']}</td><td class='n'>{r['articles_new']}</td>"
            f"<td class='n'>{r['exact_duplicates']} / {r['near_duplicates']}</td><td>{fail_text}</td></tr>")
    out.append("</table>")
    bad = [s for s in d.source_status if s[1] not in ("ok", "?")]
    if bad:
        total = max(d.failing_total, len(bad))
        out.append(f"<h2>Sources failing in their last run</h2><p class='muted' id='failing-note'>{total:,} source"
                   f"{'s' if total != 1 else ''} failing in their last run"
                   + (f"; the first {len(bad)} by name (all: newsdedup sql \"select name, last_status, last_error "
                      "from sources where last_status &lt;&gt; 'ok'\")" if total > len(bad) else "") + "</p>"
                   "<table id='failing-sources'><tr><th>source</th><th>status</th><th>error</th><th>run</th></tr>")
        out += [f"<tr><td>{esc(n)}</td><td class='failed'>{esc(st)}</td><td>{esc(err)}</td><td>{esc(run)}</td></tr>"
                for n, st, err, run in bad]
        out.append("</table>")
    return "".join(out)

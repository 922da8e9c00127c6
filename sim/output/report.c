/* report.c - one self-contained HTML page of a run: summary, diagrams, tables, reachability, timeline. */
#include "arsim/report.h"
#include "arsim/graph.h"
#include "arsim/names.h"
#include "arsim/reach.h"

#include <string.h>

/* Past these sizes the page shows grouped forms, so that it stays small enough to open (B2, Azure's
 * maximum, gives a page of a few MB instead of 2.3 GB); below them every row is listed. */
#define REPORT_FULL_ROWS 5000 /* a route table with more rows: runs of prefixes with the same paths share a row */
#define REPORT_GRID_FULL 40   /* a grid with more endpoints: endpoints that reach alike share a row */
#define REPORT_GRID_CLASS 3   /* ... from this many alike endpoints on */

/* ---- escaping and small pieces ----------------------------------------------------------------- */

void report_escape(GString *out, const char *text)
{
    if (!text)
        return;
    g_autofree char *fixed = NULL;
    if (!g_utf8_validate(text, -1, NULL))
        text = fixed = g_utf8_make_valid(text, -1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        case '\t':
        case '\n':
        case '\r': g_string_append_c(out, (char)*p); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                g_string_append(out, "\xef\xbf\xbd"); /* U+FFFD: XML and HTML both refuse these */
            else
                g_string_append_c(out, (char)*p);
        }
    }
}

/* <tag class="cls">escaped text</tag>; cls may be NULL. */
static void report_elem(GString *o, const char *tag, const char *cls, const char *text)
{
    g_string_append_printf(o, "<%s", tag);
    if (cls)
        g_string_append_printf(o, " class=\"%s\"", cls);
    g_string_append_c(o, '>');
    report_escape(o, text);
    g_string_append_printf(o, "</%s>", tag);
}

/* A name to show for the scenario: its name, else its file name, else "scenario". */
static const char *report_title(const ArScenario *scn)
{
    return scn->name && scn->name[0] ? scn->name : scn->file ? scn->file : "scenario";
}

static double report_secs(ArTime t) { return (double)t / (double)AR_SEC; }

/* ---- style and script ---------------------------------------------------------------------------- */

/* No '<' or '&' in the style sheet: the page stays well-formed XML without a CDATA section. */
static const char report_css[] =
    ":root{--ok:#116329;--ok-bg:#d3f5dc;--no:#a40e26;--no-bg:#ffd8d3;--asym:#7d4e00;--asym-bg:#ffe9a8;"
    "--mut:#57606a;--line:#d0d7de;--head:#f3f5f7;--best:#f1f8ff;--accent:#0969da}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1280px;padding:0 1.5rem 3rem;color:#1f2328;background:#fff;"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    "h1{font-size:1.6rem;margin:1.5rem 0 .25rem}\n"
    "h2{font-size:1.25rem;margin:2.25rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:1rem;margin:1.25rem 0 .35rem}\n"
    "h3 small,.mut{color:var(--mut);font-weight:normal}\n"
    ".desc{color:var(--mut);margin:.25rem 0 1rem;max-width:62rem}\n"
    "nav.toc{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.5rem 0;border-bottom:1px solid var(--line)}\n"
    "nav.toc a{color:var(--accent);text-decoration:none}\n"
    "table{border-collapse:collapse;font-size:13px;margin:.25rem 0 .75rem}\n"
    "th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}\n"
    "thead th{background:var(--head);font-weight:600}\n"
    "table.facts th{background:var(--head);font-weight:600;white-space:nowrap}\n"
    ".mono,td.pfx,td.path,td.ip{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;"
    "font-size:12.5px}\n"
    "td.pfx,td.ip{white-space:nowrap}\n"
    "tr.best td{background:var(--best)}\n"
    "tr.best td.mark{color:var(--accent);font-weight:700}\n"
    "td.mark{width:1.5rem;text-align:center}\n"
    "table.sessions{font-size:12px}\n"
    ".badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;font-size:12px}\n"
    ".badge.ok{background:var(--ok-bg);color:var(--ok)}\n"
    ".badge.bad{background:var(--no-bg);color:var(--no)}\n"
    ".summary-line{font-size:1.05rem;font-weight:600;padding:.5rem .75rem;border-left:4px solid var(--accent);"
    "background:var(--best)}\n"
    "tr.gained td{background:var(--ok-bg)}\n"
    "tr.lost td{background:var(--no-bg)}\n"
    "tr.changed td{background:var(--asym-bg)}\n"
    ".gain{color:var(--ok);font-weight:600}\n"
    ".loss{color:var(--no);font-weight:600}\n"
    ".chg{color:var(--asym);font-weight:600}\n"
    ".fig{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:.5rem;margin:.5rem 0 1rem;background:#fff}\n"
    ".fig svg{display:block;max-width:100%;height:auto;margin:0 auto}\n"
    ".js .fig{cursor:zoom-in}\n"
    ".js .fig.zoom{cursor:zoom-out}\n"
    ".fig.zoom svg{max-width:none}\n"
    ".hint{display:none}\n"
    ".js .hint{display:inline}\n"
    ".grids{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\n"
    "table.grid td{text-align:center;min-width:4.2rem;font-weight:600}\n"
    "table.grid th{white-space:nowrap}\n"
    "table.grid td.ok{background:var(--ok-bg);color:var(--ok)}\n"
    "table.grid td.no{background:var(--no-bg);color:var(--no)}\n"
    "table.grid td.asym{background:var(--asym-bg);color:var(--asym)}\n"
    "table.grid td.self{background:#eaeef2;color:var(--mut)}\n"
    "table.grid td.changed{outline:3px solid var(--accent);outline-offset:-3px}\n"
    ".legend span{display:inline-block;margin-right:1rem}\n"
    ".legend i{display:inline-block;width:.9rem;height:.9rem;vertical-align:-2px;margin-right:.3rem;"
    "border:1px solid var(--line)}\n"
    ".legend i.ok{background:var(--ok-bg)}\n"
    ".legend i.no{background:var(--no-bg)}\n"
    ".legend i.asym{background:var(--asym-bg)}\n"
    ".legend i.changed{outline:3px solid var(--accent);outline-offset:-3px}\n"
    ".filter{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;"
    "padding:.6rem 0;background:#fff;border-bottom:1px solid var(--line)}\n"
    ".filter input[type=search]{font:inherit;padding:.2rem .4rem;width:15rem;border:1px solid var(--line);"
    "border-radius:4px}\n"
    ".node,.vnet{margin:1rem 0 1.5rem}\n"
    "ul.warnings li{color:var(--asym)}\n"
    "ul.log{margin:.25rem 0;padding-left:1.1rem;font-size:12px}\n"
    "footer{margin-top:3rem;color:var(--mut);font-size:12px}\n"
    ".pager{margin:-.5rem 0 1rem;font-size:12px;color:var(--mut)}\n"
    ".pager button{font:inherit;padding:.1rem .5rem}\n"
    "[hidden]{display:none!important}\n"
    "@media (max-width:700px){body{padding:0 .6rem 2rem}.filter input[type=search]{width:11rem}}\n"
    "@media print{\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  body{max-width:none;padding:0;font-size:9.5pt}\n"
    "  nav.toc,.filter{display:none}\n"
    "  h2{break-after:avoid;page-break-after:avoid}\n"
    "  h3{break-after:avoid;page-break-after:avoid}\n"
    "  .fig,table.grid,table.facts,.vnet{break-inside:avoid;page-break-inside:avoid}\n"
    "  .fig{border:none;overflow:visible;padding:0}\n"
    "  .fig.zoom svg{max-width:100%}\n"
    "  .hint{display:none!important}\n"
    "  tr{break-inside:avoid;page-break-inside:avoid}\n"
    "  thead{display:table-header-group}\n"
    "  table{font-size:8.5pt}\n"
    "  details{display:block}\n"
    "  a{color:inherit;text-decoration:none}\n"
    "}\n";

/* Filters the route tables by prefix substring and node name (also from the URL fragment:
 * #prefix=10.200&node=sdwan&best=1), counts the rows shown, marks the body once it ran. Wrapped in
 * a commented CDATA section so the page stays well-formed XML. */
static const char report_js[] =
    "//<![CDATA[\n"
    "(function () {\n"
    "  'use strict';\n"
    "  document.body.classList.add('js');\n"
    "  Array.prototype.forEach.call(document.querySelectorAll('figure.fig'), function (f) {\n"
    "    f.addEventListener('click', function () { f.classList.toggle('zoom'); });\n"
    "  });\n"
    "  var fp = document.getElementById('f-prefix'), fn = document.getElementById('f-node');\n"
    "  var fb = document.getElementById('f-best'), fc = document.getElementById('f-count');\n"
    "  if (!fp || !fn || !fb || !fc) { return; }\n"
    "  var groups = Array.prototype.slice.call(document.querySelectorAll('.filterable'));\n"
    "  var paged = Array.prototype.slice.call(document.querySelectorAll('table.routes, table.eff, table.diff'));\n"
    "  var PAGE = 100;\n"
    "  function norm(s) { return (s || '').trim().toLowerCase(); }\n"
    "  function pager(t) {\n"
    "    if (t.pg) { return t.pg; }\n"
    "    var d = document.createElement('div'), prev = document.createElement('button');\n"
    "    var next = document.createElement('button'), info = document.createElement('span');\n"
    "    d.className = 'pager';\n"
    "    prev.type = 'button'; next.type = 'button';\n"
    "    prev.textContent = '\\u25c0 previous'; next.textContent = 'next \\u25b6';\n"
    "    d.appendChild(prev); d.appendChild(info); d.appendChild(next);\n"
    "    t.parentNode.insertBefore(d, t.nextSibling);\n"
    "    t.pageNo = 0;\n"
    "    prev.addEventListener('click', function () { t.pageNo--; paint(t); });\n"
    "    next.addEventListener('click', function () { t.pageNo++; paint(t); });\n"
    "    t.pg = { box: d, info: info, prev: prev, next: next };\n"
    "    return t.pg;\n"
    "  }\n"
    "  function paint(t) {\n"
    "    var rows = t.tBodies[0].rows, kept = [], i;\n"
    "    for (i = 0; i < rows.length; i++) { if (!rows[i].fhide) { kept.push(rows[i]); } }\n"
    "    if (kept.length <= PAGE && !t.pg) {\n"
    "      for (i = 0; i < rows.length; i++) { if (rows[i].hidden !== !!rows[i].fhide) { rows[i].hidden = !!rows[i].fhide; } }\n"
    "      return;\n"
    "    }\n"
    "    var pg = pager(t), pages = Math.max(1, Math.ceil(kept.length / PAGE));\n"
    "    t.pageNo = Math.min(Math.max(t.pageNo, 0), pages - 1);\n"
    "    var from = t.pageNo * PAGE, to = Math.min(kept.length, from + PAGE);\n"
    "    for (i = 0; i < rows.length; i++) { rows[i].hidden = true; }\n"
    "    for (i = from; i < to; i++) { kept[i].hidden = false; }\n"
    "    pg.info.textContent = ' rows ' + (kept.length ? from + 1 : 0) + '\\u2013' + to + ' of ' + kept.length + ' ';\n"
    "    pg.prev.disabled = t.pageNo === 0;\n"
    "    pg.next.disabled = t.pageNo >= pages - 1;\n"
    "    pg.box.hidden = kept.length <= PAGE;\n"
    "    t.setAttribute('data-page', String(t.pageNo + 1));\n"
    "  }\n"
    "  function apply() {\n"
    "    var p = norm(fp.value), n = norm(fn.value), best = fb.checked, shown = 0, total = 0;\n"
    "    groups.forEach(function (g) {\n"
    "      var rows = g.querySelectorAll('tr[data-p]'), visible = 0, gn = g.getAttribute('data-n');\n"
    "      for (var i = 0; i < rows.length; i++) {\n"
    "        var r = rows[i];\n"
    "        var ok = (!n || norm(r.getAttribute('data-n') || gn).indexOf(n) >= 0) &&\n"
    "                 (!p || norm(r.getAttribute('data-p')).indexOf(p) >= 0) &&\n"
    "                 (!best || !r.hasAttribute('data-alt'));\n"
    "        r.fhide = !ok;\n"
    "        total++;\n"
    "        if (ok) { visible++; shown++; }\n"
    "      }\n"
    "      var named = !n || norm(gn).indexOf(n) >= 0;\n"
    "      var hide = !named || (rows.length > 0 && visible === 0);\n"
    "      if (g.hidden !== hide) { g.hidden = hide; }\n"
    "    });\n"
    "    paged.forEach(paint);\n"
    "    fc.textContent = shown + ' of ' + total + ' rows shown';\n"
    "  }\n"
    "  function fromHash() {\n"
    "    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {\n"
    "      var i = kv.indexOf('='), k, v;\n"
    "      if (i <= 0) { return; }\n"
    "      k = kv.slice(0, i);\n"
    "      try { v = decodeURIComponent(kv.slice(i + 1)); } catch (e) { return; }\n"
    "      if (k === 'prefix') { fp.value = v; }\n"
    "      else if (k === 'node') { fn.value = v; }\n"
    "      else if (k === 'best') { fb.checked = v === '1'; }\n"
    "    });\n"
    "  }\n"
    "  fp.addEventListener('input', apply);\n"
    "  fn.addEventListener('input', apply);\n"
    "  fb.addEventListener('change', apply);\n"
    "  window.addEventListener('hashchange', function () { fromHash(); apply(); });\n"
    "  fromHash();\n"
    "  apply();\n"
    "  document.body.setAttribute('data-js', 'ready');\n"
    "})();\n"
    "//]]>\n";

/* Content-Security-Policy: nothing may be fetched; only this page's own script (by hash) runs. */
static void report_csp(GString *o)
{
    g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ck, (const guchar *)report_js, sizeof report_js - 1);
    guint8 digest[32];
    gsize dlen = sizeof digest;
    g_checksum_get_digest(ck, digest, &dlen);
    g_autofree char *b64 = g_base64_encode(digest, dlen);
    g_string_append_printf(o,
                           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                           "style-src 'unsafe-inline'; img-src data:; script-src 'sha256-%s'\"/>\n",
                           b64);
}

/* ---- inline SVG ---------------------------------------------------------------------------------- */

/* Appends what the id starting at p (up to stop) becomes: idp-N, N by first appearance in the
 * drawing. Returns the end of the id. */
static const char *report_svg_id(GString *o, GHashTable *ids, const char *idp, const char *p, char stop)
{
    const char *end = strchr(p, stop);
    if (!end)
        end = p + strlen(p);
    g_autofree char *name = g_strndup(p, (gsize)(end - p));
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(ids, name));
    if (!n) {
        n = g_hash_table_size(ids) + 1;
        g_hash_table_insert(ids, g_steal_pointer(&name), GUINT_TO_POINTER(n));
    }
    g_string_append_printf(o, "%s-%u", idp, n);
    return end;
}

/* Appends an SVG document inline: everything before <svg> (XML prolog, doctype, comments) and
 * every comment inside is dropped, and every id and reference to one becomes idp-N (N by first
 * appearance), so several drawings (Graphviz names its groups graph0, node1...) can share the
 * page and cairo's process-wide surface counter does not leak into the bytes. O(len). */
static void report_inline_svg(GString *o, const char *svg, gsize len, const char *idp)
{
    g_autofree char *text = g_strndup(svg, len);
    const char *p = strstr(text, "<svg");
    if (!p) {
        g_string_append(o, "<p class=\"mut\">(the drawing is not SVG)</p>\n");
        return;
    }
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    while (*p) {
        if (p[0] == '<' && strncmp(p, "<!--", 4) == 0) {
            const char *end = strstr(p + 4, "-->");
            if (!end)
                break;
            p = end + 3;
        } else if (p[0] == 'i' && g_ascii_isspace(p[-1]) && strncmp(p, "id=\"", 4) == 0) {
            g_string_append(o, "id=\"");
            p = report_svg_id(o, ids, idp, p + 4, '"');
        } else if (p[0] == 'h' && strncmp(p, "href=\"#", 7) == 0) {
            g_string_append(o, "href=\"#");
            p = report_svg_id(o, ids, idp, p + 7, '"');
        } else if (p[0] == 'u' && strncmp(p, "url(#", 5) == 0) {
            g_string_append(o, "url(#");
            p = report_svg_id(o, ids, idp, p + 5, ')');
        } else {
            g_string_append_c(o, *p++);
        }
    }
    if (o->len && o->str[o->len - 1] != '\n')
        g_string_append_c(o, '\n');
}

/* Draws run with opt as SVG into a figure with the given id; a note instead when Graphviz fails. */
static void report_diagram_figure(GString *o, const char *id, const ArRun *run, const ArGraphOptions *opt,
                                  const char *caption)
{
    Agraph_t *g = graph_build(run, opt);
    g_autofree char *svg = NULL;
    gsize len = 0;
    g_autoptr(GError) e = NULL;
    gboolean ok = graph_render(g, "svg", &svg, &len, &e);
    graph_free(g);
    g_string_append_printf(o, "<figure class=\"fig\" id=\"%s\">\n", id);
    if (ok) {
        report_inline_svg(o, svg, len, id);
    } else {
        g_string_append(o, "<p class=\"mut\">The diagram could not be drawn: ");
        report_escape(o, e->message);
        g_string_append(o, "</p>\n");
    }
    g_string_append(o, "<figcaption class=\"mut\">");
    report_escape(o, caption);
    g_string_append(o, " <span class=\"hint\">Click the drawing to switch between fit-to-width and full size.</span>"
                       "</figcaption>\n</figure>\n");
}

/* ---- summary --------------------------------------------------------------------------------------- */

/* "converged" badge and what the run did. */
static void report_outcome(GString *o, const ArRun *run)
{
    const ArSim *sim = run->net->sim;
    if (run->end == RUN_CONVERGED)
        g_string_append_printf(o, "<span class=\"badge ok\">converged</span> routing settled at %.3f s simulated",
                               report_secs(sim->stats.last_change));
    else if (run->end == RUN_EVENT_CAP)
        g_string_append_printf(o, "<span class=\"badge bad\">NOT converged</span> stopped by the event cap "
                                  "(%" G_GUINT64_FORMAT " events): routing likely oscillates",
                               sim->cfg.max_events);
    else
        g_string_append_printf(o, "<span class=\"badge bad\">NOT converged</span> routing was still changing "
                                  "when the run stopped at %.3f s simulated",
                               report_secs(sim->now));
    g_string_append_printf(o, "; %" G_GUINT64_FORMAT " UPDATE messages, %" G_GUINT64_FORMAT " engine events",
                           sim->stats.updates, sim->stats.events);
}

/* Every warning of diags as a list item; "none" when there is none. */
static void report_warnings(GString *o, const ArDiagList *diags)
{
    guint n = 0;
    for (guint i = 0; diags && i < diags->items->len; i++) {
        const ArDiag *d = g_ptr_array_index(diags->items, i);
        if (d->severity != DIAG_WARNING)
            continue;
        if (n++ == 0)
            g_string_append(o, "<ul class=\"warnings\">\n");
        g_autofree char *line = diag_format(d);
        report_elem(o, "li", NULL, line);
        g_string_append_c(o, '\n');
    }
    if (n)
        g_string_append(o, "</ul>\n");
    else
        g_string_append(o, "none");
}

/* One row of the facts table: escaped header, raw (already escaped) value opened by the caller. */
static void report_fact_open(GString *o, const char *name)
{
    g_string_append(o, "<tr><th scope=\"row\">");
    report_escape(o, name);
    g_string_append(o, "</th><td>");
}

static void report_summary(GString *o, const ArReportInput *in)
{
    const ArRun *run = in->run;
    const ArScenario *scn = run->net->scn;
    const ArSim *sim = run->net->sim;
    g_string_append(o, "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"facts\">\n<tbody>\n");
    report_fact_open(o, "Scenario file");
    g_string_append(o, "<span class=\"mono\">");
    report_escape(o, in->source ? in->source : scn->file);
    g_string_append(o, "</span>");
    for (char *const *s = in->sets; s && *s; s++) {
        g_string_append(o, s == in->sets ? " with <span class=\"mono\">" : ", <span class=\"mono\">");
        report_escape(o, *s);
        g_string_append(o, "</span>");
    }
    g_string_append(o, "</td></tr>\n");
    report_fact_open(o, "Resources");
    g_string_append_printf(o, "%u VNets, %u Route Servers, %u gateways, %u NVAs, %u on-premises sites, %u timed events",
                           scn->vnets->len, scn->route_servers->len, scn->gateways->len, scn->nvas->len,
                           scn->sites->len, scn->events->len);
    g_string_append(o, "</td></tr>\n");
    guint up = 0;
    for (guint i = 0; i < sim->sessions->len; i++)
        up += ((const ArSession *)g_ptr_array_index(sim->sessions, i))->state == SESS_ESTABLISHED;
    report_fact_open(o, "Simulated");
    g_string_append_printf(o, "%u BGP speakers, %u sessions (%u Established at the end)", sim->speakers->len,
                           sim->sessions->len, up);
    g_string_append(o, "</td></tr>\n");
    report_fact_open(o, "Outcome");
    report_outcome(o, run);
    g_string_append(o, "</td></tr>\n");
    report_fact_open(o, "Validation warnings");
    report_warnings(o, in->warnings);
    g_string_append(o, "</td></tr>\n");
    if (in->compare) {
        report_fact_open(o, "Compared with");
        report_escape(o, in->compare->description);
        g_string_append(o, "</td></tr>\n");
        report_fact_open(o, "Outcome after");
        report_outcome(o, in->compare->after);
        g_string_append(o, "</td></tr>\n");
        report_fact_open(o, "Warnings after");
        report_warnings(o, in->compare_warnings);
        g_string_append(o, "</td></tr>\n");
    }
    g_string_append(o, "</tbody>\n</table>\n</section>\n");
}

/* ---- reachability grid ----------------------------------------------------------------------------- */

/* Index of every endpoint name of m. */
static GHashTable *report_endpoint_index(const ArReachMatrix *m)
{
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < m->endpoints->len; i++)
        g_hash_table_insert(h, g_array_index(m->endpoints, ArReachEndpoint, i).name, GUINT_TO_POINTER(i + 1));
    return h;
}

static bool report_cell_same(const ArReachCell *a, const ArReachCell *b)
{
    return a->forward == b->forward && a->back == b->back && a->reachable == b->reachable &&
           a->asymmetric == b->asymmetric;
}

/* The grid of m as a table with the given id; cells that differ in other (may be NULL) are outlined.
 * O(E^2) with a name index for other. */
static void report_grid(GString *o, const char *id, const char *caption, const ArReachMatrix *m,
                        const ArReachMatrix *other)
{
    guint n = m->endpoints->len;
    /* A large grid: endpoints that reach and are reached alike share a row and a column. */
    g_autofree guint *cls = n > REPORT_GRID_FULL ? reach_matrix_classes(m, REPORT_GRID_CLASS) : NULL;
    g_autoptr(GArray) reps = g_array_new(FALSE, FALSE, sizeof(guint));
    g_autoptr(GArray) second = g_array_new(FALSE, FALSE, sizeof(guint)); /* another member, or n */
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < n; i++) {
        if (cls && cls[i] != i)
            continue;
        g_autoptr(GPtrArray) members = g_ptr_array_new();
        g_ptr_array_add(members, g_array_index(m->endpoints, ArReachEndpoint, i).name);
        guint other_member = n;
        for (guint k = i + 1; cls && k < n; k++)
            if (cls[k] == i) {
                g_ptr_array_add(members, g_array_index(m->endpoints, ArReachEndpoint, k).name);
                if (other_member == n)
                    other_member = k;
            }
        g_array_append_val(reps, i);
        g_array_append_val(second, other_member);
        g_autofree char *list = names_ranges((const char *const *)members->pdata, members->len, 4);
        g_ptr_array_add(labels, members->len > 1 ? g_strdup_printf("%s (%u)", list, members->len) : g_strdup(list));
    }
    guint rn = reps->len;
    g_string_append_printf(o, "<table class=\"grid\" id=\"%s\">\n<caption>", id);
    report_escape(o, caption);
    if (cls && rn < n)
        g_string_append(o, " (endpoints that reach and are reached alike share a row; the cell between a row and "
                           "itself is between two of them)");
    g_string_append(o, "</caption>\n<thead><tr><th scope=\"col\">from \xe2\x86\x93 / to \xe2\x86\x92</th>");
    for (guint j = 0; j < rn; j++) {
        g_string_append(o, "<th scope=\"col\">");
        report_escape(o, g_ptr_array_index(labels, j));
        g_string_append(o, "</th>");
    }
    g_string_append(o, "</tr></thead>\n<tbody>\n");
    g_autoptr(GHashTable) idx = other ? report_endpoint_index(other) : NULL;
    guint on = other ? other->endpoints->len : 0;
    for (guint ri = 0; ri < rn; ri++) {
        guint i = g_array_index(reps, guint, ri);
        const char *a = g_ptr_array_index(labels, ri);
        guint oi = idx ? GPOINTER_TO_UINT(g_hash_table_lookup(idx, g_array_index(m->endpoints, ArReachEndpoint, i).name)) : 0;
        g_string_append(o, "<tr><th scope=\"row\">");
        report_escape(o, a);
        g_string_append(o, "</th>");
        for (guint rj = 0; rj < rn; rj++) {
            guint j = ri == rj ? g_array_index(second, guint, ri) : g_array_index(reps, guint, rj);
            const char *b = g_ptr_array_index(labels, rj);
            if (j == n) {
                g_string_append(o, "<td class=\"self\">\xe2\x80\x94</td>"); /* em dash */
                continue;
            }
            const ArReachCell *cell = &m->cells[i * n + j];
            const char *cell_cls, *mark;
            if (cell->reachable) {
                cell_cls = cell->asymmetric ? "asym" : "ok";
                mark = cell->asymmetric ? "\xe2\x9c\x93*" : "\xe2\x9c\x93"; /* check mark */
            } else {
                cell_cls = "no";
                mark = cell->forward ? "\xe2\x86\x92 only" : cell->back ? "\xe2\x86\x90 only" : "\xe2\x9c\x97";
            }
            bool changed = false;
            if (idx) {
                guint oj = GPOINTER_TO_UINT(g_hash_table_lookup(idx, g_array_index(m->endpoints, ArReachEndpoint, j).name));
                changed = !oi || !oj || !report_cell_same(cell, &other->cells[(oi - 1) * on + (oj - 1)]);
            }
            g_string_append_printf(o, "<td class=\"%s%s\" title=\"", cell_cls, changed ? " changed" : "");
            report_escape(o, a);
            g_string_append(o, cell->forward ? " reaches " : " does not reach ");
            report_escape(o, b);
            g_string_append(o, "; ");
            report_escape(o, b);
            g_string_append(o, cell->back ? " reaches " : " does not reach ");
            report_escape(o, a);
            if (cell->asymmetric)
                g_string_append(o, "; the return path differs");
            if (changed)
                g_string_append(o, "; changed");
            g_string_append_printf(o, "\">%s</td>", mark);
        }
        g_string_append(o, "</tr>\n");
    }
    g_string_append(o, "</tbody>\n</table>\n");
}

static void report_reachability(GString *o, const ArReportInput *in)
{
    /* With a comparison this is part of the comparison section, one heading level down. */
    g_string_append(o, in->compare ? "<section id=\"reachability\">\n<h3>Reachability before and after</h3>\n"
                                   : "<section id=\"reachability\">\n<h2>Reachability</h2>\n");
    g_string_append(o, "<p>Who reaches whom: a packet from each site or VNet (row) to each other one (column) is walked "
                       "hop by hop through the converged routing tables, both ways.</p>\n"
                       "<p class=\"legend\"><span><i class=\"ok\"></i>\xe2\x9c\x93 reachable both ways</span>"
                       "<span><i class=\"asym\"></i>\xe2\x9c\x93* reachable, the return path differs (asymmetric)</span>"
                       "<span><i class=\"no\"></i>\xe2\x9c\x97 not reachable (\xe2\x86\x92 only: one way)</span>");
    if (in->compare)
        g_string_append(o, "<span><i class=\"changed\"></i>changed by the comparison</span>");
    g_string_append(o, "</p>\n");
    if (in->compare) {
        const ArCompare *c = in->compare;
        if (c->reach_before->endpoints->len < 2) {
            g_string_append(o, "<p id=\"reach-grid\">Fewer than two sites and VNets: nothing to walk.</p>\n");
        } else {
            g_string_append(o, "<div class=\"grids\">\n");
            report_grid(o, "reach-grid", "Before", c->reach_before, c->reach_after);
            report_grid(o, "reach-grid-after", "After", c->reach_after, c->reach_before);
            g_string_append(o, "</div>\n");
        }
    } else {
        g_autoptr(ArReach) r = reach_new(in->run);
        g_autoptr(ArReachMatrix) m = reach_matrix(r);
        if (m->endpoints->len < 2)
            g_string_append(o, "<p id=\"reach-grid\">Fewer than two sites and VNets: nothing to walk.</p>\n");
        else
            report_grid(o, "reach-grid", "At the end of the run", m, NULL);
    }
    g_string_append(o, "</section>\n");
}

/* ---- comparison ------------------------------------------------------------------------------------ */

/* "65515-12076-65020 via ars/0" and, on a second line, the next hop. */
static void report_route_cell(GString *o, const ArSpeaker *sp, const ArRoute *r)
{
    char ip[IP_STRLEN];
    g_autofree char *path = attr_path_to_string(r->attrs->path);
    const ArSpeaker *src = bgp_route_source(sp, r);
    g_string_append(o, "<span class=\"mono\">");
    report_escape(o, path[0] ? path : "(local)");
    g_string_append(o, "</span>");
    if (src) {
        g_string_append(o, " via ");
        report_escape(o, src->name);
    }
    g_string_append(o, "<br/><span class=\"mut\">next hop ");
    report_escape(o, ip_format(r->attrs->next_hop, ip));
    g_string_append(o, "</span>");
}

/* Next hop IPs of an effective route, comma-separated; its type when it has none. */
static void report_eff_hops(GString *o, const ArEffRoute *e)
{
    char ip[IP_STRLEN];
    for (guint k = 0; k < e->next_hops->len; k++) {
        if (k)
            g_string_append(o, ", ");
        report_escape(o, ip_format(g_array_index(e->next_hops, uint32_t, k), ip));
    }
}

/* Names of the nodes an effective route leads to, or the peered VNet. */
static void report_eff_via(GString *o, const ArScenario *scn, const ArEffRoute *e)
{
    for (guint k = 0; k < e->via->len; k++) {
        if (k)
            g_string_append(o, ", ");
        report_escape(o, ((const ArSpeaker *)g_ptr_array_index(e->via, k))->name);
    }
    if (e->type == NH_VNET_PEERING && e->peer_vnet >= 0)
        report_escape(o, ((const ArVnet *)g_ptr_array_index(scn->vnets, e->peer_vnet))->name);
}

/* "VirtualNetworkGateway 10.1.1.4 (sdwan)" and the AS path on a second line. */
static void report_eff_cell(GString *o, const ArScenario *scn, const ArEffRoute *e)
{
    report_escape(o, eff_nh_type_name(e->type));
    if (e->next_hops->len) {
        g_string_append(o, " <span class=\"mono\">");
        report_eff_hops(o, e);
        g_string_append(o, "</span>");
    }
    if (e->via->len || e->type == NH_VNET_PEERING) {
        g_string_append(o, " (");
        report_eff_via(o, scn, e);
        g_string_append(o, ")");
    }
    if (e->path) {
        g_autofree char *p = attr_path_to_string(e->path);
        g_string_append(o, "<br/><span class=\"mut\">AS path <span class=\"mono\">");
        report_escape(o, p[0] ? p : "(empty)");
        g_string_append(o, "</span></span>");
    }
}

static const char *const report_kind_class[] = { [CMP_ADDED] = "gained", [CMP_REMOVED] = "lost", [CMP_CHANGED] = "changed" };

/* Opens one row of a diff table: the node or VNet, the change, the prefix. */
static void report_diff_row_open(GString *o, const char *name, const char *note, const ArCmpDiff *d,
                                 const ArPfxRange *range)
{
    char pfx[PFX_STRLEN];
    g_string_append_printf(o, "<tr class=\"%s\"><td>", report_kind_class[d->kind]);
    report_escape(o, name);
    if (note) {
        g_string_append(o, " <span class=\"mut\">");
        report_escape(o, note);
        g_string_append(o, "</span>");
    }
    g_string_append_printf(o, "</td><td>%s</td><td class=\"pfx\">", report_kind_class[d->kind]);
    if (range && range->count > 1)
        g_string_append_printf(o, "%u prefixes in %s", range->count, pfx_format(range->cover, pfx));
    else
        report_escape(o, pfx_format(pfx_from_key(d->key), pfx));
    g_string_append(o, "</td><td>");
}

/* Closes it with the changed attributes. */
static void report_diff_row_close(GString *o, const ArCmpDiff *d)
{
    g_string_append(o, "</td><td>");
    if (d->kind == CMP_CHANGED) {
        g_autofree char *names = cmp_attr_names(d->attrs, ", ");
        report_escape(o, names);
    }
    g_string_append(o, "</td></tr>\n");
}

static void report_diff_nodes(GString *o, const ArCompare *c)
{
    g_string_append(o, "<h3>Best routes per node</h3>\n");
    if (!c->nodes->len) {
        g_string_append(o, "<p id=\"diff-nodes\">No best route changed at any node.</p>\n");
        return;
    }
    if (c->grouped)
        g_string_append(o, "<p class=\"mut\">Runs of prefixes with the same change share a row "
                           "(<span class=\"mono\">arsim compare --json</span> lists each).</p>\n");
    g_string_append(o, "<table id=\"diff-nodes\" class=\"diff\">\n<thead><tr><th>Node</th><th>Change</th>"
                       "<th>Prefix</th><th>Before</th><th>After</th><th>What changed</th></tr></thead>\n<tbody>\n");
    for (guint i = 0; i < c->nodes->len; i++) {
        const ArCmpNode *n = g_ptr_array_index(c->nodes, i);
        const char *note = !n->before ? "(new node)" : !n->after ? "(node gone)" : NULL;
        g_autoptr(GArray) ranges = c->grouped ? cmp_node_ranges(n) : NULL;
        guint lines = ranges ? ranges->len : n->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *rg = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(n->diffs, ArCmpDiff, rg ? rg->first : k);
            report_diff_row_open(o, n->name, note, d, rg);
            if (d->before)
                report_route_cell(o, n->before, d->before);
            g_string_append(o, "</td><td>");
            if (d->after)
                report_route_cell(o, n->after, d->after);
            report_diff_row_close(o, d);
        }
    }
    g_string_append(o, "</tbody>\n</table>\n");
}

static void report_diff_vnets(GString *o, const ArCompare *c)
{
    const ArScenario *sb = c->before->net->scn, *sa = c->after->net->scn;
    g_string_append(o, "<h3>Effective routes of VMs</h3>\n");
    if (!c->vnets->len) {
        g_string_append(o, "<p id=\"diff-vnets\">No effective route changed in any VNet.</p>\n");
        return;
    }
    g_string_append(o, "<table id=\"diff-vnets\" class=\"diff\">\n<thead><tr><th>VNet</th><th>Change</th>"
                       "<th>Prefix</th><th>Before</th><th>After</th><th>What changed</th></tr></thead>\n<tbody>\n");
    for (guint i = 0; i < c->vnets->len; i++) {
        const ArCmpVnet *v = g_ptr_array_index(c->vnets, i);
        if (c->grouped && g_array_index(c->vnet_class, guint, i) != i)
            continue; /* shown with the first VNet that has the same changes */
        const char *note = !v->before ? "(new VNet)" : !v->after ? "(VNet gone)" : NULL;
        g_autoptr(GArray) ranges = c->grouped ? cmp_vnet_ranges(v) : NULL;
        guint members = 1;
        g_autofree char *names = ranges ? cmp_vnet_class_names(c, i, &members) : NULL;
        g_autofree char *label = members > 1 ? g_strdup_printf("%s (%u VNets)", names, members) : g_strdup(v->name);
        guint lines = ranges ? ranges->len : v->diffs->len;
        for (guint k = 0; k < lines; k++) {
            const ArPfxRange *rg = ranges ? &g_array_index(ranges, ArPfxRange, k) : NULL;
            const ArCmpDiff *d = &g_array_index(v->diffs, ArCmpDiff, rg ? rg->first : k);
            report_diff_row_open(o, label, note, d, rg);
            if (d->before)
                report_eff_cell(o, sb, d->before);
            g_string_append(o, "</td><td>");
            if (d->after)
                report_eff_cell(o, sa, d->after);
            report_diff_row_close(o, d);
        }
    }
    g_string_append(o, "</tbody>\n</table>\n");
}

static const char *report_reach_word(bool reachable, bool asym)
{
    return !reachable ? "not reachable" : asym ? "reachable, asymmetric" : "reachable";
}

static void report_comparison(GString *o, const ArReportInput *in)
{
    const ArCompare *c = in->compare;
    g_string_append(o, "<section id=\"comparison\">\n<h2>What changes: ");
    report_escape(o, c->description);
    g_string_append(o, "</h2>\n");
    report_elem(o, "p", "summary-line", c->summary);
    g_string_append(o, "\n<table class=\"facts\">\n<tbody>\n");
    report_fact_open(o, "Best routes gained");
    g_string_append_printf(o, "<span class=\"gain\">%u</span> at %u nodes</td></tr>\n", c->gained, c->gained_nodes);
    report_fact_open(o, "Best routes lost");
    g_string_append_printf(o, "<span class=\"loss\">%u</span> at %u nodes</td></tr>\n", c->lost, c->lost_nodes);
    report_fact_open(o, "Best routes changed");
    g_string_append_printf(o, "<span class=\"chg\">%u</span> at %u nodes</td></tr>\n", c->changed, c->changed_nodes);
    report_fact_open(o, "Effective-route differences");
    g_string_append_printf(o, "%u</td></tr>\n", c->eff_diffs);
    report_fact_open(o, "Reachability");
    if (!c->reach_changes->len)
        g_string_append(o, "no change");
    for (guint i = 0; i < c->reach_changes->len; i++) {
        const ArCmpReach *r = &g_array_index(c->reach_changes, ArCmpReach, i);
        if (i)
            g_string_append(o, "<br/>");
        report_escape(o, r->a);
        g_string_append(o, " \xe2\x86\x94 "); /* <-> */
        report_escape(o, r->b);
        g_string_append_printf(o, ": <span class=\"%s\">%s</span> \xe2\x86\x92 <span class=\"%s\">%s</span>",
                               r->before ? "gain" : "loss", report_reach_word(r->before, r->asym_before),
                               r->after ? "gain" : "loss", report_reach_word(r->after, r->asym_after));
    }
    g_string_append(o, "</td></tr>\n</tbody>\n</table>\n");
    report_reachability(o, in);

    ArGraphOptions opt = { .before = c->before, .title = c->description };
    g_string_append(o, "<h3>The network after, with what changed highlighted</h3>\n");
    report_diagram_figure(o, "diff-diagram", c->after, &opt,
                          "The network after the change; highlighted edges and nodes differ from before.");
    report_diff_nodes(o, c);
    report_diff_vnets(o, c);
    g_string_append(o, "</section>\n");
}

/* ---- timeline ------------------------------------------------------------------------------------ */

/* Next hops of one effective route from out_timeline_json: the IPs, or its type when none. */
static void report_json_hops(GString *o, const cJSON *r)
{
    const cJSON *ips = cJSON_GetObjectItemCaseSensitive(r, "nextHopIps");
    if (cJSON_GetArraySize(ips) == 0) {
        report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "nextHopType")));
        return;
    }
    const cJSON *ip;
    int k = 0;
    cJSON_ArrayForEach(ip, ips)
    {
        if (k++)
            g_string_append(o, ", ");
        report_escape(o, cJSON_GetStringValue(ip));
    }
}

/* "hub: -10.100.0.0/16 (was 10.1.1.4)" per VNet, one line each. */
static void report_json_changes(GString *o, const cJSON *changes)
{
    const cJSON *v;
    int lines = 0;
    cJSON_ArrayForEach(v, changes)
    {
        g_string_append(o, lines++ ? "<br/><b>" : "<b>");
        report_escape(o, v->string);
        g_string_append(o, "</b>:");
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v, "added"))
        {
            g_string_append(o, " <span class=\"gain mono\">+");
            report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "prefix")));
            g_string_append(o, "</span> \xe2\x86\x92 ");
            report_json_hops(o, r);
        }
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v, "removed"))
        {
            g_string_append(o, " <span class=\"loss mono\">\xe2\x88\x92");
            report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "prefix")));
            g_string_append(o, "</span> (was ");
            report_json_hops(o, r);
            g_string_append(o, ")");
        }
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v, "changed"))
        {
            g_string_append(o, " <span class=\"chg mono\">~");
            report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "prefix")));
            g_string_append(o, "</span> \xe2\x86\x92 ");
            report_json_hops(o, cJSON_GetObjectItemCaseSensitive(r, "after"));
            g_string_append(o, ", was ");
            report_json_hops(o, cJSON_GetObjectItemCaseSensitive(r, "before"));
        }
    }
    if (!lines)
        g_string_append(o, "unchanged");
}

static double report_json_num(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(n) ? n->valuedouble : 0.0;
}

static void report_timeline(GString *o, const ArReportInput *in)
{
    const ArRun *run = in->run;
    g_string_append(o, "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
                       "<p>The scenario's timed events, when routing settled after each, and what VMs saw.</p>\n");
    if (in->chart) {
        g_autofree char *svg = NULL;
        gsize len = 0;
        g_autoptr(GError) e = NULL;
        g_string_append(o, "<figure class=\"fig\" id=\"chart\">\n");
        if (out_chart_svg(in->chart, run, &svg, &len, &e)) {
            report_inline_svg(o, svg, len, "chart");
        } else {
            g_string_append(o, "<p class=\"mut\">The chart could not be drawn: ");
            report_escape(o, e->message);
            g_string_append(o, "</p>\n");
        }
        g_string_append(o, "<figcaption class=\"mut\">Prefixes with a best path at each node over simulated "
                           "time; dashed lines mark the events. <span class=\"hint\">Click the chart to switch "
                           "between fit-to-width and full size.</span></figcaption>\n</figure>\n");
    }
    g_string_append(o, "<table id=\"timeline-table\">\n<thead><tr><th>Time (s)</th><th>Event</th><th>Settled after</th>"
                       "<th>UPDATE messages</th><th>Effective-route changes</th></tr></thead>\n<tbody>\n");
    cJSON *tl = out_timeline_json(run);
    const cJSON *ep;
    int e = 0;
    cJSON_ArrayForEach(ep, tl)
    {
        g_string_append_printf(o, "<tr><td class=\"ip\">%.3f</td><td>", report_json_num(ep, "at"));
        report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ep, "event")));
        const cJSON *log = cJSON_GetObjectItemCaseSensitive(ep, "log");
        int nlog = cJSON_GetArraySize(log);
        if (nlog) {
            g_string_append_printf(o, "<details><summary>%d log line%s</summary><ul class=\"log\">", nlog,
                                   nlog == 1 ? "" : "s");
            const cJSON *le;
            cJSON_ArrayForEach(le, log)
            {
                g_string_append_printf(o, "<li><span class=\"mono\">%.3f</span> ", report_json_num(le, "at"));
                report_escape(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(le, "text")));
                g_string_append(o, "</li>");
            }
            g_string_append(o, "</ul></details>");
        }
        g_string_append(o, "</td><td>");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ep, "settled")))
            g_string_append_printf(o, "%.3f s", report_json_num(ep, "settledAfter"));
        else
            g_string_append(o, "<span class=\"badge bad\">not settled</span>");
        g_string_append_printf(o, "</td><td>%.0f</td><td>", report_json_num(ep, "messages"));
        if (e++ == 0)
            g_string_append(o, "\xe2\x80\x94");
        else
            report_json_changes(o, cJSON_GetObjectItemCaseSensitive(ep, "effectiveRouteChanges"));
        g_string_append(o, "</td></tr>\n");
    }
    cJSON_Delete(tl);
    g_string_append(o, "</tbody>\n</table>\n");
    if (run->end != RUN_CONVERGED)
        g_string_append_printf(o, "<p><span class=\"badge bad\">run stopped</span> at %.3f s: %s</p>\n",
                               report_secs(run->net->sim->now),
                               run->end == RUN_EVENT_CAP ? "event cap reached"
                                                         : "time limit reached with routing still changing");
    g_string_append(o, "</section>\n");
}

/* ---- route tables ---------------------------------------------------------------------------------- */

/* The sessions of one speaker. */
static void report_sessions(GString *o, const ArSpeaker *sp)
{
    if (!sp->peers->len)
        return;
    g_string_append(o, "<table class=\"sessions\">\n<thead><tr><th>Session with</th><th>Type</th><th>State</th>"
                       "<th>Received</th><th>Advertised</th></tr></thead>\n<tbody>\n");
    for (guint i = 0; i < sp->peers->len; i++) {
        const ArPeer *p = bgp_peer(sp, (uint16_t)i);
        bool up = p->session->state == SESS_ESTABLISHED;
        g_string_append(o, "<tr><td>");
        report_escape(o, p->remote->name);
        g_string_append_printf(o, "</td><td>%s</td><td>", p->session->ibgp ? "iBGP" : "eBGP");
        g_string_append_printf(o, "<span class=\"badge %s\">%s</span>", up ? "ok" : "bad", up ? "Established" : "Idle");
        if (p->session->down_reason) {
            g_string_append(o, up ? " <span class=\"mut\">last down: " : " <span>");
            report_escape(o, p->session->down_reason);
            g_string_append(o, "</span>");
        }
        g_string_append_printf(o, "</td><td>%u</td><td>%u</td></tr>\n", p->routes_in, bgp_out_size(p));
    }
    g_string_append(o, "</tbody>\n</table>\n");
}

/* One path row of a node's table. prefix: the network cell's text (a prefix or "256 prefixes in
 * 128.0.0.0/16"); key: the prefix (or cover) the filter matches. */
static void report_route_row(GString *o, const ArSpeaker *sp, const char *prefix, const char *key, const ArRoute *r,
                             bool best)
{
    char ip[IP_STRLEN];
    const ArSpeaker *src = bgp_route_source(sp, r);
    g_string_append_printf(o, "<tr%s data-n=\"", best ? " class=\"best\"" : " data-alt=\"1\"");
    report_escape(o, sp->name);
    g_string_append(o, "\" data-p=\"");
    report_escape(o, key);
    g_string_append_printf(o, "\"><td class=\"mark\">%s</td><td class=\"pfx\">", best ? "&gt;" : "");
    report_escape(o, prefix);
    g_string_append(o, "</td><td class=\"ip\">");
    report_escape(o, ip_format(r->attrs->next_hop, ip));
    g_string_append(o, "</td><td>");
    report_escape(o, src ? src->name : "(local)");
    g_string_append_printf(o, "</td><td>%s</td><td class=\"path\">",
                           !src ? "local" : bgp_peer(sp, r->peer)->session->ibgp ? "iBGP" : "eBGP");
    g_autofree char *path = attr_path_to_string(r->attrs->path);
    report_escape(o, path);
    g_string_append_printf(o, "</td><td>%u</td><td>%u</td><td class=\"path\">", r->attrs->local_pref, r->attrs->weight);
    const ArComms *cs = r->attrs->comms;
    for (uint32_t k = 0; k < cs->len; k++) {
        g_autofree char *cm = attr_comm_to_string(cs->vals[k]);
        if (k)
            g_string_append_c(o, ' ');
        report_escape(o, cm);
    }
    g_string_append(o, "</td></tr>\n");
}

/* Two prefixes of one speaker with the same paths: the same attributes (interned: one pointer)
 * from the same peers, in the same order, the same one best. */
static bool report_same_paths(const ArRibNet *a, const ArRibNet *b)
{
    const ArRoute *x = a->routes, *y = b->routes;
    for (; x && y; x = x->next, y = y->next)
        if (x->attrs != y->attrs || x->peer != y->peer || (x == a->best) != (y == b->best))
            return false;
    return !x && !y;
}

/* The text of a covering range: the prefix, or "256 prefixes in 128.0.0.0/16"; key gets the cover. */
static void report_range_text(const ArPfxRange *r, char *key, GString *text)
{
    pfx_format(r->cover, key);
    if (r->count == 1)
        g_string_assign(text, key);
    else
        g_string_printf(text, "%u prefixes in %s", r->count, key);
}

/* One node: header, sessions, every path per prefix (the best marked); past REPORT_FULL_ROWS paths,
 * runs of prefixes with the same paths as one row per path and covering range. O(n log n). */
static void report_node(GString *o, const ArSpeaker *sp)
{
    char ip[IP_STRLEN], pfx[PFX_STRLEN];
    g_string_append(o, "<div class=\"node filterable\" data-n=\"");
    report_escape(o, sp->name);
    g_string_append(o, "\">\n<h3>");
    report_escape(o, sp->name);
    g_string_append_printf(o, " <small>%s, AS %u, ", bgp_kind_name(sp->kind), sp->asn);
    report_escape(o, ip_format(sp->ip, ip));
    g_string_append(o, sp->down ? ", down</small></h3>\n" : "</small></h3>\n");
    report_sessions(o, sp);
    g_autoptr(GArray) keys = rib_sorted_keys(&sp->rib);
    if (!keys->len) {
        g_string_append(o, "<p class=\"mut\">No routes.</p>\n</div>\n");
        return;
    }
    g_autofree const ArRibNet **nets = g_new(const ArRibNet *, keys->len);
    guint paths = 0;
    for (guint i = 0; i < keys->len; i++) {
        nets[i] = rib_find(&sp->rib, g_array_index(keys, uint64_t, i));
        for (const ArRoute *r = nets[i]->routes; r; r = r->next)
            paths++;
    }
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    if (paths > REPORT_FULL_ROWS) {
        for (guint i = 0; i < keys->len;) {
            guint j = i + 1;
            while (j < keys->len && report_same_paths(nets[i], nets[j]))
                j++;
            pfx_ranges(keys->data, sizeof(uint64_t), keys->len, i, j, ranges);
            i = j;
        }
        g_string_append_printf(o, "<p class=\"mut\">%u prefixes, %u paths: runs of prefixes with the same paths "
                                  "share a row (%u rows); <span class=\"mono\">arsim run --node</span> lists each.</p>\n",
                               keys->len, paths, ranges->len);
    } else {
        for (guint i = 0; i < keys->len; i++) {
            ArPfxRange one = { pfx_from_key(g_array_index(keys, uint64_t, i)), i, 1 };
            g_array_append_val(ranges, one);
        }
    }
    g_string_append(o, "<table class=\"routes\">\n<thead><tr><th title=\"best path\">&gt;</th><th>Network</th>"
                       "<th>Next hop</th><th>From</th><th>Learned</th><th>AS path</th><th>Local pref</th>"
                       "<th>Weight</th><th>Communities</th></tr></thead>\n<tbody>\n");
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const ArPfxRange *rg = &g_array_index(ranges, ArPfxRange, i);
        const ArRibNet *n = nets[rg->first];
        report_range_text(rg, pfx, text);
        for (const ArRoute *r = n->routes; r; r = r->next)
            report_route_row(o, sp, text->str, pfx, r, r == n->best);
    }
    g_string_free(text, TRUE);
    g_string_append(o, "</tbody>\n</table>\n</div>\n");
}

/* Two effective routes of one run that print the same apart from the prefix. */
static bool report_eff_same(const ArEffRoute *a, const ArEffRoute *b)
{
    if (a->type != b->type || a->cls != b->cls || a->peer_vnet != b->peer_vnet || a->path != b->path ||
        a->next_hops->len != b->next_hops->len || a->via->len != b->via->len)
        return false;
    if (a->next_hops->len && memcmp(a->next_hops->data, b->next_hops->data, a->next_hops->len * sizeof(uint32_t)))
        return false;
    return !a->via->len || memcmp(a->via->pdata, b->via->pdata, a->via->len * sizeof(gpointer)) == 0;
}

/* One effective-route row: data-n is row_name (NULL: the rows take their group's), prefix the
 * cell's text and key the prefix (or cover) the filter matches. */
static void report_eff_row(GString *o, const ArScenario *scn, const char *row_name, const char *prefix, const char *key,
                           const ArEffRoute *r)
{
    g_string_append(o, "<tr");
    if (row_name) {
        g_string_append(o, " data-n=\"");
        report_escape(o, row_name);
        g_string_append_c(o, '"');
    }
    g_string_append(o, " data-p=\"");
    report_escape(o, key);
    g_string_append(o, "\"><td>");
    report_escape(o, eff_source_name(r));
    g_string_append(o, "</td><td class=\"pfx\">");
    report_escape(o, prefix);
    g_string_append(o, "</td><td>");
    report_escape(o, eff_nh_type_name(r->type));
    g_string_append(o, "</td><td class=\"ip\">");
    report_eff_hops(o, r);
    g_string_append(o, "</td><td>");
    report_eff_via(o, scn, r);
    g_string_append(o, "</td><td class=\"path\">");
    if (r->path) {
        g_autofree char *p = attr_path_to_string(r->path);
        report_escape(o, p);
    }
    g_string_append(o, "</td></tr>\n");
}

/* A table of effective routes (const ArEffRoute*, ascending); past REPORT_FULL_ROWS, runs of
 * routes that print the same share a row per covering range. O(n x 32). */
static void report_eff_table(GString *o, const ArScenario *scn, const char *row_name, const GPtrArray *rs)
{
    char pfx[PFX_STRLEN];
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    g_autoptr(GArray) keys = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), rs->len);
    for (guint i = 0; i < rs->len; i++) {
        uint64_t k = pfx_key(((const ArEffRoute *)g_ptr_array_index(rs, i))->prefix);
        g_array_append_val(keys, k);
    }
    bool grouped = rs->len > REPORT_FULL_ROWS;
    for (guint i = 0; i < rs->len;) {
        guint j = i + 1;
        while (grouped && j < rs->len && report_eff_same(g_ptr_array_index(rs, i), g_ptr_array_index(rs, j)))
            j++;
        pfx_ranges(keys->data, sizeof(uint64_t), keys->len, i, j, ranges);
        i = j;
    }
    if (grouped)
        g_string_append_printf(o, "<p class=\"mut\">%u routes: runs of prefixes with the same next hop share a row "
                                  "(%u rows).</p>\n", rs->len, ranges->len);
    g_string_append(o, "<table class=\"eff\">\n<thead><tr><th>Source</th><th>Address prefix</th>"
                       "<th>Next hop type</th><th>Next hop IP</th><th>Via</th><th>AS path</th></tr></thead>\n<tbody>\n");
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < ranges->len; i++) {
        const ArPfxRange *rg = &g_array_index(ranges, ArPfxRange, i);
        report_range_text(rg, pfx, text);
        report_eff_row(o, scn, row_name, text->str, pfx, g_ptr_array_index(rs, rg->first));
    }
    g_string_free(text, TRUE);
    g_string_append(o, "</tbody>\n</table>\n");
}

/* " <small>uses the gateways of HUB</small>" when a VNet's routes come from another VNet's hub. */
static void report_hub_note(GString *o, const ArScenario *scn, int vnet, int hub)
{
    if (hub == AR_NO_INDEX || hub == vnet)
        return;
    g_string_append(o, " <small>uses the gateways of ");
    report_escape(o, ((const ArVnet *)g_ptr_array_index(scn->vnets, hub))->name);
    g_string_append(o, "</small>");
}

/* One VNet's effective routes, in full. */
static void report_vnet(GString *o, const ArScenario *scn, const ArEffTable *t)
{
    g_autofree char *name = eff_table_name(scn, t); /* "VNET", or "VNET/SUBNET" for a route table's subnet */
    g_string_append(o, "<div class=\"vnet filterable\" data-n=\"");
    report_escape(o, name);
    g_string_append(o, "\">\n<h3>");
    report_escape(o, name);
    if (t->subnet != AR_NO_INDEX)
        g_string_append(o, " <small>subnet with a route table</small>");
    report_hub_note(o, scn, t->vnet, t->hub);
    g_string_append(o, "</h3>\n");
    g_autoptr(GPtrArray) rs = g_ptr_array_sized_new(t->len);
    ArEffIter it;
    eff_iter_init(&it, t);
    for (const ArEffRoute *r; (r = eff_iter_next(&it));)
        g_ptr_array_add(rs, (gpointer)r);
    report_eff_table(o, scn, name, rs);
    g_string_append(o, "</div>\n");
}

/* Pointers to every route of an ArEffRoute array, for report_eff_table. */
static GPtrArray *report_route_ptrs(const GArray *routes)
{
    GPtrArray *rs = g_ptr_array_sized_new(routes->len);
    for (guint k = 0; k < routes->len; k++)
        g_ptr_array_add(rs, &g_array_index(routes, ArEffRoute, k));
    return rs;
}

/* The names of a shared table's VNets: "hub, spoke1-spoke500". Caller frees. */
static char *report_member_names(const ArScenario *scn, const ArEffShared *sh, const char *sep, guint max_runs)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint k = 0; k < sh->members->len; k++)
        g_ptr_array_add(names, ((const ArVnet *)g_ptr_array_index(scn->vnets, g_array_index(sh->members, int, k)))->name);
    if (!sep)
        return names_ranges((const char *const *)names->pdata, names->len, max_runs);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(sep, (char **)names->pdata);
}

/* A table several VNets share (ArEffShared), once: the filter's node field finds it by any of its
 * VNets' names. */
static void report_shared(GString *o, const ArScenario *scn, const ArEffShared *sh)
{
    g_autofree char *all = report_member_names(scn, sh, " ", 0);
    g_autofree char *list = report_member_names(scn, sh, NULL, 4);
    g_string_append_printf(o, "<div class=\"vnet shared filterable\" id=\"shared-%d\" data-n=\"", sh->id);
    report_escape(o, all);
    g_string_append(o, "\">\n<h3>Shared by ");
    report_escape(o, list);
    g_string_append_printf(o, " <small>%u VNet%s", sh->members->len, sh->members->len == 1 ? "" : "s");
    g_string_append(o, "</small>");
    report_hub_note(o, scn, AR_NO_INDEX, sh->hub);
    g_string_append(o, "</h3>\n");
    g_autoptr(GPtrArray) rs = report_route_ptrs(sh->routes);
    report_eff_table(o, scn, NULL, rs);
    g_string_append(o, "</div>\n");
}

#define REPORT_HIDDEN_NAMED 8 /* hidden shared routes named per VNet; the rest are counted */

/* A VNet on a shared table: its own routes, and the shared ones it hides. */
static void report_vnet_layer(GString *o, const ArScenario *scn, const ArEffTable *t)
{
    char pfx[PFX_STRLEN];
    g_autofree char *name = eff_table_name(scn, t);
    g_string_append(o, "<div class=\"vnet layer filterable\" data-n=\"");
    report_escape(o, name);
    g_string_append(o, "\">\n<h3>");
    report_escape(o, name);
    g_string_append_printf(o, " <small>%u effective routes: <a href=\"#shared-%d\">the shared table</a> and its own</small>",
                           t->len, t->shared->id);
    g_string_append(o, "</h3>\n");
    if (t->hidden->len) {
        g_string_append_printf(o, "<p class=\"mut\">Does not have %u route%s of the shared table (its own spaces cover "
                                  "them): ", t->hidden->len, t->hidden->len == 1 ? "" : "s");
        for (guint k = 0; k < t->hidden->len && k < REPORT_HIDDEN_NAMED; k++) {
            const ArEffRoute *h = &g_array_index(t->shared->routes, ArEffRoute, g_array_index(t->hidden, guint, k));
            g_string_append_printf(o, "%s<span class=\"mono\">%s</span>", k ? ", " : "", pfx_format(h->prefix, pfx));
        }
        if (t->hidden->len > REPORT_HIDDEN_NAMED)
            g_string_append_printf(o, " and %u more", t->hidden->len - REPORT_HIDDEN_NAMED);
        g_string_append(o, ".</p>\n");
    }
    g_autoptr(GPtrArray) rs = report_route_ptrs(t->own);
    report_eff_table(o, scn, name, rs);
    g_string_append(o, "</div>\n");
}

static void report_tables(GString *o, const ArReportInput *in)
{
    const ArRun *run = in->run;
    const ArSim *sim = run->net->sim;
    g_string_append(o, "<div id=\"tables\">\n<div class=\"filter\" id=\"filter\" role=\"search\">\n"
                       "<label>Prefix contains <input type=\"search\" id=\"f-prefix\" placeholder=\"e.g. 10.200\" "
                       "autocomplete=\"off\"/></label>\n"
                       "<label>Node or VNet <input type=\"search\" id=\"f-node\" placeholder=\"e.g. sdwan\" "
                       "autocomplete=\"off\"/></label>\n"
                       "<label><input type=\"checkbox\" id=\"f-best\"/> best paths only</label>\n"
                       "<span id=\"f-count\" class=\"mut\">all rows shown</span>\n</div>\n");
    g_string_append(o, "<section id=\"routes\">\n<h2>Routing tables</h2>\n<p>Every path each BGP speaker holds, "
                       "per prefix; <b>&gt;</b> marks the best path (the Loc-RIB).</p>\n");
    for (guint i = 0; i < sim->speakers->len; i++)
        report_node(o, g_ptr_array_index(sim->speakers, i));
    g_string_append(o, "</section>\n<section id=\"effective\">\n<h2>Effective routes of VMs</h2>\n"
                       "<p>What the VMs of each VNet would show as effective routes on their network interfaces.</p>\n");
    guint total = 0;
    for (guint i = 0; i < run->eff->len; i++)
        total += ((const ArEffTable *)g_ptr_array_index(run->eff, i))->len;
    g_autoptr(GPtrArray) shared = eff_shared_list(run->eff);
    if (total <= REPORT_FULL_ROWS || !shared->len) {
        for (guint i = 0; i < run->eff->len; i++)
            report_vnet(o, run->net->scn, g_ptr_array_index(run->eff, i));
    } else {
        /* Each distinct table once, with the VNets sharing it, then what each VNet has on top. */
        g_string_append_printf(o, "<p>%u VNets share %u distinct tables: each is shown once with the VNets sharing it, "
                                  "then each VNet's own routes on top of it (its space, its peerings).</p>\n",
                               run->net->scn->vnets->len, shared->len);
        for (guint i = 0; i < shared->len; i++)
            report_shared(o, run->net->scn, g_ptr_array_index(shared, i));
        for (guint i = 0; i < run->eff->len; i++) {
            const ArEffTable *t = g_ptr_array_index(run->eff, i);
            if (t->shared)
                report_vnet_layer(o, run->net->scn, t);
            else
                report_vnet(o, run->net->scn, t);
        }
    }
    g_string_append(o, "</section>\n</div>\n");
}

/* ---- the page ------------------------------------------------------------------------------------ */

void report_html(const ArReportInput *in, GString *o)
{
    g_return_if_fail(in && in->run && o);
    g_return_if_fail(!in->compare || in->compare->before == in->run);
    const ArRun *run = in->run;
    const ArScenario *scn = run->net->scn;
    gboolean timeline = run->net->epochs->len > 1;

    g_string_append(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    report_csp(o);
    g_string_append(o, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                       "<meta name=\"generator\" content=\"arsim\"/>\n<title>arsim report: ");
    report_escape(o, report_title(scn));
    g_string_append_printf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", report_css);
    report_elem(o, "h1", NULL, report_title(scn));
    g_string_append_c(o, '\n');
    if (scn->description && scn->description[0]) {
        report_elem(o, "p", "desc", scn->description);
        g_string_append_c(o, '\n');
    }
    g_string_append(o, "<nav class=\"toc\"><a href=\"#summary\">Summary</a>");
    if (in->compare)
        g_string_append(o, "<a href=\"#comparison\">What changes</a>");
    g_string_append(o, "<a href=\"#diagram\">Diagram</a><a href=\"#reachability\">Reachability</a>");
    if (timeline)
        g_string_append(o, "<a href=\"#timeline\">Timeline</a>");
    if (in->sweep)
        g_string_append(o, "<a href=\"#sweep\">Failures</a>");
    g_string_append(o, "<a href=\"#routes\">Routing tables</a><a href=\"#effective\">Effective routes</a></nav>\n"
                       "</header>\n<main>\n");

    report_summary(o, in);
    if (in->compare)
        report_comparison(o, in);
    g_string_append(o, "<section id=\"diagram-section\">\n<h2>Topology</h2>\n");
    ArGraphOptions opt = { 0 };
    report_diagram_figure(o, "diagram", run, &opt,
                          in->compare ? "The network before the change, with the routes sent each way on every session."
                                      : "The network, with the routes sent each way on every session.");
    g_string_append(o, "</section>\n");
    if (!in->compare)
        report_reachability(o, in);
    if (timeline)
        report_timeline(o, in);
    if (in->sweep)
        out_sweep_html(in->sweep, in->sweep_results, o);
    report_tables(o, in);
    g_string_append(o, "</main>\n<footer>Generated by arsim from <span class=\"mono\">");
    report_escape(o, in->source ? in->source : scn->file);
    g_string_append(o, "</span>. Self-contained: no external files or network access.</footer>\n<script>");
    g_string_append(o, report_js);
    g_string_append(o, "</script>\n</body>\n</html>\n");
}

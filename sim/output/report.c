/* report.c - the report page: its template, style and script (GResource) filled with the run's data. */
#include "report_priv.h"
#include "report-resources.h"

#include <string.h>

/* The page's files, compiled in by meson's gnome module from sim/output/report/. */
#define REPORT_RES "/org/arsim/report/"

/* ---- escaping ------------------------------------------------------------------------------------ */

/* The replacement for a byte the page must not carry: U+FFFD (XML and HTML both refuse control
 * characters other than tab, newline and carriage return). */
#define REPORT_FFFD "\xef\xbf\xbd"

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
                g_string_append(out, REPORT_FFFD);
            else
                g_string_append_c(out, (char)*p);
        }
    }
}

void report_add(cJSON *to, const char *key, const char *text)
{
    cJSON *item = text ? cJSON_CreateString(text) : cJSON_CreateNull();
    if (key)
        cJSON_AddItemToObject(to, key, item);
    else
        cJSON_AddItemToArray(to, item);
}

/* A control character the page shows as U+FFFD (see report_escape). */
static bool report_bad_byte(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f; }

/* Repairs every string value of the document as report_escape repairs text (member names are
 * the page's own constants):
 * what the page shows is what the escaped HTML showed. O(size). */
static void report_repair(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsString(item)) {
            const char *s = item->valuestring;
            bool bad = !g_utf8_validate(s, -1, NULL);
            for (const unsigned char *p = (const unsigned char *)s; *p && !bad; p++)
                bad = report_bad_byte(*p);
            if (bad) {
                g_autofree char *valid = g_utf8_make_valid(s, -1);
                GString *t = g_string_new(NULL);
                for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
                    if (report_bad_byte(*p))
                        g_string_append(t, REPORT_FFFD);
                    else
                        g_string_append_c(t, (char)*p);
                }
                cJSON_SetValuestring(item, t->str);
                g_string_free(t, TRUE);
            }
        }
        report_repair(item->child);
    }
}

/* Appends JSON text so that it is safe inside <script> and keeps the page well-formed XML: '<',
 * '>' and '&' (so "</script" and "]]>" cannot occur) and U+2028/U+2029 (line ends to older
 * JavaScript) as \uXXXX escapes. They occur only inside strings, where the escapes mean the same
 * characters. O(len). */
static void report_json_into(GString *o, const char *json)
{
    for (const char *p = json; *p; p++) {
        switch (*p) {
        case '<': g_string_append(o, "\\u003c"); break;
        case '>': g_string_append(o, "\\u003e"); break;
        case '&': g_string_append(o, "\\u0026"); break;
        default:
            if (p[0] == '\xe2' && p[1] == '\x80' && (p[2] == '\xa8' || p[2] == '\xa9')) {
                g_string_append(o, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
                p += 2;
            } else {
                g_string_append_c(o, *p);
            }
        }
    }
}

/* ---- the page's files ------------------------------------------------------------------------------ */

/* One file of the page from the compiled-in resource; they are built with the library, so a
 * missing one is a build error. */
static GBytes *report_file(const char *name)
{
    g_autofree char *path = g_strconcat(REPORT_RES, name, NULL);
    g_autoptr(GError) e = NULL;
    GBytes *b = g_resource_lookup_data(arsim_report_get_resource(), path, G_RESOURCE_LOOKUP_FLAGS_NONE, &e);
    if (!b)
        g_error("report page file %s: %s", path, e->message);
    return b;
}

/* Content-Security-Policy's script source: only this page's own script, by its SHA-256. */
static char *report_script_hash(const char *js, gsize len)
{
    g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ck, (const guchar *)js, (gssize)len);
    guint8 digest[32];
    gsize dlen = sizeof digest;
    g_checksum_get_digest(ck, digest, &dlen);
    g_autofree char *b64 = g_base64_encode(digest, dlen);
    return g_strdup_printf("'sha256-%s'", b64);
}

/* ---- the page ------------------------------------------------------------------------------------ */

void report_html(const ArReportInput *in, GString *o)
{
    g_return_if_fail(in && in->run && o);
    g_return_if_fail(!in->compare || in->compare->before == in->run);
    g_autoptr(GBytes) html = report_file("report.html"), css = report_file("report.css"), js = report_file("report.js");
    gsize js_len = 0, css_len = 0;
    const char *js_text = g_bytes_get_data(js, &js_len), *css_text = g_bytes_get_data(css, &css_len);
    /* The style and the script are inserted as they are: neither may end its element early or
     * break the page as XML (the script sits in a commented CDATA section). */
    g_assert(!memchr(css_text, '<', css_len) && !memchr(css_text, '&', css_len));
    g_assert(!g_strstr_len(js_text, (gssize)js_len, "</") && g_str_has_suffix(js_text, "//]]>\n"));

    cJSON *data = report_data(in);
    report_repair(data);
    char *json = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    g_assert(json);

    /* The template's {{NAME}} markers, each filled once, in the order they come. O(page). */
    const char *t = g_bytes_get_data(html, NULL);
    for (const char *mark; (mark = strstr(t, "{{")) != NULL;) {
        g_string_append_len(o, t, mark - t);
        const char *end = strstr(mark, "}}");
        g_assert(end);
        g_autofree char *name = g_strndup(mark + 2, (gsize)(end - mark - 2));
        if (strcmp(name, "SCRIPT_HASH") == 0) {
            g_autofree char *hash = report_script_hash(js_text, js_len);
            g_string_append(o, hash);
        } else if (strcmp(name, "TITLE") == 0) {
            report_escape(o, report_title(in->run->net->scn));
        } else if (strcmp(name, "STYLE") == 0) {
            g_string_append_len(o, css_text, (gssize)css_len);
        } else if (strcmp(name, "DATA") == 0) {
            report_json_into(o, json);
        } else if (strcmp(name, "SCRIPT") == 0) {
            g_string_append_len(o, js_text, (gssize)js_len);
        } else {
            g_error("report.html: unknown marker {{%s}}", name);
        }
        t = end + 2;
    }
    g_string_append(o, t);
    cJSON_free(json);
}

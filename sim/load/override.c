/* override.c - --set PATH=VALUE: edits the parsed tree before validation, which then checks it. */
#include "load_priv.h"

#include <stdlib.h>
#include <string.h>

static void set_error(ArDiagList *d, const char *pointer, const char *arg, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void set_error(ArDiagList *d, const char *pointer, const char *arg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *q = load_quote(arg, 200);
    diag_add(d, DIAG_ERROR, "--set", 0, 0, pointer, "%s: %s", q, msg);
}

/* What can be selected at this level, for "known: ...": an object's keys, or an array's element
 * names (indices when the elements have none). */
static char *known_at(const cJSON *cur)
{
    GString *k = g_string_new(NULL);
    int n = 0, total = cJSON_GetArraySize(cur);
    for (const cJSON *ch = cur->child; ch; ch = ch->next, n++) {
        const char *label = NULL;
        if (cJSON_IsObject(cur)) {
            label = ch->string;
        } else {
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ch, "name");
            label = cJSON_IsString(nm) ? nm->valuestring : NULL;
        }
        if (n == LOAD_KNOWN_MAX) {
            g_string_append_printf(k, ", ... (%d more)", total - n);
            break;
        }
        if (n)
            g_string_append(k, ", ");
        if (label)
            load_append_escaped(k, label, LOAD_KNOWN_NAME_BYTES);
        else
            g_string_append_printf(k, "%d", n);
    }
    if (total == 0)
        g_string_append(k, "(none)");
    return g_string_free(k, FALSE);
}

/* VALUE is JSON when it parses as JSON, else a plain string (so ipAddress=10.1.1.5 needs no quotes). */
static cJSON *parse_value(const char *value)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(value, &end, TRUE);
    return v ? v : cJSON_CreateString(value);
}

/* Puts nv where old was (same place among its siblings, same key). old goes to the graveyard,
 * alive, so its address keeps meaning the old text position and is never reused for nv. */
static void replace(cJSON *parent, cJSON *old, cJSON *nv, cJSON *grave)
{
    if (old->string) {
        size_t n = strlen(old->string) + 1;
        nv->string = cJSON_malloc(n);
        memcpy(nv->string, old->string, n);
    }
    /* cJSON_InsertItemInArray loses the item in cJSON 1.7.15 (seen in testing); detaching the
     * tail and appending it again uses only the plain list operations. O(siblings). */
    cJSON *tail = cJSON_CreateArray();
    for (cJSON *after = old->next, *next; after; after = next) {
        next = after->next;
        cJSON_AddItemToArray(tail, cJSON_DetachItemViaPointer(parent, after));
    }
    cJSON_DetachItemViaPointer(parent, old);
    cJSON_AddItemToArray(parent, nv);
    while (tail->child)
        cJSON_AddItemToArray(parent, cJSON_DetachItemViaPointer(tail, tail->child));
    cJSON_Delete(tail);
    cJSON_AddItemToArray(grave, old);
}

/* The element of an array whose "name" is name; its index in *at. O(elements). */
static cJSON *find_named(cJSON *arr, const char *name, int *at)
{
    int i = 0;
    for (cJSON *ch = arr->child; ch; ch = ch->next, i++) {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ch, "name");
        if (cJSON_IsString(nm) && strcmp(nm->valuestring, name) == 0) {
            *at = i;
            return ch;
        }
    }
    return NULL;
}

static gboolean parse_index(const char *s, int *out)
{
    if (!*s || strlen(s) > 9)
        return FALSE;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return FALSE;
    *out = atoi(s);
    return TRUE;
}

static void apply_one(cJSON *root, const char *arg, cJSON *grave, ArDiagList *d)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        set_error(d, "", arg, "expected PATH=VALUE, e.g. routeServers.ars.allowBranchToBranchTraffic=true");
        return;
    }
    if (load_nul_escape(eq + 1, strlen(eq + 1)) >= 0) {
        set_error(d, "", arg, "\\u0000 (NUL) in a value is not allowed: it would cut the string short there");
        return;
    }
    g_autofree char *path = g_strndup(arg, (gsize)(eq - arg));
    g_auto(GStrv) segs = g_strsplit(path, ".", -1);
    guint n = g_strv_length(segs);
    for (guint i = 0; i < n; i++)
        if (!segs[i][0]) {
            set_error(d, "", arg, "empty segment in PATH (segments are separated by single dots)");
            return;
        }
    if (n == 0) {
        set_error(d, "", arg, "empty PATH");
        return;
    }

    cJSON *cur = root;
    g_autoptr(GString) ptr = g_string_new(NULL);
    for (guint i = 0; i < n;) {
        const char *seg = segs[i];
        if (cJSON_IsObject(cur)) {
            cJSON *ch = cJSON_GetObjectItemCaseSensitive(cur, seg);
            if (!ch && i == n - 1) {
                cJSON_AddItemToObject(cur, seg, parse_value(eq + 1));
                return;
            }
            if (!ch) {
                g_autofree char *known = known_at(cur);
                g_autofree char *q = load_quote(seg, 64);
                set_error(d, ptr->str, arg, "no key %s at %s; known: %s", q, ptr->len ? ptr->str : "the top level",
                          known);
                return;
            }
            if (i == n - 1) {
                replace(cur, ch, parse_value(eq + 1), grave);
                return;
            }
            jpos_pointer_append(ptr, seg);
            cur = ch;
            i++;
        } else if (cJSON_IsArray(cur)) {
            /* Names may hold dots ("vnet.1"): try seg, then seg.next, ... before an index. */
            int at = -1;
            guint used = 0;
            cJSON *hit = NULL;
            g_autoptr(GString) joined = g_string_new(seg);
            for (guint k = i; k < n && !hit; k++) {
                if (k > i)
                    g_string_append_printf(joined, ".%s", segs[k]);
                hit = find_named(cur, joined->str, &at);
                used = k - i + 1;
            }
            if (!hit && parse_index(seg, &at) && at < cJSON_GetArraySize(cur)) {
                hit = cJSON_GetArrayItem(cur, at);
                used = 1;
            }
            if (!hit) {
                g_autofree char *known = known_at(cur);
                g_autofree char *q = load_quote(seg, 64);
                set_error(d, ptr->str, arg, "no element named or numbered %s in %s; known: %s", q, ptr->str,
                          known);
                return;
            }
            g_string_append_printf(ptr, "/%d", at);
            i += used;
            if (i == n) {
                replace(cur, hit, parse_value(eq + 1), grave);
                return;
            }
            cur = hit;
        } else {
            g_autofree char *q = load_quote(seg, 64);
            set_error(d, ptr->str, arg, "%s is %s; cannot select %s in it", ptr->str, load_type_name(cur), q);
            return;
        }
    }
}

void load_apply_sets(cJSON *root, const char *const *sets, cJSON *graveyard, ArDiagList *diags)
{
    for (const char *const *p = sets; *p; p++)
        apply_one(root, *p, graveyard, diags);
}

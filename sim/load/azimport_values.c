/* azimport_values.c - messages and values of exported resources: CLI fields, template expressions, names. */
#include "azi.h"

#include <stdarg.h>
#include <string.h>

/* ---- messages ---- */

/* Finds the JSON pointer of node under root by a depth-first walk. O(tree): messages only. */
static gboolean find_ptr(const cJSON *root, const cJSON *node, GString *ptr)
{
    if (root == node)
        return TRUE;
    int i = 0;
    for (const cJSON *ch = root->child; ch; ch = ch->next, i++) {
        gsize len = ptr->len;
        if (cJSON_IsObject(root)) {
            jpos_pointer_append(ptr, ch->string);
        } else {
            char idx[16];
            g_snprintf(idx, sizeof idx, "%d", i);
            jpos_pointer_append(ptr, idx);
        }
        if (find_ptr(ch, node, ptr))
            return TRUE;
        g_string_truncate(ptr, len);
    }
    return FALSE;
}

void azi_az_diag(AzCtx *c, ArSeverity sev, const AzFile *f, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autoptr(GString) ptr = g_string_new("");
    int line = 0, col = 0;
    if (node && f->root) {
        find_ptr(f->root, node, ptr);
        jpos_line_col(f->ix, jpos_offset(f->ix, node, FALSE), &line, &col);
    }
    diag_add(c->diags, sev, f->path, line, col, ptr->str, "%s", msg);
}

/* ---- values: CLI objects are flat, template objects keep them under "properties" ---- */

const cJSON *azi_jget(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "properties");
        if (cJSON_IsObject(props))
            v = cJSON_GetObjectItemCaseSensitive(props, key);
    }
    return cJSON_IsNull(v) ? NULL : v;
}

static const char *eval_expr(AzCtx *c, const AzFile *f, const char **s);

/* A quoted template string literal ('' is a quote). */
static const char *eval_literal(AzCtx *c, const char **s)
{
    GString *b = g_string_new("");
    for (const char *p = *s + 1; *p; p++) {
        if (*p == '\'' && p[1] == '\'') {
            g_string_append_c(b, '\'');
            p++;
        } else if (*p == '\'') {
            *s = p + 1;
            const char *r = g_string_chunk_insert(c->strings, b->str);
            g_string_free(b, TRUE);
            return r;
        } else {
            g_string_append_c(b, *p);
        }
    }
    g_string_free(b, TRUE);
    return NULL;
}

/* Value of a template's parameter (its defaultValue) or variable, when a string. */
static const char *eval_lookup(AzCtx *c, const cJSON *section, const char *name, gboolean param)
{
    const cJSON *v = section ? cJSON_GetObjectItemCaseSensitive(section, name) : NULL;
    if (param && cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, "defaultValue");
    return cJSON_IsString(v) ? g_string_chunk_insert(c->strings, v->valuestring) : NULL;
}

/* resourceId([subscriptionId,] [resourceGroup,] 'Namespace/type/child', name, childName). */
static const char *eval_resource_id(AzCtx *c, GPtrArray *args)
{
    for (guint i = 0; i < args->len; i++) {
        const char *a = g_ptr_array_index(args, i);
        if (!strchr(a, '/'))
            continue;
        g_auto(GStrv) parts = g_strsplit(a, "/", -1);
        guint nparts = g_strv_length(parts);
        if (nparts < 2 || args->len - i - 1 != nparts - 1)
            return NULL;
        GString *id = g_string_new("/subscriptions/-/resourceGroups/-/providers/");
        g_string_append(id, parts[0]);
        for (guint k = 1; k < nparts; k++)
            g_string_append_printf(id, "/%s/%s", parts[k], (const char *)g_ptr_array_index(args, i + k));
        const char *r = g_string_chunk_insert(c->strings, id->str);
        g_string_free(id, TRUE);
        return r;
    }
    return NULL;
}

/* One expression: 'literal' or fn(args). Functions: parameters, variables, concat, resourceId. */
static const char *eval_expr(AzCtx *c, const AzFile *f, const char **s)
{
    while (**s == ' ')
        (*s)++;
    if (**s == '\'')
        return eval_literal(c, s);
    const char *start = *s;
    while (g_ascii_isalnum(**s))
        (*s)++;
    g_autofree char *fn = g_strndup(start, (gsize)(*s - start));
    if (**s != '(')
        return NULL;
    (*s)++;
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    while (**s == ' ')
        (*s)++;
    while (**s && **s != ')') {
        const char *a = eval_expr(c, f, s);
        if (!a)
            return NULL;
        g_ptr_array_add(args, (gpointer)a);
        while (**s == ' ')
            (*s)++;
        if (**s == ',')
            (*s)++;
        else if (**s != ')')
            return NULL;
    }
    if (**s != ')')
        return NULL;
    (*s)++;
    if (g_ascii_strcasecmp(fn, "parameters") == 0 && args->len == 1)
        return eval_lookup(c, f->params, g_ptr_array_index(args, 0), TRUE);
    if (g_ascii_strcasecmp(fn, "variables") == 0 && args->len == 1)
        return eval_lookup(c, f->vars, g_ptr_array_index(args, 0), FALSE);
    if (g_ascii_strcasecmp(fn, "concat") == 0) {
        GString *b = g_string_new("");
        for (guint i = 0; i < args->len; i++)
            g_string_append(b, g_ptr_array_index(args, i));
        const char *r = g_string_chunk_insert(c->strings, b->str);
        g_string_free(b, TRUE);
        return r;
    }
    if (g_ascii_strcasecmp(fn, "resourceId") == 0)
        return eval_resource_id(c, args);
    return NULL;
}

/* A template string's value without a warning when it cannot be evaluated (NULL then). */
const char *azi_eval_quiet(AzCtx *c, const AzFile *f, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '[' || s[n - 1] != ']' || s[1] == '[')
        return NULL;
    g_autofree char *inner = g_strndup(s + 1, n - 2);
    const char *p = inner;
    const char *r = eval_expr(c, f, &p);
    return r && !*p ? r : NULL;
}

/* A string value; in a template, "[expr]" is evaluated ("[[" escapes a bracket). NULL when v is no
 * string or the expression is beyond arsim's evaluator (then a warning says so). */
const char *azi_sval(AzCtx *c, const AzFile *f, const cJSON *v)
{
    if (!cJSON_IsString(v))
        return NULL;
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (!f->arm || n < 2 || s[0] != '[' || s[n - 1] != ']')
        return s;
    if (s[1] == '[')
        return g_string_chunk_insert(c->strings, s + 1);
    const char *r = azi_eval_quiet(c, f, s);
    if (!r) {
        azi_az_diag(c, DIAG_WARNING, f, v, "template expression not understood (arsim evaluates parameters(), "
                "variables(), concat() and resourceId()); the value is ignored");
        return NULL;
    }
    return r;
}

const char *azi_str_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    return azi_sval(c, r->f, azi_jget(obj, key));
}

/* The "id" of {"id": ...} at key (a SubResource), evaluated. */
const char *azi_ref_id(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    const cJSON *ref = azi_jget(obj, key);
    return cJSON_IsObject(ref) ? azi_sval(c, r->f, cJSON_GetObjectItemCaseSensitive(ref, "id")) : NULL;
}

/* The name after "/seg/" in an Azure resource id (segments compare without case), interned. */
const char *azi_id_part(AzCtx *c, const char *id, const char *seg)
{
    if (!id)
        return NULL;
    g_auto(GStrv) parts = g_strsplit(id, "/", -1);
    for (guint i = 0; parts[i] && parts[i + 1]; i++)
        if (g_ascii_strcasecmp(parts[i], seg) == 0 && *parts[i + 1])
            return g_string_chunk_insert(c->strings, parts[i + 1]);
    return NULL;
}

/* A boolean property; missing or not boolean: def. A wrong type is reported as an error. */
gboolean azi_bool_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key, gboolean def)
{
    const cJSON *v = azi_jget(obj, key);
    if (!v)
        return def;
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v);
    const char *s = azi_sval(c, r->f, v);
    if (s && (g_ascii_strcasecmp(s, "true") == 0 || g_ascii_strcasecmp(s, "false") == 0))
        return g_ascii_strcasecmp(s, "true") == 0;
    azi_az_diag(c, DIAG_ERROR, r->f, v, "expected a boolean (\"%s\"), got %s", key, load_type_name(v));
    return def;
}

/* An ASN property (a number, or a numeric string in some CLI versions); 0 when absent. */
uint32_t azi_asn_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    const cJSON *v = azi_jget(obj, key);
    if (!v)
        return 0;
    double d = -1;
    if (cJSON_IsNumber(v))
        d = v->valuedouble;
    else if (cJSON_IsString(v) && *v->valuestring)
        d = g_ascii_strtod(v->valuestring, NULL);
    if (d < 1 || d > 4294967295.0 || d != (double)(uint32_t)d) {
        azi_az_diag(c, DIAG_ERROR, r->f, v, "expected an AS number (\"%s\", 1..4294967295)", key);
        return 0;
    }
    return (uint32_t)d;
}

/* ---- names ---- */

/* Azure names may hold characters scenario names refuse (and be longer): those become '-'. */
const char *azi_clean_name(AzCtx *c, const AzRes *r, const char *name)
{
    char buf[AR_NAME_MAX_LEN + 1];
    size_t n = 0;
    for (const char *p = name; *p && n < AR_NAME_MAX_LEN; p++, n++)
        buf[n] = g_ascii_isalnum(*p) || (n > 0 && (*p == '_' || *p == '.' || *p == '-')) ? *p : '-';
    buf[n] = '\0';
    if (n == 0)
        g_strlcpy(buf, "unnamed", sizeof buf);
    if (strcmp(buf, name) != 0)
        AZ_WARN(c, r, "name \"%s\" written as \"%s\" (scenario names are [A-Za-z0-9][A-Za-z0-9_.-]{0,%d})", name, buf,
                AR_NAME_MAX_LEN - 1);
    return g_string_chunk_insert(c->strings, buf);
}

/* A node name unique across Route Servers, gateways, NVAs and sites (Azure's namespaces are
 * per type, the scenario's is one): a taken name gets "-2", "-3"... */
const char *azi_node_name(AzCtx *c, const AzRes *r, const char *name)
{
    const char *base = azi_clean_name(c, r, name);
    const char *out = base;
    for (int k = 2; g_hash_table_contains(c->nodes, out); k++) {
        g_autofree char *next = g_strdup_printf("%s-%d", base, k);
        out = g_string_chunk_insert(c->strings, next);
    }
    if (out != base)
        AZ_WARN(c, r, "\"%s\" is already a node name in the scenario; written as \"%s\"", base, out);
    g_hash_table_add(c->nodes, (gpointer)out);
    return out;
}

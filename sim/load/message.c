/* message.c - the loader's message helpers: quoting and escaping names, JSON type names, typo distance. */
#include "load_priv.h"

#include <string.h>

void load_append_escaped(GString *q, const char *s, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
        /* Cut before a UTF-8 lead byte so a multibyte character is never split. */
        if (n >= max && (*p & 0xC0) != 0x80) {
            g_string_append(q, "...");
            break;
        }
        if (*p == '"' || *p == '\\')
            g_string_append_printf(q, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(q, "\\n");
        else if (*p == '\t')
            g_string_append(q, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf(q, "\\u%04x", *p);
        else
            g_string_append_c(q, (char)*p);
    }
}

char *load_quote(const char *s, size_t max)
{
    GString *q = g_string_new("\"");
    load_append_escaped(q, s, max);
    g_string_append_c(q, '"');
    return g_string_free(q, FALSE);
}

long load_nul_escape(const char *text, size_t len)
{
    for (size_t p = 0; p + 1 < len; p++) {
        if (text[p] != '\\')
            continue;
        if (text[p + 1] == 'u' && p + 6 <= len && memcmp(text + p + 2, "0000", 4) == 0)
            return (long)p;
        p++; /* the escaped byte: in the JSON text \\u0000 the second backslash is text */
    }
    return -1;
}

const char *load_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an invalid value";
}

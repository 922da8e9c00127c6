/* names.c - the tables of named values (node kinds, hubRoutingPreference) and lists of names written compactly. */
#include "arsim/names.h"

#include <stdlib.h>
#include <string.h>

#define NAMES_KIND_ROW(id, name, title, shape, fill) [id] = { name, title, shape, fill },
const ArKindName names_node_kind[NODE_KIND_COUNT] = { NAMES_NODE_KINDS(NAMES_KIND_ROW) };

#define NAMES_WORD_ROW(id, word) [id] = word,
const char *const names_hub_pref[HUBPREF_COUNT] = { NAMES_HUB_PREFS(NAMES_WORD_ROW) };

char *names_choices(const char *const *words, guint n)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(s, "%s\"%s\"", i == 0 ? "" : i == n - 1 ? " or " : ", ", words[i]);
    return g_string_free(s, FALSE);
}

/* Length of name without its trailing decimal number; *num receives the number, or -1 when the
 * name has none (or one with a leading zero, which "spoke01" and "spoke1" must not share). */
static gsize names_split(const char *name, gint64 *num)
{
    gsize len = strlen(name), stem = len;
    while (stem > 0 && g_ascii_isdigit(name[stem - 1]))
        stem--;
    *num = -1;
    if (stem < len && len - stem <= 9 && (name[stem] != '0' || stem + 1 == len))
        *num = g_ascii_strtoll(name + stem, NULL, 10);
    return *num < 0 ? len : stem;
}

char *names_ranges(const char *const *names, guint n, guint max_runs)
{
    GString *s = g_string_new(NULL);
    guint runs = 0, i = 0;
    while (i < n) {
        gint64 num;
        gsize stem = names_split(names[i], &num);
        guint j = i + 1;
        while (num >= 0 && j < n) {
            gint64 next;
            gsize nstem = names_split(names[j], &next);
            if (next != num + (gint64)(j - i) || nstem != stem || strncmp(names[i], names[j], stem) != 0)
                break;
            j++;
        }
        if (max_runs && runs == max_runs) {
            g_string_append_printf(s, ", and %u more", n - i);
            break;
        }
        if (runs++)
            g_string_append(s, ", ");
        g_string_append(s, names[i]);
        if (j - i > 1)
            g_string_append_printf(s, "%s%s", j - i == 2 ? ", " : "-", names[j - 1]);
        i = j;
    }
    return g_string_free(s, FALSE);
}

guint names_edit_distance(const char *a, const char *b, gboolean fold_case)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return G_MAXUINT;
    guint row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (guint)j;
    for (size_t i = 1; i <= la; i++) {
        guint diag = row[0];
        row[0] = (guint)i;
        for (size_t j = 1; j <= lb; j++) {
            guint up = row[j];
            char x = a[i - 1], y = b[j - 1];
            guint sub = diag + (fold_case ? g_ascii_tolower(x) != g_ascii_tolower(y) : x != y);
            row[j] = MIN(sub, MIN(up, row[j - 1]) + 1);
            diag = up;
        }
    }
    return row[lb];
}

/* checkout.c - prints the differences `arsim check` found, one line each. */
#include "arsim/output.h"

void out_check_text(const GPtrArray *diffs, GString *out)
{
    for (guint i = 0; i < diffs->len; i++) {
        const ArCheckDiff *d = g_ptr_array_index(diffs, i);
        if (!d->field)
            g_string_append_printf(out, "%-18s %s: only %s (%s)\n", d->prefix, d->node,
                                   d->simulated ? "in the simulation" : "observed",
                                   d->simulated ? d->simulated : d->observed);
        else
            g_string_append_printf(out, "%-18s %s: %s simulated %s, observed %s\n", d->prefix, d->node, d->field,
                                   *d->simulated ? d->simulated : "\"\"", *d->observed ? d->observed : "\"\"");
    }
}

cJSON *out_check_json(const GPtrArray *diffs)
{
    cJSON *arr = cJSON_CreateArray();
    for (guint i = 0; i < diffs->len; i++) {
        const ArCheckDiff *d = g_ptr_array_index(diffs, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "prefix", d->prefix);
        cJSON_AddStringToObject(o, "node", d->node);
        if (d->field)
            cJSON_AddStringToObject(o, "field", d->field);
        else
            cJSON_AddNullToObject(o, "field");
        cJSON_AddItemToObject(o, "simulated", d->simulated ? cJSON_CreateString(d->simulated) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "observed", d->observed ? cJSON_CreateString(d->observed) : cJSON_CreateNull());
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

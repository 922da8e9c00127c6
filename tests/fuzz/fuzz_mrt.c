/* fuzz_mrt.c - libFuzzer harness over the routing-table readers (routesFrom): any bytes in, as MRT
 * and as bgpdump text, a consistent table or an error naming the file and the place, never a
 * crash, a leak or undefined behaviour. Built with -Dfuzz=true (tests/fuzz/meson.build). */
#include "arsim/mrt.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A table the readers return is ascending by prefix, one route per prefix, and every index in it
 * points inside its arrays. */
static void check_table(const ArRouteTable *t)
{
    for (guint i = 0; i < t->routes->len; i++) {
        const ArTableRoute *r = &g_array_index(t->routes, ArTableRoute, i);
        if (r->attrs >= t->attrs->len || r->prefix.len > 32 || (r->prefix.addr & ~pfx_mask(r->prefix.len)))
            __builtin_trap();
        if (i && pfx_key(g_array_index(t->routes, ArTableRoute, i - 1).prefix) >= pfx_key(r->prefix))
            __builtin_trap();
    }
    for (guint i = 0; i < t->attrs->len; i++) {
        const ArTableAttrs *a = &g_array_index(t->attrs, ArTableAttrs, i);
        if ((guint64)a->path_at + a->path_len > t->asns->len || (guint64)a->comm_at + a->comm_len > t->comms->len ||
            a->origin > ORIGIN_INCOMPLETE)
            __builtin_trap();
    }
}

static void one(const uint8_t *data, size_t size, bool text, const ArMrtPeerSel *sel, const char *prefix)
{
    ArRouteTable *t = scn_route_table_new("fuzz.in");
    GError *e = NULL;
    gboolean ok = text ? mrt_parse_text((const char *)data, size, sel, t, &e) : mrt_parse(data, size, sel, t, &e);
    if (ok != (e == NULL))
        __builtin_trap();
    if (ok)
        check_table(t);
    else if (strncmp(e->message, prefix, strlen(prefix)) != 0)
        __builtin_trap(); /* every error names the file and the place */
    g_clear_error(&e);
    scn_route_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ArMrtPeerSel any = { 0 }, first = { .by_index = true, .index = 0 }, by_ip = { .by_ip = true, .ip = 0x0A010101u };
    one(data, size, false, &any, "fuzz.in: byte ");
    one(data, size, false, &first, "fuzz.in: byte ");
    one(data, size, false, &by_ip, "fuzz.in: byte ");
    one(data, size, true, &any, "fuzz.in:");
    one(data, size, true, &by_ip, "fuzz.in:");
    return 0;
}

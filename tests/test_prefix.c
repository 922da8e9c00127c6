/* test_prefix.c - prefix and address parsing, formatting and containment. */
#include "arsim/names.h"
#include "arsim/prefix.h"

#include <string.h>

static void test_parse_ok(void)
{
    ArPrefix p;
    char buf[PFX_STRLEN];
    g_assert_cmpint(pfx_parse("10.1.0.0/16", &p), ==, PFX_OK);
    g_assert_cmphex(p.addr, ==, 0x0A010000u);
    g_assert_cmpuint(p.len, ==, 16);
    g_assert_cmpstr(pfx_format(p, buf), ==, "10.1.0.0/16");
    g_assert_cmpint(pfx_parse("0.0.0.0/0", &p), ==, PFX_OK);
    g_assert_cmpstr(pfx_format(p, buf), ==, "0.0.0.0/0");
    g_assert_cmpint(pfx_parse("255.255.255.255/32", &p), ==, PFX_OK);
    g_assert_cmpstr(pfx_format(p, buf), ==, "255.255.255.255/32");
}

static void test_parse_bad(void)
{
    ArPrefix p;
    const char *bad[] = { "", "10.1.0.0", "10.1.0/16", "10.1.0.0/33", "256.1.0.0/16", "10.1.0.0/", "10.1.0.0/16x",
                          " 10.1.0.0/16", "10.01.0.0/16", "-1.0.0.0/8", "10.1.0.0/016", "a.b.c.d/8" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_cmpint(pfx_parse(bad[i], &p), ==, PFX_BAD_SYNTAX);
    g_assert_cmpint(pfx_parse("10.1.0.1/16", &p), ==, PFX_HOST_BITS);
    g_assert_cmphex(p.addr, ==, 0x0A010000u); /* masked, for the "did you mean" hint */
}

static void test_ip(void)
{
    uint32_t ip;
    char buf[IP_STRLEN];
    g_assert_true(ip_parse("10.1.1.4", &ip));
    g_assert_cmphex(ip, ==, 0x0A010104u);
    g_assert_cmpstr(ip_format(ip, buf), ==, "10.1.1.4");
    g_assert_false(ip_parse("10.1.1", &ip));
    g_assert_false(ip_parse("10.1.1.4/32", &ip));
    g_assert_false(ip_parse(NULL, &ip));
}

static void test_within(void)
{
    ArPrefix vnet, sub, super, other;
    pfx_parse("10.1.0.0/16", &vnet);
    pfx_parse("10.1.5.0/24", &sub);
    pfx_parse("10.0.0.0/8", &super);
    pfx_parse("10.2.0.0/16", &other);
    g_assert_true(pfx_within(sub, vnet));
    g_assert_true(pfx_within(vnet, vnet));
    g_assert_false(pfx_within(super, vnet));
    g_assert_true(pfx_within(vnet, super));
    g_assert_false(pfx_within(other, vnet));
    g_assert_true(pfx_overlap(super, other));
    g_assert_false(pfx_overlap(vnet, other));
    g_assert_true(pfx_contains_ip(vnet, 0x0A01FFFFu));
    g_assert_false(pfx_contains_ip(vnet, 0x0A020000u));
}

static void test_key_order(void)
{
    ArPrefix a, b, c;
    pfx_parse("10.0.0.0/8", &a);
    pfx_parse("10.0.0.0/16", &b);
    pfx_parse("10.1.0.0/16", &c);
    g_assert_cmpuint(pfx_key(a), <, pfx_key(b));
    g_assert_cmpuint(pfx_key(b), <, pfx_key(c));
    ArPrefix back = pfx_from_key(pfx_key(c));
    g_assert_cmphex(back.addr, ==, c.addr);
    g_assert_cmpuint(back.len, ==, c.len);
    g_assert_cmpint(pfx_cmp(&a, &c), <, 0);
}

/* Keys of "a.b.c.0/24" for c = from..to-1 appended to keys. */
static void add_24s(GArray *keys, unsigned a, unsigned b, unsigned from, unsigned to)
{
    for (unsigned c = from; c < to; c++) {
        uint64_t k = pfx_key((ArPrefix){ (a << 24) | (b << 16) | (c << 8), 24 });
        g_array_append_val(keys, k);
    }
}

/* Ranges of keys lo..hi-1 as "first:count:cover" joined by spaces. */
static char *ranges_text(GArray *keys, guint lo, guint hi)
{
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    pfx_ranges(keys->data, sizeof(uint64_t), keys->len, lo, hi, out);
    GString *s = g_string_new(NULL);
    char buf[PFX_STRLEN];
    for (guint i = 0; i < out->len; i++) {
        const ArPfxRange *r = &g_array_index(out, ArPfxRange, i);
        g_string_append_printf(s, "%s%u:%u:%s", i ? " " : "", r->first, r->count, pfx_format(r->cover, buf));
    }
    return g_string_free(s, FALSE);
}

static void test_ranges(void)
{
    g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    add_24s(keys, 128, 0, 0, 256); /* all of 128.0.0.0/16 */
    add_24s(keys, 128, 1, 0, 100);
    /* With no neighbour, one range: its cover holds 128.0.0.0/24 to 128.1.99.0/24. */
    g_autofree char *all = ranges_text(keys, 0, keys->len);
    g_assert_cmpstr(all, ==, "0:356:128.0.0.0/15");
    /* With 128.1.100.0/24 after the run (another run's), the covers leave it out. */
    g_autoptr(GArray) k2 = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    add_24s(k2, 128, 0, 0, 256);
    add_24s(k2, 128, 1, 0, 101);
    g_autofree char *apart = ranges_text(k2, 0, 356);
    g_assert_cmpstr(apart, ==, "0:256:128.0.0.0/16 256:64:128.1.0.0/18 320:32:128.1.64.0/19 352:4:128.1.96.0/22");
    /* Every item is in exactly one range, in order, and no cover holds the neighbour. */
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(ArPfxRange));
    pfx_ranges(k2->data, sizeof(uint64_t), k2->len, 0, 356, out);
    guint next = 0;
    ArPrefix neighbour = pfx_from_key(g_array_index(k2, uint64_t, 356));
    for (guint i = 0; i < out->len; i++) {
        const ArPfxRange *r = &g_array_index(out, ArPfxRange, i);
        g_assert_cmpuint(r->first, ==, next);
        next += r->count;
        g_assert_false(pfx_within(neighbour, r->cover));
        for (guint k = r->first; k < r->first + r->count; k++)
            g_assert_true(pfx_within(pfx_from_key(g_array_index(k2, uint64_t, k)), r->cover));
    }
    g_assert_cmpuint(next, ==, 356);
    /* A run holding its own cover (10.0.0.0/8 then prefixes inside it) with a neighbour inside. */
    g_autoptr(GArray) k3 = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    uint64_t k8 = pfx_key((ArPrefix){ 10u << 24, 8 });
    g_array_append_val(k3, k8);
    add_24s(k3, 10, 0, 0, 2);
    add_24s(k3, 10, 0, 2, 3);
    g_autofree char *own = ranges_text(k3, 0, 3);
    g_assert_cmpstr(own, ==, "0:1:10.0.0.0/8 1:2:10.0.0.0/23");
}

static void test_names(void)
{
    const char *spokes[] = { "spoke1", "spoke2", "spoke3", "spoke4", "hub", "spoke7", "spoke8", "spoke01", "x" };
    g_autofree char *all = names_ranges(spokes, G_N_ELEMENTS(spokes), 0);
    g_assert_cmpstr(all, ==, "spoke1-spoke4, hub, spoke7, spoke8, spoke01, x");
    g_autofree char *capped = names_ranges(spokes, G_N_ELEMENTS(spokes), 2);
    g_assert_cmpstr(capped, ==, "spoke1-spoke4, hub, and 4 more");
    g_autofree char *none = names_ranges(spokes, 0, 0);
    g_assert_cmpstr(none, ==, "");
}

/* The tables of named values: each value's names in enum order, and choices as messages list them. */
static void test_named_values(void)
{
    g_assert_cmpint(HUBPREF_COUNT, ==, 3);
    g_assert_cmpstr(names_hub_pref[HUBPREF_VPNGATEWAY], ==, "VpnGateway");
    g_assert_cmpstr(names_node_kind[NODE_MSEE].name, ==, "msee");
    g_assert_cmpstr(names_node_kind[NODE_ROUTE_SERVER].shape, ==, "doubleoctagon");
    for (int k = 0; k < NODE_KIND_COUNT; k++)
        g_assert_true(names_node_kind[k].name && names_node_kind[k].title && names_node_kind[k].shape &&
                      names_node_kind[k].fill);
    g_autofree char *three = names_choices(names_hub_pref, HUBPREF_COUNT);
    g_assert_cmpstr(three, ==, "\"ExpressRoute\", \"VpnGateway\" or \"ASPath\"");
    g_autofree char *one = names_choices(names_hub_pref, 1);
    g_assert_cmpstr(one, ==, "\"ExpressRoute\"");
}

/* pfx_keys_sort agrees with a plain comparison sort on random prefix keys, with duplicates, below
 * and above its switch to the radix passes, and on keys that share digits (a pass skipped). */
static gint u64_order(gconstpointer a, gconstpointer b, gpointer unused)
{
    (void)unused;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* pfx_sort_by_key on records (a key, then its original position): sorted by key, records of
 * equal keys in their original order (stable), below and above the insertion threshold. */
typedef struct KeyRec {
    uint64_t key;  /* prefix key, first as pfx_sort_by_key requires */
    uint32_t seq;  /* original position */
    uint32_t pad;  /* a record wider than its key */
} KeyRec;

static void test_sort_by_key(void)
{
    g_autoptr(GRand) rng = g_rand_new_with_seed(11);
    static const size_t sizes[] = { 0, 1, 255, 256, 5000, 70000 };
    for (size_t k = 0; k < G_N_ELEMENTS(sizes); k++) {
        size_t n = sizes[k];
        g_autofree KeyRec *r = g_new0(KeyRec, MAX(n, 1));
        for (size_t i = 0; i < n; i++) {
            ArPrefix p = { 0x0A000000u | (g_rand_int(rng) & 0x3f00u), 24 }; /* 64 keys: many repeats */
            r[i] = (KeyRec){ pfx_key(p), (uint32_t)i, 0 };
        }
        pfx_sort_by_key(r, n, sizeof(KeyRec));
        for (size_t i = 1; i < n; i++) {
            g_assert_cmpuint(r[i - 1].key, <=, r[i].key);
            if (r[i - 1].key == r[i].key)
                g_assert_cmpuint(r[i - 1].seq, <, r[i].seq); /* stable */
        }
    }
}

static void test_keys_sort(void)
{
    g_autoptr(GRand) rng = g_rand_new_with_seed(7);
    static const size_t sizes[] = { 0, 1, 2, 100, 16383, 16384, 100000 };
    for (size_t k = 0; k < G_N_ELEMENTS(sizes); k++) {
        for (int shared = 0; shared < 2; shared++) {
            size_t n = sizes[k];
            g_autofree uint64_t *a = g_new(uint64_t, MAX(n, 1));
            g_autofree uint64_t *b = g_new(uint64_t, MAX(n, 1));
            for (size_t i = 0; i < n; i++) {
                ArPrefix p = { g_rand_int(rng), (uint8_t)g_rand_int_range(rng, 8, 33) };
                if (shared)
                    p = (ArPrefix){ 0x0A000000u | (g_rand_int(rng) & 0xff00u), 24 }; /* top bits and length shared */
                p.addr &= pfx_mask(p.len);
                a[i] = b[i] = pfx_key(p);
                if (i && g_rand_int_range(rng, 0, 10) == 0)
                    a[i] = b[i] = a[i - 1]; /* a duplicate */
            }
            pfx_keys_sort(a, n);
            g_qsort_with_data(b, (gint)n, sizeof(uint64_t), u64_order, NULL);
            g_assert_true(n == 0 || memcmp(a, b, n * sizeof(uint64_t)) == 0);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/prefix/parse-ok", test_parse_ok);
    g_test_add_func("/prefix/parse-bad", test_parse_bad);
    g_test_add_func("/prefix/ip", test_ip);
    g_test_add_func("/prefix/keys-sort", test_keys_sort);
    g_test_add_func("/prefix/sort-by-key", test_sort_by_key);
    g_test_add_func("/prefix/within", test_within);
    g_test_add_func("/prefix/key-order", test_key_order);
    g_test_add_func("/prefix/ranges", test_ranges);
    g_test_add_func("/prefix/names", test_names);
    g_test_add_func("/prefix/named-values", test_named_values);
    return g_test_run();
}

/* test_fib.c - the longest-prefix-match trie against hand-picked cases and a brute-force scan. */
#include "arsim/fib.h"

static ArPrefix P(const char *s)
{
    ArPrefix p;
    g_assert_cmpint(pfx_parse(s, &p), ==, PFX_OK);
    return p;
}

static uint32_t IP(const char *s)
{
    uint32_t ip;
    g_assert_true(ip_parse(s, &ip));
    return ip;
}

/* Looks ip up and returns the matched prefix as text ("-" when nothing matched). */
static char *match(const ArFib *f, const char *ip, const char **value)
{
    ArPrefix m;
    char buf[PFX_STRLEN];
    *value = fib_lookup(f, IP(ip), &m);
    return g_strdup(*value ? pfx_format(m, buf) : "-");
}

static void test_empty(void)
{
    g_autoptr(ArFib) f = fib_new(NULL);
    ArPrefix m = { 1, 1 };
    g_assert_null(fib_lookup(f, IP("10.0.0.1"), &m));
    g_assert_cmpuint(m.addr, ==, 1); /* untouched when nothing matches */
    g_assert_null(fib_exact(f, P("0.0.0.0/0")));
    g_assert_cmpuint(fib_size(f), ==, 0);
}

static void test_nested(void)
{
    g_autoptr(ArFib) f = fib_new(NULL);
    /* Inserted out of order: shorter after longer, siblings that split a glue node. */
    fib_insert(f, P("10.1.2.0/24"), "c");
    fib_insert(f, P("10.0.0.0/8"), "a");
    fib_insert(f, P("10.1.2.3/32"), "e");
    fib_insert(f, P("10.1.0.0/16"), "b");
    fib_insert(f, P("10.1.128.0/17"), "f");
    fib_insert(f, P("0.0.0.0/0"), "d");
    g_assert_cmpuint(fib_size(f), ==, 6);
    static const struct {
        const char *ip, *prefix, *value;
    } cases[] = {
        { "10.1.2.3", "10.1.2.3/32", "e" },     { "10.1.2.4", "10.1.2.0/24", "c" },
        { "10.1.3.1", "10.1.0.0/16", "b" },     { "10.1.200.1", "10.1.128.0/17", "f" },
        { "10.2.0.1", "10.0.0.0/8", "a" },      { "11.0.0.1", "0.0.0.0/0", "d" },
        { "255.255.255.255", "0.0.0.0/0", "d" }, { "10.1.127.255", "10.1.0.0/16", "b" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *v;
        g_autofree char *m = match(f, cases[i].ip, &v);
        g_assert_cmpstr(m, ==, cases[i].prefix);
        g_assert_cmpstr(v, ==, cases[i].value);
    }
    /* Glue nodes hold no value: 10.1.0.0/16 and 10.1.128.0/17 share 10.1.0.0/16 only by prefix. */
    g_assert_null(fib_exact(f, P("10.1.0.0/17")));
    g_assert_cmpstr(fib_exact(f, P("10.1.128.0/17")), ==, "f");
    g_assert_cmpstr(fib_exact(f, P("0.0.0.0/0")), ==, "d");
    g_assert_null(fib_exact(f, P("10.1.2.0/25")));
}

static void test_disjoint(void)
{
    g_autoptr(ArFib) f = fib_new(NULL);
    fib_insert(f, P("192.168.1.0/24"), "x");
    fib_insert(f, P("192.168.2.0/24"), "y");
    const char *v;
    g_autofree char *m1 = match(f, "192.168.3.1", &v);
    g_assert_cmpstr(m1, ==, "-"); /* inside the glue node 192.168.0.0/22, but no value there */
    g_autofree char *m2 = match(f, "192.168.2.200", &v);
    g_assert_cmpstr(v, ==, "y");
    g_autofree char *m3 = match(f, "10.0.0.1", &v);
    g_assert_cmpstr(m3, ==, "-");
}

static int freed;
static void count_free(gpointer p)
{
    (void)p;
    freed++;
}

static void test_replace_and_free(void)
{
    freed = 0;
    ArFib *f = fib_new(count_free);
    int a = 1, b = 2, c = 3;
    fib_insert(f, P("10.0.0.0/8"), &a);
    fib_insert(f, P("10.0.0.0/8"), &b); /* replaces: a is released */
    g_assert_cmpint(freed, ==, 1);
    fib_insert(f, P("10.0.0.0/16"), &c);
    g_assert_cmpuint(fib_size(f), ==, 2);
    /* Insert-if-absent keeps what is there and takes nothing. */
    g_assert_false(fib_insert_new(f, P("10.0.0.0/8"), &a));
    g_assert_true(fib_exact(f, P("10.0.0.0/8")) == &b);
    g_assert_cmpint(freed, ==, 1);
    g_assert_true(fib_insert_new(f, P("10.0.0.0/12"), NULL)); /* NULL values are values too */
    g_assert_cmpuint(fib_size(f), ==, 3);
    ArPrefix m;
    g_assert_null(fib_lookup(f, IP("10.1.0.1"), &m));
    g_assert_cmpuint(m.len, ==, 12);
    g_assert_true(fib_lookup(f, IP("10.200.9.9"), NULL) == &b);
    fib_free(f);
    g_assert_cmpint(freed, ==, 4); /* b, c and the NULL value */
}

/* Random prefixes (fixed seed), most of them overlapping inside 10.0.0.0/12, checked against a
 * linear scan for the longest containing prefix. */
static void test_random_vs_brute_force(void)
{
    g_autoptr(GRand) rnd = g_rand_new_with_seed(20240611);
    g_autoptr(ArFib) f = fib_new(NULL);
    g_autoptr(GHashTable) stored = g_hash_table_new(g_int64_hash, g_int64_equal); /* key -> value */
    g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(gint64));
    const int n = 2000;
    g_array_set_size(keys, n);
    for (int i = 0; i < n; i++) {
        ArPrefix p;
        if (g_rand_int_range(rnd, 0, 10) == 0) {
            p.len = (uint8_t)g_rand_int_range(rnd, 0, 33);
            p.addr = g_rand_int(rnd) & pfx_mask(p.len);
        } else {
            p.len = (uint8_t)g_rand_int_range(rnd, 12, 33);
            p.addr = (0x0A000000u | (g_rand_int(rnd) & 0x000FFFFFu)) & pfx_mask(p.len);
        }
        g_array_index(keys, gint64, i) = (gint64)pfx_key(p);
        gpointer value = GINT_TO_POINTER(i + 1);
        fib_insert(f, p, value);
        g_hash_table_insert(stored, &g_array_index(keys, gint64, i), value); /* last insert wins */
    }
    g_assert_cmpuint(fib_size(f), ==, g_hash_table_size(stored));
    /* Exact lookups of everything stored. */
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, stored);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_assert_true(fib_exact(f, pfx_from_key((uint64_t)*(gint64 *)k)) == v);
    /* The stored prefixes as a flat list for the scan. */
    g_autoptr(GArray) flat = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    g_autoptr(GPtrArray) vals = g_ptr_array_new();
    g_hash_table_iter_init(&it, stored);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        ArPrefix p = pfx_from_key((uint64_t)*(gint64 *)k);
        g_array_append_val(flat, p);
        g_ptr_array_add(vals, v);
    }
    int hits = 0;
    for (int i = 0; i < 10000; i++) {
        uint32_t ip = i % 2 ? g_rand_int(rnd) : (0x0A000000u | (g_rand_int(rnd) & 0x000FFFFFu));
        int best = -1;
        for (guint j = 0; j < flat->len; j++) {
            ArPrefix p = g_array_index(flat, ArPrefix, j);
            if (pfx_contains_ip(p, ip) && (best < 0 || p.len > g_array_index(flat, ArPrefix, best).len))
                best = (int)j;
        }
        ArPrefix m = { 0, 0 };
        gpointer got = fib_lookup(f, ip, &m);
        if (best < 0) {
            g_assert_null(got);
            continue;
        }
        hits++;
        g_assert_true(got == g_ptr_array_index(vals, best));
        g_assert_cmpuint(m.addr, ==, g_array_index(flat, ArPrefix, best).addr);
        g_assert_cmpuint(m.len, ==, g_array_index(flat, ArPrefix, best).len);
    }
    g_assert_cmpint(hits, >, 5000); /* the test really exercised matches */
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fib/empty", test_empty);
    g_test_add_func("/fib/nested", test_nested);
    g_test_add_func("/fib/disjoint", test_disjoint);
    g_test_add_func("/fib/replace-and-free", test_replace_and_free);
    g_test_add_func("/fib/random-vs-brute-force", test_random_vs_brute_force);
    return g_test_run();
}

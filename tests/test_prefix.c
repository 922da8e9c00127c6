/* test_prefix.c - prefix and address parsing, formatting and containment. */
#include "arsim/prefix.h"

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/prefix/parse-ok", test_parse_ok);
    g_test_add_func("/prefix/parse-bad", test_parse_bad);
    g_test_add_func("/prefix/ip", test_ip);
    g_test_add_func("/prefix/within", test_within);
    g_test_add_func("/prefix/key-order", test_key_order);
    return g_test_run();
}

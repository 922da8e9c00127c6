/* azimport.c - maps Azure's exported resources (CLI lists, ARM templates) to a scenario document. */
#include "arsim/azimport.h"

#include "azi.h"

#include <string.h>

/* ---- overlay ---- */

/* Merges the overlay's objects into doc by name (overlay keys win); others are added. */
static void apply_overlay(AzCtx *c, cJSON *doc, const char *path)
{
    static const char expect[] = "an overlay: a JSON object with scenario sections, e.g. {\"sites\": [{\"name\": "
                                 "\"...\", \"addressPrefixes\": [...]}]}";
    AzFile *f = azi_open_file(c, path, expect);
    if (!f->root)
        return;
    if (!cJSON_IsObject(f->root)) {
        azi_az_diag(c, DIAG_ERROR, f, f->root, "expected %s, got %s", expect, load_type_name(f->root));
        return;
    }
    for (const cJSON *sec = f->root->child; sec; sec = sec->next) {
        cJSON *mine = cJSON_GetObjectItemCaseSensitive(doc, sec->string);
        if (!cJSON_IsArray(sec)) {
            if (mine)
                cJSON_ReplaceItemInObjectCaseSensitive(doc, sec->string, cJSON_Duplicate(sec, TRUE));
            else
                cJSON_AddItemToObject(doc, sec->string, cJSON_Duplicate(sec, TRUE));
            continue;
        }
        if (!cJSON_IsArray(mine)) {
            cJSON_DeleteItemFromObjectCaseSensitive(doc, sec->string);
            mine = cJSON_AddArrayToObject(doc, sec->string);
        }
        for (const cJSON *o = sec->child; o; o = o->next) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
            if (!cJSON_IsObject(o) || !cJSON_IsString(n)) {
                azi_az_diag(c, DIAG_ERROR, f, o, "expected an object with a \"name\" (the imported object to complete, "
                        "or a new one)");
                continue;
            }
            cJSON *target = azi_find_named(mine, n->valuestring);
            if (!target) {
                cJSON_AddItemToArray(mine, cJSON_Duplicate(o, TRUE));
                continue;
            }
            for (const cJSON *kv = o->child; kv; kv = kv->next) {
                if (cJSON_GetObjectItemCaseSensitive(target, kv->string))
                    cJSON_ReplaceItemInObjectCaseSensitive(target, kv->string, cJSON_Duplicate(kv, TRUE));
                else
                    cJSON_AddItemToObject(target, kv->string, cJSON_Duplicate(kv, TRUE));
            }
        }
    }
}

/* Warns about what the overlay should still supply (sites with no prefixes, NVAs that advertise
 * nothing), listing the lines to add. */
static void warn_missing(AzCtx *c, cJSON *doc, const char *dir, const char *overlay)
{
    g_autoptr(GString) add = g_string_new("");
    const cJSON *sites = cJSON_GetObjectItemCaseSensitive(doc, "sites");
    for (const cJSON *s = cJSON_IsArray(sites) ? sites->child : NULL; s; s = s->next) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "addressPrefixes");
        if (cJSON_IsArray(p) && cJSON_GetArraySize(p) == 0 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "name")))
            g_string_append_printf(add, "\n  sites: { \"name\": \"%s\", \"addressPrefixes\": [ \"PREFIX\", ... ] } "
                                   "(what on-premises announces; the circuit or gateway export does not list it)",
                                   cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring);
    }
    const cJSON *nvas = cJSON_GetObjectItemCaseSensitive(doc, "nvas");
    for (const cJSON *s = cJSON_IsArray(nvas) ? nvas->child : NULL; s; s = s->next) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "advertisedPrefixes");
        if (cJSON_GetArraySize(p) == 0 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "name")))
            g_string_append_printf(add, "\n  nvas: { \"name\": \"%s\", \"advertisedPrefixes\": [ \"PREFIX\", ... ] } "
                                   "(what the NVA announces to the Route Server; Azure does not store it)",
                                   cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring);
    }
    if (add->len)
        diag_add(c->diags, DIAG_WARNING, overlay ? overlay : dir, 0, 0, "",
                 "the exports cannot tell what these originate; they announce nothing until an overlay file "
                 "(--overlay) adds:%s", add->str);
}

/* ---- the whole import ---- */

static void az_file_free(gpointer p)
{
    AzFile *f = p;
    g_free(f->path);
    cJSON_Delete(f->root);
    if (f->ix)
        jpos_index_free(f->ix);
    g_free(f);
}

static void az_vnet_free(gpointer p)
{
    AzVnet *v = p;
    g_array_free(v->prefixes, TRUE);
    g_ptr_array_free(v->subs, TRUE);
    cJSON_Delete(v->subnets);
    g_free(v);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted by name (the order of the import, so of the output). */
static GPtrArray *list_files(const char *dir, ArDiagList *diags)
{
    g_autoptr(GError) e = NULL;
    GDir *d = g_dir_open(dir, 0, &e);
    if (!d) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "cannot read the folder: %s", e->message);
        return NULL;
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (const char *n; (n = g_dir_read_name(d));)
        if (g_str_has_suffix(n, ".json"))
            g_ptr_array_add(files, g_build_filename(dir, n, NULL));
    g_dir_close(d);
    g_ptr_array_sort(files, cmp_str);
    if (files->len == 0) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "no *.json file in the folder: save each 'az network ... list "
                 "-o json' output (or 'az group export') there as NAME.json");
        g_ptr_array_free(files, TRUE);
        return NULL;
    }
    return files;
}

cJSON *azi_import_dir(const char *dir, const char *overlay, ArDiagList *diags)
{
    int errors_before = diags->errors;
    g_autoptr(GPtrArray) paths = list_files(dir, diags);
    if (!paths)
        return NULL;
    AzCtx c = { .diags = diags };
    c.files = g_ptr_array_new_with_free_func(az_file_free);
    c.strings = g_string_chunk_new(4096);
    for (int k = 0; k < AZK_COUNT; k++)
        c.res[k] = g_ptr_array_new();
    c.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c.vnets = g_ptr_array_new_with_free_func(az_vnet_free);
    c.vnet_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.nodes = g_hash_table_new(g_str_hash, g_str_equal);
    c.rs_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.gw_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.rs_vnet = g_hash_table_new(g_str_hash, g_str_equal);
    c.gw_type = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c.out_rs = cJSON_CreateArray();
    c.out_gw = cJSON_CreateArray();
    c.out_nva = cJSON_CreateArray();
    c.out_site = cJSON_CreateArray();

    for (guint i = 0; i < paths->len; i++)
        azi_read_file(&c, g_ptr_array_index(paths, i));
    azi_import_vnets(&c);
    azi_import_route_servers(&c);
    azi_import_gateways(&c);
    azi_import_nvas(&c);
    azi_import_sites(&c);
    azi_import_subnets(&c);
    g_autoptr(GHashTable) peer_out = g_hash_table_new(NULL, NULL);
    azi_import_peerings(&c, peer_out);

    cJSON *doc = cJSON_CreateObject();
    g_autofree char *base = g_path_get_basename(dir);
    g_autofree char *title = g_strdup_printf("Imported from %s", base);
    cJSON_AddStringToObject(doc, "name", title);
    cJSON *vnets = cJSON_AddArrayToObject(doc, "vnets");
    for (guint i = 0; i < c.vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c.vnets, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", v->r->out);
        cJSON *pf = cJSON_AddArrayToObject(o, "addressPrefixes");
        for (guint k = 0; k < v->prefixes->len; k++)
            cJSON_AddItemToArray(pf, azi_prefix_json(g_array_index(v->prefixes, ArPrefix, k)));
        cJSON *peers = g_hash_table_lookup(peer_out, v);
        if (peers)
            cJSON_AddItemToObject(o, "peerings", peers);
        if (v->subnets) {
            cJSON_AddItemToObject(o, "subnets", v->subnets);
            v->subnets = NULL;
        }
        cJSON_AddItemToArray(vnets, o);
    }
    cJSON_AddItemToObject(doc, "routeServers", c.out_rs);
    cJSON_AddItemToObject(doc, "gateways", c.out_gw);
    cJSON_AddItemToObject(doc, "nvas", c.out_nva);
    cJSON_AddItemToObject(doc, "sites", c.out_site);
    if (c.vnets->len == 0 && diags->errors == errors_before)
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "no virtual network imported: save 'az network vnet list -o json' "
                 "(or 'az group export') in the folder");
    if (overlay)
        apply_overlay(&c, doc, overlay);
    warn_missing(&c, doc, dir, overlay);

    g_hash_table_destroy(c.gw_type);
    g_hash_table_destroy(c.rs_vnet);
    g_hash_table_destroy(c.gw_by);
    g_hash_table_destroy(c.rs_by);
    g_hash_table_destroy(c.nodes);
    g_hash_table_destroy(c.vnet_by);
    g_ptr_array_free(c.vnets, TRUE);
    g_hash_table_destroy(c.seen);
    for (int k = 0; k < AZK_COUNT; k++)
        g_ptr_array_free(c.res[k], TRUE);
    g_ptr_array_free(c.files, TRUE);
    g_string_chunk_free(c.strings);
    diag_sort(diags);
    if (diags->errors > errors_before) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* cmd_import.c - `arsim import DIR`: a validated scenario from Azure's exports. */
#include "cli_priv.h"
#include "arsim/azimport.h"
#include "arsim/output.h"

#include <string.h>

int cmd_import(const ArImportArgs *a, FILE *out, FILE *err)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    cJSON *doc = azi_import_dir(a->dir, a->overlay, diags);
    diag_print(diags, err);
    if (!doc)
        return EXIT_BAD_INPUT;
    g_autofree char *text = out_json_print(doc);
    cJSON_Delete(doc);
    /* The result goes through the loader's validation, as `arsim validate` would check it. */
    const char *name = a->output ? a->output : "(imported scenario)";
    g_autoptr(ArDiagList) checks = diag_list_new();
    g_autoptr(ArScenario) scn = load_text(name, text, strlen(text), NULL, checks);
    diag_print(checks, err);
    if (!scn) {
        fprintf(err, "arsim import: the imported scenario does not validate (messages above): correct the overlay, "
                     "or report the export that arsim maps wrongly\n");
        return EXIT_BAD_INPUT;
    }
    if (a->output) {
        g_autoptr(GError) e = NULL;
        if (!out_write_file(a->output, text, strlen(text), NULL, &e)) {
            fprintf(err, "arsim: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
    } else {
        fputs(text, out);
    }
    fprintf(err, "arsim import: %u VNets, %u Route Servers, %u gateways, %u NVAs, %u sites (%d warnings)\n",
            scn->vnets->len, scn->route_servers->len, scn->gateways->len, scn->nvas->len, scn->sites->len,
            diags->warnings + checks->warnings);
    return EXIT_OK;
}

/* cmd_generate.c - `arsim generate`: a scenario of a given size, as JSON, to stdout or -o FILE. */
#include "arsim/cli.h"
#include "arsim/generate.h"
#include "arsim/output.h"

#include <string.h>

/* Documents with more site prefixes than this are printed on one line (smaller, faster to write
 * and to parse); smaller ones are indented for people to read. Both are deterministic. */
#define GEN_FORMATTED_MAX_PREFIXES 20000u

int cmd_generate(const ArGenerateArgs *a, FILE *out, FILE *err)
{
    ArGenParams p = a->params;
    if (a->circuit_sku && !gen_sku_parse(a->circuit_sku, &p.sku)) {
        fprintf(err, "arsim generate: unknown circuit SKU \"%s\"; use Standard or Premium\n", a->circuit_sku);
        return EXIT_BAD_INPUT;
    }
    g_autoptr(GError) e = NULL;
    cJSON *doc = gen_scenario(&p, &e);
    if (!doc) {
        fprintf(err, "arsim generate: %s\n", e->message);
        return EXIT_BAD_INPUT;
    }
    char *text;
    if (gen_total_prefixes(&p) > GEN_FORMATTED_MAX_PREFIXES) {
        char *raw = cJSON_PrintUnformatted(doc);
        text = raw ? g_strconcat(raw, "\n", NULL) : NULL;
        cJSON_free(raw);
    } else {
        text = out_json_print(doc);
    }
    cJSON_Delete(doc);
    if (!text) {
        fprintf(err, "arsim generate: out of memory while printing the scenario\n");
        return EXIT_BAD_INPUT;
    }
    int status = EXIT_OK;
    size_t len = strlen(text);
    if (a->output) {
        if (!out_write_file(a->output, text, len, NULL, &e)) {
            fprintf(err, "arsim generate: %s\n", e->message);
            status = EXIT_BAD_INPUT;
        }
    } else if (fwrite(text, 1, len, out) != len || fflush(out) != 0) {
        fprintf(err, "arsim generate: could not write the scenario to standard output\n");
        status = EXIT_BAD_INPUT;
    }
    g_free(text);
    return status;
}

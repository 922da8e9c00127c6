/* cmd_generate.c - `arsim generate`: a scenario of a given size, as JSON, to stdout or -o FILE. */
#include "cli_priv.h"
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

static int generate_main(const CliCommand *cmd, int argc, char **argv)
{
    ArGenerateArgs a = { 0 };
    gen_params_default(&a.params);
    gint seed = (gint)a.params.seed;
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *sku = NULL;
    g_autofree GOptionEntry *sizes = gen_option_entries(&a.params, &sku, &seed);
    const GOptionEntry entries[] = { cli_flag(&c, CLI_OUTPUT, NULL, NULL), CLI_END };
    int status = EXIT_OK;
    if (!cli_parse(cmd, sizes, entries, &argc, &argv, &status))
        return status;
    a.params.seed = (uint32_t)seed;
    a.circuit_sku = sku;
    a.output = c.output;
    return cmd_generate(&a, stdout, stderr);
}

const CliCommand cli_cmd_generate = {
    .name = "generate",
    .params = "- write a valid scenario of a given size",
    .description =
        "Builds a hub with a Route Server, an ExpressRoute gateway (when --er-prefixes > 0) and a VPN\n"
        "gateway (when --vpn-sites > 0), spokes, NVAs with their sites. Same parameters, same file.\n"
        "Example (Azure's maximum): arsim generate --spokes 500 --nvas 8 --routes-per-nva 1000 \\\n"
        "  --er-prefixes 10000 --circuit-sku Premium --vpn-sites 4 --prefixes-per-site 100 --branch-to-branch -o b2.json\n",
    .min_args = 0,
    .max_args = 0,
    .args_error = "takes no FILE argument; use -o FILE",
    .main = generate_main,
};

/* helpgen.c - build-time generator of arsim's man pages and bash completion from `arsim help` itself. */
/*
 * Runs the arsim just built (`arsim help`, `arsim help COMMAND`, `arsim --version`) and turns the
 * text it prints into roff pages and a bash completion script, so that neither can drift from the
 * help: they are the same text. The command list given on the command line (meson must name every
 * page it installs) is checked against the commands `arsim help` lists; a difference fails the build.
 *
 *   helpgen --arsim ARSIM --man OUTDIR COMMAND...         OUTDIR/arsim.1 and OUTDIR/arsim-COMMAND.1
 *   helpgen --arsim ARSIM --completion OUTFILE COMMAND...  the bash completion script
 *
 * What it reads: GOptionContext's --help layout ("Usage:", "  NAME [OPTION...] ARGS - SUMMARY",
 * "Help Options:" / "Application Options:" blocks of "  -o, --output=ARG    help" lines, then the
 * description), and in the overview and the descriptions: "Heading:" lines (a section), "  TERM  text"
 * lines under a heading (a definition list, deeper-indented lines continuing the text), other
 * indented lines (examples, verbatim), "Usage: ..." (the synopsis), "Exit status..." (its section).
 */
#include <glib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One option of a command, as its help lists it. */
typedef struct HgOption {
    char *shortopt; /* "-o", or NULL */
    char *longopt;  /* "--output", or NULL for a short-only option */
    char *arg;      /* "FILE" for "--output=FILE", NULL when the option takes no value */
    char *help;     /* its help text */
} HgOption;

/* One roff section being written: NAME, DESCRIPTION, COMMANDS... */
typedef struct HgSection {
    char *name;   /* upper-case title */
    GString *body; /* roff text, ends with a newline */
} HgSection;

/* What one `arsim help [COMMAND]` printed, split up. */
typedef struct HgHelp {
    char *command;     /* "run", or NULL for the overview */
    char *args;        /* "[OPTION...] FILE" (commands), "COMMAND [OPTIONS] FILE..." (overview) */
    char *summary;     /* the one-line purpose */
    GPtrArray *options; /* HgOption*, in help order, the help options included */
    GPtrArray *sections; /* HgSection*, from the description (commands) or the rest of the overview */
    GPtrArray *commands; /* overview only: char* command names, in the order listed */
} HgHelp;

static void option_free(gpointer p)
{
    HgOption *o = p;
    g_free(o->shortopt);
    g_free(o->longopt);
    g_free(o->arg);
    g_free(o->help);
    g_free(o);
}

static void section_free(gpointer p)
{
    HgSection *s = p;
    g_free(s->name);
    g_string_free(s->body, TRUE);
    g_free(s);
}

static void help_free(HgHelp *h)
{
    g_free(h->command);
    g_free(h->args);
    g_free(h->summary);
    g_ptr_array_unref(h->options);
    g_ptr_array_unref(h->sections);
    g_ptr_array_unref(h->commands);
    g_free(h);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HgHelp, help_free)

static void die(const char *fmt, ...) G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN;
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("helpgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Runs ARSIM with args in the C locale (English, whatever the builder's locale) and returns its
 * standard output; dies unless it exits 0. */
static char *run_arsim(const char *arsim, const char *a1, const char *a2)
{
    const char *argv[] = { arsim, a1, a2, NULL };
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "LC_ALL", "C.UTF-8", TRUE);
    env = g_environ_unsetenv(env, "LANGUAGE");
    g_autofree char *err = NULL;
    char *out = NULL;
    int status = 0;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &e))
        die("cannot run %s: %s", arsim, e->message);
#if GLIB_CHECK_VERSION(2, 70, 0)
    if (!g_spawn_check_wait_status(status, &e))
#else
    if (!g_spawn_check_exit_status(status, &e))
#endif
        die("%s %s %s failed (%s): %s", arsim, a1, a2 ? a2 : "", e->message, err);
    return out;
}

/* Number of leading spaces. */
static int indent_of(const char *line)
{
    int n = 0;
    while (line[n] == ' ')
        n++;
    return n;
}

/* Splits "  TERM   text" at its first run of two or more spaces (after the indentation): TRUE with
 * *term and *text set (g_free them) when there is such a gap. */
static gboolean split_term(const char *line, char **term, char **text)
{
    const char *s = line + indent_of(line);
    const char *gap = strstr(s, "  ");
    if (!gap || gap == s)
        return FALSE;
    const char *t = gap;
    while (*t == ' ')
        t++;
    if (!*t)
        return FALSE;
    *term = g_strndup(s, (gsize)(gap - s));
    *text = g_strdup(t);
    return TRUE;
}

/* GLib writes "[OPTION…]" (or "[OPTION?]" where the locale has no "…"): ASCII for the page. */
static char *plain_usage(const char *args)
{
    static const char *const forms[] = { "[OPTION\xe2\x80\xa6]", "[OPTION?]" };
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
        const char *at = strstr(args, forms[i]);
        if (at)
            return g_strdup_printf("%.*s[OPTION...]%s", (int)(at - args), args, at + strlen(forms[i]));
    }
    return g_strdup(args);
}

/* Appends s as roff text: backslashes and hyphens escaped, a leading '.' or '\'' neutralised, other
 * than ASCII as \[uXXXX] ("…" as "..."). O(length). */
static void roff_text(GString *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        g_string_append(out, "\\&");
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            die("help text is not UTF-8: %s", s);
        if (c == '\\')
            g_string_append(out, "\\e");
        else if (c == '-')
            g_string_append(out, "\\-");
        else if (c == 0x2026)
            g_string_append(out, "...");
        else if (c < 0x80)
            g_string_append_c(out, (char)c);
        else
            g_string_append_printf(out, "\\[u%04X]", c);
    }
}

static void roff_line(GString *out, const char *s)
{
    roff_text(out, s);
    g_string_append_c(out, '\n');
}

/* Appends an option's term: \fB\-o\fR, \fB\-\-output\fR=\fIFILE\fR. */
static void roff_option_term(GString *out, const HgOption *o)
{
    if (o->shortopt) {
        g_string_append(out, "\\fB");
        roff_text(out, o->shortopt);
        g_string_append(out, "\\fR");
        if (o->longopt)
            g_string_append(out, ", ");
    }
    if (o->longopt) {
        g_string_append(out, "\\fB");
        roff_text(out, o->longopt);
        g_string_append(out, "\\fR");
    }
    if (o->arg) {
        g_string_append(out, o->longopt ? "=\\fI" : " \\fI");
        roff_text(out, o->arg);
        g_string_append(out, "\\fR");
    }
    g_string_append_c(out, '\n');
}

/* The section named name (created at the end if new). */
static HgSection *section(GPtrArray *sections, const char *name)
{
    for (guint i = 0; i < sections->len; i++) {
        HgSection *s = g_ptr_array_index(sections, i);
        if (strcmp(s->name, name) == 0)
            return s;
    }
    HgSection *s = g_new0(HgSection, 1);
    s->name = g_ascii_strup(name, -1);
    s->body = g_string_new(NULL);
    g_ptr_array_add(sections, s);
    return s;
}

/* State of the text-to-roff conversion. */
typedef enum HgMode {
    MODE_NONE,    /* between blocks: the next text line starts a paragraph */
    MODE_PARA,    /* inside a filled paragraph */
    MODE_EXAMPLE, /* inside .EX ... .EE */
    MODE_LIST,    /* inside a definition list item (.TP) */
} HgMode;

/* Converts free help text (a description, or the overview after its first paragraph) into roff
 * sections; commands (when not NULL) receives the first word of each "Commands:" term.
 * One pass over the lines: O(length). */
static void convert_text(char **lines, GPtrArray *sections, const char *first, GPtrArray *commands)
{
    HgSection *sec = section(sections, first);
    HgMode mode = MODE_NONE;
    gboolean list_heading = FALSE;     /* the current section came from a "Heading:" line (not Examples) */
    gboolean in_commands = FALSE;      /* that heading is "Commands:" */
    const char *prev_text = NULL;      /* last paragraph line, for the paragraph heuristic */
    for (char **lp = lines; *lp; lp++) {
        const char *line = *lp;
        int ind = indent_of(line);
        const char *s = line + ind;
        size_t len = strlen(s);
        if (len == 0) {
            if (mode == MODE_EXAMPLE)
                g_string_append(sec->body, ".EE\n.RE\n");
            mode = MODE_NONE;
            prev_text = NULL;
            continue;
        }
        if (ind == 0 && len > 1 && len < 30 && s[len - 1] == ':' && g_ascii_isupper(s[0])) {
            /* "Commands:", "Examples:": a section of its own. */
            if (mode == MODE_EXAMPLE)
                g_string_append(sec->body, ".EE\n.RE\n");
            g_autofree char *name = g_strndup(s, len - 1);
            sec = section(sections, name);
            list_heading = !g_str_has_prefix(name, "Example");
            in_commands = strcmp(name, "Commands") == 0;
            mode = MODE_NONE;
            prev_text = NULL;
            continue;
        }
        if (ind == 0 && g_str_has_prefix(s, "Usage: ")) {
            if (mode == MODE_EXAMPLE)
                g_string_append(sec->body, ".EE\n.RE\n");
            HgSection *syn = section(sections, "SYNOPSIS");
            const char *rest = s + strlen("Usage: ");
            const char *sp = strchr(rest, ' ');
            g_autofree char *prog = g_strndup(rest, sp ? (gsize)(sp - rest) : strlen(rest));
            g_string_append(syn->body, ".B ");
            roff_line(syn->body, prog);
            if (sp)
                roff_line(syn->body, sp + 1);
            mode = MODE_NONE;
            continue;
        }
        if (ind == 0 && g_str_has_prefix(s, "Exit status")) {
            if (mode == MODE_EXAMPLE)
                g_string_append(sec->body, ".EE\n.RE\n");
            sec = section(sections, "EXIT STATUS");
            list_heading = in_commands = FALSE;
            if (sec->body->len)
                g_string_append(sec->body, ".PP\n");
            roff_line(sec->body, s);
            mode = MODE_PARA;
            prev_text = s;
            continue;
        }
        if (ind > 0) {
            g_autofree char *term = NULL, *text = NULL;
            if (list_heading && ind == 2 && split_term(line, &term, &text)) {
                g_string_append(sec->body, ".TP\n");
                const char *sp = strchr(term, ' ');
                g_autofree char *word = g_strndup(term, sp ? (gsize)(sp - term) : strlen(term));
                g_string_append(sec->body, "\\fB");
                roff_text(sec->body, word);
                g_string_append(sec->body, "\\fR");
                if (sp)
                    roff_text(sec->body, sp);
                g_string_append_c(sec->body, '\n');
                roff_line(sec->body, text);
                if (in_commands && commands)
                    g_ptr_array_add(commands, g_steal_pointer(&word));
                mode = MODE_LIST;
                continue;
            }
            if (mode == MODE_LIST && ind > 2) {
                roff_line(sec->body, s);
                continue;
            }
            if (mode != MODE_EXAMPLE) {
                g_string_append(sec->body, sec->body->len == 0 ? ".RS 4\n.EX\n" : ".PP\n.RS 4\n.EX\n");
                mode = MODE_EXAMPLE;
            }
            /* Examples lose the text's indentation; a line continuing one ("... \\") keeps it. */
            gboolean continued = lp > lines && g_str_has_suffix(lp[-1], "\\");
            roff_line(sec->body, continued ? line : line + MIN(ind, 2));
            continue;
        }
        /* Plain text: a paragraph. A line after one that ended a sentence, starting with a capital,
         * starts a new paragraph (help text breaks its lines where a new point begins). */
        if (mode == MODE_EXAMPLE)
            g_string_append(sec->body, ".EE\n.RE\n");
        const char *colon = strstr(s, ": ");
        if (g_str_has_suffix(s, "\\") && lp[1] && indent_of(lp[1]) > 0 && colon) {
            /* "Example (...): arsim ... \" continued on indented lines: text, then the example. */
            g_autofree char *intro = g_strndup(s, (gsize)(colon - s + 1));
            g_string_append(sec->body, sec->body->len ? ".PP\n" : "");
            roff_line(sec->body, intro);
            g_string_append(sec->body, ".PP\n.RS 4\n.EX\n");
            roff_line(sec->body, colon + 2);
            mode = MODE_EXAMPLE;
            continue;
        }
        gboolean new_para = mode != MODE_PARA ||
                            (prev_text && g_str_has_suffix(prev_text, ".") && g_ascii_isupper(s[0]));
        if (new_para && sec->body->len)
            g_string_append(sec->body, ".PP\n");
        roff_line(sec->body, s);
        mode = MODE_PARA;
        prev_text = s;
    }
    if (mode == MODE_EXAMPLE)
        g_string_append(sec->body, ".EE\n.RE\n");
}

/* Parses "  -o, --output=FILE     help" (GOptionContext's layout). */
static HgOption *parse_option(const char *line)
{
    g_autofree char *spec = NULL, *help = NULL;
    if (!split_term(line, &spec, &help)) {
        /* An option without help text: the whole line is the spec. */
        spec = g_strstrip(g_strdup(line));
        help = g_strdup("");
    }
    HgOption *o = g_new0(HgOption, 1);
    g_auto(GStrv) names = g_strsplit(spec, ", ", -1);
    for (char **n = names; *n; n++) {
        char *eq = strchr(*n, '=');
        if (eq) {
            o->arg = g_strdup(eq + 1);
            *eq = '\0';
        }
        if (g_str_has_prefix(*n, "--"))
            o->longopt = g_strdup(*n);
        else if ((*n)[0] == '-') {
            char *sp = strchr(*n, ' '); /* a short-only option: "-x ARG" */
            if (sp && !o->arg) {
                o->arg = g_strdup(sp + 1);
                *sp = '\0';
            }
            o->shortopt = g_strdup(*n);
        } else
            die("cannot read the option line: %s", line);
    }
    o->help = g_steal_pointer(&help);
    return o;
}

/* Reads `arsim help COMMAND` (command != NULL) or `arsim help`. */
static HgHelp *read_help(const char *arsim, const char *command)
{
    g_autofree char *text = run_arsim(arsim, "help", command);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    HgHelp *h = g_new0(HgHelp, 1);
    h->command = g_strdup(command);
    h->options = g_ptr_array_new_with_free_func(option_free);
    h->sections = g_ptr_array_new_with_free_func(section_free);
    h->commands = g_ptr_array_new_with_free_func(g_free);
    section(h->sections, "DESCRIPTION"); /* first, even when empty */
    if (!command) {
        /* The overview: a first paragraph saying what arsim is, then free text. */
        if (!lines[0] || !g_str_has_prefix(lines[0], "arsim "))
            die("arsim help: expected a first line \"arsim ...\", got: %s", lines[0] ? lines[0] : "");
        g_autofree char *sum = g_strdup(lines[0] + strlen("arsim "));
        if (g_str_has_suffix(sum, "."))
            sum[strlen(sum) - 1] = '\0';
        h->summary = g_steal_pointer(&sum);
        convert_text(lines + 1, h->sections, "DESCRIPTION", h->commands);
        return h;
    }
    /* A command: GOptionContext's help. */
    if (!lines[0] || strcmp(lines[0], "Usage:") != 0 || !lines[1])
        die("arsim help %s: expected \"Usage:\" first", command);
    const char *u = lines[1] + indent_of(lines[1]);
    const char *sp = strchr(u, ' ');
    const char *dash = strstr(u, " - ");
    if (!sp || !dash || dash < sp)
        die("arsim help %s: expected \"  NAME [OPTION...] ARGS - SUMMARY\", got: %s", command, lines[1]);
    g_autofree char *args = g_strndup(sp + 1, (gsize)(dash - sp - 1));
    h->args = plain_usage(g_strstrip(args));
    h->summary = g_strdup(dash + 3);
    char **lp = lines + 2;
    for (;;) {
        while (*lp && **lp == '\0')
            lp++;
        if (!*lp || !g_str_has_suffix(*lp, "Options:") || indent_of(*lp) != 0)
            break;
        for (lp++; *lp && **lp; lp++)
            g_ptr_array_add(h->options, parse_option(*lp));
    }
    if (h->options->len == 0)
        die("arsim help %s: no options found (not GOptionContext's layout?)", command);
    convert_text(lp, h->sections, "DESCRIPTION", NULL);
    return h;
}

/* "arsim-run" for run, "arsim" for the overview. */
static char *page_name(const char *command)
{
    return command ? g_strconcat("arsim-", command, NULL) : g_strdup("arsim");
}

/* Writes the roff page of h; version is arsim's; commands lists every command page (overview). */
static GString *man_page(const HgHelp *h, const char *version, char **commands)
{
    g_autofree char *name = page_name(h->command);
    g_autofree char *title = g_ascii_strup(name, -1);
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, ".\\\" %s(1) - generated from `arsim help%s%s` by dist/helpgen.c; do not edit.\n",
                           name, h->command ? " " : "", h->command ? h->command : "");
    g_string_append_printf(out, ".TH %s 1 \"\" \"arsim %s\" \"arsim manual\"\n", title, version);
    g_string_append(out, ".SH NAME\n");
    roff_text(out, name);
    g_string_append(out, " \\- ");
    roff_line(out, h->summary);
    if (h->command) {
        g_string_append(out, ".SH SYNOPSIS\n.B arsim ");
        roff_line(out, h->command);
        roff_line(out, h->args);
    }
    for (guint i = 0; i < h->sections->len; i++) {
        const HgSection *s = g_ptr_array_index(h->sections, i);
        if (s->body->len) {
            g_string_append(out, ".SH ");
            g_string_append(out, strchr(s->name, ' ') ? "\"" : "");
            g_string_append(out, s->name);
            g_string_append(out, strchr(s->name, ' ') ? "\"\n" : "\n");
            g_string_append_len(out, s->body->str, (gssize)s->body->len);
        }
        if (i == 0 && h->options->len) {
            /* OPTIONS right after DESCRIPTION (before the SYNOPSIS the overview may add too). */
            g_string_append(out, ".SH OPTIONS\n");
            for (guint j = 0; j < h->options->len; j++) {
                const HgOption *o = g_ptr_array_index(h->options, j);
                g_string_append(out, ".TP\n");
                roff_option_term(out, o);
                roff_line(out, o->help);
            }
        }
    }
    g_string_append(out, ".SH \"SEE ALSO\"\n");
    if (h->command)
        g_string_append(out, ".BR arsim (1)\n");
    else
        for (char **c = commands; *c; c++)
            g_string_append_printf(out, ".BR arsim\\-%s (1)%s\n", *c, c[1] ? "," : "");
    return out;
}

/* The overview's SYNOPSIS section comes out of the text after DESCRIPTION: move it to the front,
 * where man pages keep it. */
static void synopsis_first(HgHelp *h)
{
    for (guint i = 0; i < h->sections->len; i++) {
        HgSection *s = g_ptr_array_index(h->sections, i);
        if (strcmp(s->name, "SYNOPSIS") == 0 && i > 0) {
            g_ptr_array_steal_index(h->sections, i);
            g_ptr_array_insert(h->sections, 0, s);
            return;
        }
    }
}

static void write_file(const char *path, const GString *text)
{
    g_autoptr(GError) e = NULL;
    if (!g_file_set_contents(path, text->str, (gssize)text->len, &e))
        die("%s", e->message);
}

/* Checks that the commands the overview lists (but help) are exactly the pages meson installs. */
static void check_commands(const HgHelp *overview, char **commands)
{
    for (guint i = 0; i < overview->commands->len; i++) {
        const char *c = g_ptr_array_index(overview->commands, i);
        if (strcmp(c, "help") != 0 && !g_strv_contains((const char *const *)commands, c))
            die("`arsim help` lists the command \"%s\", which has no man page: add it to dist/meson.build", c);
    }
    for (char **c = commands; *c; c++) {
        gboolean found = FALSE;
        for (guint i = 0; i < overview->commands->len && !found; i++)
            found = strcmp(g_ptr_array_index(overview->commands, i), *c) == 0;
        if (!found)
            die("dist/meson.build names the command \"%s\", which `arsim help` does not list", *c);
    }
}

/* How an option's value, or a command's operands, complete: from the name the help gives them. */
static const char *value_kind(const char *arg)
{
    if (!arg)
        return NULL;
    if (g_str_has_suffix(arg, ".json") || strstr(arg, ".json]"))
        return "scenario";
    if (strstr(arg, "FILE") || strstr(arg, "OUT"))
        return "file";
    const char *dot = strrchr(arg, '.');
    if (dot && dot[1] && g_ascii_islower(dot[1]))
        return "file"; /* "report.html" */
    return "value";
}

/* Appends s single-quoted for bash. */
static void sh_quote(GString *out, const char *s)
{
    g_autofree char *q = g_shell_quote(s);
    g_string_append(out, q);
}

/* The bash completion script: commands, each command's options, option values and operands. */
static GString *completion(HgHelp **helps, char **commands)
{
    GString *out = g_string_new(NULL);
    g_string_append(out,
        "# bash completion for arsim: commands, options, scenario files.\n"
        "# Generated at build time from `arsim help` by dist/helpgen.c; do not edit.\n\n");
    g_string_append(out, "_arsim_commands=");
    g_autofree char *all = g_strjoinv(" ", commands);
    g_autofree char *with_help = g_strconcat(all, " help", NULL);
    sh_quote(out, with_help);
    g_string_append(out, "\n\n# _arsim_options COMMAND: its options, as `arsim help COMMAND` lists them.\n"
                         "_arsim_options() {\n    case \"$1\" in\n");
    for (guint i = 0; commands[i]; i++) {
        g_autoptr(GString) opts = g_string_new(NULL);
        for (guint j = 0; j < helps[i]->options->len; j++) {
            const HgOption *o = g_ptr_array_index(helps[i]->options, j);
            g_string_append_printf(opts, "%s%s%s%s", opts->len ? " " : "", o->shortopt ? o->shortopt : "",
                                   o->shortopt && o->longopt ? " " : "", o->longopt ? o->longopt : "");
        }
        g_string_append_printf(out, "    %s) printf '%%s\\n' ", commands[i]);
        sh_quote(out, opts->str);
        g_string_append(out, " ;;\n");
    }
    g_string_append(out, "    esac\n}\n\n"
                         "# _arsim_value COMMAND OPTION: what OPTION's value is: scenario, file, value, or nothing\n"
                         "# when it takes none.\n"
                         "_arsim_value() {\n    case \"$1 $2\" in\n");
    for (guint i = 0; commands[i]; i++) {
        for (guint j = 0; j < helps[i]->options->len; j++) {
            const HgOption *o = g_ptr_array_index(helps[i]->options, j);
            const char *kind = value_kind(o->arg);
            if (!kind)
                continue;
            g_string_append(out, "    ");
            if (o->shortopt)
                g_string_append_printf(out, "'%s %s'%s", commands[i], o->shortopt, o->longopt ? "|" : "");
            if (o->longopt)
                g_string_append_printf(out, "'%s %s'", commands[i], o->longopt);
            g_string_append_printf(out, ") echo %s ;;\n", kind);
        }
    }
    g_string_append(out, "    esac\n}\n\n"
                         "# _arsim_operands COMMAND: what its operands are (scenario), or nothing.\n"
                         "_arsim_operands() {\n    case \"$1\" in\n");
    for (guint i = 0; commands[i]; i++) {
        /* "FILE", "FILE...", "A.json [B.json]", "FILE -o OUT": scenario files. */
        const char *a = helps[i]->args;
        if (strstr(a, "FILE") || strstr(a, ".json"))
            g_string_append_printf(out, "    %s) echo scenario ;;\n", commands[i]);
    }
    g_string_append(out,
        "    esac\n}\n\n"
        "# _arsim_files WORD [scenario]: file names (scenario: directories and *.json) completing WORD.\n"
        "_arsim_files() {\n"
        "    local IFS=$'\\n'\n"
        "    compopt -o filenames 2>/dev/null\n"
        "    if [[ $2 == scenario ]]; then\n"
        "        COMPREPLY=($(compgen -d -- \"$1\") $(compgen -f -X '!*.json' -- \"$1\"))\n"
        "    else\n"
        "        COMPREPLY=($(compgen -f -- \"$1\"))\n"
        "    fi\n"
        "}\n\n"
        "_arsim() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} cmd= opt= kind= i\n"
        "    COMPREPLY=()\n"
        "    # The command: the first word after arsim that is not an option.\n"
        "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "        if [[ ${COMP_WORDS[i]} != -* ]]; then\n"
        "            cmd=${COMP_WORDS[i]}\n"
        "            break\n"
        "        fi\n"
        "    done\n"
        "    if [[ -z $cmd ]]; then\n"
        "        if [[ $cur == -* ]]; then\n"
        "            mapfile -t COMPREPLY < <(compgen -W '--help --version' -- \"$cur\")\n"
        "        else\n"
        "            mapfile -t COMPREPLY < <(compgen -W \"$_arsim_commands\" -- \"$cur\")\n"
        "        fi\n"
        "        return 0\n"
        "    fi\n"
        "    if [[ $cmd == help ]]; then\n"
        "        ((COMP_CWORD == i + 1)) && mapfile -t COMPREPLY < <(compgen -W \"${_arsim_commands% help}\" -- \"$cur\")\n"
        "        return 0\n"
        "    fi\n"
        "    # An option's value: \"--opt VALUE\", or \"--opt=VALUE\" (which bash splits into --opt, =, VALUE).\n"
        "    if [[ $cur == = ]]; then\n"
        "        opt=${COMP_WORDS[COMP_CWORD - 1]}\n"
        "        cur=\n"
        "    elif ((COMP_CWORD >= 2)) && [[ ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then\n"
        "        opt=${COMP_WORDS[COMP_CWORD - 2]}\n"
        "    elif [[ ${COMP_WORDS[COMP_CWORD - 1]} == -* ]]; then\n"
        "        opt=${COMP_WORDS[COMP_CWORD - 1]}\n"
        "    fi\n"
        "    [[ -n $opt ]] && kind=$(_arsim_value \"$cmd\" \"$opt\")\n"
        "    case $kind in\n"
        "    scenario | file) _arsim_files \"$cur\" \"$kind\" ;;\n"
        "    value) ;;\n"
        "    *)\n"
        "        if [[ $cur == -* ]]; then\n"
        "            mapfile -t COMPREPLY < <(compgen -W \"$(_arsim_options \"$cmd\")\" -- \"$cur\")\n"
        "        elif [[ -n $(_arsim_operands \"$cmd\") ]]; then\n"
        "            _arsim_files \"$cur\" scenario\n"
        "        fi\n"
        "        ;;\n"
        "    esac\n"
        "    return 0\n"
        "}\n"
        "complete -F _arsim arsim\n");
    return out;
}

int main(int argc, char **argv)
{
    g_autofree char *arsim = NULL, *mandir = NULL, *compfile = NULL;
    GOptionEntry entries[] = {
        { "arsim", 0, 0, G_OPTION_ARG_FILENAME, &arsim, "The arsim executable to ask", "PATH" },
        { "man", 0, 0, G_OPTION_ARG_FILENAME, &mandir, "Write arsim.1 and arsim-COMMAND.1 into DIR", "DIR" },
        { "completion", 0, 0, G_OPTION_ARG_FILENAME, &compfile, "Write the bash completion script to FILE", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("COMMAND... - man pages and bash completion from arsim help");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &e))
        die("%s", e->message);
    if (!arsim || (!mandir == !compfile) || argc < 2)
        die("usage: helpgen --arsim ARSIM (--man DIR | --completion FILE) COMMAND...");
    char **commands = argv + 1;

    g_autoptr(HgHelp) overview = read_help(arsim, NULL);
    check_commands(overview, commands);
    guint n = (guint)argc - 1;
    HgHelp **helps = g_new0(HgHelp *, n);
    for (guint i = 0; i < n; i++)
        helps[i] = read_help(arsim, commands[i]);

    if (mandir) {
        /* "arsim 0.1.0" is the first line of `arsim --version`. */
        g_autofree char *v = run_arsim(arsim, "--version", NULL);
        char *nl = strchr(v, '\n');
        if (!g_str_has_prefix(v, "arsim ") || !nl)
            die("arsim --version: expected \"arsim VERSION\" first");
        *nl = '\0';
        synopsis_first(overview);
        g_autoptr(GString) top = man_page(overview, v + strlen("arsim "), commands);
        g_autofree char *top_path = g_build_filename(mandir, "arsim.1", NULL);
        write_file(top_path, top);
        for (guint i = 0; i < n; i++) {
            g_autoptr(GString) page = man_page(helps[i], v + strlen("arsim "), commands);
            g_autofree char *base = g_strconcat("arsim-", commands[i], ".1", NULL);
            g_autofree char *path = g_build_filename(mandir, base, NULL);
            write_file(path, page);
        }
    } else {
        g_autoptr(GString) script = completion(helps, commands);
        write_file(compfile, script);
    }
    for (guint i = 0; i < n; i++)
        help_free(helps[i]);
    g_free(helps);
    return 0;
}

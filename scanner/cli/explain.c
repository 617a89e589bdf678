#include "explain.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "message.h"
#include "common.h"
#include "escape.h"
#include "input.h"
#include "abuse-report.h"
#include "json.h"
#include "mt-limits.h"
#include "online.h"
#include "ordered-pool.h"
#include "progress-bar.h"
#include "sources.h"
#include "text.h"

typedef struct {
  const MtEngine *engine;
  const MtInvestigator *online; /* (nullable) --online */
  gboolean abuse_report;        /* print an ARF report instead of the explanation */
  gboolean json;
  guint printed;
  int status;
  MtProgressBar *bar; /* (nullable) */
  guint args, arg;    /* the operands, and the one being read */
} Explainer;

typedef struct {
  GString *report; /* (nullable) the text or JSON to print (an mbox: one a message) */
  GString *error;  /* (nullable) what could not be explained, for stderr, a line each */
  int status;      /* with @error: EX_NOINPUT (unreadable) or EX_DATAERR (not mail) */
  guint messages;  /* reports in @report */
} Explained;

/* Appends @text to *@to as a line of its own (the first creates the string). */
static void
add_line(GString **to, const char *text)
{
  if (*to == NULL)
    *to = g_string_new(NULL);
  else
    g_string_append_c(*to, '\n');
  g_string_append(*to, text);
}

/* One message to explain: a file the worker reads, or one already read from an mbox, a
 * Maildir or a directory. */
typedef struct {
  char *name;
  GBytes *data; /* (nullable) NULL: read @name */
} Input;

static void
input_free(Input *in)
{
  g_free(in->name);
  if (in->data != NULL)
    g_bytes_unref(in->data);
  g_free(in);
}

/* One message's report appended to @r->report, or why there is none to @r->error. */
static void
explain_one(const Explainer *x, const char *name, const char *data, gsize len, Explained *r)
{
  if (!mt_message_looks_like_mail(data, len)) {
    g_autofree char *why = g_strdup_printf("%s: not a mail message", name);
    add_line(&r->error, why);
    r->status = EX_DATAERR;
    if (x->json) { /* a line for every input, so that lines and inputs still match */
      g_autofree char *line = mt_report_json_error_line(name, why);
      add_line(&r->report, line);
    }
    return;
  }
  g_autoptr(MtAnalysis) a = mt_analyse(x->engine, data != NULL ? data : "", len);
  if (x->online != NULL)
    mt_investigate(x->online, x->engine, a, 0);
  if (x->abuse_report) {
    g_autoptr(GError) err = NULL;
    g_autofree char *arf = mt_abuse_report(a, data, len, &err);
    if (arf == NULL) {
      g_autofree char *why = g_strdup_printf("%s: %s", name, err->message);
      add_line(&r->error, why);
      r->status = 1; /* a negative answer: nobody to report to */
      return;
    }
    add_line(&r->report, arf);
    r->messages++;
    return;
  }
  g_autofree char *one = x->json ? mt_report_json_line(a, name)
                                 : mt_report_text(a, name, mt_engine_config(x->engine)->policy.threshold);
  add_line(&r->report, one);
  r->messages++;
}

typedef struct {
  const Explainer *x;
  Explained *r;
} Many;

static gboolean
explain_each(const char *name, const char *data, gsize len, gpointer user)
{
  Many *m = user;
  explain_one(m->x, name, data, len, m->r);
  return TRUE;
}

/* What mt_input_read() returns begins like an mbox and goes on past its first message, or
 * fills the whole read (the rest of the file may hold more): no stat(2) a file. */
static gboolean
is_mbox_of_many(const char *data, gsize len)
{
  if (mt_message_mbox_line(data, len) == 0)
    return FALSE;
  for (const char *p = memchr(data, '\n', len); p != NULL && (gsize)(p - data) + 6 <= len;
       p = memchr(p + 1, '\n', len - (gsize)(p + 1 - data)))
    if (mt_message_mbox_line(p + 1, len - (gsize)(p + 1 - data)) > 0)
      return TRUE;
  return len >= MT_MAX_MESSAGE_BYTES;
}

/* On a worker: read, analyse (the store is only read) and write the report. An mbox of several
 * messages is read whole here and gives one report a message, in order. */
static gpointer
read_and_analyse(gpointer item, gpointer user)
{
  const Input *in = item;
  const char *path = in->name;
  Explainer *x = user;
  Explained *r = g_new0(Explained, 1);
  g_autoptr(GError) err = NULL;
  g_autoptr(GBytes) bytes = in->data != NULL ? g_bytes_ref(in->data) : mt_input_read(path, &err);
  if (bytes == NULL) {
    add_line(&r->error, err->message);
    r->status = EX_NOINPUT;
    return r;
  }
  gsize len = 0;
  const char *data = g_bytes_get_data(bytes, &len);
  if (in->data == NULL && strcmp(path, "-") != 0 && is_mbox_of_many(data, len)) {
    guint errors = 0;
    Many m = {x, r};
    mt_sources_foreach(path, explain_each, &m, &errors);
    if (errors > 0)
      r->status = EX_NOINPUT;
    return r;
  }
  explain_one(x, path, data, len, r);
  return r;
}

/* In input order, on the main thread. */
static void
report(gpointer item, gpointer result, gpointer user)
{
  Explainer *x = user;
  Explained *r = result;
  if (r->error != NULL) {
    g_auto(GStrv) lines = g_strsplit(r->error->str, "\n", -1); /* one a message of an mbox */
    for (guint i = 0; lines[i] != NULL; i++) {
      g_autofree char *shown = mt_escape_controls(lines[i]);
      fprintf(stderr, "mailtrace: %s\n", shown);
    }
    if (x->json && r->report == NULL) { /* a line for every input, so lines and inputs match */
      g_autofree char *line =
          mt_report_json_error_line(((const Input *)item)->name, r->error->str);
      printf("%s\n", line);
    }
  }
  if (r->status != 0 && x->status != EX_NOINPUT) /* unreadable says more than not mail */
    x->status = r->status;
  if (r->report != NULL) {
    printf("%s%s%s", !x->json && x->printed > 0 ? "\n" : "", r->report->str, x->json ? "\n" : "");
    x->printed += MAX(r->messages, 1u);
  }
  if (r->report != NULL)
    g_string_free(r->report, TRUE);
  if (r->error != NULL)
    g_string_free(r->error, TRUE);
  g_free(r);
  input_free(item);
  mt_progress_bar_show(x->bar, "explain", (double)x->arg / x->args, x->printed);
}

/* Directories are read here, message by message, the way learn reads them. */
typedef struct {
  MtOrderedPool *pool;
  guint pushed; /* messages found in the directory */
} DirRead;

static gboolean
push_read(const char *name, const char *data, gsize len, gpointer user)
{
  DirRead *d = user;
  Input *in = g_new0(Input, 1);
  in->name = g_strdup(name);
  in->data = g_bytes_new(data, len);
  mt_ordered_pool_push(d->pool, in);
  d->pushed++;
  return TRUE;
}

int
mt_cmd_explain(int argc, char **argv)
{
  gboolean json = FALSE, online = FALSE, abuse_report = FALSE;
  gint threads = 0;
  g_auto(GStrv) files = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"json", 'j', 0, G_OPTION_ARG_NONE, &json, "One JSON object per message, one per line", NULL},
      {"online", 'o', 0, G_OPTION_ARG_NONE, &online,
       "Also look up DNS (PTR, forward, HELO) and RDAP (domain age, network owner) ([online])",
       NULL},
      {"abuse-report", 0, 0, G_OPTION_ARG_NONE, &abuse_report,
       "Print an abuse report (RFC 5965) to the origin network's abuse contact, to review and "
       "send yourself (implies --online)",
       NULL},
      {"threads", 0, 0, G_OPTION_ARG_INT, &threads,
       "Analyse on N threads (default: one per core; the output keeps the input order)", "N"},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("— explain who really sent each message");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "explain", &argc, &argv))
    return EX_USAGE;
  if (files == NULL || files[0] == NULL) {
    fprintf(stderr, "mailtrace explain: name at least one message file, or - for stdin\n");
    return EX_USAGE;
  }
  if (threads < 0) {
    fprintf(stderr, "mailtrace explain: --threads wants 0 (one per core) or more\n");
    return EX_USAGE;
  }
  if (abuse_report && json) {
    fprintf(stderr, "mailtrace explain: --abuse-report prints a message, not JSON\n");
    return EX_USAGE;
  }
  online = online || abuse_report;
  int status = 0;
  /* online, the store keeps the answers (lookup-cache.h): create it if needed */
  g_autoptr(MtEngine) engine = mt_cli_engine_checked(
      &c, online ? MT_STORE_WRITE : MT_STORE_READ, online ? mt_cli_online_check : NULL, NULL,
      &status);
  if (engine == NULL)
    return status;
  g_autoptr(MtInvestigator) investigator = online ? mt_cli_investigator(engine, c.quiet) : NULL;
  if (online && investigator == NULL)
    return EX_CONFIG;
  /* a progress bar only when the reports go elsewhere than the terminal it is drawn on */
  g_autoptr(MtProgressBar) bar = !c.quiet && !isatty(STDOUT_FILENO) ? mt_progress_bar_new() : NULL;
  Explainer x = {.engine = engine, .online = investigator, .abuse_report = abuse_report,
                 .json = json, .bar = bar, .args = g_strv_length(files)};
  /* one message file: a pool would gain nothing */
  gboolean one = files[1] == NULL && !g_file_test(files[0], G_FILE_TEST_IS_DIR);
  MtOrderedPool *pool =
      mt_ordered_pool_new(one ? 1 : (guint)threads, read_and_analyse, report, &x);
  for (guint i = 0; files[i] != NULL; i++) {
    x.arg = i;
    /* a file is read on a worker (an mbox of several messages included); a directory here */
    if (!g_file_test(files[i], G_FILE_TEST_IS_DIR)) {
      Input *in = g_new0(Input, 1);
      in->name = g_strdup(files[i]);
      mt_ordered_pool_push(pool, in);
      continue;
    }
    guint errors = 0;
    DirRead d = {.pool = pool};
    mt_sources_foreach(files[i], push_read, &d, &errors);
    if (d.pushed == 0 && errors == 0) /* an empty folder read as nothing to say, exit 0 */
      fprintf(stderr, "mailtrace: %s: no messages found\n", files[i]);
    if (errors > 0 || d.pushed == 0)
      x.status = EX_NOINPUT;
  }
  x.arg = x.args;
  mt_ordered_pool_finish(pool);
  g_clear_pointer(&bar, mt_progress_bar_free);
  fflush(stdout);
  return x.status;
}

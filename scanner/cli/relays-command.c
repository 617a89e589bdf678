#include "relays-command.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common.h"
#include "escape.h"
#include "json.h"
#include "relays.h"

static void
print_json(const MtRelay *r)
{
  g_autoptr(GString) line = g_string_sized_new(128);
  MtJsonWriter w;
  mt_json_init(&w, line);
  mt_report_json_begin_line(&w);
  mt_json_member_string(&w, "domain", r->domain);
  mt_json_member_int(&w, "messages", r->messages);
  mt_json_member_bool(&w, "trusted", r->trusted);
  mt_json_member_bool(&w, "forgotten", r->forgotten);
  mt_json_end_object(&w);
  printf("%s\n", line->str);
}

static void
print_text(const MtRelay *r)
{
  g_autofree char *domain = mt_escape_controls(r->domain);
  printf("%6u  %s%s\n", r->messages, domain,
         r->forgotten ? " (forgotten)" : r->trusted ? " (trusted)" : "");
}

static int
list(MtStore *store, gboolean json)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(GPtrArray) all = mt_relays_list(store, &err);
  void (*print)(const MtRelay *) = json ? print_json : print_text;
  for (guint i = 0; all != NULL && i < all->len; i++)
    print(g_ptr_array_index(all, i));
  if (all == NULL)
    fprintf(stderr, "mailtrace relays: %s\n", err->message);
  return all != NULL ? 0 : EX_IOERR;
}

static int
forget(MtStore *store, const char *domain)
{
  g_autofree char *lower = g_ascii_strdown(domain, -1);
  gboolean found = FALSE;
  g_autoptr(GError) err = NULL;
  if (!mt_relays_forget(store, lower, &found, &err)) {
    fprintf(stderr, "mailtrace relays: %s\n", err->message);
    return EX_IOERR;
  }
  g_autofree char *shown = mt_escape_controls(lower);
  printf("%s %s: it is not trusted as your relay from now on\n",
         found ? "forgot" : "never learned; kept out anyway:", shown);
  return 0;
}

int
mt_cmd_relays(int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) args = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  if (!mt_cli_parse_verb("relays", "list|forget DOMAIN — the receiving relays learned as yours",
                         &argc, &argv, &c, &json, &args))
    return EX_USAGE;
  guint n = args != NULL ? g_strv_length(args) : 0;
  const char *verb = n > 0 ? args[0] : "list";
  if (!((strcmp(verb, "list") == 0 && n <= 1) || (strcmp(verb, "forget") == 0 && n == 2))) {
    fprintf(stderr, "mailtrace relays: list | forget DOMAIN\n");
    return EX_USAGE;
  }
  /* listing never creates the store; forgetting records the domain, so it may */
  gboolean listing = strcmp(verb, "list") == 0;
  int status = 0;
  g_autoptr(MtEngine) engine =
      mt_cli_store_engine(&c, listing ? MT_STORE_READ : MT_STORE_WRITE, &status);
  if (engine == NULL)
    return status;
  if (listing)
    return mt_engine_store(engine) != NULL ? list(mt_engine_store(engine), json) : 0;
  return forget(mt_engine_store(engine), args[1]);
}

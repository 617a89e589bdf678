#include "contacts-command.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "common.h"
#include "escape.h"
#include "fingerprint.h"
#include "json.h"
#include "text.h"

static int
list(MtStore *store, gboolean json)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(GPtrArray) all = mt_store_list(store, &err);
  if (all == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    return EX_IOERR;
  }
  for (guint i = 0; i < all->len; i++) {
    const MtProfile *p = g_ptr_array_index(all, i);
    if (json) {
      g_autofree char *line = mt_report_profile_json_line(p);
      printf("%s\n", line);
    } else {
      g_autofree char *address = mt_escape_controls(p->address);
      printf("%6u  %s%s\n", p->messages, address, p->spam ? " (spam reported)" : "");
    }
  }
  return 0;
}

static int
show(MtStore *store, const char *address, gboolean json)
{
  g_autofree char *norm = mt_address_normalize(address);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtProfile) p = norm != NULL ? mt_store_profile(store, norm, &err) : NULL;
  if (p == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err != NULL ? err->message : "no such contact");
    return 1;
  }
  if (json) {
    g_autofree char *line = mt_report_profile_json_line(p);
    printf("%s\n", line);
  } else {
    g_autofree char *text = mt_report_profile_text(p);
    fputs(text, stdout);
  }
  return 0;
}

static int
forget(MtStore *store, const char *address)
{
  g_autofree char *norm = mt_address_normalize(address);
  gboolean found = FALSE;
  g_autoptr(GError) err = NULL;
  if (norm == NULL || !mt_store_forget(store, norm, &found, &err)) {
    fprintf(stderr, "mailtrace: %s\n", err != NULL ? err->message : "not an address");
    return norm == NULL ? EX_USAGE : EX_IOERR;
  }
  if (!found) {
    fprintf(stderr, "mailtrace: no such contact: %s\n", norm);
    return 1;
  }
  printf("forgot %s\n", norm);
  return 0;
}

int
mt_cmd_contacts(int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) args = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  if (!mt_cli_parse_verb("contacts", "list|show ADDRESS|forget ADDRESS", &argc, &argv, &c, &json,
                         &args))
    return EX_USAGE;
  guint n = args != NULL ? g_strv_length(args) : 0;
  const char *verb = n > 0 ? args[0] : "";
  gboolean ok = (strcmp(verb, "list") == 0 && n == 1) ||
                ((strcmp(verb, "show") == 0 || strcmp(verb, "forget") == 0) && n == 2);
  if (!ok) {
    fprintf(stderr, "mailtrace contacts: list | show ADDRESS | forget ADDRESS\n");
    return EX_USAGE;
  }
  /* reading the contacts never creates the store; forgetting needs one that exists */
  int status = 0;
  g_autoptr(MtEngine) engine = mt_cli_store_engine(&c, MT_STORE_READ, &status);
  if (engine == NULL)
    return status;
  MtStore *store = mt_engine_store(engine);
  if (store == NULL && strcmp(verb, "list") != 0) {
    fprintf(stderr, "mailtrace: no such contact: nothing has been learned yet\n");
    return 1;
  }
  if (store == NULL)
    return 0; /* no contact yet */
  if (strcmp(verb, "list") == 0)
    return list(store, json);
  if (strcmp(verb, "show") == 0)
    return show(store, args[1], json);
  return forget(store, args[1]);
}

#include "lookups.h"

static void
fact_free(gpointer data)
{
  MtLookupFact *f = data;
  g_free(f->subject);
  g_free(f->kind);
  g_free(f->text);
  g_free(f->command);
  g_free(f);
}

MtLookups *
mt_lookups_new(void)
{
  MtLookups *l = g_new0(MtLookups, 1);
  l->facts = g_ptr_array_new_with_free_func(fact_free);
  l->notes = g_ptr_array_new_with_free_func(g_free);
  return l;
}

void
mt_lookups_free(MtLookups *l)
{
  if (l == NULL)
    return;
  g_ptr_array_unref(l->facts);
  g_ptr_array_unref(l->notes);
  g_free(l->origin_ip);
  g_free(l->abuse_email);
  g_free(l->network_name);
  g_free(l);
}

MtLookupFact *
mt_lookups_add(MtLookups *l, MtLookupSource source, gint64 at, const char *kind,
               const char *subject, const char *command, const char *fmt, ...)
{
  MtLookupFact *f = g_new0(MtLookupFact, 1);
  f->source = source;
  f->at = at;
  f->kind = g_strdup(kind);
  f->subject = g_strdup(subject);
  f->command = g_strdup(command);
  va_list ap;
  va_start(ap, fmt);
  f->text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(l->facts, f);
  return f;
}

void
mt_lookups_note(MtLookups *l, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(l->notes, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

const char *
mt_lookup_source_name(MtLookupSource source)
{
  switch (source) {
  case MT_LOOKUP_NOW:
    return "looked up now";
  case MT_LOOKUP_CACHED:
    return "cached";
  case MT_LOOKUP_HEADERS:
    return "recorded in the headers";
  }
  return "?";
}

#include "message-reader.h"

/* GMime is initialised once per process; each thread keeps its own parser and options. */

static gpointer
init_gmime(gpointer unused)
{
  g_mime_init();
  return NULL;
}

void
mt_message_library_init(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, init_gmime, NULL);
}

static void
reader_free(gpointer p)
{
  Reader *r = p;
  g_object_unref(r->parser);
  g_mime_parser_options_free(r->options);
  g_free(r);
}

static GPrivate thread_reader = G_PRIVATE_INIT(reader_free);

Reader *
mt_message_reader(void)
{
  Reader *r = g_private_get(&thread_reader);
  if (r == NULL) {
    mt_message_library_init();
    r = g_new0(Reader, 1);
    r->parser = g_mime_parser_new();
    r->options = g_mime_parser_options_new();
    /* Undeclared 8-bit text: UTF-8 when it is valid, else windows-1252, as mail readers do. */
    static const char *fallback[] = {"utf-8", "windows-1252", NULL};
    g_mime_parser_options_set_fallback_charsets(r->options, fallback);
    g_private_set(&thread_reader, r);
  }
  return r;
}

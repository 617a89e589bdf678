/* The ceiling for bench/imap.sh: the same UID FETCH batches as `mailtrace scan` (UID, FLAGS,
 * RFC822.SIZE, BODY.PEEK[]<0.65536>, 200 per batch, EXAMINE) with nothing done with the
 * answers: how fast the server and libetpan deliver the mail. Prints the messages read.
 * Usage: MAILTRACE_PASSWORD=... imap-ceiling HOST PORT CA_FILE USER FOLDER */
#include <stdio.h>
#include <stdlib.h>

#include "imap-fetch.h"

static void
count(const MtImapMessage *m, gpointer user)
{
  guint *n = user;
  *n += m->len > 0;
}

int
main(int argc, char **argv)
{
  const char *password = g_getenv("MAILTRACE_PASSWORD");
  if (argc != 6 || password == NULL) {
    fprintf(stderr, "usage: MAILTRACE_PASSWORD=... imap-ceiling HOST PORT CA USER FOLDER\n");
    return 2;
  }
  g_autoptr(GError) err = NULL;
  g_autoptr(MtImapSession) s =
      mt_imap_connect(argv[1], (guint16)atoi(argv[2]), MT_IMAP_STARTTLS, argv[3], 30, &err);
  MtImapFolder f;
  if (s == NULL || !mt_imap_login(s, argv[4], password, &err) ||
      !mt_imap_open_folder(s, argv[5], TRUE, &f, &err)) {
    fprintf(stderr, "imap-ceiling: %s\n", err->message);
    return 1;
  }
  guint n = 0;
  if (!mt_imap_fetch_from(s, 1, count, &n, &err)) {
    fprintf(stderr, "imap-ceiling: %s\n", err->message);
    return 1;
  }
  printf("%u\n", n);
  return 0;
}

/* The first mailbox of an address header (From, Sender, Reply-To): RFC 5322 §3.4 read the way
 * mail readers show it, with the obsolete `addr (Name)` form and encoded or quoted names. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;    /* (nullable) decoded display name, UTF-8 */
  char *address; /* (nullable) addr-spec, lower-case */
  char *written; /* (nullable) the same as written: a capital I may pass for an l */
  char *charset; /* (nullable) charset the display name was encoded in */
} MtAddress;

/* The first mailbox of @raw (a header value, folded or not); groups are skipped, as they name
 * no sender. Returns: (transfer full) (nullable): NULL when there is none */
MtAddress *mt_address_first_mailbox(const char *raw, gsize len);
void mt_address_free(MtAddress *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAddress, mt_address_free)

G_END_DECLS

/* The first mailbox of an address header (From, Sender, Reply-To), read by GMime as mail
 * readers show it (address.c says which broken forms it mends). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;    /* (nullable) decoded display name, UTF-8 */
  char *address; /* (nullable) addr-spec, lower-case */
  char *written; /* (nullable) the same as written: a capital I may pass for an l */
  char *charset; /* (nullable) charset the display name was encoded in */
} MtAddress;

void mt_address_free(MtAddress *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAddress, mt_address_free)

/* The first mailbox of @value (a header value, folded or not); groups are skipped, as they
 * name no sender. Returns: (transfer full) (nullable) */
MtAddress *mt_address_first_mailbox(const char *value);

/* Every mailbox address of @value, lower case, in order, those inside groups included: where
 * replies go (a Reply-To may name the contact's own address and, after it, the impostor's).
 * At most MT_MAX_REPLY_ADDRESSES. Returns: (transfer full): char*, possibly empty */
GPtrArray *mt_address_all_mailboxes(const char *value);
#define MT_MAX_REPLY_ADDRESSES 32

G_END_DECLS

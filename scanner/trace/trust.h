/* Which relays are the user's own, and which outgoing servers belong to known senders.
 * Filled from the `[trust]` group of the configuration (rules/config) or left empty, in
 * which case the boundary is guessed (see mt_trace_build). */
#pragma once

#include <glib.h>

#include "received.h"

G_BEGIN_DECLS

typedef struct _MtTrust MtTrust;

/* Returns: (transfer full): an empty trust set, i.e. a guessed boundary. */
MtTrust *mt_trust_new(void);
void mt_trust_free(MtTrust *trust);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtTrust, mt_trust_free)

/* Adds a host pattern (`mx.example.net`, `*.mail.example.net`) or a CIDR (`192.0.2.0/24`)
 * to the user's relays (@sender FALSE) or to the outgoing servers of senders (@sender TRUE).
 * Returns FALSE with @error set when @entry is neither. */
gboolean mt_trust_add(MtTrust *trust, const char *entry, gboolean sender, GError **error);

/* Whether private (RFC 1918 ...) clients count as our own relays; default TRUE. */
void mt_trust_set_private(MtTrust *trust, gboolean trust_private);

/* Whether any of the user's relays were configured: the boundary is then not guessed. */
gboolean mt_trust_is_configured(const MtTrust *trust);

/* Whether the client of @hop is one of the user's relays. @local_domain (nullable) is the
 * guessed registered domain of the user's provider, used when nothing is configured. */
gboolean mt_trust_is_relay(const MtTrust *trust, const MtHop *hop, const char *local_domain);

/* Whether the client of @hop is configured as a sender's own outgoing server. */
gboolean mt_trust_is_sender_relay(const MtTrust *trust, const MtHop *hop);

G_END_DECLS

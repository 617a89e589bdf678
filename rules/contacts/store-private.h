/* What the modules keeping their own tables in the store (scanner/scan/journal.c, relays.c) share with
 * store.c. */
#pragma once

#include <sqlite3.h>

#include "store.h"

/* Returns: (transfer full) (nullable): NULL with @error (MT_ERROR_STORE). */
sqlite3_stmt *mt_store_prepare(MtStore *s, const char *sql, GError **error);

/* Sets @error to @what and SQLite's last message. Returns: FALSE */
gboolean mt_store_fail(MtStore *s, const char *what, GError **error);

/* Runs @body inside BEGIN IMMEDIATE ... COMMIT, rolled back when it fails. */
gboolean mt_store_transaction(MtStore *s, gboolean (*body)(MtStore *, gpointer, GError **),
                              gpointer data, GError **error);

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

/* A connection to read through, held by one thread until given back: a worker's own
 * (mt_store_read_in_parallel()) or else the main connection, locked meanwhile. */
typedef struct _MtStoreReader MtStoreReader;
MtStoreReader *mt_store_reader_take(MtStore *s);
void mt_store_reader_give_back(MtStore *s, MtStoreReader *r);

/* @sql (a string that lives as long as the program: it is known by its address) prepared
 * once on @r's connection, reset and with no bindings. Not finalized by the caller.
 * Returns: (transfer none) (nullable): NULL with @error. */
sqlite3_stmt *mt_store_reader_statement(MtStoreReader *r, const char *sql, GError **error);

/* The contacts' keys (contact-keys.c), kept as the contacts change. Files @address
 * (normalised, lower case) under its keys, in the store's open transaction. */
gboolean mt_contact_keys_file(MtStore *store, const char *address, GError **error);

/* Takes @address out; its domain's keys go with the last address there. */
gboolean mt_contact_keys_unfile(MtStore *store, const char *address, GError **error);

/* Files every contact, for a store made before the keys existed (the migration that adds
 * them). */
gboolean mt_contact_keys_file_all(MtStore *store, GError **error);

/* Runs the built mailtrace (MT_BINARY) with the fixture geo databases, in a private
 * XDG_CONFIG_HOME and XDG_DATA_HOME, and collects its exit status and output. */
#pragma once

#include <gio/gio.h>

typedef struct {
  int status;
  char *out, *err; /* never NULL */
} MtRun;

void mt_run_clear(MtRun *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MtRun, mt_run_clear)

/* `mailtrace COMMAND --country-db F --asn-db F ARGS...`; @args[0] is the command.
 * @home: the directory for XDG_CONFIG_HOME (and HOME/data for XDG_DATA_HOME). @input
 * (nullable) goes to stdin. */
MtRun mt_run(const char *home, const char *input, gsize input_len, const char *const *args);

/* A one-line progress display on a terminal (messages, rate, time left); nothing otherwise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MtProgressBar MtProgressBar;

/* Returns: (transfer full) (nullable): NULL when stderr is not a terminal. */
MtProgressBar *mt_progress_bar_new(void);

/* @label: what is being read; @fraction of it done (0..1); @messages so far in total. */
void mt_progress_bar_show(MtProgressBar *bar, const char *label, double fraction, guint messages);

/* Erases the line. NULL-safe. */
void mt_progress_bar_free(MtProgressBar *bar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtProgressBar, mt_progress_bar_free)

G_END_DECLS

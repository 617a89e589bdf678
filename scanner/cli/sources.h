/* Where messages come from for learning: Maildir folders, mbox files, single files, stdin. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called once per message; @name says where it came from (`mbox#12` for the 12th of an mbox).
 * Return FALSE to stop. */
typedef gboolean (*MtMessageFunc)(const char *name, const char *data, gsize len, gpointer user);

/* Walks @path: `-` is standard input (one message); a directory with cur/ or new/ is a
 * Maildir (both read, files in name order, subfolders not entered, so a Junk folder is never
 * learned by accident); any other directory gives its regular files; a file that starts with
 * `From ` is an mbox (mboxrd `>From ` unescaped; its messages named PATH#1, PATH#2..., or PATH
 * when it holds one); any other file is one message.
 * Unreadable paths are named on stderr and counted in *@errors. */
void mt_sources_foreach(const char *path, MtMessageFunc fn, gpointer user, guint *errors);

G_END_DECLS

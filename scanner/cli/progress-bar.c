#include "progress-bar.h"

#include <stdio.h>
#include <unistd.h>

struct _MtProgressBar {
  gint64 start; /* monotonic µs */
  gint64 label_start;
  gint64 drawn; /* when the line was last drawn */
  char *label;
};

MtProgressBar *
mt_progress_bar_new(void)
{
  if (!isatty(STDERR_FILENO))
    return NULL;
  MtProgressBar *bar = g_new0(MtProgressBar, 1);
  bar->start = g_get_monotonic_time();
  return bar;
}

void
mt_progress_bar_show(MtProgressBar *bar, const char *label, double fraction, guint messages)
{
  if (bar == NULL)
    return;
  gint64 now = g_get_monotonic_time();
  if (g_strcmp0(bar->label, label) != 0) {
    g_free(bar->label);
    bar->label = g_strdup(label);
    bar->label_start = now;
  }
  fraction = CLAMP(fraction, 0.0, 1.0);
  if (now - bar->drawn < 100000 && fraction < 1.0) /* ten times a second is enough to read */
    return;
  bar->drawn = now;
  double secs = (now - bar->start) / 1e6, in_label = (now - bar->label_start) / 1e6;
  char bar_text[21];
  int filled = (int)(fraction * 20);
  for (int i = 0; i < 20; i++)
    bar_text[i] = i < filled ? '#' : '.';
  bar_text[20] = '\0';
  g_autofree char *left = fraction > 0.01
                              ? g_strdup_printf("%.0f s left", in_label * (1 - fraction) / fraction)
                              : g_strdup("");
  fprintf(stderr, "\r\033[K%s [%s] %3.0f%%  %u messages  %.0f/s  %s", label, bar_text,
          fraction * 100, messages, secs > 0 ? messages / secs : 0.0, left);
  fflush(stderr);
}

void
mt_progress_bar_free(MtProgressBar *bar)
{
  if (bar == NULL)
    return;
  fprintf(stderr, "\r\033[K");
  fflush(stderr);
  g_free(bar->label);
  g_free(bar);
}

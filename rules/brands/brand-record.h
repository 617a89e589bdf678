/* One well-known sender as brands.c builds it and brands-cache.c stores it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct _MtBrand {
  GBytes *arena; /* (nullable) the compiled cache's text when read from it (brands-cache.c):
                    then @name and every string of the arrays point into it, and the arrays
                    free nothing but themselves (names: only each pointer array) */
  char *name;
  GPtrArray *names;       /* GStrv: each name as folded words (mt_name_words()) */
  GPtrArray *domains;     /* char*: lower case, ASCII; `label.*` kept as written */
  GPtrArray *labels;      /* char*: each name of several words written as one, for addresses */
  gboolean personal;
  /* derived from @domains (mt_brand_derive()), one per domain, "" for none: */
  GPtrArray *skeletons;   /* char*: the TR39 skeleton of an exact domain */
  GPtrArray *typo_labels; /* char*: the registered label a typo is measured against */
};

/* Fills @b's derived arrays from its domains. */
void mt_brand_derive(struct _MtBrand *b);

G_END_DECLS

/* Well-known senders: the brands and services phishing claims to be, each with the registered
 * domains it really sends from. The table is data (well-known-senders.conf, installed in
 * MT_SYSTEM_DATA_DIR; its header documents the format); rules.conf adds `[brand NAME]` groups
 * of the same form, and one of the same NAME replaces the shipped entry. */
#pragma once

#include <glib.h>

#include "lookalike.h"

G_BEGIN_DECLS

typedef struct _MtBrands MtBrands;
typedef struct _MtBrand MtBrand;

/* Returns: (transfer full) an empty table. */
MtBrands *mt_brands_new(void);
void mt_brands_free(MtBrands *brands);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtBrands, mt_brands_free)

/* Adds every `[brand NAME]` group of @kf, replacing entries of the same NAME (case folded).
 * FALSE with @error naming the group when one has no domains. */
gboolean mt_brands_add_groups(MtBrands *brands, GKeyFile *kf, GError **error);

/* Reads the table file at @path (mt_brands_add_groups()). */
gboolean mt_brands_load_file(MtBrands *brands, const char *path, GError **error);

guint mt_brands_count(const MtBrands *brands);

/* Where a message claims a brand. */
typedef enum {
  MT_BRAND_CLAIM_NONE,
  MT_BRAND_CLAIM_NAME,    /* the display name: "Microsoft account team" */
  MT_BRAND_CLAIM_ADDRESS, /* a word of the address: paypal@…, …@secure-paypal-login.com */
} MtBrandClaimKind;

/* The brand that @display (nullable) or @address (nullable) claims to be, matched as whole
 * words after folding (mt_name_words()), a name spelt out letter by letter joined; a brand
 * whose name is also a person's ("Chase") only in a display name, with words of a service
 * around it and nothing else ("Chase Online Banking"). A display name that shows an address
 * claims nothing here (display-name-address judges it).
 * Returns: (transfer none) (nullable) */
const MtBrand *mt_brands_claimed(const MtBrands *brands, const char *display, const char *address,
                                 MtBrandClaimKind *where);

/* The brand one of whose domains @domain (an address's domain, lower case) looks like without
 * being one: the same TR39 skeleton, or a long name a letter away. @kind: how; @theirs: the
 * domain imitated. Returns: (transfer none) (nullable) */
const MtBrand *mt_brands_lookalike(const MtBrands *brands, const char *domain,
                                   MtLookalikeKind *kind, const char **theirs);

/* Whether @domain (lower case) is, or is under, one of @brand's domains. */
gboolean mt_brand_owns(const MtBrand *brand, const char *domain);

/* Whether some brand owns @domain. */
gboolean mt_brands_own(const MtBrands *brands, const char *domain);

const char *mt_brand_name(const MtBrand *brand);

/* "microsoft.com, office.com, outlook.com and 20 more", for a sentence.
 * Returns: (transfer full) */
char *mt_brand_domains_text(const MtBrand *brand);

G_END_DECLS

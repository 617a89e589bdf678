/* Text as mail carries it -> UTF-8: charsets, RFC 2047 encoded words, and the base64 and
 * quoted-printable transfer encodings. Every function returns valid UTF-8 whatever its input. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @data in @charset (a MIME charset name; NULL or unknown: UTF-8 when the bytes are valid
 * UTF-8, else windows-1252, the fallback mail readers use). Returns: (transfer full) */
char *mt_charset_to_utf8(const char *charset, const char *data, gsize len);

/* A header value with its RFC 2047 encoded words decoded and 8-bit bytes read as in
 * mt_charset_to_utf8(NULL, …); whitespace between two encoded words is dropped.
 * @charset: (out) (optional) (transfer full): the charset of the first encoded word, or NULL.
 * Returns: (transfer full) */
char *mt_mime_decode_words(const char *text, gsize len, char **charset);

typedef enum { MT_CTE_IDENTITY, MT_CTE_BASE64, MT_CTE_QP } MtTransferEncoding;

/* The value of a Content-Transfer-Encoding header (NULL: none). */
MtTransferEncoding mt_transfer_encoding(const char *value);

/* Decodes at most @cap output bytes of @data. Returns: (transfer full): bytes, not text */
GByteArray *mt_transfer_decode(MtTransferEncoding enc, const char *data, gsize len, gsize cap);

G_END_DECLS

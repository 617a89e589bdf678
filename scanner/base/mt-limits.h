/* Every cap mailtrace applies to untrusted input, each with the reason for its size.
 * At a cap the parsers record a finding and stop going deeper; they never fail. */
#pragma once

/* Header block read from one message. The largest header block in the SpamAssassin corpus
 * is 23 KiB; 256 KiB leaves room for long ARC/DKIM chains while bounding hostile input. */
#define MT_MAX_HEADER_BYTES (256 * 1024)

/* Body bytes read after the header block: enough to see every text part's charset and an
 * HTML generator tag of ordinary mail; attachments beyond it are never parsed. */
#define MT_MAX_BODY_BYTES (256 * 1024)

/* Bytes of one message that the analysis reads at most (the two caps above): what `explain`,
 * `learn` and `filter` hand it. */
#define MT_MAX_MESSAGE_BYTES (MT_MAX_HEADER_BYTES + MT_MAX_BODY_BYTES)

/* Bytes fetched of each message over IMAP (BODY.PEEK[]<0.N>), and the bytes the content hash
 * covers at every front door, so that one message has one hash whether it was learned from a
 * file, from IMAP or at delivery. 64 KiB holds every header block of the SpamAssassin corpus
 * and the first text part's charset and HTML generator; it keeps a batch of MT_IMAP_BATCH messages
 * under 7 MiB, twice that while the next batch is fetched. */
#define MT_MESSAGE_PREFIX_BYTES (64 * 1024)

/* Messages per IMAP UID FETCH. 100, not 200: a scan's peak memory is mostly its batches
 * (libetpan's answer, its parse and our copy), 54 -> 41 MiB on 18,138 messages at the same
 * speed within the noise (bench/imap.sh); 50 saves 4 MiB more for 10% of the speed. */
#define MT_IMAP_BATCH 100

/* Parse warnings kept for one message: a broken message could otherwise produce one per line. */
#define MT_MAX_PARSE_WARNINGS 32

/* Characters of one word taken from a message (a HELO, an AS name) into a header mailtrace
 * writes: a hostile word cannot make the header unbounded. */
#define MT_MAX_HEADER_WORD 200

/* Received headers turned into hops. Real chains rarely exceed 15; RFC 5321 section 6.3
 * suggests treating 100 as a loop, we stop much earlier since nothing past 64 is credible. */
#define MT_MAX_HOPS 64

/* Bytes of one Received value that are parsed. The longest legitimate ones (Microsoft 365
 * with TLS details) are under 600 bytes; the rest is ignored with a finding. */
#define MT_MAX_RECEIVED_BYTES 8192

/* Comments kept for one hop, as rspamd caps Received parts at 64. */
#define MT_MAX_COMMENTS_PER_HOP 64

/* Length of a single token (host name, id, address). RFC 1035 names are 255 bytes;
 * RFC 5321 paths 256. Longer tokens are cut and flagged. */
#define MT_MAX_TOKEN_BYTES 512

/* Authentication-Results headers read per message, and results kept per header. */
#define MT_MAX_AUTHRES_HEADERS 32
#define MT_MAX_AUTHRES_RESULTS 32

/* DKIM results kept for one message (one per signature; 16 signatures is already absurd). */
#define MT_MAX_DKIM_RESULTS 16

/* MIME nesting depth walked and parts looked at for charsets and HTML generators. */
#define MT_MAX_MIME_DEPTH 16
#define MT_MAX_MIME_PARTS 256

/* Decoded text kept to judge which scripts (Latin, Cyrillic, Han ...) a message is written in:
 * the subject and the start of the first text part say it. */
#define MT_MAX_TEXT_SAMPLE_BYTES (8 * 1024)

/* Distinct charsets recorded for one message. */
#define MT_MAX_CHARSETS 16

/* HTML bytes searched for a generator: it is in the <head>, near the start. */
#define MT_MAX_HTML_SCAN_BYTES (64 * 1024)

/* Minutes a hop's date may run behind the one below it before the chain counts as reversed:
 * clocks on small servers drift, queueing adds minutes. */
#define MT_MAX_CLOCK_SKEW_MINUTES 15

/* Trust patterns and CIDRs read from the configuration. */
#define MT_MAX_TRUST_ENTRIES 256

/* An RDAP answer is a few kilobytes; a larger one is no registry's. */
#define MT_MAX_HTTP_BODY (1024 * 1024)

/* JSON from a server nests a dozen levels (RFC 9083 entities within entities); json-glib's
 * parser recurses once a level, so a few hundred thousand `[` within MT_MAX_HTTP_BODY overflow
 * the stack. Deeper text is refused before a parser sees it (json-depth.h). */
#define MT_MAX_JSON_DEPTH 64

/* The longest a server's Retry-After keeps mailtrace from asking it again: registries ask for
 * seconds or minutes; `Fri, 31 Dec 9999` would stop RDAP to all of a registry's space for
 * 8,000 years. */
#define MT_MAX_RETRY_AFTER (24 * 3600)

/* Hops of one message whose addresses and names are looked up online: beyond the first few
 * public hops below the boundary, each adds only time. */
#define MT_MAX_ONLINE_HOPS 4

/* Addresses or names kept of one DNS answer: a DNS message holds at most 64 KiB, and each A
 * record at least 16 bytes of it, so no real answer is cut and a check such as "resolves to
 * ..., not the origin" compares with every address (only the first few are shown). */
#define MT_MAX_DNS_ANSWERS 4096

/* Names a PTR lookup may give that are checked forward (FCrDNS). */
#define MT_MAX_PTR_NAMES 2

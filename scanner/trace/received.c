/* Received header parser: a byte-level lexer into atoms, [literals], <angles> and (comments),
 * then an interpretation of the clauses. The comments carry most of the evidence and each MTA
 * writes them differently; the writer-specific rules are in interpret_from(). */
#include "received.h"

#include <string.h>

#include "ipaddr.h"
#include "mail-date.h"
#include "mt-limits.h"

typedef enum { TOK_ATOM, TOK_LITERAL, TOK_ANGLE, TOK_COMMENT } TokKind;

typedef struct {
  TokKind kind;
  char *text; /* without the delimiters */
} Tok;

typedef struct {
  const char *p, *end;
  const char *last_semi; /* the top-level ';' before the date: the last one, since a HELO the
                            receiver copies may hold ';' too */
  GPtrArray *toks;  /* of Tok, allocated in chunk */
  GStringChunk *chunk; /* every token's struct and text: one arena for the header, freed once */
  const char *date; /* text after the last top-level ';', or NULL */
  guint comments;
  guint findings;
} Lexer;

static void
push_tok(Lexer *lx, TokKind kind, const char *start, const char *stop)
{
  if (kind == TOK_COMMENT && ++lx->comments > MT_MAX_COMMENTS_PER_HOP) {
    lx->findings |= MT_HOP_FINDING_TOO_MANY_COMMENTS;
    return;
  }
  gsize len = stop - start;
  if (len > MT_MAX_TOKEN_BYTES) {
    len = MT_MAX_TOKEN_BYTES;
    lx->findings |= MT_HOP_FINDING_TRUNCATED;
  }
  const char *stop_at = start + len; /* stripped in place: the arena keeps only the text */
  while (start < stop_at && g_ascii_isspace(*start))
    start++;
  while (stop_at > start && g_ascii_isspace(stop_at[-1]))
    stop_at--;
  /* the struct goes in the arena too, as bytes, 8-aligned by the padding below */
  static const char pad[sizeof(Tok) + 8] = {0};
  char *raw = g_string_chunk_insert_len(lx->chunk, pad, sizeof pad);
  Tok *t = (Tok *)(raw + ((8 - ((guintptr)raw & 7)) & 7));
  t->kind = kind;
  t->text = g_string_chunk_insert_len(lx->chunk, start, (gssize)(stop_at - start));
  g_ptr_array_add(lx->toks, t);
}

/* A comment may nest (RFC 5322 section 3.2.2); nested text stays in the outer comment. */
static void
lex_comment(Lexer *lx)
{
  const char *start = ++lx->p;
  guint depth = 1;
  for (; lx->p < lx->end; lx->p++) {
    if (*lx->p == '\\' && lx->p + 1 < lx->end)
      lx->p++;
    else if (*lx->p == '(')
      depth++;
    else if (*lx->p == ')' && --depth == 0)
      break;
  }
  push_tok(lx, TOK_COMMENT, start, lx->p);
  if (lx->p < lx->end)
    lx->p++;
  else
    lx->findings |= MT_HOP_FINDING_UNBALANCED;
}

static void
lex_delimited(Lexer *lx, TokKind kind, char close)
{
  const char *start = lx->p + 1;
  const char *stop = memchr(start, close, lx->end - start);
  if (stop == NULL) {
    lx->findings |= MT_HOP_FINDING_UNBALANCED;
    stop = lx->end;
  }
  push_tok(lx, kind, start, stop);
  lx->p = stop < lx->end ? stop + 1 : stop;
  /* Exim writes a port right after the literal: `[192.0.2.1]:41986`. */
  if (kind == TOK_LITERAL && lx->p < lx->end && *lx->p == ':')
    while (lx->p < lx->end && !g_ascii_isspace(*lx->p) && *lx->p != '(' && *lx->p != ';')
      lx->p++;
}

/* The last ';' outside comments, literals and angles. */
static const char *
last_top_semicolon(const char *p, const char *end)
{
  const char *last = NULL;
  guint depth = 0;
  char close = '\0';
  for (; p < end; p++) {
    if (depth > 0) {
      if (*p == '\\' && p + 1 < end)
        p++;
      else if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
    } else if (close != '\0') {
      if (*p == close)
        close = '\0';
    } else if (*p == '(') {
      depth = 1;
    } else if (*p == '[') {
      close = ']';
    } else if (*p == '<') {
      close = '>';
    } else if (*p == ';') {
      last = p;
    }
  }
  return last;
}

static void
lex(Lexer *lx)
{
  lx->last_semi = last_top_semicolon(lx->p, lx->end);
  while (lx->p < lx->end) {
    char c = *lx->p;
    if (g_ascii_isspace(c)) {
      lx->p++;
    } else if (c == '(') {
      lex_comment(lx);
    } else if (c == ')') {
      lx->findings |= MT_HOP_FINDING_UNBALANCED;
      lx->p++;
    } else if (c == '[') {
      lex_delimited(lx, TOK_LITERAL, ']');
    } else if (c == '<') {
      lex_delimited(lx, TOK_ANGLE, '>');
    } else if (c == ';' && lx->p == lx->last_semi) {
      lx->date = lx->p + 1;
      return;
    } else if (c == ';') {
      lx->p++; /* an earlier one separates nothing we read */
    } else {
      const char *start = lx->p;
      while (lx->p < lx->end && !g_ascii_isspace(*lx->p) && *lx->p != '(' &&
             lx->p != lx->last_semi)
        lx->p++;
      push_tok(lx, TOK_ATOM, start, lx->p);
    }
  }
}

/* ---- Clauses ---------------------------------------------------------------------------- */

typedef enum { CL_NONE, CL_FROM, CL_BY, CL_VIA, CL_WITH, CL_ID, CL_FOR } Clause;

typedef struct {
  GPtrArray *from_vals;     /* Tok*, borrowed: atoms and literals after `from` */
  GPtrArray *from_comments; /* Tok*, borrowed */
  GPtrArray *comments;      /* every comment, borrowed */
  const Tok *by, *id, *for_addr;
  GString *with;
  gboolean has_from, has_by, with_done;
  gboolean microsoft; /* `via Frontend Transport` */
} Clauses;

static Clause
keyword(const char *s)
{
  static const struct {
    const char *word;
    Clause cl;
  } words[] = {{"from", CL_FROM}, {"by", CL_BY}, {"via", CL_VIA},
               {"with", CL_WITH}, {"id", CL_ID}, {"for", CL_FOR}};
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    if (g_ascii_strcasecmp(s, words[i].word) == 0)
      return words[i].cl;
  return CL_NONE;
}

/* The index of the last `by` keyword: the receiver's own. One before it, inside the `from`
 * part, came from the client's HELO. */
static int
last_by(GPtrArray *toks)
{
  int last = -1;
  for (guint i = 0; i < toks->len; i++) {
    const Tok *t = g_ptr_array_index(toks, i);
    if (t->kind == TOK_ATOM && keyword(t->text) == CL_BY)
      last = (int)i;
  }
  return last;
}

static void
collect_clauses(GPtrArray *toks, Clauses *cl)
{
  Clause cur = CL_NONE;
  int by = last_by(toks);
  for (guint i = 0; i < toks->len; i++) {
    const Tok *t = g_ptr_array_index(toks, i);
    Clause kw = t->kind == TOK_ATOM ? keyword(t->text) : CL_NONE;
    if (cur == CL_FROM && kw != CL_NONE && (int)i < by)
      kw = CL_NONE; /* `by`, `with`... in the HELO: still the client's words */
    if (kw != CL_NONE) {
      cur = kw;
      cl->has_from |= kw == CL_FROM;
      cl->has_by |= kw == CL_BY;
      continue;
    }
    if (t->kind == TOK_COMMENT) {
      g_ptr_array_add(cl->comments, (gpointer)t);
      if (cur == CL_FROM)
        g_ptr_array_add(cl->from_comments, (gpointer)t);
      if (cur == CL_WITH && cl->with->len > 0)
        cl->with_done = TRUE;
      continue;
    }
    switch (cur) {
    case CL_FROM:
      g_ptr_array_add(cl->from_vals, (gpointer)t);
      break;
    case CL_BY:
      if (cl->by == NULL)
        cl->by = t;
      break;
    case CL_WITH:
      if (!cl->with_done && t->kind == TOK_ATOM) {
        if (cl->with->len > 0)
          g_string_append_c(cl->with, ' ');
        g_string_append(cl->with, t->text);
      }
      break;
    case CL_ID:
      if (cl->id == NULL)
        cl->id = t;
      break;
    case CL_FOR:
      if (cl->for_addr == NULL)
        cl->for_addr = t;
      break;
    case CL_VIA:
      if (g_ascii_strcasecmp(t->text, "Frontend") == 0)
        cl->microsoft = TRUE;
      break;
    case CL_NONE:
      break;
    }
  }
}

/* ---- The host comment ------------------------------------------------------------------- */

/* What the receiver wrote about the client inside the `from` comments. */
typedef struct {
  char *ip;
  char *name; /* the word before `[ip]`: the rDNS name or `unknown` */
  char *helo; /* `helo=x` (Exim) or `HELO x` (qmail, CommuniGate) */
  char *ident;
  gboolean bare_ip;     /* the address has no brackets: Microsoft 365, qmail */
  gboolean exim_syntax; /* `helo=` or `port=` */
  gboolean qmail_helo;  /* a comment of the form `HELO name` */
  gboolean unverified;  /* SMTPSVC `[ip] unverified`: no rDNS was looked up */
} HostInfo;

static void
host_info_clear(HostInfo *h)
{
  g_free(h->ip);
  g_free(h->name);
  g_free(h->helo);
  g_free(h->ident);
}

static gboolean
has_prefix_ci(const char *s, const char *prefix)
{
  return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static char *
strip_value(const char *s)
{
  gsize n = strlen(s);
  while (n > 0 && (s[n - 1] == ',' || s[n - 1] == ')' || s[n - 1] == ';'))
    n--;
  return g_strndup(s, n);
}

/* The address of a literal as receivers write it: `[192.0.2.1]`, `[(192.0.2.1)]`, or with the
 * client's port after a dot, `[192.0.2.1.63559]`. */
static char *
literal_address(const char *w)
{
  g_autofree char *bare = g_strdup(w + (*w == '['));
  g_strdelimit(bare, "()", ' ');
  char *end = strchr(bare, ']');
  if (end != NULL)
    *end = '\0';
  g_strstrip(bare);
  char *ip = mt_ip_normalize(bare, strlen(bare));
  char *dot = ip == NULL ? strrchr(bare, '.') : NULL;
  if (dot != NULL && strchr(bare, ':') == NULL) { /* a.b.c.d.port */
    guint64 port = 0;
    if (g_ascii_string_to_unsigned(dot + 1, 10, 0, 65535, &port, NULL)) {
      *dot = '\0';
      g_auto(GStrv) parts = g_strsplit(bare, ".", -1);
      ip = g_strv_length(parts) == 4 ? mt_ip_normalize(bare, strlen(bare)) : NULL;
    }
  }
  return ip;
}

/* Whether @w is the HELO keyword, never a name. */
static gboolean
is_helo_word(const char *w)
{
  return g_ascii_strcasecmp(w, "HELO") == 0 || g_ascii_strcasecmp(w, "EHLO") == 0;
}

/* Returns: how many words after @i it consumed. */
static guint
scan_host_word(HostInfo *h, char **words, guint i, gboolean *found_ip)
{
  const char *w = words[i];
  if (w[0] == '[' && !*found_ip) {
    char *ip = literal_address(w);
    if (ip == NULL)
      return 0;
    h->ip = ip;
    *found_ip = TRUE;
    if (i > 0 && strchr(words[i - 1], '=') == NULL && !is_helo_word(words[i - 1])) {
      const char *prev = words[i - 1];
      const char *at = strrchr(prev, '@'); /* Sendmail `ident@rdns [ip]` */
      if (at != NULL && h->ident == NULL)
        h->ident = g_strndup(prev, at - prev);
      g_free(h->name);
      h->name = g_strdup(at != NULL ? at + 1 : prev);
    }
  } else if (has_prefix_ci(w, "helo=") && h->helo == NULL) {
    h->helo = strip_value(w + 5);
    h->exim_syntax = TRUE;
  } else if (is_helo_word(w) && words[i + 1] != NULL) {
    if (h->helo == NULL)
      h->helo = strip_value(words[i + 1]);
    h->qmail_helo |= i == 0;
    return 1; /* CommuniGate's `HELO [literal]` is the claim, not the address */
  } else if (has_prefix_ci(w, "ident=") && h->ident == NULL) {
    h->ident = strip_value(w + 6);
  } else if (has_prefix_ci(w, "port=")) {
    h->exim_syntax = TRUE;
  } else if (g_ascii_strcasecmp(w, "unverified") == 0) {
    h->unverified = TRUE;
  } else if (i == 0 && !*found_ip) {
    /* A bare address (Microsoft 365) or qmail's `ident@address`. */
    const char *at = strrchr(w, '@');
    const char *addr = at != NULL ? at + 1 : w;
    g_autofree char *stripped = strip_value(addr);
    char *ip = mt_ip_normalize(stripped, strlen(stripped));
    if (ip == NULL)
      return 0;
    h->ip = ip;
    h->bare_ip = *found_ip = TRUE;
    if (at != NULL && h->ident == NULL)
      h->ident = g_strndup(w, at - w);
  }
  return 0;
}

/* Splits `name[192.0.2.1]` and `<unknown.domain>[192.0.2.1]`, written without a space, into the
 * name and the literal. Takes @words. Returns: (transfer full) */
static GStrv
split_glued_literals(GStrv words)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (guint i = 0; words[i] != NULL; i++) {
    const char *w = words[i];
    const char *br = strchr(w, '[');
    if (*w == '\0')
      continue;
    if (br != NULL && br != w && br[-1] != '=') { /* not Exim's `helo=[192.0.2.1]` */
      g_autofree char *name = g_strndup(w, br - w);
      g_strv_builder_add(b, name);
      g_strv_builder_add(b, br);
    } else {
      g_strv_builder_add(b, w);
    }
  }
  g_strfreev(words);
  return g_strv_builder_end(b);
}

static void
scan_host_comments(GPtrArray *from_comments, HostInfo *h)
{
  for (guint c = 0; c < from_comments->len; c++) {
    const Tok *t = g_ptr_array_index(from_comments, c);
    /* `[(192.0.2.1)]`: parentheses inside a literal are not words' edges */
    g_autofree char *text = g_strdup(t->text);
    gboolean in_literal = FALSE;
    char *out = text;
    for (const char *p = text; *p; p++) {
      in_literal = *p == '[' ? TRUE : *p == ']' ? FALSE : in_literal;
      if (!(in_literal && (*p == '(' || *p == ')')))
        *out++ = *p;
    }
    *out = '\0';
    /* Empty words left by runs of separators go too. */
    g_auto(GStrv) words = split_glued_literals(g_strsplit_set(text, " \t()", -1));
    guint n = g_strv_length(words);
    gboolean found_ip = h->ip != NULL;
    for (guint i = 0; i < n; i++)
      i += scan_host_word(h, words, i, &found_ip);
  }
}

/* ---- Interpretation --------------------------------------------------------------------- */

static gboolean
is_host_name(const char *s)
{
  gboolean letter = FALSE;
  if (s == NULL || *s == '\0' || strlen(s) > 255)
    return FALSE;
  for (const char *c = s; *c; c++) {
    if (g_ascii_isalpha(*c))
      letter = TRUE;
    else if (!g_ascii_isdigit(*c) && *c != '.' && *c != '-' && *c != '_')
      return FALSE;
  }
  static const char *not_names[] = {"unknown", "softdnserr", "may", "unverified", "RDNS"};
  for (gsize i = 0; i < G_N_ELEMENTS(not_names); i++)
    if (g_ascii_strcasecmp(s, not_names[i]) == 0)
      return FALSE;
  return letter;
}

static char *
dns_name(const char *s)
{
  if (!is_host_name(s))
    return NULL;
  char *name = g_ascii_strdown(s, -1);
  gsize n = strlen(name);
  if (n > 1 && name[n - 1] == '.')
    name[n - 1] = '\0';
  return name;
}

static gboolean
any_comment(GPtrArray *comments, gboolean (*pred)(const char *))
{
  for (guint i = 0; i < comments->len; i++)
    if (pred(((const Tok *)g_ptr_array_index(comments, i))->text))
      return TRUE;
  return FALSE;
}

static gboolean
mentions_exim(const char *s)
{
  return has_prefix_ci(s, "Exim ");
}

static gboolean
mentions_forged(const char *s)
{
  return strstr(s, "may be forged") != NULL;
}

/* Exim message ids: `1cyP1J-0004K8-OR` (base-62, 6-6-2; 4.97+ uses 6-11-4). */
static gboolean
is_exim_id(const char *id)
{
  gsize n = id != NULL ? strlen(id) : 0;
  return (n == 16 || n == 23) && id[6] == '-' && id[n - (n == 16 ? 3 : 5)] == '-';
}

static void
interpret_from(MtHop *hop, const Clauses *cl, const HostInfo *h, gboolean exim)
{
  const Tok *x = cl->from_vals->len > 0 ? g_ptr_array_index(cl->from_vals, 0) : NULL;
  g_autofree char *x_ip = x == NULL                ? NULL
                          : x->kind == TOK_LITERAL ? literal_address(x->text)
                                                   : mt_ip_normalize(x->text, strlen(x->text));
  /* The HELO is reported as written, so a literal keeps its brackets. */
  g_autofree char *x_text = x == NULL                ? NULL
                            : x->kind == TOK_LITERAL ? g_strdup_printf("[%s]", x->text)
                                                     : g_strdup(x->text);
  gboolean qmail = h->qmail_helo || (x_text != NULL && g_ascii_strcasecmp(x_text, "unknown") == 0);

  if (h->ip != NULL) {
    hop->ip = g_strdup(h->ip);
    if (h->name != NULL) {
      /* Postfix, Sendmail, Courier, Gmail: `from HELO (rdns [ip])` */
      hop->helo = g_strdup(x_text);
      hop->rdns = dns_name(h->name);
      hop->rdns_checked = TRUE;
    } else if (h->bare_ip) {
      /* qmail `from rdns (HELO h) (ip)` versus Microsoft 365 `from HELO (ip)` */
      hop->helo = g_strdup(h->helo != NULL ? h->helo : x_text);
      hop->rdns = qmail ? dns_name(x_text) : NULL;
      /* qmail takes rDNS from tcpserver: `unknown` may mean it was never passed on. */
      hop->rdns_checked = hop->rdns != NULL;
    } else if (exim && x_ip == NULL) {
      /* Exim `from rdns ([ip]:port helo=h)`; no helo= means it equalled the rDNS name */
      hop->rdns = dns_name(x_text);
      hop->helo = g_strdup(h->helo != NULL ? h->helo : x_text);
      hop->rdns_checked = TRUE;
    } else {
      /* Sendmail and SMTPSVC `from HELO ([ip])`: no rDNS name was found; qmail
       * `from unknown (HELO h) ([ip])` */
      hop->helo = g_strdup(h->qmail_helo && h->helo != NULL ? h->helo : x_text);
      hop->rdns_checked = !h->unverified && !cl->microsoft;
    }
  } else if (x_ip != NULL) {
    /* Exim `from [ip] (port=p helo=h)`, CommuniGate, webmail `from ip` */
    hop->ip = g_steal_pointer(&x_ip);
    hop->helo = g_strdup(h->helo);
    hop->rdns_checked = exim;
  } else if (cl->from_vals->len > 1) {
    /* fetchmail `from host [ip]` */
    const Tok *y = g_ptr_array_index(cl->from_vals, 1);
    hop->ip = mt_ip_normalize(y->text, strlen(y->text));
    hop->helo = g_strdup(x_text);
  } else {
    hop->helo = g_strdup(x_text);
  }
  if (hop->helo == NULL && h->helo != NULL)
    hop->helo = g_strdup(h->helo);
  hop->ident = g_strdup(h->ident);
}

static gboolean
word_in(const char *word, const char *const *list)
{
  for (; *list; list++)
    if (g_ascii_strcasecmp(word, *list) == 0)
      return TRUE;
  return FALSE;
}

/* RFC 3848 and RFC 8314 protocol types; `mapi` and `HTTP` are logged-in clients too. */
static const char *const tls_protocols[] = {"ESMTPS",     "ESMTPSA",   "SMTPS",      "LMTPS",
                                            "LMTPSA",     "UTF8SMTPS", "UTF8SMTPSA", "UTF8LMTPS",
                                            "UTF8LMTPSA", "HTTPS",     NULL};
static const char *const auth_protocols[] = {"ESMTPA",    "ESMTPSA",    "LMTPA",     "LMTPSA",
                                             "UTF8SMTPA", "UTF8SMTPSA", "UTF8LMTPA", "UTF8LMTPSA",
                                             "mapi",      "HTTP",       "HTTPS",     NULL};

static gboolean
mentions_tls(const char *s)
{
  return strstr(s, "TLS") != NULL || strstr(s, "SSL") != NULL;
}

static gboolean
mentions_auth(const char *s)
{
  if (has_prefix_ci(s, "AUTH:") || has_prefix_ci(s, "account "))
    return TRUE;
  const char *a = g_strrstr(s, "uthenticated");
  if (a == NULL || a == s)
    return FALSE;
  if (a[-1] != 'a' && a[-1] != 'A')
    return FALSE;
  return !(a - s >= 5 && g_ascii_strncasecmp(a - 5, "not ", 4) == 0);
}

static gboolean
mentions_not_a_hop(const char *s)
{
  return strstr(s, "invoked by") != NULL || strstr(s, "invoked from network") != NULL ||
         strstr(s, "invoked for bounce") != NULL || g_strrstr(s, "fetchmail") != NULL ||
         g_strrstr(s, "getmail") != NULL || g_strrstr(s, "amavis") != NULL;
}

static void
set_flags(MtHop *hop, const Clauses *cl)
{
  const char *with = hop->with != NULL ? hop->with : "";
  g_autofree char *with_word = g_strndup(with, strcspn(with, " "));

  hop->tls = word_in(with_word, tls_protocols) || any_comment(cl->comments, mentions_tls);
  hop->authenticated =
      word_in(with_word, auth_protocols) || any_comment(cl->comments, mentions_auth);

  gboolean lmtp = has_prefix_ci(with_word, "LMTP") || has_prefix_ci(with_word, "UTF8LMTP");
  const char *from_name = hop->rdns != NULL ? hop->rdns : hop->helo;
  gboolean same_host =
      from_name != NULL && hop->by != NULL && g_ascii_strcasecmp(from_name, hop->by) == 0;
  hop->skipped = !cl->has_from || has_prefix_ci(with_word, "local") ||
                 any_comment(cl->comments, mentions_not_a_hop) ||
                 (hop->by != NULL && g_strrstr(hop->by, "getmail") != NULL) ||
                 (hop->ip != NULL && mt_ip_is_loopback(hop->ip)) ||
                 (lmtp && (hop->ip == NULL || same_host));
}

static char *
strip_angles(const Tok *t)
{
  if (t == NULL)
    return NULL;
  const char *s = t->text;
  gsize n = strlen(s);
  if (n > 0 && s[n - 1] == ',')
    n--;
  if (t->kind == TOK_ATOM && n >= 2 && s[0] == '<' && s[n - 1] == '>')
    return g_strndup(s + 1, n - 2);
  return n > 0 ? g_strndup(s, n) : NULL;
}

static char *
envelope_from(GPtrArray *comments)
{
  for (guint i = 0; i < comments->len; i++) {
    const char *s = ((const Tok *)g_ptr_array_index(comments, i))->text;
    if (!has_prefix_ci(s, "envelope-from"))
      continue;
    s += strlen("envelope-from");
    while (*s == ' ' || *s == '=' || *s == '<')
      s++;
    gsize n = strcspn(s, "> ");
    return n > 0 ? g_strndup(s, n) : NULL;
  }
  return NULL;
}

static void
interpret_by(MtHop *hop, const Clauses *cl)
{
  if (cl->by == NULL) {
    hop->findings |= MT_HOP_FINDING_BAD_BY;
    return;
  }
  if (cl->by->kind == TOK_LITERAL) {
    hop->by = g_strdup_printf("[%s]", cl->by->text);
    return;
  }
  g_autofree char *ip = mt_ip_normalize(cl->by->text, strlen(cl->by->text));
  if (is_host_name(cl->by->text) || ip != NULL)
    hop->by = g_ascii_strdown(cl->by->text, -1);
  else {
    hop->by = g_strdup(cl->by->text);
    hop->findings |= MT_HOP_FINDING_BAD_BY;
  }
}

static void
parse_date(MtHop *hop, const char *date, const char *end)
{
  if (date == NULL) {
    hop->findings |= MT_HOP_FINDING_NO_DATE;
    return;
  }
  hop->date = mt_mail_date_parse(date, (gsize)(end - date));
  if (hop->date == NULL)
    hop->findings |= MT_HOP_FINDING_NO_DATE;
}

/* Copies at most MT_MAX_RECEIVED_BYTES, turning NULs and line breaks into spaces. */
static char *
sanitize(const char *data, gsize len, guint *findings)
{
  if (len > MT_MAX_RECEIVED_BYTES) {
    len = MT_MAX_RECEIVED_BYTES;
    *findings |= MT_HOP_FINDING_TRUNCATED;
  }
  char *buf = g_malloc(len + 1);
  for (gsize i = 0; i < len; i++) {
    char c = data[i];
    if (c == '\0') {
      *findings |= MT_HOP_FINDING_NUL;
      c = ' ';
    } else if (c == '\r' || c == '\n' || c == '\t') {
      c = ' ';
    }
    buf[i] = c;
  }
  buf[len] = '\0';
  return buf;
}

MtHop *
mt_received_parse(const char *data, gsize len)
{
  g_return_val_if_fail(data != NULL || len == 0, NULL);

  guint findings = 0;
  g_autofree char *buf = sanitize(data, len, &findings);
  gsize n = strlen(buf);
  g_autoptr(GPtrArray) toks = g_ptr_array_sized_new(32);
  g_autoptr(GStringChunk) chunk = g_string_chunk_new(1024);
  Lexer lx = {.p = buf, .end = buf + n, .toks = toks, .chunk = chunk};
  lex(&lx);

  g_autoptr(GPtrArray) from_vals = g_ptr_array_new();
  g_autoptr(GPtrArray) from_comments = g_ptr_array_new();
  g_autoptr(GPtrArray) comments = g_ptr_array_new();
  g_autoptr(GString) with = g_string_new(NULL);
  Clauses cl = {
      .from_vals = from_vals, .from_comments = from_comments, .comments = comments, .with = with};
  collect_clauses(toks, &cl);
  if (!cl.has_from && !cl.has_by && comments->len == 0)
    return NULL;

  g_autoptr(MtHop) hop = g_new0(MtHop, 1);
  hop->findings = findings | lx.findings;
  hop->with = with->len > 0 ? g_strdup(with->str) : NULL;
  cl.microsoft |= hop->with != NULL && has_prefix_ci(hop->with, "Microsoft");
  HostInfo h = {0};
  scan_host_comments(from_comments, &h);
  gboolean exim = h.exim_syntax || any_comment(comments, mentions_exim) ||
                  (cl.id != NULL && is_exim_id(cl.id->text));
  if (cl.has_from)
    interpret_from(hop, &cl, &h, exim);
  host_info_clear(&h);
  if (cl.has_by)
    interpret_by(hop, &cl);
  else if (cl.has_from)
    hop->findings |= MT_HOP_FINDING_BAD_BY;
  hop->id = strip_angles(cl.id);
  hop->for_addr = strip_angles(cl.for_addr);
  hop->envelope_from = envelope_from(comments);
  if (any_comment(comments, mentions_forged))
    hop->findings |= MT_HOP_FINDING_MAY_BE_FORGED;
  set_flags(hop, &cl);
  parse_date(hop, lx.date, buf + n);
  return g_steal_pointer(&hop);
}

void
mt_hop_free(MtHop *hop)
{
  if (hop == NULL)
    return;
  g_free(hop->helo);
  g_free(hop->rdns);
  g_free(hop->ip);
  g_free(hop->by);
  g_free(hop->with);
  g_free(hop->id);
  g_free(hop->for_addr);
  g_free(hop->envelope_from);
  g_free(hop->ident);
  if (hop->date != NULL)
    g_date_time_unref(hop->date);
  g_free(hop);
}

char *
mt_hop_date_iso(const MtHop *hop)
{
  g_return_val_if_fail(hop != NULL, NULL);
  if (hop->date == NULL)
    return NULL;
  /* by hand: g_date_time_format() parses its format and converts through the locale */
  int y, mo, d;
  g_date_time_get_ymd(hop->date, &y, &mo, &d);
  gint64 off = g_date_time_get_utc_offset(hop->date) / G_USEC_PER_SEC;
  char sign = off < 0 ? '-' : '+';
  off = off < 0 ? -off : off;
  return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d,
                         g_date_time_get_hour(hop->date), g_date_time_get_minute(hop->date),
                         g_date_time_get_second(hop->date), sign, (int)(off / 3600),
                         (int)(off % 3600 / 60));
}

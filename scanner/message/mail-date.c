#include "mail-date.h"

#include <string.h>

/* Zones RFC 5322 §4.3 still names (North American ones; the military letters mean nothing
 * reliable and count as +0000, as that section says). */
static const struct {
  const char *name;
  int hours;
} named_zones[] = {{"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},    {"EST", -5},
                   {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6},
                   {"PST", -8}, {"PDT", -7}};

static const char months[][4] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};

typedef struct {
  int month, hour, minute, second;
  int zone_seconds;
  gboolean have_time, have_zone;
  int nums[3], digits[3]; /* the bare numbers, in order: day and year, or a numeric date */
  guint n_nums;
} Parts;

static gboolean
all_digits(const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  return n > 0;
}

static int
number(const char *s, gsize n)
{
  int v = 0;
  for (gsize i = 0; i < n && v < 100000; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* `hh:mm[:ss]`, seconds may carry a fraction. */
static gboolean
parse_time(const char *s, gsize n, Parts *p)
{
  int f[3] = {0, 0, 0}, k = 0;
  gsize i = 0;
  while (k < 3) {
    gsize start = i;
    while (i < n && g_ascii_isdigit(s[i]))
      i++;
    if (i == start || i - start > 2)
      return FALSE;
    f[k++] = number(s + start, i - start);
    if (i >= n || s[i] != ':')
      break;
    i++;
  }
  if (k < 2 || f[0] > 23 || f[1] > 59 || f[2] > 60)
    return FALSE;
  p->hour = f[0];
  p->minute = f[1];
  p->second = MIN(f[2], 59);
  p->have_time = TRUE;
  return TRUE;
}

static void
take_token(const char *s, gsize n, Parts *p)
{
  if ((s[0] == '+' || s[0] == '-') && n == 5 && all_digits(s + 1, 4)) {
    int hh = number(s + 1, 2), mm = number(s + 3, 2);
    if (hh < 24 && mm < 60 && !p->have_zone) {
      p->zone_seconds = (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
      p->have_zone = TRUE;
    }
    return;
  }
  if (memchr(s, ':', n) != NULL) {
    if (!p->have_time)
      parse_time(s, n, p);
    return;
  }
  if (all_digits(s, n)) {
    if (p->n_nums < G_N_ELEMENTS(p->nums) && n <= 4) {
      p->nums[p->n_nums] = number(s, n);
      p->digits[p->n_nums++] = (int)n;
    }
    return;
  }
  if (g_ascii_isalpha(s[0])) {
    if (n >= 3 && p->month == 0)
      for (guint i = 0; i < G_N_ELEMENTS(months); i++)
        if (g_ascii_strncasecmp(s, months[i], 3) == 0) {
          p->month = (int)i + 1;
          return;
        }
    for (guint i = 0; i < G_N_ELEMENTS(named_zones) && !p->have_zone; i++)
      if (strlen(named_zones[i].name) == n && g_ascii_strncasecmp(s, named_zones[i].name, n) == 0) {
        p->zone_seconds = named_zones[i].hours * 3600;
        p->have_zone = TRUE;
      }
  }
}

/* RFC 5322 §4.3: two digits are 1950–2049, three are counted from 1900. */
static int
full_year(int v, int digits)
{
  if (digits <= 2)
    return v < 50 ? 2000 + v : 1900 + v;
  if (digits == 3)
    return 1900 + v;
  return v >= 1900 ? v : 0; /* `0102`: a broken year 2000 fix, not a date */
}

/* Day, month and year from the bare numbers: with a month name they are the day and the year;
 * without one, a numeric date: year first when it has four digits, else the day first when it
 * cannot be a month (22/08/2002), else the month first (11-04-2023, as US mailers write). */
static gboolean
date_of(const Parts *p, int *day, int *month, int *year)
{
  const int *v = p->nums, *d = p->digits;
  *month = p->month;
  if (p->month != 0 && p->n_nums >= 2) {
    gboolean day_first = d[0] <= 2;
    *day = day_first ? v[0] : v[1];
    *year = day_first ? full_year(v[1], d[1]) : full_year(v[0], d[0]);
    return TRUE;
  }
  if (p->month != 0 || p->n_nums < 3)
    return FALSE;
  if (d[0] == 4) {
    *year = full_year(v[0], 4);
    *month = v[1];
    *day = v[2];
  } else {
    *year = full_year(v[2], d[2]);
    *month = v[0] > 12 ? v[1] : v[0];
    *day = v[0] > 12 ? v[0] : v[1];
  }
  return TRUE;
}

GDateTime *
mt_mail_date_parse(const char *text, gsize len)
{
  g_return_val_if_fail(text != NULL || len == 0, NULL);

  Parts p = {0};
  const char *s = text, *end = text + len, *token_end = NULL;
  while (s < end) {
    if (*s == '(') { /* a comment, nested ones too */
      int depth = 0;
      for (; s < end; s++) {
        depth += *s == '(' ? 1 : *s == ')' ? -1 : 0;
        if (depth == 0) {
          s++;
          break;
        }
      }
      continue;
    }
    /* `-` right after a token separates (14-Mar-2023); after a blank it is a zone's sign */
    if (g_ascii_isspace(*s) || *s == ',' || *s == '/' || *s == '\0' ||
        (*s == '-' && s == token_end)) {
      s++;
      continue;
    }
    const char *t = s++;
    while (s < end && !g_ascii_isspace(*s) && *s != ',' && *s != '(' && *s != '\0' &&
           *s != '/' && *s != '-')
      s++;
    token_end = s;
    if (s - t <= 32)
      take_token(t, (gsize)(s - t), &p);
  }
  int day, month, year;
  if (!date_of(&p, &day, &month, &year) || day < 1 || day > 31 || month < 1 || month > 12 ||
      year < 1 || year > 9999 || !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return NULL;
  GTimeZone *tz = g_time_zone_new_offset(p.zone_seconds);
  GDateTime *dt = g_date_time_new(tz, year, month, day, p.hour, p.minute, p.second);
  g_time_zone_unref(tz);
  return dt;
}

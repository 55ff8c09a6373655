/* Allocation, string buffers, error records and the clock; see util.h. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int error_set(struct wr_error *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

static void out_of_memory(size_t size)
{
	fprintf(stderr, "warroom: out of memory (allocating %zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sb_take(&sb);
}

/* The data of an empty buffer that owns no memory yet; never written to. */
static char sb_empty[1];

void sb_init(struct strbuf *sb)
{
	sb->data = sb_empty;
	sb->len = 0;
	sb->cap = 0;
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t cap = sb->cap ? sb->cap : 64;

	if (sb->len + extra + 1 <= sb->cap)
		return;
	while (sb->len + extra + 1 > cap)
		cap *= 2;
	if (sb->cap == 0) {
		sb->data = xmalloc(cap);
		sb->data[0] = '\0';
	} else {
		sb->data = xrealloc(sb->data, cap);
	}
	sb->cap = cap;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *sb_take(struct strbuf *sb)
{
	char *s = sb->cap ? sb->data : xstrdup("");

	sb_init(sb);
	return s;
}

void sb_free(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->data);
	sb_init(sb);
}

time_t clock_now(void)
{
	const char *fixed = getenv("WARROOM_NOW");
	time_t t;

	if (fixed && *fixed && time_parse_iso8601(fixed, &t) == 0)
		return t;
	return time(NULL);
}

void time_format_utc(time_t t, char out[21])
{
	struct tm tm;
	int year;

	/* strftime's %Y leaves years before 1000 unpadded, which time_parse_iso8601 rejects. */
	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	if (year < 0)
		year = 0;
	else if (year > 9999)
		year = 9999;
	snprintf(out, 5, "%04d", year);
	strftime(out + 4, 17, "-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads exactly N decimal digits at *P and advances past them. */
static int read_digits(const char **p, int n, int *value)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return 0;
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

int time_parse_iso8601(const char *text, time_t *t)
{
	const char *p = text;
	struct tm tm = {0};
	int year, month, day, hour = 0, minute = 0, second = 0, offset = 0;

	if (!text)
		return -1;
	if (read_digits(&p, 4, &year) || *p++ != '-' || read_digits(&p, 2, &month) ||
	    *p++ != '-' || read_digits(&p, 2, &day))
		return -1;
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
		return -1;

	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (read_digits(&p, 2, &hour) || *p++ != ':' || read_digits(&p, 2, &minute))
			return -1;
		if (*p == ':') {
			p++;
			if (read_digits(&p, 2, &second))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return -1;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (hour > 23 || minute > 59 || second > 60)
			return -1;

		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om;

			if (read_digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (read_digits(&p, 2, &om) || oh > 23 || om > 59)
				return -1;
			offset = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return -1;

	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	*t = timegm(&tm) - offset;

	/* An offset can move the time out of the years 0000..9999, which time_format_utc cannot write. */
	gmtime_r(t, &tm);
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return -1;
	return 0;
}

const char *actor_name(void)
{
	static char name[256];
	const char *env = getenv("WARROOM_ACTOR");
	struct passwd *pw;

	if (env && *env)
		return env;
	if (name[0])
		return name;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else if ((env = getenv("USER")) && *env)
		snprintf(name, sizeof name, "%s", env);
	else
		snprintf(name, sizeof name, "uid %ld", (long)getuid());
	return name;
}

size_t str_distance(const char *a, const char *b, size_t limit)
{
	size_t row[129], la = strlen(a), lb = strlen(b);

	if (la > 128 || lb > 128 || (la > lb ? la - lb : lb - la) > limit)
		return limit + 1;

	/* ROW[j] is the distance between the first i bytes of A and the first j of B. */
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0], smallest;

		row[0] = i;
		smallest = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);

			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
			if (best < smallest)
				smallest = best;
		}
		if (smallest > limit)
			return limit + 1;
	}
	return row[lb] > limit ? limit + 1 : row[lb];
}

int str_blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/*
 * Status-update guardrails; see guard.h.
 *
 * guard_load turns the playbook's `guardrails` list into compiled rules.
 * Word lists become marked groups of alternatives that patterns refer to as
 * {name}; every expression is lowered and compiled once, and each rule's
 * patterns are also joined into one expression that rules a text out in a
 * single call. Compiling and matching run in the C locale, so matching works
 * on bytes whatever locale the console set.
 *
 * guard_check lowers the text's ASCII letters once (that is what makes the
 * matching case-insensitive), then runs each rule that is on for the audience
 * and the incident's state. Text an `allow` expression matches is masked
 * before the rule's patterns run; a match must start and end on word
 * boundaries, and so must each word list inside it. Byte offsets become
 * lines and character columns at the end.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <libconfig.h>
#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guard.h"
#include "playbook.h"
#include "util.h"

/* Rules whose behaviour needs code beyond their patterns, by stable id. */
enum rule_kind {
	KIND_PATTERNS,
	KIND_RESOLUTION, /* error before the validations, warning without an incident */
	KIND_VENDOR,     /* off once Management approved naming the vendor */
	KIND_INTERNAL,   /* also matches the incident's own service names */
	KIND_SECURITY,   /* off by default for incident-channel audiences */
	KIND_ROOT_CAUSE, /* off once the root cause is approved for sharing */
	KIND_MISSING,    /* reports impact facts an audience needs and the text lacks */
};

static const struct {
	const char *id;
	enum rule_kind kind;
} special_rules[] = {
	{"resolution-claim", KIND_RESOLUTION},
	{"vendor-blame", KIND_VENDOR},
	{"internal-detail", KIND_INTERNAL},
	{"security-detail", KIND_SECURITY},
	{"root-cause", KIND_ROOT_CAUSE},
	{"missing-element", KIND_MISSING},
};

/* Validations a pattern's match must also pass. */
enum match_check {
	CHECK_NONE,
	CHECK_LUHN,  /* 13 to 19 digits with a valid Luhn check digit */
	CHECK_IBAN,  /* an IBAN whose mod-97 check is 1 */
	CHECK_IPV4,
	CHECK_IPV6,
	CHECK_PHONE, /* 8 to 15 digits */
};

static const char *const check_names[] = {"", "luhn", "iban", "ipv4", "ipv6", "phone", NULL};

/*
 * Word lists compile to groups marked with this byte, so that the matcher
 * can require each list's match to be whole words, not "back" in "backed".
 */
#define WORD_MARK '\x01'
#define MAX_WORD_GROUP 200

/*
 * Maximum number of parse-tree nodes, as pattern_nodes estimates them, for
 * one pattern or the alternation of a rule's patterns. glibc's regcomp needs
 * memory that grows with the product of nested repetition counts.
 */
#define MAX_PATTERN_NODES 100000.0

struct guard_pattern {
	regex_t re;
	enum match_check check;
	size_t *word_groups; /* numbers of the groups that word lists became */
	size_t n_word_groups;
	size_t max_group;    /* the largest of them, 0 when none */
};

/*
 * A rule's patterns, allow patterns or an element's patterns. ANY joins them
 * in one expression without the whole-word tests and checks, so one call
 * rules out the common case of a text that none of them can match.
 */
struct pattern_set {
	struct guard_pattern *items;
	size_t n;
	regex_t any;
	int has_any;
};

struct audience_level {
	char *audience;
	int level;
};

/* An impact fact of the missing-element rule and the patterns that show it is present. */
struct guard_element {
	char *id;
	char *message;
	struct pattern_set patterns;
};

struct guard_rule {
	char *id;
	enum rule_kind kind;
	char *message;
	int level;
	struct audience_level *levels;
	size_t n_levels;
	struct pattern_set patterns;
	struct pattern_set allow;
	struct guard_element *elements;
	size_t n_elements;
};

/* The guard's copy of a playbook audience: the fields the checks use. */
struct guard_audience {
	char *id;
	int incident_channel;
	char **elements;
	size_t n_elements;
};

struct guard {
	struct guard_rule *rules;
	size_t n_rules;
	struct guard_audience *audiences;
	size_t n_audiences;
	locale_t c_locale;
};

/* ---- levels and names ---- */

static const char *const level_names[] = {"off", "warning", "error"};

const char *guard_level_name(int level)
{
	if (level < GUARD_OFF || level > GUARD_ERROR)
		return "off";
	return level_names[level];
}

static int level_parse(const char *name)
{
	for (int i = GUARD_OFF; i <= GUARD_ERROR; i++)
		if (strcmp(level_names[i], name) == 0)
			return i;
	return -1;
}

static enum rule_kind rule_kind_for(const char *id)
{
	for (size_t i = 0; i < sizeof special_rules / sizeof special_rules[0]; i++)
		if (strcmp(special_rules[i].id, id) == 0)
			return special_rules[i].kind;
	return KIND_PATTERNS;
}

static int id_valid(const char *id)
{
	if (!*id)
		return 0;
	for (const char *p = id; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}

static int list_name_valid(const char *name, size_t len)
{
	if (len == 0 || !(islower((unsigned char)name[0]) || name[0] == '_'))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) && name[i] != '_')
			return 0;
	return 1;
}

/* ---- freeing ---- */

static void set_free(struct pattern_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		regfree(&set->items[i].re);
		free(set->items[i].word_groups);
	}
	free(set->items);
	if (set->has_any)
		regfree(&set->any);
	memset(set, 0, sizeof *set);
}

static void strings_free(char **strings, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(strings[i]);
	free(strings);
}

static void rule_free(struct guard_rule *rule)
{
	free(rule->id);
	free(rule->message);
	for (size_t i = 0; i < rule->n_levels; i++)
		free(rule->levels[i].audience);
	free(rule->levels);
	set_free(&rule->patterns);
	set_free(&rule->allow);
	for (size_t i = 0; i < rule->n_elements; i++) {
		free(rule->elements[i].id);
		free(rule->elements[i].message);
		set_free(&rule->elements[i].patterns);
	}
	free(rule->elements);
}

void guard_free(struct guard *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_rules; i++)
		rule_free(&g->rules[i]);
	free(g->rules);
	for (size_t i = 0; i < g->n_audiences; i++) {
		free(g->audiences[i].id);
		strings_free(g->audiences[i].elements, g->audiences[i].n_elements);
	}
	free(g->audiences);
	if (g->c_locale)
		freelocale(g->c_locale);
	free(g);
}

/* ---- loading ---- */

/* A named word list of the rule being loaded, as an ERE alternation. */
struct word_list {
	char *name;
	char *alternation;
};

struct loader {
	const struct playbook *pb;
	struct strbuf *problems;
	int n_problems;
	struct guard *g;
	struct word_list *lists; /* the current rule's lists */
	size_t n_lists;
	char **ids; /* every rule id read so far, usable or not */
	size_t n_ids;
};

static void problem(struct loader *ld, const config_setting_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct loader *ld, const config_setting_t *at, const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	playbook_problem(ld->pb, ld->problems, at, "%s", message);
	ld->n_problems++;
}

static int is_collection(const config_setting_t *s)
{
	return config_setting_is_array(s) || config_setting_is_list(s);
}

static void lists_clear(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_lists; i++) {
		free(ld->lists[i].name);
		free(ld->lists[i].alternation);
	}
	free(ld->lists);
	ld->lists = NULL;
	ld->n_lists = 0;
}

static const struct word_list *list_find(const struct loader *ld, const char *name, size_t len)
{
	for (size_t i = 0; i < ld->n_lists; i++)
		if (strlen(ld->lists[i].name) == len && strncmp(ld->lists[i].name, name, len) == 0)
			return &ld->lists[i];
	return NULL;
}

static void list_add(struct loader *ld, const char *name, char *alternation)
{
	ld->lists = xrealloc(ld->lists, (ld->n_lists + 1) * sizeof *ld->lists);
	ld->lists[ld->n_lists].name = xstrdup(name);
	ld->lists[ld->n_lists].alternation = alternation;
	ld->n_lists++;
}

/*
 * Appends WORD to SB as a literal ERE: special characters are escaped and
 * each run of spaces matches any run of white space, line breaks included.
 */
static void add_literal(struct strbuf *sb, const char *word)
{
	for (const char *p = word; *p; p++) {
		if (*p == ' ') {
			while (p[1] == ' ')
				p++;
			sb_add(sb, "[[:space:]]+");
		} else if (strchr(".[]()*+?{}|^$\\", *p)) {
			sb_addc(sb, '\\');
			sb_addc(sb, *p);
		} else {
			sb_addc(sb, *p);
		}
	}
}

static int longer_first(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x, y);
}

/*
 * Returns the N words as a marked ERE group of literal alternatives. The
 * longest come first because glibc's matcher takes the first alternative
 * that fits when it reports groups, and "expect" inside "expecting" would
 * fail the whole-word test.
 */
static char *word_alternation(const char **words, size_t n)
{
	struct strbuf alt;

	qsort(words, n, sizeof *words, longer_first);
	sb_init(&alt);
	sb_addc(&alt, WORD_MARK);
	sb_addc(&alt, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&alt, '|');
		add_literal(&alt, words[i]);
	}
	sb_addc(&alt, ')');
	return sb_take(&alt);
}

/* Reads the rule's `words` group: each member is a list of literal words or phrases. */
static void read_word_lists(struct loader *ld, const config_setting_t *rule, const char *where)
{
	const config_setting_t *words = config_setting_get_member(rule, "words");

	if (!words)
		return;
	if (!config_setting_is_group(words)) {
		problem(ld, words, "%s.words: must be a group of word lists, like words = { vendor = [\"...\"]; }",
			where);
		return;
	}
	for (int i = 0; i < config_setting_length(words); i++) {
		const config_setting_t *list = config_setting_get_elem(words, (unsigned)i);
		const char *name = config_setting_name(list);
		const char **texts;
		size_t n_texts = 0;

		if (!list_name_valid(name, strlen(name))) {
			problem(ld, list, "%s.words.%s: a word list name must be lower-case letters, digits and _",
				where, name);
			continue;
		}
		if (!is_collection(list)) {
			problem(ld, list, "%s.words.%s: must be a list of strings", where, name);
			continue;
		}
		texts = xcalloc((size_t)config_setting_length(list), sizeof *texts);
		for (int j = 0; j < config_setting_length(list); j++) {
			const config_setting_t *word = config_setting_get_elem(list, (unsigned)j);
			const char *text = config_setting_get_string(word);

			if (!text || str_blank(text)) {
				problem(ld, word, "%s.words.%s[%d]: must be a non-empty string", where, name, j);
				continue;
			}
			texts[n_texts++] = text;
		}
		if (n_texts == 0)
			problem(ld, list, "%s.words.%s: the list is empty", where, name);
		else
			list_add(ld, name, word_alternation(texts, n_texts));
		free(texts);
	}
}

/*
 * Replaces each {name} in SOURCE with the rule's word list of that name.
 * A brace that does not enclose a list name is left for regcomp, so
 * intervals like {1,3} keep working. Returns NULL after reporting a
 * reference to an unknown list.
 */
static char *expand_pattern(struct loader *ld, const config_setting_t *at, const char *where,
			    const char *source)
{
	struct strbuf sb;
	int ok = 1;

	sb_init(&sb);
	for (const char *p = source; *p; p++) {
		const char *close;
		const struct word_list *list;

		if (*p != '{' || !(close = strchr(p + 1, '}')) ||
		    !list_name_valid(p + 1, (size_t)(close - p - 1)) ||
		    !isalpha((unsigned char)p[1])) {
			sb_addc(&sb, *p);
			continue;
		}
		list = list_find(ld, p + 1, (size_t)(close - p - 1));
		if (!list) {
			problem(ld, at, "%s: pattern refers to {%.*s}, but the rule has no such word list",
				where, (int)(close - p - 1), p + 1);
			ok = 0;
		} else {
			sb_add(&sb, list->alternation);
		}
		p = close;
	}
	if (!ok) {
		sb_free(&sb);
		return NULL;
	}
	return sb_take(&sb);
}

/*
 * Reads the rule's `define` group: named pieces of regular expression that
 * patterns use as {name}, like a time span. A piece may use the word lists
 * and the pieces defined before it.
 */
static void read_defines(struct loader *ld, const config_setting_t *rule, const char *where)
{
	const config_setting_t *define = config_setting_get_member(rule, "define");

	if (!define)
		return;
	if (!config_setting_is_group(define)) {
		problem(ld, define, "%s.define: must be a group of named patterns, like define = { span = \"...\"; }",
			where);
		return;
	}
	for (int i = 0; i < config_setting_length(define); i++) {
		const config_setting_t *piece = config_setting_get_elem(define, (unsigned)i);
		const char *name = config_setting_name(piece);
		const char *source = config_setting_get_string(piece);
		char at[400];
		char *expanded;

		snprintf(at, sizeof at, "%s.define.%s", where, name);
		if (!list_name_valid(name, strlen(name))) {
			problem(ld, piece, "%s: a name must be lower-case letters, digits and _", at);
			continue;
		}
		if (list_find(ld, name, strlen(name))) {
			problem(ld, piece, "%s: the rule already has a word list or piece named %s", at, name);
			continue;
		}
		if (!source || !*source) {
			problem(ld, piece, "%s: must be a non-empty string", at);
			continue;
		}
		expanded = expand_pattern(ld, piece, at, source);
		if (!expanded)
			continue;
		list_add(ld, name, xasprintf("(%s)", expanded));
		free(expanded);
	}
}

/*
 * Removes the word-list marks from the expanded expression RE, in place,
 * and records in OUT the number of the group each mark stood before.
 * Groups are counted as regcomp counts them: each "(" that is not escaped
 * and not inside a bracket expression.
 */
static void take_word_groups(char *re, struct guard_pattern *out)
{
	char *to = re;
	size_t group = 0;
	int marked = 0;

	for (const char *p = re; *p; p++) {
		if (*p == WORD_MARK) {
			marked = 1;
			continue;
		}
		if (*p == '\\' && p[1]) {
			*to++ = *p++;
		} else if (*p == '[') {
			/* Copy the bracket expression whole: a "]" first in it, or in [:class:], does not end it. */
			*to++ = *p++;
			if (*p == '^')
				*to++ = *p++;
			if (*p == ']')
				*to++ = *p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					char close = p[1];

					*to++ = *p++;
					*to++ = *p++;
					while (*p && !(p[0] == close && p[1] == ']'))
						*to++ = *p++;
					if (*p) {
						*to++ = *p++;
						*to++ = *p++;
					}
					continue;
				}
				*to++ = *p++;
			}
			if (!*p)
				break;
		} else if (*p == '(') {
			group++;
			if (marked) {
				out->word_groups = xrealloc(out->word_groups,
							    (out->n_word_groups + 1) * sizeof *out->word_groups);
				out->word_groups[out->n_word_groups++] = group;
				out->max_group = group;
			}
		}
		marked = 0;
		*to++ = *p;
	}
	*to = '\0';
}

/* Returns the end of the bracket expression "[...]" at P, past its "]", or the end of the string. */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char close = p[1];

			p += 2;
			while (*p && !(p[0] == close && p[1] == ']'))
				p++;
			if (*p)
				p += 2;
			continue;
		}
		p++;
	}
	return *p ? p + 1 : p;
}

/* Reads the decimal number at *P, stopping at a billion, and advances past its digits. */
static double read_count(const char **p)
{
	double value = 0;

	for (; isdigit((unsigned char)**p); (*p)++)
		if (value < 1e9)
			value = value * 10 + (**p - '0');
	return value;
}

/*
 * Reads the interval "{M}", "{M,}" or "{M,N}" at P. Returns the end past
 * its "}" and sets *COPIES to how many copies of the repeated expression
 * regcomp makes (at least 1), or returns NULL when P starts no interval.
 */
static const char *interval_end(const char *p, double *copies)
{
	double low, high;

	p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	low = read_count(&p);
	high = low;
	if (*p == ',') {
		p++;
		high = isdigit((unsigned char)*p) ? read_count(&p) : low + 1;
	}
	if (*p != '}')
		return NULL;
	*copies = high > low ? high : low;
	if (*copies < 1)
		*copies = 1;
	return p + 1;
}

/*
 * Estimates the parse-tree nodes glibc's regcomp builds for the extended
 * regular expression at *P, up to the ")" that closes the group it is in
 * (DEPTH > 0) or the end of the string, and leaves *P there. regcomp copies
 * a repeated expression once per repetition ("{2,5}" five times, "+"
 * twice), so nested repetitions multiply. Returns -1 for a quantifier right
 * after another ("o++"), which POSIX leaves undefined and which doubles
 * glibc's tree each time, and for groups nested deeper than 100.
 */
static double pattern_nodes(const char **p, int depth)
{
	double total = 0, last = 0; /* LAST: the nodes of the atom a quantifier repeats */
	int quantified = 0;

	if (depth > 100)
		return -1;
	while (**p && !(**p == ')' && depth > 0)) {
		const char *s = *p, *end;
		double copies = 1;

		end = *s == '{' ? interval_end(s, &copies) : NULL;
		if (*s == '*' || *s == '+' || *s == '?' || end) {
			if (quantified)
				return -1;
			if (*s == '+')
				copies = 2;
			*p = end ? end : s + 1;
			total += last * (copies - 1) + 1;
			last = last * copies + 1;
			quantified = 1;
			continue;
		}

		quantified = 0;
		if (*s == '\\') {
			*p = s[1] ? s + 2 : s + 1;
			last = 1;
		} else if (*s == '[') {
			*p = bracket_end(s);
			last = 1;
		} else if (*s == '(') {
			double inner;

			*p = s + 1;
			inner = pattern_nodes(p, depth + 1);
			if (inner < 0)
				return -1;
			if (**p == ')')
				(*p)++;
			last = inner + 1;
		} else {
			*p = s + 1;
			last = 1;
		}
		total += last;
	}
	return total;
}

/* Compiles one pattern entry (a string, or a group with `pattern` and `check`) into OUT. */
static int compile_entry(struct loader *ld, const config_setting_t *entry, const char *where,
			 int allow_check, struct guard_pattern *out, struct strbuf *any)
{
	const config_setting_t *at = entry;
	const char *source = config_setting_get_string(entry);
	const char *scan;
	char *expanded;
	double nodes;
	int rc;

	out->check = CHECK_NONE;
	if (config_setting_is_group(entry)) {
		const config_setting_t *check = config_setting_get_member(entry, "check");
		const config_setting_t *pattern = config_setting_get_member(entry, "pattern");

		for (int i = 0; i < config_setting_length(entry); i++) {
			const char *name = config_setting_name(config_setting_get_elem(entry, (unsigned)i));

			if (strcmp(name, "pattern") != 0 && strcmp(name, "check") != 0)
				problem(ld, config_setting_get_elem(entry, (unsigned)i),
					"%s: unknown field \"%s\"; known: pattern, check", where, name);
		}
		source = pattern ? config_setting_get_string(pattern) : NULL;
		if (pattern)
			at = pattern;
		if (check && !allow_check) {
			problem(ld, check, "%s: only rule patterns take a check", where);
			return -1;
		}
		if (check) {
			const char *name = config_setting_get_string(check);
			int found = 0;

			for (int i = 1; name && check_names[i]; i++) {
				if (strcmp(check_names[i], name) == 0) {
					out->check = (enum match_check)i;
					found = 1;
				}
			}
			if (!found) {
				problem(ld, check, "%s: unknown check \"%s\"; known: luhn, iban, ipv4, ipv6, phone",
					where, name ? name : "(not a string)");
				return -1;
			}
		}
	}
	if (!source || !*source) {
		problem(ld, at, "%s: a pattern must be a non-empty string", where);
		return -1;
	}
	if (strchr(source, WORD_MARK)) {
		problem(ld, at, "%s: a pattern must not contain the control character \\x01", where);
		return -1;
	}

	expanded = expand_pattern(ld, at, where, source);
	if (!expanded)
		return -1;
	out->word_groups = NULL;
	out->n_word_groups = 0;
	out->max_group = 0;
	take_word_groups(expanded, out);
	if (out->max_group > MAX_WORD_GROUP) {
		problem(ld, at, "%s: pattern \"%s\" has more than %d groups before its last word list",
			where, source, MAX_WORD_GROUP);
		free(expanded);
		free(out->word_groups);
		return -1;
	}
	scan = expanded;
	nodes = pattern_nodes(&scan, 0);
	if (nodes < 0 || nodes > MAX_PATTERN_NODES) {
		if (nodes < 0)
			problem(ld, at, "%s: pattern \"%s\" has a quantifier right after another, like"
				" \"o++\", or groups nested deeper than 100; remove the extra quantifier",
				where, source);
		else
			problem(ld, at, "%s: pattern \"%s\" is too large: it would compile to about %.0f"
				" nodes, more than the maximum of %.0f; lower the repetition counts or"
				" nest fewer of them", where, source, nodes, MAX_PATTERN_NODES);
		free(expanded);
		free(out->word_groups);
		return -1;
	}
	/* Matching is case-insensitive: guard_check lowers the text's ASCII letters, and this the pattern's. */
	for (char *c = expanded; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	rc = regcomp(&out->re, expanded, REG_EXTENDED);
	if (rc != 0) {
		char reason[256];

		regerror(rc, &out->re, reason, sizeof reason);
		problem(ld, at, "%s: pattern \"%s\" does not compile: %s", where, source, reason);
		free(expanded);
		free(out->word_groups);
		return -1;
	}
	sb_add(any, any->len ? "|(" : "(");
	sb_add(any, expanded);
	sb_addc(any, ')');
	free(expanded);
	if (regexec(&out->re, "", 0, NULL, 0) == 0) {
		problem(ld, at, "%s: pattern \"%s\" matches empty text; it must match at least one character",
			where, source);
		regfree(&out->re);
		free(out->word_groups);
		return -1;
	}
	return 0;
}

/* Compiles the list NAME of GROUP into OUT; a missing list gives an empty set. */
static void compile_list(struct loader *ld, const config_setting_t *group, const char *where,
			 const char *name, int allow_check, struct pattern_set *out)
{
	const config_setting_t *list = config_setting_get_member(group, name);
	struct strbuf any;
	const char *scan;
	double nodes;
	char at[400];

	memset(out, 0, sizeof *out);
	if (!list)
		return;
	if (!is_collection(list)) {
		problem(ld, list, "%s.%s: must be a list of patterns", where, name);
		return;
	}
	sb_init(&any);
	out->items = xcalloc((size_t)config_setting_length(list), sizeof *out->items);
	for (int i = 0; i < config_setting_length(list); i++) {
		snprintf(at, sizeof at, "%s.%s[%d]", where, name, i);
		if (compile_entry(ld, config_setting_get_elem(list, (unsigned)i), at, allow_check,
				  &out->items[out->n], &any) == 0)
			out->n++;
	}
	/* The alternation only speeds up guard_check, which tries each pattern when it is missing. */
	scan = any.data;
	nodes = out->n ? pattern_nodes(&scan, 0) : -1;
	if (nodes >= 0 && nodes <= MAX_PATTERN_NODES &&
	    regcomp(&out->any, any.data, REG_EXTENDED | REG_NOSUB) == 0)
		out->has_any = 1;
	sb_free(&any);
}

static const struct guard_audience *audience_find(const struct guard *g, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < g->n_audiences; i++)
		if (strcmp(g->audiences[i].id, id) == 0)
			return &g->audiences[i];
	return NULL;
}

static void audience_ids(const struct guard *g, struct strbuf *sb)
{
	for (size_t i = 0; i < g->n_audiences; i++) {
		if (i)
			sb_add(sb, ", ");
		sb_add(sb, g->audiences[i].id);
	}
}

/* Reads a level string at SETTING; returns the level or -1 after a problem. */
static int read_level(struct loader *ld, const config_setting_t *setting, const char *where)
{
	const char *name = config_setting_get_string(setting);
	int level = name ? level_parse(name) : -1;

	if (level < 0)
		problem(ld, setting, "%s: unknown level \"%s\"; use \"error\", \"warning\" or \"off\"",
			where, name ? name : "(not a string)");
	return level;
}

/* Reads `levels = { AUDIENCE = "LEVEL"; ... }`. */
static void read_levels(struct loader *ld, const config_setting_t *rule, const char *where,
			struct guard_rule *out)
{
	const config_setting_t *levels = config_setting_get_member(rule, "levels");

	if (!levels)
		return;
	if (!config_setting_is_group(levels)) {
		problem(ld, levels, "%s.levels: must be a group like levels = { cs = \"error\"; }", where);
		return;
	}
	out->levels = xcalloc((size_t)config_setting_length(levels), sizeof *out->levels);
	for (int i = 0; i < config_setting_length(levels); i++) {
		const config_setting_t *entry = config_setting_get_elem(levels, (unsigned)i);
		const char *audience = config_setting_name(entry);
		char at[400];
		int level;

		snprintf(at, sizeof at, "%s.levels.%s", where, audience);
		if (!audience_find(ld->g, audience)) {
			struct strbuf known;

			sb_init(&known);
			audience_ids(ld->g, &known);
			problem(ld, entry, "%s: unknown audience \"%s\"; known: %s", at, audience,
				known.len ? known.data : "none");
			sb_free(&known);
			continue;
		}
		level = read_level(ld, entry, at);
		if (level < 0)
			continue;
		out->levels[out->n_levels].audience = xstrdup(audience);
		out->levels[out->n_levels].level = level;
		out->n_levels++;
	}
}

/* Reads the missing-element rule's `elements`: one entry per impact fact. */
static void read_elements(struct loader *ld, const config_setting_t *rule, const char *where,
			  struct guard_rule *out)
{
	static const char *const fields[] = {"id", "message", "patterns", NULL};
	const config_setting_t *elements = config_setting_get_member(rule, "elements");

	if (!elements) {
		problem(ld, rule, "%s: the missing-element rule needs an `elements` list", where);
		return;
	}
	if (!is_collection(elements)) {
		problem(ld, elements, "%s.elements: must be a list of groups", where);
		return;
	}
	out->elements = xcalloc((size_t)config_setting_length(elements), sizeof *out->elements);
	for (int i = 0; i < config_setting_length(elements); i++) {
		const config_setting_t *entry = config_setting_get_elem(elements, (unsigned)i);
		struct guard_element *element = &out->elements[out->n_elements];
		const char *id = NULL, *message = NULL;
		char at[400];

		snprintf(at, sizeof at, "%s.elements[%d]", where, i);
		if (!config_setting_is_group(entry)) {
			problem(ld, entry, "%s: must be a group with id, message and patterns", at);
			continue;
		}
		for (int j = 0; j < config_setting_length(entry); j++) {
			const config_setting_t *field = config_setting_get_elem(entry, (unsigned)j);
			int known = 0;

			for (int k = 0; fields[k]; k++)
				known |= strcmp(fields[k], config_setting_name(field)) == 0;
			if (!known)
				problem(ld, field, "%s: unknown field \"%s\"; known: id, message, patterns",
					at, config_setting_name(field));
		}
		if (!config_setting_lookup_string(entry, "id", &id) || !*id) {
			problem(ld, entry, "%s: missing id", at);
			continue;
		}
		if (!config_setting_lookup_string(entry, "message", &message) || str_blank(message)) {
			problem(ld, entry, "%s (%s): missing message", at, id);
			continue;
		}
		compile_list(ld, entry, at, "patterns", 0, &element->patterns);
		if (element->patterns.n == 0) {
			problem(ld, entry, "%s (%s): an element needs at least one pattern", at, id);
			set_free(&element->patterns);
			continue;
		}
		element->id = xstrdup(id);
		element->message = xstrdup(message);
		out->n_elements++;
	}
}

static const struct guard_element *element_find(const struct guard_rule *rule, const char *id)
{
	for (size_t i = 0; i < rule->n_elements; i++)
		if (strcmp(rule->elements[i].id, id) == 0)
			return &rule->elements[i];
	return NULL;
}

static int rule_field_known(const char *name)
{
	static const char *const fields[] = {
		"id", "message", "level", "levels", "patterns", "allow", "words", "define", "elements",
		NULL,
	};

	for (int i = 0; fields[i]; i++)
		if (strcmp(fields[i], name) == 0)
			return 1;
	return 0;
}

/* Reads one rule; returns 0 and fills OUT, or -1 when the rule is unusable. */
static int read_rule(struct loader *ld, const config_setting_t *entry, int index, struct guard_rule *out)
{
	const char *id = NULL, *message = NULL;
	const config_setting_t *level;
	char where[200];
	int before = ld->n_problems;

	memset(out, 0, sizeof *out);
	snprintf(where, sizeof where, "guardrails[%d]", index);
	if (!config_setting_is_group(entry)) {
		problem(ld, entry, "%s: each rule must be a group { id = ...; message = ...; ... }", where);
		return -1;
	}
	if (!config_setting_lookup_string(entry, "id", &id) || !id_valid(id)) {
		problem(ld, entry, "%s: missing or invalid id; use lower-case letters, digits and -", where);
		return -1;
	}
	snprintf(where, sizeof where, "guardrails[%d] (%s)", index, id);
	for (size_t i = 0; i < ld->n_ids; i++)
		if (strcmp(ld->ids[i], id) == 0)
			problem(ld, entry, "%s: duplicate rule id \"%s\"", where, id);
	ld->ids = xrealloc(ld->ids, (ld->n_ids + 1) * sizeof *ld->ids);
	ld->ids[ld->n_ids++] = xstrdup(id);

	for (int i = 0; i < config_setting_length(entry); i++) {
		const config_setting_t *field = config_setting_get_elem(entry, (unsigned)i);

		if (!rule_field_known(config_setting_name(field)))
			problem(ld, field, "%s: unknown field \"%s\"; known: id, message, level, levels, "
				"patterns, allow, words, define, elements", where, config_setting_name(field));
	}

	if (!config_setting_lookup_string(entry, "message", &message) || str_blank(message))
		problem(ld, entry, "%s: missing message", where);
	level = config_setting_get_member(entry, "level");
	if (!level)
		problem(ld, entry, "%s: missing level; use \"error\", \"warning\" or \"off\"", where);
	else
		out->level = read_level(ld, level, where);

	out->id = xstrdup(id);
	out->kind = rule_kind_for(id);
	out->message = xstrdup(message ? message : "");
	read_levels(ld, entry, where, out);
	read_word_lists(ld, entry, where);
	read_defines(ld, entry, where);
	compile_list(ld, entry, where, "patterns", 1, &out->patterns);
	compile_list(ld, entry, where, "allow", 0, &out->allow);
	lists_clear(ld);

	if (out->kind == KIND_MISSING) {
		read_elements(ld, entry, where, out);
	} else {
		if (config_setting_get_member(entry, "elements"))
			problem(ld, config_setting_get_member(entry, "elements"),
				"%s: only the missing-element rule takes elements", where);
		if (!config_setting_get_member(entry, "patterns"))
			problem(ld, entry, "%s: the rule has no patterns", where);
	}
	return ld->n_problems > before ? -1 : 0;
}

/* Reports audiences whose required impact facts no element of the missing-element rule defines. */
static void check_required_elements(struct loader *ld, const config_setting_t *section)
{
	const struct guard_rule *missing = NULL;

	for (size_t i = 0; i < ld->g->n_rules; i++)
		if (ld->g->rules[i].kind == KIND_MISSING)
			missing = &ld->g->rules[i];
	for (size_t i = 0; i < ld->g->n_audiences; i++) {
		const struct guard_audience *audience = &ld->g->audiences[i];

		for (size_t j = 0; j < audience->n_elements; j++) {
			if (missing && element_find(missing, audience->elements[j]))
				continue;
			problem(ld, section,
				"guardrails: audience \"%s\" requires the impact fact \"%s\", but no "
				"missing-element rule element has that id", audience->id, audience->elements[j]);
		}
	}
}

static void copy_audiences(struct guard *g, const struct playbook *pb)
{
	g->audiences = xcalloc(pb->n_audiences, sizeof *g->audiences);
	for (size_t i = 0; i < pb->n_audiences; i++) {
		const struct pb_audience *from = &pb->audiences[i];
		struct guard_audience *to = &g->audiences[i];

		to->id = xstrdup(from->id);
		to->incident_channel = from->incident_channel;
		to->elements = xcalloc(from->n_required_elements, sizeof *to->elements);
		for (size_t j = 0; j < from->n_required_elements; j++)
			to->elements[j] = xstrdup(from->required_elements[j]);
		to->n_elements = from->n_required_elements;
	}
	g->n_audiences = pb->n_audiences;
}

/* Copies the first line added to PROBLEMS since offset FROM into ERR. */
static void first_problem(const struct strbuf *problems, size_t from, struct wr_error *err)
{
	const char *line = problems->data + from;
	size_t len = strcspn(line, "\n");

	error_set(err, WR_BAD_INPUT, "%.*s", (int)len, line);
}

struct guard *guard_load(const struct playbook *pb, struct strbuf *problems, struct wr_error *err)
{
	struct loader ld = {.pb = pb, .problems = problems};
	const config_setting_t *section = playbook_section(pb, "guardrails");
	size_t problems_before = problems->len;
	struct guard *g = xcalloc(1, sizeof *g);

	ld.g = g;
	g->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!g->c_locale) {
		guard_free(g);
		error_set(err, WR_FAILED, "guardrails: cannot create the C locale for pattern matching");
		return NULL;
	}
	copy_audiences(g, pb);

	if (section && !is_collection(section)) {
		problem(&ld, section, "guardrails: must be a list of rules ( { id = ...; }, ... )");
	} else if (section) {
		/* Patterns compile in the C locale so that they match bytes, whatever the caller's locale. */
		locale_t old = uselocale(g->c_locale);

		g->rules = xcalloc((size_t)config_setting_length(section), sizeof *g->rules);
		for (int i = 0; i < config_setting_length(section); i++) {
			struct guard_rule rule;

			if (read_rule(&ld, config_setting_get_elem(section, (unsigned)i), i, &rule) == 0)
				g->rules[g->n_rules++] = rule;
			else if (rule.id)
				rule_free(&rule);
		}
		uselocale(old);
		check_required_elements(&ld, section);
	}

	strings_free(ld.ids, ld.n_ids);
	if (ld.n_problems) {
		first_problem(problems, problems_before, err);
		guard_free(g);
		return NULL;
	}
	return g;
}

/* ---- checks on a match ---- */

static int luhn_valid(const char *s, size_t len)
{
	int digits[19];
	int n = 0, sum = 0, nonzero = 0;

	for (size_t i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (n == 19)
				return 0;
			digits[n++] = s[i] - '0';
		} else if (s[i] != ' ' && s[i] != '-') {
			return 0;
		}
	}
	if (n < 13)
		return 0;
	for (int i = 0; i < n; i++) {
		int d = digits[n - 1 - i];

		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		nonzero |= digits[i];
	}
	return nonzero && sum % 10 == 0;
}

static int iban_valid(const char *s, size_t len)
{
	char compact[35];
	size_t n = 0;
	unsigned remainder = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ')
			continue;
		if (!isalnum((unsigned char)s[i]) || n == sizeof compact - 1)
			return 0;
		compact[n++] = (char)toupper((unsigned char)s[i]);
	}
	if (n < 15 || !isalpha((unsigned char)compact[0]) || !isalpha((unsigned char)compact[1]) ||
	    !isdigit((unsigned char)compact[2]) || !isdigit((unsigned char)compact[3]))
		return 0;

	/* ISO 13616: move the first four characters to the end, read letters as 10..35, take mod 97. */
	for (size_t k = 0; k < n; k++) {
		char c = compact[(k + 4) % n];

		if (isdigit((unsigned char)c))
			remainder = (remainder * 10 + (unsigned)(c - '0')) % 97;
		else
			remainder = (remainder * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return remainder == 1;
}

static int address_valid(int family, const char *s, size_t len)
{
	char buf[64];
	unsigned char addr[16];

	if (len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(family, buf, addr) == 1;
}

static int phone_valid(const char *s, size_t len)
{
	int digits = 0;

	for (size_t i = 0; i < len; i++)
		digits += isdigit((unsigned char)s[i]) != 0;
	return digits >= 8 && digits <= 15;
}

static int check_passes(enum match_check check, const char *s, size_t len)
{
	switch (check) {
	case CHECK_LUHN:
		return luhn_valid(s, len);
	case CHECK_IBAN:
		return iban_valid(s, len);
	case CHECK_IPV4:
		return address_valid(AF_INET, s, len);
	case CHECK_IPV6:
		return address_valid(AF_INET6, s, len);
	case CHECK_PHONE:
		return phone_valid(s, len);
	case CHECK_NONE:
		break;
	}
	return 1;
}

/* ---- matching ---- */

/* Letters, digits, _ and every byte of a multi-byte UTF-8 character count as word characters. */
static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* Returns nonzero when [START, END) neither starts nor ends inside a word. */
static int on_word_boundaries(const char *text, size_t len, size_t start, size_t end)
{
	const unsigned char *t = (const unsigned char *)text;

	if (start > 0 && is_word_byte(t[start]) && is_word_byte(t[start - 1]))
		return 0;
	if (end < len && is_word_byte(t[end - 1]) && is_word_byte(t[end]))
		return 0;
	return 1;
}

/* Returns nonzero when each word list in match M (found at POS) matched whole words. */
static int words_whole(const struct guard_pattern *p, const regmatch_t *m, const char *text, size_t len,
		       size_t pos)
{
	for (size_t i = 0; i < p->n_word_groups; i++) {
		const regmatch_t *g = &m[p->word_groups[i]];

		if (g->rm_so < 0 || g->rm_eo <= g->rm_so)
			continue;
		size_t start = pos + (size_t)g->rm_so, end = pos + (size_t)g->rm_eo;
		const unsigned char *t = (const unsigned char *)text;

		/* A unit right after a number ("30min") starts a word of its own. */
		if (start > 0 && isdigit(t[start - 1]) && isalpha(t[start]))
			start = 0;
		if (!on_word_boundaries(text, len, start, end))
			return 0;
	}
	return 1;
}

/*
 * Returns nonzero when P matches exactly TEXT[START, END): it is the whole
 * match found in a copy of that stretch alone.
 */
static int matches_exactly(const struct guard_pattern *p, const char *text, size_t start, size_t end)
{
	char *copy = xstrndup(text + start, end - start);
	regmatch_t m;
	int exact = regexec(&p->re, copy, 1, &m, start > 0 ? REG_NOTBOL : 0) == 0 && m.rm_so == 0 &&
		    (size_t)m.rm_eo == end - start;

	free(copy);
	return exact;
}

/*
 * Returns nonzero when a match that a check rejects has a shorter valid
 * form with the same start, and sets *END to it. A greedy number pattern
 * may run into the next word or number ("GB82 WEST ... 32 affected"), so
 * each earlier word end is tried, longest first. Only checked patterns get
 * this, because their candidates are rare and short.
 */
static int shorter_match(const struct guard_pattern *p, const char *text, size_t len, size_t start,
			 size_t *end)
{
	for (size_t e = *end - 1; e > start; e--) {
		if (!on_word_boundaries(text, len, start, e) || !isalnum((unsigned char)text[e - 1]))
			continue;
		if (check_passes(p->check, text + start, e - start) && matches_exactly(p, text, start, e)) {
			*end = e;
			return 1;
		}
	}
	return 0;
}

/*
 * Finds the first match of P in TEXT at or after FROM that starts and ends
 * on word boundaries and passes the pattern's check. Returns 1 and sets
 * *START and *END, or 0 when there is none.
 */
static int find_match(const struct guard_pattern *p, const char *text, size_t len, size_t from,
		      size_t *start, size_t *end)
{
	size_t pos = from;
	regmatch_t m[MAX_WORD_GROUP + 1];

	while (pos < len) {
		size_t s, e;

		if (regexec(&p->re, text + pos, p->max_group + 1, m, pos > 0 ? REG_NOTBOL : 0) != 0)
			return 0;
		s = pos + (size_t)m[0].rm_so;
		e = pos + (size_t)m[0].rm_eo;
		if (e > s && on_word_boundaries(text, len, s, e) && words_whole(p, m, text, len, pos) &&
		    check_passes(p->check, text + s, e - s)) {
			*start = s;
			*end = e;
			return 1;
		}
		if (e > s && p->check != CHECK_NONE && shorter_match(p, text, len, s, &e)) {
			*start = s;
			*end = e;
			return 1;
		}
		pos = s + 1;
	}
	return 0;
}

struct span {
	size_t start, end;
};

struct spans {
	struct span *items;
	size_t n, cap;
};

static void spans_add(struct spans *sp, size_t start, size_t end)
{
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 8;
		sp->items = xrealloc(sp->items, sp->cap * sizeof *sp->items);
	}
	sp->items[sp->n].start = start;
	sp->items[sp->n].end = end;
	sp->n++;
}

/* Returns zero when no pattern of SET can match TEXT; nonzero means "maybe". */
static int set_may_match(const struct pattern_set *set, const char *text)
{
	if (set->n == 0)
		return 0;
	return !set->has_any || regexec(&set->any, text, 0, NULL, 0) == 0;
}

/* Adds every match of the patterns of SET to SP. */
static void collect_matches(const struct pattern_set *set, const char *text, size_t len, struct spans *sp)
{
	if (!set_may_match(set, text))
		return;
	for (size_t i = 0; i < set->n; i++) {
		size_t from = 0, start, end;

		while (find_match(&set->items[i], text, len, from, &start, &end)) {
			spans_add(sp, start, end);
			from = end;
		}
	}
}

static int any_match(const struct pattern_set *set, const char *text, size_t len)
{
	size_t start, end;

	if (!set_may_match(set, text))
		return 0;
	for (size_t i = 0; i < set->n; i++)
		if (find_match(&set->items[i], text, len, 0, &start, &end))
			return 1;
	return 0;
}

/* Adds each whole-word, case-insensitive occurrence of the incident's own names to SP. */
static void collect_names(const struct guard_context *ctx, const char *text, size_t len, struct spans *sp)
{
	for (size_t i = 0; i < ctx->n_internal_names; i++) {
		const char *name = ctx->internal_names[i];
		size_t n = name ? strlen(name) : 0;

		if (n < 2 || str_blank(name))
			continue;

		/* "mobile banking" is customer-facing when the product is "Online and mobile banking". */
		if (ctx->product && strcasestr(ctx->product, name))
			continue;
		for (size_t pos = 0; pos + n <= len; pos++) {
			if (strncasecmp(text + pos, name, n) == 0 && on_word_boundaries(text, len, pos, pos + n)) {
				spans_add(sp, pos, pos + n);
				pos += n - 1;
			}
		}
	}
}

static int span_compare(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

/* ---- findings ---- */

struct findings {
	struct guard_finding *items;
	size_t n, cap;
};

static void finding_add(struct findings *f, const char *rule_id, int level, size_t offset, size_t length,
			const char *message, const char *text)
{
	struct guard_finding *item;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = xrealloc(f->items, f->cap * sizeof *f->items);
	}
	item = &f->items[f->n++];
	item->rule_id = rule_id;
	item->level = level;
	item->line = 1;
	item->column = 1;
	item->offset = offset;
	item->length = length;
	item->message = xstrdup(message);
	item->excerpt = xstrndup(text + offset, length);
}

static int finding_compare(const void *a, const void *b)
{
	const struct guard_finding *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

/* Sets each finding's line and character column; FINDINGS are sorted by offset. */
static void set_positions(struct guard_finding *findings, size_t n, const char *text)
{
	size_t pos = 0;
	int line = 1, column = 1;

	for (size_t i = 0; i < n; i++) {
		for (; pos < findings[i].offset; pos++) {
			unsigned char c = (unsigned char)text[pos];

			if (c == '\n') {
				line++;
				column = 1;
			} else if ((c & 0xC0) != 0x80) {
				column++; /* count lead bytes only, so a multi-byte character is one column */
			}
		}
		findings[i].line = line;
		findings[i].column = column;
	}
}

/* ---- context ---- */

static int audience_level(const struct guard *g, const struct guard_rule *rule, const char *audience)
{
	const struct guard_audience *a;

	if (audience) {
		for (size_t i = 0; i < rule->n_levels; i++)
			if (strcmp(rule->levels[i].audience, audience) == 0)
				return rule->levels[i].level;
	}
	a = audience_find(g, audience);
	if (rule->kind == KIND_SECURITY && a && a->incident_channel)
		return GUARD_OFF;
	return rule->level;
}

/* Returns the level RULE reports at for CTX, after the checks that need the incident's state. */
static int effective_level(const struct guard *g, const struct guard_rule *rule,
			   const struct guard_context *ctx)
{
	int level = audience_level(g, rule, ctx->audience);

	switch (rule->kind) {
	case KIND_RESOLUTION:
		if (!ctx->has_incident)
			return level > GUARD_WARNING ? GUARD_WARNING : level;
		return ctx->validations_done ? GUARD_OFF : level;
	case KIND_VENDOR:
		return ctx->vendor_approved ? GUARD_OFF : level;
	case KIND_ROOT_CAUSE:
		return ctx->root_cause_approved ? GUARD_OFF : level;
	default:
		return level;
	}
}

/* Adds a finding for each impact fact the audience needs that no element pattern finds in LOWER. */
static void check_missing(const struct guard *g, const struct guard_rule *rule, int level,
			  const struct guard_context *ctx, const char *text, const char *lower, size_t len,
			  struct findings *f)
{
	const struct guard_audience *audience = audience_find(g, ctx->audience);

	if (!audience)
		return;
	for (size_t i = 0; i < audience->n_elements; i++) {
		const struct guard_element *element = element_find(rule, audience->elements[i]);

		if (element && !any_match(&element->patterns, lower, len))
			finding_add(f, rule->id, level, 0, 0, element->message, text);
	}
}

/*
 * Adds RULE's matches, one per stretch that several patterns match. LOWER
 * is TEXT with ASCII letters lowered, which the patterns run on; excerpts
 * come from TEXT. Text that an allow pattern matches is masked with '.'
 * first, so no match can overlap it, and a match that ran into it may still
 * be found shorter.
 */
static void check_rule(const struct guard_rule *rule, int level, const struct guard_context *ctx,
		       const char *text, const char *lower, size_t len, struct findings *f)
{
	struct spans allowed = {0}, matches = {0};
	int names = rule->kind == KIND_INTERNAL && ctx->n_internal_names > 0;
	const char *subject = lower;
	char *masked = NULL;
	size_t last_end = 0;

	if (!names && !set_may_match(&rule->patterns, lower))
		return;

	collect_matches(&rule->allow, lower, len, &allowed);
	if (allowed.n) {
		masked = xstrndup(lower, len);
		for (size_t i = 0; i < allowed.n; i++)
			memset(masked + allowed.items[i].start, '.', allowed.items[i].end - allowed.items[i].start);
		subject = masked;
	}

	collect_matches(&rule->patterns, subject, len, &matches);
	if (names)
		collect_names(ctx, subject, len, &matches);

	if (matches.n > 1)
		qsort(matches.items, matches.n, sizeof *matches.items, span_compare);
	for (size_t i = 0; i < matches.n; i++) {
		const struct span *m = &matches.items[i];

		if (i > 0 && m->start < last_end)
			continue;
		finding_add(f, rule->id, level, m->start, m->end - m->start, rule->message, text);
		last_end = m->end;
	}
	free(masked);
	free(allowed.items);
	free(matches.items);
}

int guard_check(const struct guard *g, const char *text, const struct guard_context *ctx,
		struct guard_finding **out, size_t *n)
{
	static const struct guard_context no_context;
	struct findings f = {0};
	char *lower;
	size_t len;
	locale_t old;

	if (!g || !text || !out || !n)
		return -1;
	if (!ctx)
		ctx = &no_context;
	len = strlen(text);

	/* Lowering once here is what makes matching case-insensitive; see compile_entry. */
	lower = xstrndup(text, len);
	for (size_t i = 0; i < len; i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] - 'A' + 'a');

	old = uselocale(g->c_locale);
	for (size_t i = 0; i < g->n_rules; i++) {
		const struct guard_rule *rule = &g->rules[i];
		int level = effective_level(g, rule, ctx);

		if (level == GUARD_OFF)
			continue;
		if (rule->kind == KIND_MISSING)
			check_missing(g, rule, level, ctx, text, lower, len, &f);
		else
			check_rule(rule, level, ctx, text, lower, len, &f);
	}
	uselocale(old);
	free(lower);

	if (f.n > 1)
		qsort(f.items, f.n, sizeof *f.items, finding_compare);
	set_positions(f.items, f.n, text);
	*out = f.items;
	*n = f.n;
	return 0;
}

void guard_findings_free(struct guard_finding *findings, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(findings[i].message);
		free(findings[i].excerpt);
	}
	free(findings);
}

size_t guard_count_errors(const struct guard_finding *findings, size_t n)
{
	size_t errors = 0;

	for (size_t i = 0; i < n; i++)
		errors += findings[i].level == GUARD_ERROR;
	return errors;
}

/* ---- rule listing ---- */

size_t guard_rule_count(const struct guard *g)
{
	return g->n_rules;
}

const char *guard_rule_id(const struct guard *g, size_t i)
{
	return i < g->n_rules ? g->rules[i].id : NULL;
}

const char *guard_rule_message(const struct guard *g, size_t i)
{
	return i < g->n_rules ? g->rules[i].message : NULL;
}

int guard_rule_level(const struct guard *g, size_t i, const char *audience)
{
	const struct guard_audience *a = audience_find(g, audience);

	if (i >= g->n_rules)
		return GUARD_OFF;
	if (g->rules[i].kind == KIND_MISSING && audience && (!a || a->n_elements == 0))
		return GUARD_OFF; /* only audiences that require impact facts get this rule */
	return audience_level(g, &g->rules[i], audience);
}

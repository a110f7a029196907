/*
 * diag.c - arena, file table and SystemTap-style messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "util.h"

/* ---- arena ---- */

/* Chunks are big so a 20k-line script costs a few hundred mallocs. */
#define CHUNK_SIZE (256 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

static void out_of_memory(void)
{
	fputs("bytetap: out of memory\n", stderr);
	exit(1);
}

void *cc_alloc(struct compiler *cc, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct arena_chunk *c = cc->chunks;
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
		struct arena_chunk *n = malloc(sizeof(*n) + cap);
		if (!n)
			out_of_memory();
		n->used = 0;
		n->size = cap;
		if (c && cap != CHUNK_SIZE) {
			/* keep filling the current chunk; hang the big one
			   behind it */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			cc->chunks = n;
		}
		c = n;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *cc_strndup(struct compiler *cc, const char *s, size_t n)
{
	char *p = cc_alloc(cc, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *cc_strdup(struct compiler *cc, const char *s)
{
	return cc_strndup(cc, s, strlen(s));
}

char *cc_printf(struct compiler *cc, const char *fmt, ...)
{
	va_list ap;
	if (!fmt)
		fmt = "";
	va_start(ap, fmt);
	char probe[1];
	int n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = cc_alloc(cc, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void vec_push(struct compiler *cc, void *vecp, int *n, int *cap, void *item)
{
	void ***vec = vecp;
	if (*n >= *cap) {
		int ncap = *cap ? *cap * 2 : 4;
		void **nv = cc_alloc(cc, sizeof(void *) * (size_t)ncap);
		if (*n)
			memcpy(nv, *vec, sizeof(void *) * (size_t)*n);
		*vec = nv;
		*cap = ncap;
	}
	(*vec)[(*n)++] = item;
}

/* ---- hash map ---- */

static void *arena_alloc(void *cc, size_t size)
{
	return cc_alloc(cc, size);
}

void *hmap_get(const struct hmap *m, const char *key)
{
	uint64_t *v = strmap_find(&m->t, key, strlen(key));

	return v ? (void *)(uintptr_t)*v : NULL;
}

void hmap_put(struct compiler *cc, struct hmap *m, const char *key, void *val)
{
	m->t.alloc = arena_alloc;
	m->t.ctx = cc;
	strmap_set(&m->t, key, strlen(key), (uintptr_t)val);
}

struct each_ptr {
	void (*fn)(void *val, void *arg);
	void *arg;
};

static void each_ptr(uint64_t val, void *arg)
{
	struct each_ptr *e = arg;

	e->fn((void *)(uintptr_t)val, e->arg);
}

void hmap_each(const struct hmap *m, void (*fn)(void *val, void *arg), void *arg)
{
	struct each_ptr e = { fn, arg };

	strmap_each(&m->t, each_ptr, &e);
}

/* ---- files ---- */

int cc_add_file(struct compiler *cc, const char *name, const char *text,
		size_t len, bool is_tapset)
{
	struct srcfile *f = cc_alloc(cc, sizeof(*f));
	f->name = cc_strdup(cc, name);
	f->text = cc_strndup(cc, text, len);
	f->len = len;
	f->is_tapset = is_tapset;
	vec_push(cc, &cc->files, &cc->nfiles, &cc->capfiles, f);
	if (cc->script) {
		cc->script->files = cc->files;
		cc->script->nfiles = cc->nfiles;
	}
	return cc->nfiles - 1;
}

int cc_load_file(struct compiler *cc, const char *path, bool is_tapset)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp)
		return -1;
	VEC(char) buf = { 0 };
	for (;;) {
		VEC_RESERVE(buf, buf.n + 4096);
		size_t got = fread(buf.a + buf.n, 1, buf.cap - buf.n, fp);
		if (got == 0)
			break;
		buf.n += got;
	}
	int bad = ferror(fp);
	if (fp != stdin)
		fclose(fp);
	if (bad) {
		VEC_FREE(buf);
		errno = EIO;
		return -1;
	}
	int idx = cc_add_file(cc, strcmp(path, "-") ? path : "<input>", buf.a,
			      buf.n, is_tapset);
	VEC_FREE(buf);
	return idx;
}

/* ---- messages ---- */

static const char *file_name(struct compiler *cc, int file)
{
	if (file < 0 || file >= cc->nfiles)
		return "<unknown>";
	return cc->files[file]->name;
}

const char *diag_token_desc(struct compiler *cc, const struct token *tok)
{
	if (!tok)
		return "<unknown>";
	const char *fn = file_name(cc, tok->pos.file);
	const char *what = NULL;
	switch (tok->kind) {
	case TK_EOF:
		return cc_printf(cc, "%s EOF", fn);
	case TK_IDENT:
		/* stap lexes @name as an operator */
		what = tok->text[0] == '@' ? "operator" : "identifier";
		break;
	case TK_NUMBER: what = "number"; break;
	case TK_STRING: what = "string"; break;
	case TK_OP: what = "operator"; break;
	case TK_KEYWORD:
		/* stap calls @count & co operators */
		if (tok->text[0] == '@') {
			what = "operator";
			break;
		}
		/* stap 4.8 prints keywords without their text */
		return cc_printf(cc, "keyword at %s:%d:%d", fn, tok->pos.line,
				 tok->pos.col);
	case TK_EMBEDDED:
		return cc_printf(cc, "embedded-code at %s:%d:%d", fn,
				 tok->pos.line, tok->pos.col);
	}
	return cc_printf(cc, "%s '%s' at %s:%d:%d", what, tok->text, fn,
			 tok->pos.line, tok->pos.col);
}

/*
 * Prints the source line of `pos` after `prefix`, then a caret under the
 * column.  Tabs in the line are copied into the caret line so that the
 * caret stays aligned whatever the tab width.
 */
static void show_source(struct compiler *cc, const char *prefix,
			const struct token *tok)
{
	if (!tok || tok->kind == TK_EOF)
		return;
	int f = tok->pos.file;
	if (f < 0 || f >= cc->nfiles)
		return;
	const struct srcfile *sf = cc->files[f];
	const char *p = sf->text, *end = sf->text + sf->len;
	for (int line = 1; line < tok->pos.line && p < end; p++)
		if (*p == '\n')
			line++;
	const char *eol = p;
	while (eol < end && *eol != '\n')
		eol++;
	fprintf(cc->err, "%s%.*s\n", prefix, (int)(eol - p), p);
	fprintf(cc->err, "%*s", (int)strlen(prefix), "");
	for (int i = 1; i < tok->pos.col && p + i - 1 < eol; i++)
		fputc(p[i - 1] == '\t' ? '\t' : ' ', cc->err);
	fputs("^\n", cc->err);
}

/*
 * A compiler without an error stream (compile_opts.quiet, or cc->err set
 * to NULL for a while) counts its messages but prints none.
 */
static bool muted(struct compiler *cc, int *count)
{
	if (cc->err)
		return false;
	if (count)
		(*count)++;
	return true;
}

/*
 * How one kind of message is laid out: the prefix before the text, what
 * follows it about the token (always, or only when there is one), the
 * prefix of the source line shown under it, and whether a blank line ends
 * it.
 */
struct diag_style {
	const char *kind;
	const char *tok_fmt;
	bool tok_always;
	const char *source;
	bool blank;
};

static const struct diag_style parse_style = {
	"parse error: ", "\n        saw: %s", true, "     source: ", true,
};
static const struct diag_style pp_style = {
	"parse error: ", "\n         at: %s", true, "     source: ", true,
};
static const struct diag_style sema_style = {
	"semantic error: ", ": %s", false, "        source: ", true,
};
static const struct diag_style warning_style = {
	"WARNING: ", ": %s", false, " source: ", false,
};
static const struct diag_style plain_style = {
	"error: ", NULL, false, NULL, false,
};

static void vreport(struct compiler *cc, int *count,
		    const struct diag_style *st, const struct token *tok,
		    const char *fmt, va_list ap)
{
	if (muted(cc, count))
		return;
	fputs(st->kind, cc->err);
	vfprintf(cc->err, fmt, ap);
	if (st->tok_fmt && (tok || st->tok_always))
		fprintf(cc->err, st->tok_fmt, diag_token_desc(cc, tok));
	fputc('\n', cc->err);
	if (st->source)
		show_source(cc, st->source, tok);
	if (st->blank)
		fputc('\n', cc->err);
	(*count)++;
}

/* The variadic front of vreport(): one message of style ST to COUNT. */
#define DIAG_REPORT(cc, count, st, tok, fmt)			\
	do {							\
		va_list ap;					\
		va_start(ap, fmt);				\
		vreport(cc, count, st, tok, fmt, ap);		\
		va_end(ap);					\
	} while (0)

void diag_parse_error(struct compiler *cc, const struct token *tok,
		      const char *fmt, ...)
{
	DIAG_REPORT(cc, &cc->nerrors, &parse_style, tok, fmt);
}

void diag_pp_error(struct compiler *cc, const struct token *tok,
		   const char *fmt, ...)
{
	DIAG_REPORT(cc, &cc->nerrors, &pp_style, tok, fmt);
}

void diag_sema_error(struct compiler *cc, const struct token *tok,
		     const char *fmt, ...)
{
	DIAG_REPORT(cc, &cc->nerrors, &sema_style, tok, fmt);
}

void diag_verror(struct compiler *cc, enum diag_kind kind,
		 const struct token *tok, const char *fmt, va_list ap)
{
	vreport(cc, &cc->nerrors, kind == DIAG_SEMA ? &sema_style : &parse_style,
		tok, fmt, ap);
}

void diag_note(struct compiler *cc, const char *prefix,
	       const struct token *tok)
{
	if (muted(cc, NULL))
		return;
	fprintf(cc->err, "%s%s\n", prefix ? prefix : "",
		diag_token_desc(cc, tok));
	show_source(cc, "        source: ", tok);
	fputc('\n', cc->err);
}

void diag_warning(struct compiler *cc, const struct token *tok,
		  const char *fmt, ...)
{
	/* -w: not shown, and not counted (so -W has nothing to fail on) */
	if (cc->opts && cc->opts->no_warnings)
		return;
	DIAG_REPORT(cc, &cc->nwarnings, &warning_style, tok, fmt);
}

void diag_plain_error(struct compiler *cc, const char *fmt, ...)
{
	DIAG_REPORT(cc, &cc->nerrors, &plain_style, NULL, fmt);
}

/*
 * preproc.c - @define macros, %( %) conditionals and script arguments.
 *
 * Works as a pull stream over a stack of token sources ("frames"): the
 * file itself, macro bodies being expanded, macro arguments and pasted
 * $N arguments.  Conditionals sit on top of that stream, so a macro body
 * may contain conditionals and a condition may use $1 or macros.
 * Nesting of either kind is handled with explicit stacks, not recursion.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "lex.h"
#include "parse.h"
#include "preproc.h"

#define MAX_FRAMES 256		/* macro expansion depth (catches @f -> @f) */
#define MAX_OUTPUT (4 << 20)	/* tokens per file: stops exponential macros */

struct macro {
	const char *name;
	const char **params;
	int nparams;
	const struct token **body;
	int nbody;
	const struct token *tok;
};

/* The arguments of one macro invocation. */
struct binding {
	const struct macro *m;
	const struct token ***args;
	int *nargs;
	struct binding *outer;	/* bindings visible at the invocation */
};

struct frame {
	const struct token **toks;
	int pos, n;
	struct binding *bind;	/* for @param lookup */
	bool literal;		/* pasted $N text: no further expansion */
};

/* Per-compilation state (cc->pp). */
struct pp_state {
	struct hmap libmacros;		/* from *.stpm */
	bool libmacros_loaded;
	struct hmap config;		/* CONFIG_X -> value */
	bool config_loaded;
	const char *kernel_vr, *kernel_v, *arch;
	bool *args_used;		/* [nargs]: $N/@N expanded somewhere */
};

struct pp {
	struct compiler *cc;
	struct hmap macros;		/* file-local */
	struct frame *frames;
	int nframes, capframes;
	int *conds;			/* open %( states, see COND_* */
	const struct token **cond_toks;	/* their %( tokens */
	int nconds, capconds;
	const struct token **out;
	int nout, capout;
	const struct token *eof;
	bool failed;
};

enum { COND_THEN, COND_ELSE };

/* ---- machine facts for conditions ---- */

static const char *norm_arch(const char *m)
{
	/* stap's names for uname -m */
	if (!strcmp(m, "aarch64"))
		return "arm64";
	if (!strcmp(m, "i486") || !strcmp(m, "i586") || !strcmp(m, "i686"))
		return "i386";
	if (!strncmp(m, "ppc", 3))
		return "powerpc";
	if (!strncmp(m, "armv", 4))
		return "arm";
	if (!strncmp(m, "s390", 4))
		return "s390";
	return m;
}

static struct pp_state *pp_state(struct compiler *cc)
{
	if (cc->pp)
		return cc->pp;
	struct pp_state *st = cc_alloc(cc, sizeof(*st));
	struct utsname u;
	bool have_u = uname(&u) == 0;
	const struct compile_opts *o = cc->opts;
	st->kernel_vr = o && o->kernel_release ? o->kernel_release :
			cc_strdup(cc, have_u ? u.release : "0.0.0");
	/* kernel_v drops the "-56-amd64" release suffix */
	size_t n = strcspn(st->kernel_vr, "-");
	st->kernel_v = cc_strndup(cc, st->kernel_vr, n);
	st->arch = o && o->arch ? o->arch :
		   cc_strdup(cc, norm_arch(have_u ? u.machine : "unknown"));
	cc->pp = st;
	return st;
}

const char *pp_arch(struct compiler *cc)
{
	return pp_state(cc)->arch;
}

static void parse_config_line(struct compiler *cc, struct pp_state *st,
			      char *line)
{
	if (strncmp(line, "CONFIG_", 7))
		return;
	char *eq = strchr(line, '=');
	if (!eq)
		return;
	*eq = 0;
	char *val = eq + 1;
	val[strcspn(val, "\r\n")] = 0;
	size_t vl = strlen(val);
	if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
		val[vl - 1] = 0;
		val++;
	}
	hmap_put(cc, &st->config, cc_strdup(cc, line), cc_strdup(cc, val));
}

/* Kernel config for CONFIG_X conditions; absent config = all unset. */
static void load_config(struct compiler *cc, struct pp_state *st)
{
	st->config_loaded = true;
	char path[512];
	FILE *fp = NULL;
	bool is_pipe = false;
	snprintf(path, sizeof(path), "/boot/config-%s", st->kernel_vr);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(path, sizeof(path), "/lib/modules/%s/build/.config",
			 st->kernel_vr);
		fp = fopen(path, "r");
	}
	struct utsname u;
	if (!fp && uname(&u) == 0 && !strcmp(u.release, st->kernel_vr) &&
	    access("/proc/config.gz", R_OK) == 0) {
		fp = popen("gzip -dc /proc/config.gz 2>/dev/null", "r");
		is_pipe = fp != NULL;
	}
	if (!fp)
		return;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, fp) > 0)
		parse_config_line(cc, st, line);
	free(line);
	if (is_pipe)
		pclose(fp);
	else
		fclose(fp);
}

/* ---- conditions ---- */

struct operand {
	bool is_str;
	const char *s;
	int64_t n;
	const struct token *tok;
};

static bool cmp_result(int c, const char *op)
{
	if (!strcmp(op, "==")) return c == 0;
	if (!strcmp(op, "!=")) return c != 0;
	if (!strcmp(op, "<")) return c < 0;
	if (!strcmp(op, "<=")) return c <= 0;
	if (!strcmp(op, ">")) return c > 0;
	return c >= 0;
}

static bool is_cmp_op(const struct token *t)
{
	return t->kind == TK_OP &&
	       (tok_is(t, "==") || tok_is(t, "!=") || tok_is(t, "<") ||
		tok_is(t, "<=") || tok_is(t, ">") || tok_is(t, ">="));
}

/* ==/!= against a pattern use fnmatch, ordering uses strverscmp */
static int match_version(const char *have, const char *op, const char *want)
{
	if (!strcmp(op, "==") || !strcmp(op, "!="))
		return (fnmatch(want, have, 0) == 0) == !strcmp(op, "==");
	return cmp_result(strverscmp(have, want), op);
}

static int match_string(const char *have, const char *op, const char *want)
{
	if (!strcmp(op, "==") || !strcmp(op, "!="))
		return (fnmatch(want, have, 0) == 0) == !strcmp(op, "==");
	return cmp_result(strcmp(have, want), op);
}

static const char *const bad_cond_msg =
	"expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n"
	"             'runtime', 'systemtap_privilege', 'CONFIG_...', or\n"
	"             comparison between strings or integers";

static const char *config_value(struct compiler *cc, struct pp_state *st,
				const char *name)
{
	if (!st->config_loaded)
		load_config(cc, st);
	const char *v = hmap_get(&st->config, name);
	return v ? v : "";
}

static bool as_number(const char *s, int64_t *out)
{
	char *end;
	if (!*s)
		return false;
	long long v = strtoll(s, &end, 0);
	*out = v;
	return *end == 0;
}

/*
 * CONFIG_X OP "str" | number | CONFIG_Y.  Numbers compare numerically
 * (an unset or non-numeric option never matches), strings with fnmatch
 * for ==/!= and strcmp otherwise.
 */
static int eval_config(struct compiler *cc, struct pp_state *st,
		       const struct token *lhs, const struct token *op,
		       const struct token *rhs, bool neg)
{
	const char *have = config_value(cc, st, lhs->text);
	if (rhs->kind == TK_NUMBER) {
		int64_t a, b = neg ? -rhs->num : rhs->num;
		if (!as_number(have, &a))
			return 0;
		return cmp_result(a < b ? -1 : a > b, op->text);
	}
	const char *want = rhs->kind == TK_STRING ? rhs->str :
			   config_value(cc, st, rhs->text);
	int64_t a, b;
	if (rhs->kind != TK_STRING && as_number(have, &a) && as_number(want, &b))
		return cmp_result(a < b ? -1 : a > b, op->text);
	if (rhs->kind != TK_STRING)
		return cmp_result(strcmp(have, want), op->text);
	return match_string(have, op->text, want);
}

/* One "LHS OP RHS" term; returns 1/0 or -1 on error. */
static int eval_term(struct compiler *cc, const struct token **t, int n,
		     int *used)
{
	if (n < 3) {
		diag_pp_error(cc, t[n ? n - 1 : 0], "%s", bad_cond_msg);
		return -1;
	}
	const struct token *lhs = t[0], *op = t[1];
	int k = 2;
	bool neg = false;
	if (tok_is(t[2], "-") && n > 3) {
		neg = true;
		k = 3;
	}
	const struct token *rhs = t[k];
	*used = k + 1;
	static const char *const known[] = {
		"guru_mode", "kernel_v", "kernel_vr", "systemtap_v", "arch",
		"runtime", "systemtap_privilege", NULL,
	};
	bool lhs_ok = lhs->kind == TK_NUMBER || lhs->kind == TK_STRING;
	for (int i = 0; known[i] && lhs->kind == TK_IDENT; i++)
		lhs_ok |= !strcmp(lhs->text, known[i]);
	if (lhs->kind == TK_IDENT && !strncmp(lhs->text, "CONFIG_", 7))
		lhs_ok = true;
	if (!lhs_ok) {
		diag_pp_error(cc, lhs, "%s", bad_cond_msg);
		return -1;
	}
	if (!is_cmp_op(op)) {
		diag_pp_error(cc, op, "expected comparison operator");
		return -1;
	}
	bool config_rhs = rhs->kind == TK_IDENT && !strncmp(rhs->text, "CONFIG_", 7);
	if (rhs->kind != TK_STRING && rhs->kind != TK_NUMBER && !config_rhs) {
		diag_pp_error(cc, rhs, "expected string literal as right value");
		return -1;
	}
	struct pp_state *st = pp_state(cc);
	const struct compile_opts *o = cc->opts;
	if (lhs->kind == TK_IDENT && !strncmp(lhs->text, "CONFIG_", 7))
		return eval_config(cc, st, lhs, op, rhs, neg);
	if (config_rhs) {
		diag_pp_error(cc, rhs, "expected string literal as right value");
		return -1;
	}
	if (lhs->kind == TK_IDENT) {
		const char *name = lhs->text;
		bool eq_only = !strcmp(name, "arch") || !strcmp(name, "runtime") ||
			       !strcmp(name, "guru_mode") ||
			       !strcmp(name, "systemtap_privilege");
		if (eq_only && !tok_is(op, "==") && !tok_is(op, "!=")) {
			diag_pp_error(cc, op, "expected '==' or '!='");
			return -1;
		}
		if (!strcmp(name, "guru_mode")) {
			if (rhs->kind != TK_NUMBER || neg || rhs->num > 1) {
				diag_pp_error(cc, op, "expected 0 or 1");
				return -1;
			}
			int64_t g = o && o->guru;
			int64_t r = neg ? -rhs->num : rhs->num;
			return cmp_result(g < r ? -1 : g > r, op->text);
		}
		if (rhs->kind != TK_STRING) {
			diag_pp_error(cc, rhs, "expected string literal as right value");
			return -1;
		}
		const char *want = rhs->str;
		if (!strcmp(name, "kernel_v"))
			return match_version(st->kernel_v, op->text, want);
		if (!strcmp(name, "kernel_vr"))
			return match_version(st->kernel_vr, op->text, want);
		if (!strcmp(name, "systemtap_v"))
			return match_version(o && o->compatible ? o->compatible :
					     "4.8", op->text, want);
		if (!strcmp(name, "arch"))
			return match_string(st->arch, op->text, want);
		if (!strcmp(name, "runtime"))
			return match_string(o && o->runtime ? o->runtime :
					    "kernel", op->text, want);
		if (!strcmp(name, "systemtap_privilege"))
			return match_string(o && o->privilege ? o->privilege :
					    "stapdev", op->text, want);
		diag_pp_error(cc, lhs, "%s", bad_cond_msg);
		return -1;
	}
	if (lhs->kind == TK_NUMBER && rhs->kind == TK_NUMBER) {
		int64_t a = lhs->num, b = neg ? -rhs->num : rhs->num;
		return cmp_result(a < b ? -1 : a > b, op->text);
	}
	if (lhs->kind == TK_STRING && rhs->kind == TK_STRING && !neg)
		return cmp_result(strcmp(lhs->str, rhs->str), op->text);
	if (lhs->kind == TK_STRING || lhs->kind == TK_NUMBER) {
		diag_pp_error(cc, rhs, lhs->kind == TK_STRING ?
			      "expected string literal as right value" :
			      "expected number literal as right value");
		return -1;
	}
	diag_pp_error(cc, lhs, "%s", bad_cond_msg);
	return -1;
}

/* TERM (&& TERM)* (|| ...)*: && binds tighter; no parentheses. */
int pp_eval_condition(struct compiler *cc, const struct token **t, int n)
{
	int result = 0, and_acc = 1;
	int i = 0;
	for (;;) {
		int used = 0;
		int v = eval_term(cc, t + i, n - i, &used);
		if (v < 0)
			return -1;
		and_acc = and_acc && v;
		i += used;
		if (i >= n)
			break;
		if (tok_is(t[i], "&&")) {
			i++;
		} else if (tok_is(t[i], "||")) {
			result = result || and_acc;
			and_acc = 1;
			i++;
		} else {
			diag_pp_error(cc, t[i], "expected '&&' or '||'");
			return -1;
		}
		if (i >= n) {
			diag_pp_error(cc, t[n - 1], "%s", bad_cond_msg);
			return -1;
		}
	}
	return result || and_acc;
}

/* ---- frames ---- */

static bool push_frame(struct pp *pp, const struct token **toks, int n,
		       struct binding *bind, bool literal,
		       const struct token *why)
{
	if (pp->nframes >= MAX_FRAMES) {
		diag_pp_error(pp->cc, why, "macro expansion nested too deeply");
		pp->failed = true;
		return false;
	}
	if (pp->nframes == pp->capframes) {
		int ncap = pp->capframes ? pp->capframes * 2 : 16;
		struct frame *nf = cc_alloc(pp->cc, sizeof(*nf) * (size_t)ncap);
		if (pp->nframes)
			memcpy(nf, pp->frames, sizeof(*nf) * (size_t)pp->nframes);
		pp->frames = nf;
		pp->capframes = ncap;
	}
	pp->frames[pp->nframes++] = (struct frame){ toks, 0, n, bind, literal };
	return true;
}

/* The next token of the innermost frame, popping finished frames. */
static const struct token *raw_next(struct pp *pp, struct frame **from)
{
	while (pp->nframes > 0) {
		struct frame *f = &pp->frames[pp->nframes - 1];
		if (f->pos < f->n) {
			*from = f;
			return f->toks[f->pos++];
		}
		if (pp->nframes == 1)
			break;	/* the file frame ends with its EOF */
		pp->nframes--;
	}
	*from = NULL;
	return pp->eof;
}

/* ---- macros ---- */

/* Collects "%( body %)" after @define NAME[(params)]; nested %( %) kept. */
static bool read_body(struct pp *pp, struct frame *f, const struct token *at,
		      struct macro *m)
{
	if (f->pos >= f->n || !tok_is(f->toks[f->pos], "%(")) {
		diag_pp_error(pp->cc, f->pos < f->n ? f->toks[f->pos] : at,
			      "expected '%%('");
		return false;
	}
	f->pos++;
	int start = f->pos, depth = 0;
	for (; f->pos < f->n; f->pos++) {
		const struct token *t = f->toks[f->pos];
		if (t->kind == TK_EOF)
			break;
		if (tok_is(t, "%("))
			depth++;
		else if (tok_is(t, "%)") && depth-- == 0)
			break;
	}
	if (f->pos >= f->n || f->toks[f->pos]->kind == TK_EOF) {
		diag_pp_error(pp->cc, at, "unterminated macro definition");
		return false;
	}
	m->body = f->toks + start;
	m->nbody = f->pos - start;
	f->pos++;
	return true;
}

/* @define NAME %( ... %)  or  @define NAME(a, b) %( ... %) */
static bool define_macro(struct pp *pp, struct hmap *table, struct frame *f,
			 const struct token *at)
{
	struct compiler *cc = pp->cc;
	if (f->pos >= f->n || f->toks[f->pos]->kind != TK_IDENT) {
		diag_pp_error(cc, f->pos < f->n ? f->toks[f->pos] : at,
			      "expected identifier");
		return false;
	}
	struct macro *m = cc_alloc(cc, sizeof(*m));
	m->tok = f->toks[f->pos++];
	m->name = m->tok->text;
	if (!strcmp(m->name, "define")) {
		diag_pp_error(cc, m->tok, "attempt to redefine '@define'");
		return false;
	}
	if (f->pos < f->n && tok_is(f->toks[f->pos], "(")) {
		f->pos++;
		int cap = 0;
		for (;;) {
			const struct token *t = f->pos < f->n ? f->toks[f->pos] : at;
			if (t->kind != TK_IDENT || t->text[0] == '$' ||
			    t->text[0] == '@') {
				diag_pp_error(cc, t, "expected identifier");
				return false;
			}
			vec_push(cc, &m->params, &m->nparams, &cap,
				 (void *)t->text);
			f->pos++;
			t = f->pos < f->n ? f->toks[f->pos] : at;
			f->pos++;
			if (tok_is(t, ")"))
				break;
			if (!tok_is(t, ",")) {
				diag_pp_error(cc, t, "expected ',' or ')'");
				return false;
			}
		}
	}
	if (!read_body(pp, f, at, m))
		return false;
	hmap_put(cc, table, m->name, m);
	return true;
}

/* The @define's of one library macro file into the library table. */
static void library_macros_of(struct compiler *cc, struct token *toks,
			      int nt, int file, void *arg)
{
	struct pp_state *st = arg;
	struct pp sub = { .cc = cc };
	const struct token **ptrs = cc_alloc(cc, sizeof(*ptrs) * (size_t)nt);

	(void)file;
	for (int k = 0; k < nt; k++)
		ptrs[k] = &toks[k];
	struct frame fr = { ptrs, 0, nt, NULL, false };
	while (fr.pos < fr.n) {
		const struct token *t = ptrs[fr.pos++];
		if (tok_is_ident(t, "@define"))
			define_macro(&sub, &st->libmacros, &fr, t);
	}
}

/* Reads every *.stpm in the tapset path once: library macros. */
static void load_library_macros(struct compiler *cc)
{
	struct pp_state *st = pp_state(cc);
	st->libmacros_loaded = true;
	tapset_each_file(cc, ".stpm", library_macros_of, st);
}

static const struct macro *find_macro(struct pp *pp, const char *name)
{
	const struct macro *m = hmap_get(&pp->macros, name);
	if (m)
		return m;
	struct pp_state *st = pp_state(pp->cc);
	if (!st->libmacros_loaded)
		load_library_macros(pp->cc);
	return hmap_get(&st->libmacros, name);
}

/* Reads "(arg, arg)" of an invocation from the frame that holds it. */
static bool read_args(struct pp *pp, struct frame *f, const struct token *at,
		      const struct macro *m, struct binding *b)
{
	struct compiler *cc = pp->cc;
	const struct token *t = f->pos < f->n ? f->toks[f->pos] : pp->eof;
	if (!tok_is(t, "(")) {
		diag_pp_error(cc, t, "expected '(' in invocation of macro '@%s'"
			      " taking %d parameter%s", m->name, m->nparams,
			      m->nparams == 1 ? "" : "s");
		return false;
	}
	f->pos++;
	b->args = cc_alloc(cc, sizeof(*b->args) * (size_t)m->nparams);
	b->nargs = cc_alloc(cc, sizeof(*b->nargs) * (size_t)m->nparams);
	int argi = 0, depth = 0, start = f->pos;
	for (;; f->pos++) {
		t = f->pos < f->n ? f->toks[f->pos] : pp->eof;
		if (t->kind == TK_EOF) {
			diag_pp_error(cc, at, "unterminated macro invocation");
			return false;
		}
		bool end = depth == 0 && tok_is(t, ")");
		if (depth == 0 && (tok_is(t, ",") || end)) {
			if (argi >= m->nparams) {
				if (!(end && m->nparams == 0 && f->pos == start)) {
					diag_pp_error(cc, t, "too many parameters"
						      " for macro '@%s' (expected %d)",
						      m->name, m->nparams);
					return false;
				}
			} else {
				b->args[argi] = f->toks + start;
				b->nargs[argi] = f->pos - start;
				argi++;
			}
			start = f->pos + 1;
			if (end)
				break;
			continue;
		}
		if (tok_is(t, "(") || tok_is(t, "[") || tok_is(t, "{"))
			depth++;
		else if (tok_is(t, ")") || tok_is(t, "]") || tok_is(t, "}"))
			depth--;
	}
	f->pos++;
	if (argi < m->nparams) {
		diag_pp_error(cc, t, "too few parameters for macro '@%s'"
			      " (expected %d)", m->name, m->nparams);
		return false;
	}
	return true;
}

/* ---- script arguments ---- */

static struct token *new_tok(struct pp *pp, const struct token *like,
			     enum tok_kind kind)
{
	struct token *t = cc_alloc(pp->cc, sizeof(*t));
	*t = *like;
	t->kind = kind;
	t->expanded_from = like;
	return t;
}

/* $N, @N, $#, @#; returns the replacement token, or NULL if pasted
   tokens were pushed as a frame (or on error, with pp->failed set). */
static const struct token *script_arg(struct pp *pp, const struct token *t)
{
	const struct compile_opts *o = pp->cc->opts;
	int nargs = o ? o->nargs : 0;
	bool is_str = t->text[0] == '@';
	if (t->text[1] == '#') {
		struct token *r = new_tok(pp, t, is_str ? TK_STRING : TK_NUMBER);
		r->num = nargs;
		r->text = cc_printf(pp->cc, "%d", nargs);
		r->str = r->text;
		r->str_len = strlen(r->text);
		return r;
	}
	char *end;
	long idx = strtol(t->text + 1, &end, 10);
	if (idx < 1 || idx > nargs || end - t->text > 6 || *end) {
		diag_pp_error(pp->cc, t, nargs ?
			      "command line argument out of range [1-%d]" :
			      "command line argument out of range [%d]", nargs);
		pp->failed = true;
		return NULL;
	}
	const char *arg = o->args[idx - 1];
	struct pp_state *st = pp_state(pp->cc);
	if (!st->args_used)
		st->args_used = cc_alloc(pp->cc, sizeof(bool) * (size_t)nargs);
	st->args_used[idx - 1] = true;
	if (is_str) {
		struct token *r = new_tok(pp, t, TK_STRING);
		r->text = cc_strdup(pp->cc, arg);
		r->str = r->text;
		r->str_len = strlen(r->text);
		return r;
	}
	int n;
	struct token *toks = lex_text(pp->cc, cc_printf(pp->cc, "<argument $%ld>", idx),
				      arg, &n);
	if (!toks) {
		pp->failed = true;
		return NULL;
	}
	const struct token **ptrs = cc_alloc(pp->cc, sizeof(*ptrs) * (size_t)n);
	for (int i = 0; i < n - 1; i++) {
		struct token *c = new_tok(pp, &toks[i], toks[i].kind);
		c->expanded_from = t;
		ptrs[i] = c;
	}
	push_frame(pp, ptrs, n - 1, NULL, true, t);
	return NULL;
}

/*
 * The next token with macros and arguments expanded, conditionals not
 * yet applied.  Returns NULL after an error.
 */
static const struct token *expand_next(struct pp *pp)
{
	for (;;) {
		struct frame *f;
		const struct token *t = raw_next(pp, &f);
		/* @count & co are keywords, but a macro may take their name */
		if (!f || f->literal || !(t->kind == TK_IDENT ||
		    (t->kind == TK_KEYWORD && t->text[0] == '@')))
			return t;
		const char *s = t->text;
		if ((s[0] == '$' || s[0] == '@') &&
		    ((s[1] >= '0' && s[1] <= '9') || !strcmp(s + 1, "#"))) {
			const struct token *r = script_arg(pp, t);
			if (pp->failed)
				return NULL;
			if (r)
				return r;
			continue;
		}
		if (s[0] != '@')
			return t;
		if (!strcmp(s, "@define") && t->kind == TK_IDENT) {
			if (f != &pp->frames[0]) {
				diag_pp_error(pp->cc, t, "'@define' not allowed"
					      " inside a macro expansion");
				return NULL;
			}
			if (!define_macro(pp, &pp->macros, f, t))
				return NULL;
			continue;
		}
		/* a parameter of the macro being expanded */
		struct binding *b = f->bind;
		if (b) {
			int i;
			for (i = 0; i < b->m->nparams; i++)
				if (!strcmp(b->m->params[i], s + 1))
					break;
			if (i < b->m->nparams) {
				if (!push_frame(pp, b->args[i], b->nargs[i],
						b->outer, false, t))
					return NULL;
				continue;
			}
		}
		const struct macro *m = find_macro(pp, s + 1);
		if (!m)
			return t;	/* the parser reports unknown @words */
		struct binding *nb = cc_alloc(pp->cc, sizeof(*nb));
		nb->m = m;
		nb->outer = f->bind;
		if (m->nparams && !read_args(pp, f, t, m, nb))
			return NULL;
		if (!push_frame(pp, m->body, m->nbody, nb, false, t))
			return NULL;
	}
}

/* ---- conditionals ---- */

static bool push_cond(struct pp *pp, int state, const struct token *tok)
{
	if (pp->nconds == pp->capconds) {
		int ncap = pp->capconds ? pp->capconds * 2 : 8;
		int *nc = cc_alloc(pp->cc, sizeof(*nc) * (size_t)ncap);
		const struct token **nt = cc_alloc(pp->cc, sizeof(*nt) * (size_t)ncap);
		if (pp->nconds) {
			memcpy(nc, pp->conds, sizeof(*nc) * (size_t)pp->nconds);
			memcpy(nt, pp->cond_toks, sizeof(*nt) * (size_t)pp->nconds);
		}
		pp->conds = nc;
		pp->cond_toks = nt;
		pp->capconds = ncap;
	}
	pp->conds[pp->nconds] = state;
	pp->cond_toks[pp->nconds++] = tok;
	return true;
}

/*
 * Skips a branch not taken.  Stops after the matching %: (if stop_at_else)
 * or %) ; returns the token it stopped at, or NULL at EOF.
 * Macros are not expanded in skipped text (they may not even exist).
 */
static const struct token *skip_branch(struct pp *pp, bool stop_at_else)
{
	int depth = 0;
	for (;;) {
		struct frame *f;
		const struct token *t = raw_next(pp, &f);
		if (t->kind == TK_EOF)
			return NULL;
		if (depth == 0 && tok_is(t, "%?")) {
			diag_pp_error(pp->cc, t, "incomplete conditional - missing"
				      " '%%('");
			pp->failed = true;
			return NULL;
		}
		if (tok_is(t, "%("))
			depth++;
		else if (tok_is(t, "%)") && depth-- == 0)
			return t;
		else if (tok_is(t, "%:") && depth == 0 && stop_at_else)
			return t;
	}
}

static bool open_conditional(struct pp *pp, const struct token *start)
{
	const struct token **cond = NULL;
	int n = 0, cap = 0;
	for (;;) {
		const struct token *t = expand_next(pp);
		if (!t)
			return false;
		if (t->kind == TK_EOF) {
			diag_pp_error(pp->cc, start,
				      "incomplete conditional at end of file");
			return false;
		}
		if (tok_is(t, "%?"))
			break;
		if (tok_is(t, "%(") || tok_is(t, "%:") || tok_is(t, "%)")) {
			diag_pp_error(pp->cc, t, "expected '%%?'");
			return false;
		}
		vec_push(pp->cc, &cond, &n, &cap, (void *)t);
	}
	if (n == 0) {
		diag_pp_error(pp->cc, start, "%s", bad_cond_msg);
		return false;
	}
	int v = pp_eval_condition(pp->cc, cond, n);
	if (v < 0)
		return false;
	if (v)
		return push_cond(pp, COND_THEN, start);
	const struct token *stop = skip_branch(pp, true);
	if (!stop) {
		if (!pp->failed)
			diag_pp_error(pp->cc, start, "incomplete conditional at"
				      " end of file");
		return false;
	}
	if (tok_is(stop, "%:"))
		return push_cond(pp, COND_ELSE, start);
	return true;
}

/* The next fully preprocessed token; NULL after an error. */
static const struct token *pp_next(struct pp *pp)
{
	for (;;) {
		const struct token *t = expand_next(pp);
		if (!t)
			return NULL;
		if (t->kind == TK_EOF) {
			if (pp->nconds) {
				diag_pp_error(pp->cc, pp->cond_toks[pp->nconds - 1],
					      "incomplete conditional at end of file");
				return NULL;
			}
			return t;
		}
		if (t->kind != TK_OP || t->text[0] != '%')
			return t;
		if (tok_is(t, "%(")) {
			if (!open_conditional(pp, t))
				return NULL;
		} else if (tok_is(t, "%:")) {
			if (!pp->nconds || pp->conds[pp->nconds - 1] != COND_THEN) {
				diag_pp_error(pp->cc, t, "incomplete conditional"
					      " - missing '%%('");
				return NULL;
			}
			pp->nconds--;
			if (!skip_branch(pp, false)) {
				if (!pp->failed)
					diag_pp_error(pp->cc, t, "incomplete"
						      " conditional at end of file");
				return NULL;
			}
		} else if (tok_is(t, "%)")) {
			if (!pp->nconds) {
				diag_pp_error(pp->cc, t, "incomplete conditional"
					      " - missing '%%('");
				return NULL;
			}
			pp->nconds--;
		} else if (tok_is(t, "%?")) {
			diag_pp_error(pp->cc, t, "incomplete conditional"
				      " - missing '%%('");
			return NULL;
		} else {
			return t;
		}
	}
}

const struct token **preprocess(struct compiler *cc, struct token *toks,
				int ntoks, int *nout)
{
	struct pp pp = { .cc = cc };
	pp_state(cc);
	const struct token **ptrs = cc_alloc(cc, sizeof(*ptrs) * (size_t)ntoks);
	for (int i = 0; i < ntoks; i++)
		ptrs[i] = &toks[i];
	pp.eof = &toks[ntoks - 1];
	push_frame(&pp, ptrs, ntoks, NULL, false, pp.eof);
	for (;;) {
		const struct token *t = pp_next(&pp);
		if (!t)
			return NULL;
		if (pp.nout >= MAX_OUTPUT && t->kind != TK_EOF) {
			diag_pp_error(cc, t, "macro expansion too large");
			return NULL;
		}
		vec_push(cc, &pp.out, &pp.nout, &pp.capout, (void *)t);
		if (t->kind == TK_EOF)
			break;
	}
	*nout = pp.nout;
	return pp.out;
}

bool pp_arg_used(struct compiler *cc, int idx)
{
	struct pp_state *st = pp_state(cc);

	return st->args_used && idx >= 1 && idx <= cc->opts->nargs &&
	       st->args_used[idx - 1];
}

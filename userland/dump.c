/*
 * dump.c - -p1 / -p2 printers in stap 4.8's style.
 */
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "util.h"
#include "sema.h"

const char *type_name(enum type t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_STATS: return "stats";
	default: return "unknown";
	}
}

static const char *op_text(enum op op)
{
	switch (op) {
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	case OP_MOD: return "%";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_USHR: return ">>>";
	case OP_BITAND: return "&";
	case OP_BITOR: return "|";
	case OP_BITXOR: return "^";
	case OP_CONCAT: return ".";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LAND: return "&&";
	case OP_LOR: return "||";
	case OP_MATCH: return "=~";
	case OP_NMATCH: return "!~";
	case OP_NEG: return "-";
	case OP_PLUS: return "+";
	case OP_NOT: return "!";
	case OP_BITNOT: return "~";
	case OP_AGG: return "<<<";
	case OP_NONE: return "";
	}
	return "?";
}

static const char *stat_name(enum stat_op s)
{
	static const char *const names[] = {
		"@count", "@sum", "@min", "@max", "@avg", "@variance",
	};
	return names[s];
}

void dump_string_lit(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\a': fputs("\\a", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\v': fputs("\\v", out); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void paren(FILE *out, const struct expr *e)
{
	fputc('(', out);
	dump_expr(out, e);
	fputc(')', out);
}

static void dump_args(FILE *out, struct expr *const *args, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		if (args[i])
			dump_expr(out, args[i]);
		else
			fputc('*', out);
	}
}

static void dump_chain(FILE *out, const struct expr *e)
{
	for (int i = 0; i < e->ncomps; i++) {
		if (e->comps[i].is_index) {
			fputc('[', out);
			dump_expr(out, e->comps[i].index);
			fputc(']', out);
		} else {
			fprintf(out, "->%s", e->comps[i].name);
		}
	}
}

static void dump_index(FILE *out, const struct expr *e)
{
	fprintf(out, "%s[", e->sym ? e->sym->name : e->name);
	dump_args(out, e->args, e->nargs);
	fputc(']', out);
}

void dump_expr(FILE *out, const struct expr *e)
{
	if (!e) {
		fputs("<null>", out);
		return;
	}
	switch (e->kind) {
	case E_NUM:
		fprintf(out, "%lld", (long long)e->num);
		break;
	case E_STR:
		dump_string_lit(out, e->str, e->str_len);
		break;
	case E_VAR:
		fputs(e->sym ? e->sym->name : e->name, out);
		break;
	case E_INDEX:
		dump_index(out, e);
		break;
	case E_CALL:
		fprintf(out, "%s(", e->name);
		dump_args(out, e->args, e->nargs);
		fputc(')', out);
		break;
	case E_PRINT:
		fprintf(out, "%s(", e->name);
		if (e->print_kind == PRINT_F) {
			/* stap shows formats escaped twice ("%d\\n") */
			char *once;
			size_t len;
			FILE *m = open_memstream(&once, &len);
			if (m) {
				dump_string_lit(m, e->str, e->str_len);
				fclose(m);
				dump_string_lit(out, once + 1, len - 2);
				free(once);
			}
			if (e->nargs)
				fputs(", ", out);
		} else if (e->print_kind == PRINT_D || e->print_kind == PRINT_DLN) {
			dump_string_lit(out, e->str, e->str_len);
			if (e->nargs)
				fputs(", ", out);
		}
		dump_args(out, e->args, e->nargs);
		fputc(')', out);
		break;
	case E_UNARY:
		fputs(op_text(e->op), out);
		paren(out, e->lhs);
		break;
	case E_BINARY:
	case E_ASSIGN:
		paren(out, e->lhs);
		fprintf(out, " %s%s ", op_text(e->op),
			e->kind == E_ASSIGN && e->op != OP_AGG ? "=" : "");
		paren(out, e->rhs);
		break;
	case E_REGEX:
		paren(out, e->lhs);
		fprintf(out, " %s ", op_text(e->op));
		dump_expr(out, e->rhs);
		break;
	case E_PREINC: fputs("++", out); paren(out, e->lhs); break;
	case E_PREDEC: fputs("--", out); paren(out, e->lhs); break;
	case E_POSTINC: paren(out, e->lhs); fputs("++", out); break;
	case E_POSTDEC: paren(out, e->lhs); fputs("--", out); break;
	case E_TERNARY:
		paren(out, e->cond);
		fputc('?', out);
		paren(out, e->lhs);
		fputc(':', out);
		paren(out, e->rhs);
		break;
	case E_IN:
		fputc('[', out);
		dump_args(out, e->lhs->args, e->lhs->nargs);
		fprintf(out, "] in %s", e->lhs->sym ? e->lhs->sym->name :
			e->lhs->name);
		break;
	case E_STAT:
		fprintf(out, "%s(", stat_name(e->stat_op));
		dump_expr(out, e->lhs);
		if (e->rhs) {
			fputs(", ", out);
			dump_expr(out, e->rhs);
		}
		fputc(')', out);
		break;
	case E_HIST:
		fprintf(out, "%s(", e->hist_kind == HIST_LOG ? "@hist_log" :
			"@hist_linear");
		dump_expr(out, e->lhs);
		if (e->nargs)
			fputs(", ", out);
		dump_args(out, e->args, e->nargs);
		fputc(')', out);
		break;
	case E_HIST_BUCKET:
		dump_expr(out, e->lhs);
		fputc('[', out);
		dump_expr(out, e->rhs);
		fputc(']', out);
		break;
	case E_TARGET:
		fprintf(out, "%s%s", e->addr_of ? "&" : "", e->name);
		dump_chain(out, e);
		if (e->pretty)
			fputs(e->pretty == 2 ? "$$" : "$", out);
		break;
	case E_CAST:
		if (!e->str) {	/* autocast */
			fputs(e->addr_of ? "&" : "", out);
			paren(out, e->lhs);
			dump_chain(out, e);
			break;
		}
		fputs("@cast(", out);
		dump_expr(out, e->lhs);
		fputs(", ", out);
		dump_string_lit(out, e->str, e->str_len);
		if (e->str2) {
			fputs(", ", out);
			dump_string_lit(out, e->str2, strlen(e->str2));
		}
		fputc(')', out);
		dump_chain(out, e);
		break;
	case E_ENTRY:
		fputs("@entry(", out);
		dump_expr(out, e->lhs);
		fputc(')', out);
		break;
	case E_DEFINED:
		fputs("@defined(", out);
		dump_expr(out, e->lhs);
		fputc(')', out);
		break;
	case E_PERF:
		fputs("@perf(", out);
		dump_string_lit(out, e->str, e->str_len);
		fputc(')', out);
		break;
	}
}

static void dump_block_body(FILE *out, const struct stmt *s)
{
	fputs("{\n", out);
	for (int i = 0; i < s->nstmts; i++) {
		dump_stmt(out, s->stmts[i]);
		fputs(";\n", out);
	}
	fputc('}', out);
}

static void dump_foreach(FILE *out, const struct foreach *fe)
{
	fputs("foreach (", out);
	if (fe->value_name || fe->value)
		fprintf(out, "%s = ", fe->value ? fe->value->name : fe->value_name);
	fputc('[', out);
	for (int i = 0; i < fe->nkeys; i++) {
		if (i)
			fputs(", ", out);
		fputs(fe->keys[i] ? fe->keys[i]->name : fe->key_names[i], out);
		if (fe->sort_dir && fe->sort_key == i + 1)
			fputc(fe->sort_dir > 0 ? '+' : '-', out);
	}
	fputs("] in ", out);
	if (fe->base->kind == E_VAR)
		fputs(fe->base->sym ? fe->base->sym->name : fe->base->name, out);
	else
		dump_expr(out, fe->base);
	if (fe->slice) {
		fputc('[', out);
		dump_args(out, fe->slice, fe->nslice);
		fputc(']', out);
	}
	if (fe->sort_dir && fe->sort_key == 0) {
		if (fe->sort_stat_given)
			fprintf(out, " %s", stat_name(fe->sort_stat));
		fputc(fe->sort_dir > 0 ? '+' : '-', out);
	}
	if (fe->limit) {
		fputs(" limit ", out);
		dump_expr(out, fe->limit);
	}
	fputs(") ", out);
	dump_stmt(out, fe->body);
}

void dump_stmt(FILE *out, const struct stmt *s)
{
	switch (s->kind) {
	case S_NULL:
		fputc(';', out);
		break;
	case S_EXPR:
		dump_expr(out, s->expr);
		break;
	case S_BLOCK:
		dump_block_body(out, s);
		break;
	case S_IF:
		fputs("if (", out);
		dump_expr(out, s->expr);
		fputs(") ", out);
		dump_stmt(out, s->then);
		fputc('\n', out);
		if (s->els) {
			fputs("else ", out);
			dump_stmt(out, s->els);
			fputc('\n', out);
		}
		break;
	case S_WHILE:
		if (s->do_while) {
			fputs("do ", out);
			dump_stmt(out, s->body);
			fputs(" while (", out);
			dump_expr(out, s->expr);
			fputs(")", out);
			break;
		}
		/* fall through */
	case S_FOR:
		/* stap prints while loops as for loops */
		fputs("for (", out);
		if (s->init)
			dump_expr(out, s->init);
		fputs("; ", out);
		if (s->expr)
			dump_expr(out, s->expr);
		else
			fputc('1', out);
		fputs("; ", out);
		if (s->step)
			dump_expr(out, s->step);
		fputs(") ", out);
		dump_stmt(out, s->body);
		break;
	case S_FOREACH:
		dump_foreach(out, s->fe);
		break;
	case S_BREAK: fputs("break", out); break;
	case S_CONTINUE: fputs("continue", out); break;
	case S_NEXT: fputs("next", out); break;
	case S_RETURN:
		fputs("return", out);
		if (s->expr) {
			fputc(' ', out);
			dump_expr(out, s->expr);
		}
		break;
	case S_DELETE:
		fputs("delete ", out);
		dump_expr(out, s->expr);
		break;
	case S_TRY:
		fputs("try {\n", out);
		dump_stmt(out, s->body);
		fputs("\n} catch", out);
		if (s->catch_name)
			fprintf(out, " (%s)", s->catch_name);
		fputs(" {\n", out);
		dump_stmt(out, s->catch_body);
		fputs("\n}\n", out);
		break;
	}
}

static void dump_point(FILE *out, const struct probe_point *pp)
{
	fputs(pp->text, out);
	if (pp->sufficient)
		fputc('!', out);
	else if (pp->optional)
		fputc('?', out);
	if (pp->cond) {
		fputs(" if (", out);
		dump_expr(out, pp->cond);
		fputc(')', out);
	}
}

static void dump_points(FILE *out, struct probe_point *const *pts, int n,
			const char *sep)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(sep, out);
		dump_point(out, pts[i]);
	}
}

static void dump_global_decl(FILE *out, const struct symbol *g)
{
	fprintf(out, "global %s", g->name);
	if (g->wrap)
		fputc('%', out);
	if (g->size)
		fprintf(out, "[%lld]", (long long)g->size);
	if (g->init) {
		fputs(" = ", out);
		dump_expr(out, g->init);
	}
	fputc('\n', out);
}

void dump_parse(FILE *out, const struct script *s)
{
	fputs("# parse tree dump\n", out);
	for (int f = 0; f < s->nuser; f++) {
		const struct stapfile *sf = s->parsed[f];
		fprintf(out, "# file %s\n", s->files[sf->file]->name);
		/* stap's order: globals, aliases, probes, functions */
		for (int i = 0; i < sf->ndecls; i++) {
			const struct decl *d = sf->decls[i];
			for (int k = 0; d->kind == D_GLOBAL && k < d->nglobals; k++)
				dump_global_decl(out, d->globals[k]);
		}
		for (int i = 0; i < sf->ndecls; i++) {
			const struct alias *a = sf->decls[i]->alias;
			if (sf->decls[i]->kind != D_ALIAS)
				continue;
			fprintf(out, "probe %s %s ", a->text,
				a->prologue ? "=" : "+=");
			dump_points(out, a->points, a->npoints, ", ");
			dump_stmt(out, a->prologue ? a->prologue : a->epilogue);
			/* stap omits the epilogue of the combined form; we
			   show it */
			if (a->prologue && a->epilogue) {
				fputs(", ", out);
				dump_stmt(out, a->epilogue);
			}
			fputc('\n', out);
		}
		for (int i = 0; i < sf->ndecls; i++) {
			const struct probe *p = sf->decls[i]->probe;
			if (sf->decls[i]->kind != D_PROBE)
				continue;
			fputs("probe ", out);
			dump_points(out, p->points, p->npoints, ",");
			dump_stmt(out, p->body);
			fputc('\n', out);
		}
		for (int i = 0; i < sf->ndecls; i++) {
			const struct func *fn = sf->decls[i]->func;
			if (sf->decls[i]->kind != D_FUNC)
				continue;
			fprintf(out, "function %s (", fn->name);
			for (int k = 0; k < fn->nparams; k++)
				fprintf(out, "%s%s", k ? ", " : "",
					fn->locals[k]->name);
			fputs(")\n", out);
			dump_stmt(out, fn->body);
			fputc('\n', out);
		}
	}
	fputc('\n', out);
}

/* ---- -p2 ---- */

static void dump_var_type(FILE *out, const struct symbol *v)
{
	fprintf(out, "%s", v->name);
	if (v->kind == SYM_GLOBAL && v->wrap)
		fputc('%', out);
	if (v->kind == SYM_GLOBAL && v->size)
		fprintf(out, "[%lld]", (long long)v->size);
	fprintf(out, ":%s", type_name(v->type));
	if (v->is_array) {
		fputs(" [", out);
		for (int i = 0; i < v->nkeys; i++)
			fprintf(out, "%s%s", i ? ", " : "",
				type_name(v->key_types[i]));
		fputc(']', out);
	}
	fputc('\n', out);
}

/* Collects the builtins used by live code, for the functions list. */
struct builtin_set {
	VEC(const struct builtin_sig *) v;
};

static void add_builtin(struct builtin_set *bs, const struct builtin_sig *b)
{
	for (size_t i = 0; i < bs->v.n; i++)
		if (bs->v.a[i] == b)
			return;
	VEC_PUSH(bs->v, b);
}

static bool note_builtin(struct expr *e, void *arg)
{
	if (e->kind == E_CALL && e->builtin)
		add_builtin(arg, e->builtin);
	return true;
}

/* One line of the "# functions" list, keyed for sorting. */
struct fline {
	const char *name;
	char *text;
};

static int fline_cmp(const void *a, const void *b)
{
	const struct fline *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->text, y->text);
}

/*
 * "NAME:RET (p1, p2, ...)" in a malloc'ed string, PARAM writing the i-th
 * parameter of OF.
 */
static char *sig_line(const char *name, enum type ret, int n, const void *of,
		      void (*param)(FILE *m, const void *of, int i))
{
	char *buf;
	size_t len;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		abort();
	fprintf(m, "%s:%s (", name, type_name(ret));
	for (int i = 0; i < n; i++) {
		fputs(i ? ", " : "", m);
		param(m, of, i);
	}
	fputc(')', m);
	fclose(m);
	return buf;
}

static void func_param(FILE *m, const void *of, int i)
{
	const struct func *f = of;

	fprintf(m, "%s:%s", f->locals[i]->name, type_name(f->locals[i]->type));
}

static char *func_line(const struct func *f)
{
	return sig_line(f->name, f->ret_type, f->nparams, f, func_param);
}

static void builtin_param(FILE *m, const void *of, int i)
{
	const struct builtin_sig *b = of;

	fprintf(m, "arg%d:%s", i + 1, type_name(b->args[i]));
}

static char *builtin_line(const struct builtin_sig *b)
{
	return sig_line(b->name, b->ret, b->nargs, b, builtin_param);
}

static void dump_locals(FILE *out, struct symbol *const *locals, int from, int n)
{
	if (from >= n)
		return;
	fputs("  # locals\n", out);
	for (int i = from; i < n; i++) {
		fputs("  ", out);
		dump_var_type(out, locals[i]);
	}
}

void dump_resolved(FILE *out, const struct script *s)
{
	if (s->nglobals) {
		fputs("# globals\n", out);
		for (int i = 0; i < s->nglobals; i++)
			dump_var_type(out, s->globals[i]);
	}
	struct builtin_set bs = { 0 };
	for (int i = 0; i < s->nfuncs; i++)
		ast_walk_stmt(s->funcs[i]->body, note_builtin, &bs);
	for (int i = 0; i < s->nprobes; i++) {
		ast_walk_stmt(s->probes[i]->body, note_builtin, &bs);
		for (int k = 0; k < s->probes[i]->npoints; k++)
			ast_walk_expr(s->probes[i]->points[k]->cond, note_builtin, &bs);
	}
	int nl = s->nfuncs + (int)bs.v.n;
	if (nl) {
		struct fline *lines = calloc((size_t)nl, sizeof(*lines));
		if (!lines)
			abort();
		for (int i = 0; i < s->nfuncs; i++)
			lines[i] = (struct fline){ s->funcs[i]->name,
						   func_line(s->funcs[i]) };
		for (int i = 0; i < (int)bs.v.n; i++)
			lines[s->nfuncs + i] = (struct fline){ bs.v.a[i]->name,
							       builtin_line(bs.v.a[i]) };
		qsort(lines, (size_t)nl, sizeof(*lines), fline_cmp);
		fputs("# functions\n", out);
		for (int i = 0; i < nl; i++) {
			fprintf(out, "%s\n", lines[i].text);
			free(lines[i].text);
		}
		free(lines);
	}
	VEC_FREE(bs.v);
	if (s->nprobes) {
		fputs("# probes\n", out);
		for (int i = 0; i < s->nprobes; i++) {
			const struct probe *p = s->probes[i];
			const struct probe *o = p->orig ? p->orig : p;
			for (int k = 0; k < p->npoints; k++) {
				dump_point(out, p->points[k]);
				fputs(" /* <- ", out);
				if (p->via)
					fprintf(out, "%s <- ", p->via->text);
				dump_points(out, o->points, o->npoints, ",");
				fputs(" */\n", out);
			}
			dump_locals(out, p->locals, 0, p->nlocals);
		}
	}
}

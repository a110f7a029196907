/*
 * sema_resolve.c - what sema hands to the code generator: types, symbols,
 * overload chains, locals, read/write sets, autoprint flags, dead code.
 */
#include "check.h"
#include "front_helpers.h"

static struct compiler *cc;
static bool quiet;	/* expected errors: counted, not printed */

/* Parses and checks; NULL (with the errors printed) on failure. */
static struct script *analyse(const char *text, bool unoptimized)
{
	static struct compile_opts o;
	memset(&o, 0, sizeof(o));
	o.script_text = text;
	o.script_name = "t.stp";
	o.no_tapsets = true;
	o.unoptimized = unoptimized;
	o.err = stdout;
	o.quiet = quiet;
	cc = compiler_new(&o);
	struct script *s = parse_script(cc);
	if (!s || sema_check(s) != 0)
		return NULL;
	return s;
}

static void done(void)
{
	compiler_free(cc);
	cc = NULL;
}

static struct symbol *global(struct script *s, const char *name)
{
	for (int i = 0; i < s->nglobals; i++)
		if (!strcmp(s->globals[i]->name, name))
			return s->globals[i];
	return NULL;
}

static struct func *func(struct script *s, const char *name, int nparams)
{
	for (int i = 0; i < s->nfuncs; i++)
		if (!strcmp(s->funcs[i]->name, name) &&
		    s->funcs[i]->nparams == nparams)
			return s->funcs[i];
	return NULL;
}

static bool has(struct symbol **v, int n, struct symbol *x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool calls(struct func **v, int n, struct func *x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void types_and_arrays(void)
{
	struct script *s = analyse(
		"global n, str, st, arr, wrap%[4], sized[10]\n"
		"function f(a, b) { return b . sprint(a) }\n"
		"probe begin { n = 1; str = f(n, \"x\"); st <<< n;\n"
		"  arr[str, n] = 2; wrap[1] = \"v\"; sized[\"k\"] = 1;\n"
		"  foreach ([k1, k2] in arr) print(k1, k2, @count(st), wrap[1], sized[\"k\"]) }", false);
	CHECK(s != NULL, "types: analysis succeeds");
	if (!s)
		return;
	struct symbol *arr = global(s, "arr"), *wrap = global(s, "wrap");
	CHECK_INT(global(s, "n")->type, TY_LONG, "n is long");
	CHECK_INT(global(s, "str")->type, TY_STRING, "str is string");
	CHECK_INT(global(s, "st")->type, TY_STATS, "st is stats");
	CHECK(arr->is_array && arr->nkeys == 2, "arr has 2 keys");
	CHECK(arr->key_types[0] == TY_STRING && arr->key_types[1] == TY_LONG,
	      "arr key types");
	CHECK(wrap->wrap && wrap->size == 4 && wrap->type == TY_STRING,
	      "wrap%[4] of strings");
	CHECK_INT(global(s, "sized")->size, 10, "sized[10]");
	struct func *f = func(s, "f", 2);
	CHECK(f && f->ret_type == TY_STRING, "f returns string");
	CHECK(f && f->locals[0]->type == TY_LONG && f->locals[1]->type == TY_STRING,
	      "f param types");
	struct probe *p = s->probes[0];
	CHECK_INT(p->nlocals, 2, "probe has 2 locals (k1, k2)");
	CHECK(p->nlocals == 2 && p->locals[0]->type == TY_STRING &&
	      p->locals[1]->type == TY_LONG, "foreach keys typed from arr");
	CHECK(p->nlocals == 2 && p->locals[0]->index == 0 && p->locals[1]->index == 1,
	      "local slots");
	for (int i = 0; i < s->nglobals; i++)
		CHECK_INT(s->globals[i]->index, i, "global index");
	done();
}

static void overloads_and_calls(void)
{
	struct script *s = analyse(
		"function g(x) { return x }\n"
		"function g(x, y) { return x + y }\n"
		"function h(x) :2 { return 2 }\n"
		"function h(x) :1 { next }\n"
		"function unused() { return 1 }\n"
		"function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }\n"
		"probe begin { print(g(1), g(1, 2), h(1), fact(5), pid(), execname()) }", false);
	CHECK(s != NULL, "overloads: analysis succeeds");
	if (!s)
		return;
	CHECK(func(s, "g", 1) && func(s, "g", 2), "arity overloads kept");
	CHECK(func(s, "unused", 0) == NULL, "unused function dropped");
	struct func *h1 = NULL, *h2 = NULL;
	for (int i = 0; i < s->nfuncs; i++)
		if (!strcmp(s->funcs[i]->name, "h"))
			*(s->funcs[i]->priority == 1 ? &h1 : &h2) = s->funcs[i];
	CHECK(h1 && h2 && h1->next_overload == h2 && !h2->next_overload,
	      "same-arity chain ordered by priority");
	struct func *fact = func(s, "fact", 1);
	CHECK(fact && calls(fact->callees, fact->ncallees, fact), "fact is recursive");
	CHECK(func(s, "g", 1) && func(s, "g", 1)->ncallees == 0, "g is not");
	/* deepest chain 1 (fact), + 1, + 10 for the recursion */
	CHECK_INT(s->auto_maxnesting, 12, "recursion raises the derived MAXNESTING");
	/* calls in the probe resolve to funcs or builtins */
	struct expr *pr = s->probes[0]->body->stmts[0]->expr;
	CHECK_INT(pr->kind, E_PRINT, "print is a print node");
	CHECK(pr->args[2]->func == h1, "call resolves to chain head");
	CHECK(pr->args[4]->builtin && !strcmp(pr->args[4]->builtin->name, "pid"),
	      "pid() is a builtin");
	CHECK_INT(pr->args[5]->type, TY_STRING, "execname() is a string");
	done();

	s = analyse("function unused() { return 1 } probe begin { print(1) }", true);
	CHECK(s && func(s, "unused", 0) != NULL, "-u keeps unused functions");
	done();
}

static void read_write_sets(void)
{
	struct script *s = analyse(
		"global r = 0, w, rw, only_w, st, unused\n"
		"function setw() { w = 1 }\n"
		"function deep() { setw(); return r }\n"
		"probe begin { x = deep(); rw++; only_w = 5; st <<< 1 }\n"
		"probe end { print(w, rw) }", false);
	CHECK(s != NULL, "rw: analysis succeeds");
	if (!s)
		return;
	struct symbol *r = global(s, "r"), *w = global(s, "w"),
		      *rw = global(s, "rw"), *ow = global(s, "only_w"),
		      *st = global(s, "st");
	CHECK(global(s, "unused") == NULL, "unused global dropped");
	struct probe *b = s->probes[0], *e = s->probes[1];
	struct func *deep = func(s, "deep", 0);
	CHECK(deep && b->ncallees == 1 && b->callees[0] == deep &&
	      has(deep->reads, deep->nreads, r), "begin reads r through deep()");
	CHECK(deep && calls(deep->callees, deep->ncallees, func(s, "setw", 0)),
	      "begin writes w through setw()");
	CHECK(rw->is_read && rw->is_written, "rw++ reads and writes");
	CHECK(!ow->is_read && ow->is_written, "only_w is not read");
	CHECK(st->is_written, "<<< writes");
	CHECK(e->ncallees == 0 && w->is_read, "end only reads");
	CHECK(deep && has(deep->writes, deep->nwrites, w), "deep() writes w transitively");
	CHECK(deep && deep->ncallees == 1, "deep() calls one function");
	CHECK(ow->autoprint && st->autoprint, "write-only globals autoprint");
	CHECK(!w->autoprint && !r->autoprint && !rw->autoprint, "read globals don't");
	CHECK(!r->is_written && r->is_read, "r: read, never written");
	done();
}

static void folding_and_misc(void)
{
	struct script *s = analyse(
		"global g = 5, h = \"s\"\n"
		"probe begin { print(@defined($x) ? 1 : 2, @defined(g), g, h) }", false);
	CHECK(s != NULL, "misc: analysis succeeds");
	if (!s)
		return;
	struct expr *pr = s->probes[0]->body->stmts[0]->expr;
	CHECK(pr->args[0]->cond->kind == E_NUM && pr->args[0]->cond->num == 0,
	      "@defined($x) folds to 0");
	CHECK(pr->args[1]->kind == E_NUM && pr->args[1]->num == 1,
	      "@defined(g) folds to 1");
	CHECK(global(s, "g")->type == TY_LONG && global(s, "g")->init->num == 5,
	      "initialised global");
	CHECK_INT(global(s, "h")->type, TY_STRING, "string initialiser");
	done();
	/* timer probes have no target variables */
	quiet = true;
	s = analyse("probe timer.ms(10) { print($foo) }", false);
	CHECK(s == NULL, "$var in a timer probe is an error");
	done();
	quiet = false;
	/* kprobe.function is DWARF-less in SystemTap too: no $vars there */
	quiet = true;
	s = analyse("probe kprobe.function(\"f\") { x = $foo; print(x) }", false);
	CHECK(s == NULL, "$var in a kprobe.function probe is an error");
	quiet = false;
	done();
}

static void dead_stores(void)
{
	struct script *s = analyse(
		"function f() { print(\"side effect\"); return 1 }\n"
		"probe begin { unused = 1; unused = \"no type error\"; kept = f();\n"
		"  used = 2; print(used); n++ }", false);
	CHECK(s != NULL, "dead stores: analysis succeeds (stap elides them too)");
	if (!s)
		return;
	struct probe *p = s->probes[0];
	CHECK_INT(p->nlocals, 2, "only 'used' and 'n' are left");
	CHECK(p->nlocals == 2 && !strcmp(p->locals[0]->name, "used") &&
	      p->locals[0]->index == 0, "slots renumbered");
	struct stmt *b = p->body;
	CHECK(b->stmts[0]->kind == S_NULL && b->stmts[1]->kind == S_NULL,
	      "pure dead stores vanish");
	CHECK(b->stmts[2]->kind == S_EXPR && b->stmts[2]->expr->kind == E_CALL,
	      "a dead store keeps its side effect");
	CHECK_INT(b->stmts[5]->kind, S_EXPR, "n++ stays (stap keeps it too)");
	done();
	s = analyse("probe begin { unused = 1 }", true);
	CHECK(s && s->probes[0]->nlocals == 1, "-u keeps dead stores");
	done();
}

static void alias_expansion(void)
{
	struct script *s = analyse(
		"probe a = begin { pre = 1 }\n"
		"probe b += end { post = 2 }\n"
		"probe c = a { mid = 3 }\n"
		"probe c, b, timer.s(1) { x = 1; print(x) }\n"
		"probe b { print(post) }", false);
	CHECK(s != NULL, "aliases: analysis succeeds");
	if (!s)
		return;
	CHECK_INT(s->nprobes, 4, "c, b, timer.s(1) (plain, grouped) and b");
	struct probe *c = s->probes[0];
	CHECK(c->npoints == 1 && !strcmp(c->points[0]->text, "begin"), "c -> a -> begin");
	CHECK(c->via && !strcmp(c->via->text, "a"), "derived via alias a");
	CHECK_INT(c->nlocals, 1, "unread alias locals are elided");
	/* body: { {a's prologue}; { {c's prologue}; user } } */
	CHECK(c->body->kind == S_BLOCK && c->body->nstmts == 2, "prologue wraps body");
	CHECK(c->orig == s->user_probes[0], "orig is the user probe");
	done();
}

int main(void)
{
	types_and_arrays();
	overloads_and_calls();
	read_write_sets();
	folding_and_misc();
	alias_expansion();
	dead_stores();
	return check_done();
}

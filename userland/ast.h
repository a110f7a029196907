/*
 * ast.h - the syntax tree shared by the front end (lex, preproc, parse,
 * sema, dump) and the code generator.
 *
 * Life cycle: parse_script() (parse.h) builds a struct script from the user
 * files; sema_check() (sema.h) pulls in tapset files, expands probe
 * aliases, resolves every name to a struct symbol / struct func, infers
 * types, drops unused code, and fills the read/write sets.  After a
 * successful sema_check() the code generator only needs:
 *
 *   script->globals[]  every live global (struct symbol, kind SYM_GLOBAL)
 *   script->funcs[]    every live function (user + tapset), overloads resolved
 *   script->probes[]   derived probes: aliases expanded, one per handler body
 *
 * All nodes are arena-allocated by the compiler context and live as long
 * as the script; nothing here is ever freed piecemeal.
 *
 * Conventions:
 *   - every node has `tok`, the token that names it in messages
 *     ("operator '/' at f.stp:2:32"); diag_token_desc() (diag.h) renders it.
 *   - counted arrays are `T **xs; int nxs;`.
 *   - a NULL entry in a key list means the wildcard `*`.
 */
#ifndef BYTETAP_AST_H
#define BYTETAP_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_ARRAY_KEYS 9	/* SystemTap's limit on index arity */

struct symbol;
struct func;
struct probe;
struct alias;
struct compiler;		/* front-end context, parse.h */
struct builtin_sig;		/* builtin table entry, see sema.h / builtins.h */
struct target_ctx;		/* target.h */
struct bt_probe_decl;		/* bytecode/bt_prog.h */

/* ---- source positions and tokens ---- */

/*
 * A place in a source file.  `file` indexes script->files[] (the name and
 * text are there, for carets).  line and col are 1-based; col counts bytes.
 */
struct srcpos {
	int file;
	int line;
	int col;
};

enum tok_kind {
	TK_EOF,
	TK_IDENT,	/* foo, $foo, $$vars, @foo (non-keyword @ words) */
	TK_KEYWORD,	/* probe global ... and the @-keywords (@cast, @sum...) */
	TK_NUMBER,	/* text = source spelling, num = value (wrapped to int64) */
	TK_STRING,	/* text = raw spelling between the quotes, str = decoded */
	TK_OP,		/* operators and punctuation, also %( %? %: %) */
	TK_EMBEDDED,	/* %{ ... %}: always rejected, kept for the message */
};

struct token {
	enum tok_kind kind;
	const char *text;	/* NUL-terminated spelling (see above) */
	struct srcpos pos;
	int64_t num;		/* TK_NUMBER */
	const char *str;	/* TK_STRING: escapes decoded, NUL-terminated */
	size_t str_len;		/* strlen(str) (a "\0" escape ends the string) */
	/*
	 * Tokens produced by a macro expansion or a $N/@N argument keep their
	 * own position; `expanded_from` points at the invocation token so
	 * messages can say "in expansion of".  NULL for ordinary tokens.
	 */
	const struct token *expanded_from;
	bool space_before;	/* whitespace preceded it (for the -p1 printer) */
	bool line_start;	/* first token on its line */
};

/* ---- types ---- */

enum type {
	TY_UNKNOWN,	/* not (yet) inferred; for functions: returns nothing */
	TY_LONG,
	TY_STRING,
	TY_STATS,	/* aggregate; only global scalars / array values */
};

/* ---- expressions ---- */

enum expr_kind {
	E_NUM,		/* num */
	E_STR,		/* str, str_len (decoded; adjacent literals joined) */
	E_VAR,		/* name -> sym: scalar, or a whole array (delete a,
			   foreach base) */
	E_INDEX,	/* name[args...] -> sym (array); NULL arg = '*' (only in
			   `in`, delete and foreach slices) */
	E_CALL,		/* name(args) -> func (script function, head of the
			   same-arity overload chain) or builtin (VM builtin) */
	E_PRINT,	/* print family: print_kind, is_sprint, fmt, args */
	E_UNARY,	/* op lhs: OP_NEG OP_PLUS OP_NOT OP_BITNOT */
	E_BINARY,	/* lhs op rhs: arithmetic, bitwise, shifts, OP_CONCAT,
			   comparisons (lhs->type tells long vs string compare),
			   OP_LAND/OP_LOR (short-circuit, result 0/1) */
	E_REGEX,	/* lhs =~ rhs (op OP_MATCH) / !~ (OP_NMATCH); rhs is an
			   E_STR literal */
	E_ASSIGN,	/* lhs op= rhs; op OP_NONE for '=', OP_AGG for '<<<',
			   OP_CONCAT for '.=', else the arithmetic op.
			   lhs is E_VAR or E_INDEX */
	E_PREINC, E_PREDEC, E_POSTINC, E_POSTDEC,	/* lhs: E_VAR/E_INDEX */
	E_TERNARY,	/* cond ? lhs : rhs */
	E_IN,		/* lhs (an E_INDEX: keys + array) `in` membership test */
	E_STAT,		/* stat_op(lhs) extractor; lhs is E_VAR/E_INDEX of a
			   stats value; rhs = shift for @variance (E_NUM or NULL) */
	E_HIST,		/* @hist_log(lhs) / @hist_linear(lhs, start, stop, step):
			   hist_kind; args[0..2] are E_NUM for linear.  Only
			   valid as the sole print/println/sprint(ln) argument,
			   as a foreach base, or under E_HIST_BUCKET */
	E_HIST_BUCKET,	/* lhs (E_HIST) [rhs]: count in one bucket */
	E_TARGET,	/* $name / $$vars / @var("...") with member chain; sema
			   rejects these where the probe provides no context;
			   otherwise left to codegen */
	E_CAST,		/* @cast(lhs, "type"[, "module"]) with member chain */
	E_ENTRY,	/* @entry(lhs) */
	E_DEFINED,	/* @defined(lhs): folded to E_NUM by sema */
	E_PERF,		/* @perf("name") */
};

enum op {
	OP_NONE,
	/* arithmetic and bitwise (binary and compound assignment) */
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_SHL, OP_SHR, OP_USHR,	/* << >> >>> */
	OP_BITAND, OP_BITOR, OP_BITXOR,
	OP_CONCAT,			/* . and .= */
	/* comparisons */
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
	/* logical */
	OP_LAND, OP_LOR,
	/* regex */
	OP_MATCH, OP_NMATCH,
	/* unary */
	OP_NEG, OP_PLUS, OP_NOT, OP_BITNOT,
	/* aggregation '<<<' (E_ASSIGN only) */
	OP_AGG,
};

enum stat_op {
	STAT_COUNT, STAT_SUM, STAT_MIN, STAT_MAX, STAT_AVG, STAT_VARIANCE,
};

enum hist_kind {
	HIST_LOG,
	HIST_LINEAR,
};

enum print_kind {
	PRINT_PLAIN,	/* print / sprint */
	PRINT_LN,	/* println / sprintln */
	PRINT_D,	/* printd / sprintd: fmt = delimiter */
	PRINT_DLN,	/* printdln / sprintdln: fmt = delimiter */
	PRINT_F,	/* printf / sprintf: fmt = format */
};

/* One step of a target-variable member chain: ->name or [index]. */
struct target_comp {
	bool is_index;
	const char *name;	/* field name (is_index == false) */
	struct expr *index;	/* index expression (is_index == true) */
	const struct token *tok;
};

struct expr {
	enum expr_kind kind;
	enum op op;
	enum type type;		/* result type, filled by sema */
	const struct token *tok;	/* operator / name / literal token */

	struct expr *lhs, *rhs, *cond;
	struct expr **args;	/* call/print args, array keys, hist params */
	int nargs;

	int64_t num;		/* E_NUM */
	const char *str;	/* E_STR (decoded), E_PRINT fmt/delim,
				   E_CAST type name, E_PERF name */
	size_t str_len;
	const char *str2;	/* E_CAST module (or NULL) */

	const char *name;	/* E_VAR, E_INDEX, E_CALL, E_TARGET spelling */
	struct symbol *sym;	/* E_VAR, E_INDEX: resolved by sema */
	struct func *func;	/* E_CALL: resolved script function, or */
	const struct builtin_sig *builtin;	/* E_CALL: resolved builtin */

	enum stat_op stat_op;	/* E_STAT */
	enum hist_kind hist_kind;	/* E_HIST */

	enum print_kind print_kind;	/* E_PRINT */
	bool is_sprint;		/* E_PRINT: returns the string instead */

	/* E_TARGET / E_CAST: member chain, and the &$x / $x$ / $x$$ forms */
	struct target_comp *comps;
	int ncomps;
	bool addr_of;		/* &$x */
	int pretty;		/* 0, 1 for $x$, 2 for $x$$ */

	int height;		/* tree height; the parser bounds it so that
				   recursive walkers cannot overflow the stack */

	/* E_REGEX: rhs compiled by the VM's regex compiler (sema) */
	const uint8_t *re_code;
	size_t re_len;
};

/* ---- statements ---- */

enum stmt_kind {
	S_NULL,		/* ; */
	S_EXPR,		/* expr; */
	S_BLOCK,	/* { stmts } */
	S_IF,		/* if (expr) then [else els] */
	S_WHILE,	/* while (expr) body */
	S_FOR,		/* for (init; expr; step) body; each part may be NULL */
	S_FOREACH,	/* fe */
	S_BREAK,
	S_CONTINUE,
	S_NEXT,		/* leave the probe handler / next overload */
	S_RETURN,	/* return [expr] */
	S_DELETE,	/* delete expr: E_VAR (whole array or scalar) or E_INDEX
			   (element; NULL keys are wildcards) */
	S_TRY,		/* try body catch [(catch_var)] catch_body */
};

/*
 * foreach ([V =] K | [K1, ...] in BASE[SLICE] [SORT] [limit E]) body
 *
 * BASE is an array (E_VAR, sym = the global array) or an E_HIST.
 * Sorting: sort_dir is +1 (ascending, '+'), -1 ('-') or 0 (none);
 * sort_key 0 = by value, 1..nkeys = by that key (1-based).
 * For an array of stats, sort_by_value uses sort_stat (default @count).
 */
struct foreach {
	struct symbol *value;		/* V, or NULL */
	struct symbol *keys[MAX_ARRAY_KEYS];	/* key locals */
	const struct token *key_toks[MAX_ARRAY_KEYS];
	int nkeys;
	struct expr *base;
	struct expr **slice;		/* NULL if no slice; NULL entry = '*' */
	int nslice;			/* == nkeys when slice != NULL */
	int sort_dir;
	int sort_key;
	enum stat_op sort_stat;
	struct expr *limit;		/* or NULL */
	struct stmt *body;
	/* parse-time names, resolved into keys[]/value by sema */
	const char *key_names[MAX_ARRAY_KEYS];
	const char *value_name;
	const struct token *value_tok;
	bool sort_stat_given;		/* "@sum-" written (else @count) */
};

struct stmt {
	enum stmt_kind kind;
	const struct token *tok;	/* first token ('if', '{', ...) */

	struct expr *expr;	/* S_EXPR, S_RETURN, S_DELETE, condition of
				   S_IF / S_WHILE / S_FOR */
	struct expr *init, *step;	/* S_FOR */
	struct stmt *then, *els;	/* S_IF */
	struct stmt *body;	/* S_WHILE, S_FOR, S_TRY */
	bool do_while;		/* S_WHILE written do BODY while (EXPR) */
	struct stmt **stmts;	/* S_BLOCK */
	int nstmts;
	struct foreach *fe;	/* S_FOREACH */

	struct symbol *catch_var;	/* S_TRY: catch (msg), or NULL */
	const char *catch_name;
	const struct token *catch_tok;
	struct stmt *catch_body;	/* S_TRY */
};

/* ---- symbols ---- */

enum sym_kind {
	SYM_GLOBAL,
	SYM_LOCAL,	/* probe/function local, foreach key/value, catch var */
	SYM_PARAM,	/* function parameter */
};

struct symbol {
	enum sym_kind kind;
	const char *name;
	const struct token *tok;	/* declaration (or first use) */
	enum type type;			/* value type (TY_STATS: aggregate) */

	bool is_array;
	int nkeys;
	enum type key_types[MAX_ARRAY_KEYS];

	/*
	 * Slot number: globals index script->globals[]; params and locals
	 * index the owning func/probe's locals[] (params come first).
	 */
	int index;

	/* globals only */
	int64_t size;		/* global a[SIZE]: max entries, 0 = default */
	bool wrap;		/* global a% / a%[SIZE]: evict oldest */
	struct expr *init;	/* literal initialiser (E_NUM/E_STR) or NULL */
	bool is_private;
	int file;		/* defining file (files[] index) */
	bool from_tapset;	/* declared in a tapset file */
	bool is_read;		/* read anywhere (after dead-code removal) */
	bool is_written;	/* written anywhere */
	/*
	 * Set by sema for user-script globals that are written but never
	 * read: the lead generates the end-of-session display (honouring
	 * --no-global-var-display).
	 */
	bool autoprint;
	/* statistics: the @hist_* that fixes the histogram layout (sema:
	   every @hist_* on it has the same), and 1 + the @variance shift
	   (sema/facts.c), 0 when neither is used */
	const struct expr *hist;
	int var_shift;

	/* sema bookkeeping: where the type / arity was first inferred */
	const struct token *type_tok;
	const struct token *arity_tok;
	int stamp;		/* scratch mark for sema walks */
};

/* ---- functions ---- */

struct func {
	const char *name;
	const struct token *tok;	/* the name token */
	enum type ret_type;		/* TY_UNKNOWN: returns no value */
	bool ret_declared;		/* :long / :string written */

	/* locals[0..nparams-1] are the params, then the other locals */
	struct symbol **locals;
	int nlocals;
	int nparams;

	struct stmt *body;		/* S_BLOCK */
	int64_t priority;		/* :N (default 0 user, 1 tapset) */
	bool is_private;
	bool from_tapset;
	int file;

	/*
	 * Same name and arity, next lower priority: what `next` inside this
	 * function jumps to at run time (NULL: `next` is a runtime error).
	 * E_CALL.func is always the head of this chain.
	 */
	struct func *next_overload;

	int index;			/* position in script->funcs[] */

	/* globals read / written, including through called functions */
	struct symbol **reads, **writes;
	int nreads, nwrites;
	/* functions called directly, every overload `next` may reach (the
	   call graph: foreach checks, MAXNESTING) */
	struct func **callees;
	int ncallees;
};

/* ---- probes ---- */

/* One component of a probe point: name or name(literal). */
struct pp_comp {
	const char *name;	/* may contain '*' wildcards */
	struct expr *arg;	/* E_NUM / E_STR literal, or NULL */
	const struct token *tok;
};

struct probe_point {
	struct pp_comp *comps;
	int ncomps;
	bool optional;		/* '?' */
	bool sufficient;	/* '!' (implies optional) */
	struct expr *cond;	/* if (cond): arming condition, or NULL */
	const struct token *tok;	/* first token */
	const char *text;	/* printable "timer.ms(100)" (built by parser) */
	/* the VM's declaration of this point and the symbol it names
	   (sema/facts.c); decl NULL: not supported (only on optional points) */
	const struct bt_probe_decl *decl;
	const char *symbol;
};

/*
 * A probe handler.  In script->user_probes, as written (points may name
 * aliases).  In script->probes (after sema), a derived probe: every point
 * is a concrete, non-alias point (wildcards on non-alias points are left
 * for codegen to resolve), the body already holds the alias prologues and
 * epilogues around the user body, and symbols are resolved.
 */
struct probe {
	struct probe_point **points;
	int npoints;
	struct stmt *body;	/* S_BLOCK */
	const struct token *tok;	/* 'probe' keyword */
	int file;

	struct symbol **locals;
	int nlocals;

	struct probe *orig;	/* derived probe: the user probe it came from */
	const struct alias *via;	/* derived through this alias, or NULL */
	int index;		/* position in script->probes[] */

	/* what $name / $$parms mean here (target.h); NULL: no context */
	struct target_ctx *target;

	/* functions called directly (the call graph, as func->callees) */
	struct func **callees;
	int ncallees;
};

/* probe NAME = PP { prologue }  /  += PP { epilogue }  /  = PP { pro }, { epi } */
struct alias {
	struct pp_comp *name;	/* alias name components, e.g. syscall . read */
	int nname;
	const char *text;	/* "syscall.read" */
	struct probe_point **points;	/* what it expands to */
	int npoints;
	struct stmt *prologue;	/* '=' form body, or NULL */
	struct stmt *epilogue;	/* '+=' form body (or 2nd block), or NULL */
	const struct token *tok;
	int file;
	bool is_private;
	bool from_tapset;
};

/* ---- files and the whole script ---- */

struct srcfile {
	const char *name;	/* as given: "t.stp", "<input>", tapset path */
	const char *text;	/* whole contents, NUL-terminated */
	size_t len;
	bool is_tapset;
};

/* Top-level declarations of one parsed file, in source order. */
enum decl_kind { D_GLOBAL, D_FUNC, D_PROBE, D_ALIAS };

struct decl {
	enum decl_kind kind;
	struct symbol **globals;	/* D_GLOBAL: one `global a, b` line */
	int nglobals;
	struct func *func;
	struct probe *probe;
	struct alias *alias;
};

struct stapfile {
	int file;		/* files[] index */
	struct decl **decls;
	int ndecls;
};

struct script {
	struct srcfile **files;		/* position table (srcpos.file) */
	int nfiles;

	struct stapfile **parsed;	/* user files + pulled-in tapsets */
	int nparsed;
	int nuser;			/* parsed[0..nuser-1] are user files */

	struct probe **user_probes;	/* as written, before expansion */
	int nuser_probes;

	/* valid after sema_check() */
	struct symbol **globals;
	int nglobals;
	struct func **funcs;
	int nfuncs;
	struct probe **probes;		/* derived probes */
	int nprobes;
	uint32_t auto_maxnesting;	/* MAXNESTING derived from the call
					   graph as SystemTap does (sema/facts.c) */

	struct compiler *cc;		/* owning context (arena, options) */
};

/* ---- walking ---- */

/*
 * The one traversal of the tree.  Every child is visited, in source order:
 *   expression: lhs, rhs, cond, args[], member-chain indexes comps[].index
 *   statement:  expr, init, step, then, els, body, stmts[], then for a
 *               foreach base, slice[], limit, body, then catch_body
 * A NULL child (an absent part, a '*' in a slice or a delete) is skipped.
 * pre hooks run before the children; returning false leaves the children
 * (and the post hook) out.  post hooks run after the children.  body_pre
 * and body_post bracket the body of a foreach (after base, slice and
 * limit) and the catch body of a try: the places where a loop or catch
 * variable is bound.  Any hook may be NULL.  Hooks may rewrite the node
 * they are given in place.
 */
struct ast_visitor {
	bool (*expr_pre)(struct expr *e, void *arg);
	void (*expr_post)(struct expr *e, void *arg);
	bool (*stmt_pre)(struct stmt *s, void *arg);
	void (*stmt_post)(struct stmt *s, void *arg);
	void (*body_pre)(struct stmt *s, void *arg);
	void (*body_post)(struct stmt *s, void *arg);
	void *arg;
};

void ast_visit_stmt(struct stmt *s, const struct ast_visitor *v);
void ast_visit_expr(struct expr *e, const struct ast_visitor *v);

/* Shorthands: visit(e, arg) as expr_pre on every expression. */
typedef bool (*ast_visit_fn)(struct expr *e, void *arg);
void ast_walk_stmt(struct stmt *s, ast_visit_fn visit, void *arg);
void ast_walk_expr(struct expr *e, ast_visit_fn visit, void *arg);

/* Deep copies (arena); symbols, functions and tokens are shared. */
struct expr *ast_clone_expr(struct compiler *cc, const struct expr *e);
struct stmt *ast_clone_stmt(struct compiler *cc, const struct stmt *s);

#endif /* BYTETAP_AST_H */

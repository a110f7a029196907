/*
 * diag.h - the front end's arena allocation, the source file table and
 * SystemTap-style error reporting (the context itself: compiler.h).
 *
 * Every message names a token and shows its source line with a caret:
 *
 *   parse error: expected ')'
 *           saw: operator '{' at t.stp:3:14
 *        source: probe begin { x = (1 + {
 *                                       ^
 *
 *   semantic error: type mismatch (string): identifier 'x' at t.stp:1:23
 *           source: probe begin { x = 1 ; x = "a"; print(x) }
 *                                         ^
 */
#ifndef BYTETAP_DIAG_H
#define BYTETAP_DIAG_H

#include <stdarg.h>
#include <stdio.h>
#include "ast.h"
#include "compiler.h"
#include "util.h"

/* ---- arena ---- */

/* Zeroed memory that lives until compiler_free(). Never returns NULL. */
void *cc_alloc(struct compiler *cc, size_t size);
char *cc_strndup(struct compiler *cc, const char *s, size_t n);
char *cc_strdup(struct compiler *cc, const char *s);
char *cc_printf(struct compiler *cc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Growable pointer arrays in the arena: `vec_push(cc, &v, &n, &cap, x)`.
 * Growth doubles, so the arena waste is bounded by the final size.
 */
void vec_push(struct compiler *cc, void *vecp, int *n, int *cap, void *item);

/*
 * String-keyed map to pointers in the arena: util.h's strmap, arena kind.
 * Keys are not copied: they must live as long as the map (arena strings
 * do).  A zeroed hmap is empty.
 */
struct hmap {
	struct strmap t;
};
void *hmap_get(const struct hmap *m, const char *key);
void hmap_put(struct compiler *cc, struct hmap *m, const char *key, void *val);
/* Calls fn on every value, in no particular order. */
void hmap_each(const struct hmap *m, void (*fn)(void *val, void *arg), void *arg);

/* ---- files ---- */

/* Registers a file (text is copied); returns its index. */
int cc_add_file(struct compiler *cc, const char *name, const char *text,
		size_t len, bool is_tapset);
/* Reads a file; returns its index or -1 (errno set). */
int cc_load_file(struct compiler *cc, const char *path, bool is_tapset);

/* ---- messages ---- */

/*
 * "identifier 'x' at t.stp:1:5", "operator '/' at ...", "number '08' at",
 * "string 'a\tb' at", "keyword at", "embedded-code at", "t.stp EOF".
 * Returned string is arena-allocated.
 */
const char *diag_token_desc(struct compiler *cc, const struct token *tok);

/* parse error: MSG / saw: TOKEN / source + caret.  tok may be an EOF. */
void diag_parse_error(struct compiler *cc, const struct token *tok,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The va_list form of diag_parse_error() (DIAG_PARSE) and
 * diag_sema_error() (DIAG_SEMA), for the parser's and sema's error exits.
 */
enum diag_kind { DIAG_PARSE, DIAG_SEMA };
void diag_verror(struct compiler *cc, enum diag_kind kind,
		 const struct token *tok, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Preprocessor flavour: "parse error: MSG / at: TOKEN / source". */
void diag_pp_error(struct compiler *cc, const struct token *tok,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* semantic error: MSG: TOKEN / source + caret. tok may be NULL. */
void diag_sema_error(struct compiler *cc, const struct token *tok,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A continuation line for the previous message: "TOKEN\n source...". */
void diag_note(struct compiler *cc, const char *prefix,
	       const struct token *tok);

/* WARNING: MSG: TOKEN / source + caret (not an error). */
void diag_warning(struct compiler *cc, const struct token *tok,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A plain error line without position (e.g. "cannot open t.stp"). */
void diag_plain_error(struct compiler *cc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* BYTETAP_DIAG_H */

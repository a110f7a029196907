/*
 * lex.c - turns a source file into tokens.
 *
 * The whole file is tokenized up front into one arena array; the
 * preprocessor and parser then walk arrays of token pointers, so nothing
 * is ever rescanned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lex.h"

static const char *const keywords[] = {
	"probe", "global", "private", "function", "if", "else", "for",
	"foreach", "in", "limit", "return", "delete", "while", "break",
	"continue", "next", "string", "long", "try", "catch",
	"@cast", "@defined", "@probewrite", "@entry", "@perf", "@var",
	"@avg", "@count", "@sum", "@min", "@max", "@hist_linear", "@hist_log",
	"@const", "@variance", "@kregister", "@uregister", "@kderef",
	"@uderef",
	NULL,
};

/* Longest first, so the first prefix match is the right one. */
static const char *const operators[] = {
	"<<<", ">>>", "<<=", ">>=",
	"==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=",
	"/=", "%=", "&=", "|=", "^=", ".=", "<<", ">>", "->", "=~", "!~",
	"%(", "%?", "%:", "%)",
	"+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "=", "<", ">", "?",
	":", ";", ",", ".", "(", ")", "[", "]", "{", "}",
	NULL,
};

struct lexer {
	struct compiler *cc;
	int file;
	const char *p, *end;
	const char *line_begin;
	int line;
	struct token *toks;
	int n, cap;
	bool space, line_start;
};

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static struct token *new_token(struct lexer *lx, enum tok_kind kind,
			       const char *start)
{
	if (lx->n == lx->cap) {
		int ncap = lx->cap ? lx->cap * 2 : 256;
		struct token *nt = cc_alloc(lx->cc, sizeof(*nt) * (size_t)ncap);
		if (lx->n)
			memcpy(nt, lx->toks, sizeof(*nt) * (size_t)lx->n);
		lx->toks = nt;
		lx->cap = ncap;
	}
	struct token *t = &lx->toks[lx->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->pos.file = lx->file;
	t->pos.line = lx->line;
	t->pos.col = (int)(start - lx->line_begin) + 1;
	t->space_before = lx->space;
	t->line_start = lx->line_start;
	lx->space = false;
	lx->line_start = false;
	return t;
}

/* A pseudo-token used only to point a lexical error at a place. */
static void lex_error(struct lexer *lx, enum tok_kind kind, const char *start,
		      const char *text, const char *msg)
{
	struct token t = {
		.kind = kind,
		.text = text,
		.pos = { lx->file, lx->line, (int)(start - lx->line_begin) + 1 },
	};
	/* stap words a bad number as a parse error, the rest as lexer
	   ("at:") errors */
	if (kind == TK_NUMBER)
		diag_parse_error(lx->cc, &t, "%s", msg);
	else
		diag_pp_error(lx->cc, &t, "%s", msg);
}

static void newline(struct lexer *lx, const char *nl)
{
	lx->line++;
	lx->line_begin = nl + 1;
	lx->line_start = true;
	lx->space = true;
}

/* Skips whitespace and comments; false on an unterminated comment. */
static bool skip_space(struct lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\n') {
			newline(lx, lx->p);
			lx->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
			   c == '\v') {
			lx->space = true;
			lx->p++;
		} else if (c == '#' ||
			   (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			lx->space = true;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			const char *start = lx->p;
			int line = lx->line;
			const char *lb = lx->line_begin;
			lx->p += 2;
			for (;;) {
				if (lx->p + 1 >= lx->end) {
					lx->line = line;
					lx->line_begin = lb;
					lex_error(lx, TK_OP, start, "/*",
						  "unterminated comment");
					return false;
				}
				if (lx->p[0] == '*' && lx->p[1] == '/')
					break;
				if (*lx->p == '\n')
					newline(lx, lx->p);
				lx->p++;
			}
			lx->p += 2;
			lx->space = true;
		} else {
			break;
		}
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes the escapes of a raw string body.  A decoded NUL ends the
 * string, like the C literal stap would have generated.
 */
static void decode_string(struct compiler *cc, struct token *t,
			  const char *raw, size_t len)
{
	char *out = cc_alloc(cc, len + 1);
	size_t o = 0;
	bool ended = false;
	for (size_t i = 0; i < len && !ended; i++) {
		char c = raw[i];
		if (c != '\\' || i + 1 >= len) {
			out[o++] = c;
			continue;
		}
		c = raw[++i];
		int v;
		switch (c) {
		case 'a': v = '\a'; break;
		case 'b': v = '\b'; break;
		case 't': v = '\t'; break;
		case 'n': v = '\n'; break;
		case 'v': v = '\v'; break;
		case 'f': v = '\f'; break;
		case 'r': v = '\r'; break;
		case 'x':
			if (i + 1 < len && hexval(raw[i + 1]) >= 0) {
				v = hexval(raw[++i]);
				if (i + 1 < len && hexval(raw[i + 1]) >= 0)
					v = v * 16 + hexval(raw[++i]);
			} else {
				v = 'x';
			}
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			v = c - '0';
			for (int k = 0; k < 2 && i + 1 < len &&
			     raw[i + 1] >= '0' && raw[i + 1] <= '7'; k++)
				v = v * 8 + (raw[++i] - '0');
			v &= 0xff;
			break;
		default:
			v = (unsigned char)c;	/* \\ \" \' and unknown \q */
			break;
		}
		if (v == 0)
			ended = true;
		else
			out[o++] = (char)v;
	}
	out[o] = 0;
	t->str = out;
	t->str_len = o;
}

static bool lex_string(struct lexer *lx)
{
	const char *start = lx->p;
	const char *q = start + 1;
	while (q < lx->end && *q != '"' && *q != '\n') {
		if (*q == '\\' && q + 1 < lx->end && q[1] != '\n')
			q++;
		q++;
	}
	if (q >= lx->end || *q != '"') {
		lex_error(lx, TK_STRING, start, "",
			  "Could not find matching closing quote");
		return false;
	}
	struct token *t = new_token(lx, TK_STRING, start);
	t->text = cc_strndup(lx->cc, start + 1, (size_t)(q - start - 1));
	decode_string(lx->cc, t, start + 1, (size_t)(q - start - 1));
	lx->p = q + 1;
	return true;
}

static bool lex_number(struct lexer *lx)
{
	const char *start = lx->p;
	const char *q = start;
	while (q < lx->end && is_ident_char(*q) && *q != '$')
		q++;
	struct token *t = new_token(lx, TK_NUMBER, start);
	t->text = cc_strndup(lx->cc, start, (size_t)(q - start));
	lx->p = q;
	/* strtoull takes decimal, 0octal and 0xhex; values in [2^63, 2^64)
	   wrap to negative like SystemTap's */
	char *endp;
	errno = 0;
	unsigned long long v = strtoull(t->text, &endp, 0);
	if (errno || *endp || t->text[0] == '-') {
		lx->n--;
		lex_error(lx, TK_NUMBER, start, t->text,
			  "number invalid or out of range");
		return false;
	}
	t->num = (int64_t)v;
	return true;
}

static bool is_keyword(const char *s)
{
	for (int i = 0; keywords[i]; i++)
		if (!strcmp(keywords[i], s))
			return true;
	return false;
}

static bool lex_word(struct lexer *lx)
{
	const char *start = lx->p;
	const char *q = start + 1;
	if (q < lx->end && *q == '#' && (*start == '$' || *start == '@')) {
		q++;	/* $# and @#: argument count, not a comment */
	} else {
		while (q < lx->end && is_ident_char(*q))
			q++;
	}
	if (*start == '@' && q == start + 1) {
		lex_error(lx, TK_OP, start, "@", "unexpected character '@'");
		return false;
	}
	if (*start == '$' && q == start + 1) {
		lex_error(lx, TK_OP, start, "$", "unexpected character '$'");
		return false;
	}
	struct token *t = new_token(lx, TK_IDENT, start);
	t->text = cc_strndup(lx->cc, start, (size_t)(q - start));
	if (is_keyword(t->text))
		t->kind = TK_KEYWORD;
	lx->p = q;
	return true;
}

/* %{ ... %} becomes one token; the parser rejects it with a clear message
   (it may sit in a %( %) branch that is never taken). */
static bool lex_embedded(struct lexer *lx)
{
	const char *start = lx->p;
	int line = lx->line;
	const char *lb = lx->line_begin;
	struct token *t = new_token(lx, TK_EMBEDDED, start);
	const char *q = start + 2;
	while (q + 1 < lx->end && !(q[0] == '%' && q[1] == '}')) {
		if (*q == '\n')
			newline(lx, q);
		q++;
	}
	if (q + 1 >= lx->end) {
		lx->n--;
		lx->line = line;
		lx->line_begin = lb;
		lex_error(lx, TK_EMBEDDED, start, "%{",
			  "Could not find matching '%}'");
		return false;
	}
	t->text = "%{";
	lx->p = q + 2;
	lx->space = false;
	lx->line_start = false;
	return true;
}

static bool lex_op(struct lexer *lx)
{
	const char *start = lx->p;
	size_t left = (size_t)(lx->end - start);
	if (left >= 2 && start[0] == '%' && start[1] == '{')
		return lex_embedded(lx);
	for (int i = 0; operators[i]; i++) {
		size_t len = strlen(operators[i]);
		if (len <= left && !memcmp(start, operators[i], len)) {
			struct token *t = new_token(lx, TK_OP, start);
			t->text = operators[i];
			lx->p += len;
			return true;
		}
	}
	char buf[64];
	unsigned char c = (unsigned char)*start;
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, sizeof(buf), "unexpected character '%c'", c);
	else
		snprintf(buf, sizeof(buf), "unexpected character 0x%02x", c);
	lex_error(lx, TK_OP, start, c >= 0x20 && c < 0x7f ?
		  cc_strndup(lx->cc, start, 1) : "?", buf);
	return false;
}

struct token *lex_file(struct compiler *cc, int file, int *ntoks)
{
	const struct srcfile *sf = cc->files[file];
	struct lexer lx = {
		.cc = cc, .file = file,
		.p = sf->text, .end = sf->text + sf->len,
		.line_begin = sf->text, .line = 1,
		.space = true, .line_start = true,
	};
	/* A #! line is a comment anyway. */
	for (;;) {
		if (!skip_space(&lx))
			return NULL;
		if (lx.p >= lx.end)
			break;
		char c = *lx.p;
		bool ok;
		if (c == '"')
			ok = lex_string(&lx);
		else if (c >= '0' && c <= '9')
			ok = lex_number(&lx);
		else if (is_ident_start(c) || c == '@')
			ok = lex_word(&lx);
		else
			ok = lex_op(&lx);
		if (!ok)
			return NULL;
	}
	struct token *t = new_token(&lx, TK_EOF, lx.p);
	t->text = "";
	*ntoks = lx.n;
	return lx.toks;
}

struct token *lex_text(struct compiler *cc, const char *name,
		       const char *text, int *ntoks)
{
	int f = cc_add_file(cc, name, text, strlen(text), false);
	return lex_file(cc, f, ntoks);
}

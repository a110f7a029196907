/*
 * parse_limits.c - hostile nesting gets a clean error, never a stack
 * overflow: deep parentheses, long operator chains, deep blocks, unary
 * chains, macro recursion; and the 9-key array limit.
 */
#include "check.h"
#include "front_helpers.h"

static void append(char *s, size_t *len, const char *t)
{
	size_t n = strlen(t);
	memcpy(s + *len, t, n + 1);
	*len += n;
}

/* "probe begin { x = " + n*open + mid + n*close + "; print(x) }" */
static char *nested(int n, const char *open, const char *mid,
		    const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	size_t cap = 64 + n * (lo + lc) + strlen(mid);
	char *s = malloc(cap);
	if (!s)
		abort();
	size_t len = 0;
	append(s, &len, "probe begin { x = ");
	for (int i = 0; i < n; i++)
		append(s, &len, open);
	append(s, &len, mid);
	for (int i = 0; i < n; i++)
		append(s, &len, close);
	append(s, &len, "; print(x) }");
	return s;
}

static void check_too_deep(char *src, const char *what)
{
	char *err = fe_first_error(src, 2);
	CHECK_STR(err, "parse error: expression nested too deeply", what);
	free(err);
	free(src);
}

static void check_ok(char *src, const char *what)
{
	struct fe_result r = fe_run(src, 2);
	CHECK_INT(r.rc, 0, what);
	if (r.rc)
		printf("  %s\n", r.err);
	fe_free(&r);
	free(src);
}

int main(void)
{
	check_too_deep(nested(100000, "(", "1", ")"), "100000 parentheses");
	check_too_deep(nested(100000, "- ", "1", ""), "100000 unary minus");
	check_too_deep(nested(100000, "", "1", "+1"), "100000-term sum");
	check_too_deep(nested(100000, "f(", "1", ")"), "100000 nested calls");
	check_too_deep(nested(100000, "1?2:", "3", ""), "100000 ternaries");
	check_too_deep(nested(100000, "y=", "3", ""), "100000 assignments");
	check_too_deep(nested(100000, "", "\"a\"", ".\"b\""), "long concatenation");

	/* blocks and statements nest through the same limit */
	char *blocks = malloc(300000), *p = blocks;
	if (!blocks)
		abort();
	p += sprintf(p, "probe begin ");
	for (int i = 0; i < 100000; i++)
		*p++ = '{';
	for (int i = 0; i < 100000; i++)
		*p++ = '}';
	*p = 0;
	check_too_deep(blocks, "100000 nested blocks");

	/* what real scripts do stays well inside the limits */
	check_ok(nested(100, "(", "1", ")"), "100 parentheses");
	check_ok(nested(300, "", "1", "+1"), "300-term sum");
	char *chain = malloc(100000);
	if (!chain)
		abort();
	p = chain;
	p += sprintf(p, "probe begin { x = 1; ");
	for (int i = 0; i < 300; i++)
		p += sprintf(p, "if (x == %d) y = %d else ", i, i);
	sprintf(p, "y = -1; print(y) }");
	check_ok(chain, "300-deep else-if chain");

	char *err = fe_first_error("@define f %( @f %) probe begin { x = @f }", 1);
	CHECK_STR(err, "parse error: macro expansion nested too deeply",
		  "recursive macro");
	free(err);

	struct fe_result r = fe_run("global a probe begin { a[1,2,3,4,5,6,7,8,9] = 1 }", 2);
	CHECK_INT(r.rc, 0, "9 array keys are fine");
	CHECK(strstr(r.out, "a:long [long, long, long, long, long, long, long,"
		     " long, long]") != NULL, "9 key types");
	fe_free(&r);
	err = fe_first_error("global a probe begin { a[1,2,3,4,5,6,7,8,9,10] = 1 }", 2);
	CHECK_STR(err, "semantic error: too many array indexes (max 9):"
		  " identifier 'a' at t.stp:1:24", "10 array keys");
	free(err);
	err = fe_first_error("probe begin { foreach ([a,b,c,d,e,f,g,h,i,j] in x) print(a) }", 1);
	CHECK_STR(err, "parse error: too many foreach keys (max 9)",
		  "10 foreach keys");
	free(err);
	return check_done();
}

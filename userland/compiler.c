/*
 * compiler.c - the front-end context: creating and freeing it, and the
 * tapset search path it computes once.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "compiler.h"
#include "lex.h"
#include "diag.h"
#include "preproc.h"

struct compiler *compiler_new(const struct compile_opts *opts)
{
	struct compiler boot = { 0 };
	struct compiler *cc = cc_alloc(&boot, sizeof(*cc));
	cc->chunks = boot.chunks;
	cc->opts = opts;
	cc->err = opts && opts->quiet ? NULL :
		  opts && opts->err ? opts->err : stderr;
	cc->max_errors = opts && opts->max_errors ? opts->max_errors : 1;
	return cc;
}

void compiler_free(struct compiler *cc)
{
	if (!cc)
		return;
	struct arena_chunk *c = cc->chunks;
	/* cc itself lives in one of the chunks: read the list first */
	while (c) {
		struct arena_chunk *n = *(struct arena_chunk **)c;
		free(c);
		c = n;
	}
}

/* A tapset dir and, as in stap's layout, its DIR/ARCH, DIR/linux and
   DIR/linux/ARCH subdirectories where they exist. */
static void add_tapset_dir(struct compiler *cc, int *cap, const char *dir)
{
	const char *arch = pp_arch(cc);
	const char *cands[4] = {
		dir,
		cc_printf(cc, "%s/%s", dir, arch),
		cc_printf(cc, "%s/linux", dir),
		cc_printf(cc, "%s/linux/%s", dir, arch),
	};
	for (int i = 0; i < 4; i++) {
		struct stat st;
		if (i == 0 || (stat(cands[i], &st) == 0 && S_ISDIR(st.st_mode)))
			vec_push(cc, &cc->tapset_dirs, &cc->ntapset_dirs, cap,
				 (void *)cands[i]);
	}
}

const char *const *tapset_dirs(struct compiler *cc, int *n)
{
	static const char *const none[1];
	const struct compile_opts *o = cc->opts;
	if (cc->tapset_dirs) {
		*n = cc->ntapset_dirs;
		return cc->tapset_dirs;
	}
	int cap = 0;
	if (o && o->no_tapsets) {
		*n = 0;
		return none;
	}
	for (int i = 0; o && i < o->ninclude_dirs; i++)
		add_tapset_dir(cc, &cap, o->include_dirs[i]);
	const char *env = getenv("BYTETAP_TAPSETS");
	if (env && *env)
		add_tapset_dir(cc, &cap, cc_strdup(cc, env));
	if (o && o->tapset_default) {
		add_tapset_dir(cc, &cap, o->tapset_default);
	} else {
		char exe[4096];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (len > 0) {
			exe[len] = 0;
			char *slash = strrchr(exe, '/');
			if (slash) {
				*slash = 0;
				add_tapset_dir(cc, &cap, cc_printf(cc, "%s/../tapsets", exe));
			}
		}
	}
	*n = cc->ntapset_dirs;
	return cc->tapset_dirs ? cc->tapset_dirs : none;
}

void tapset_each_file(struct compiler *cc, const char *suffix,
		      void (*fn)(struct compiler *cc, struct token *toks,
				 int ntoks, int file, void *arg),
		      void *arg)
{
	size_t slen = strlen(suffix);
	int ndirs;
	const char *const *dirs = tapset_dirs(cc, &ndirs);

	for (int d = 0; d < ndirs; d++) {
		struct dirent **ents;
		int n = scandir(dirs[d], &ents, NULL, alphasort);

		if (n < 0)
			continue;
		for (int i = 0; i < n; i++) {
			const char *nm = ents[i]->d_name;
			size_t len = strlen(nm);

			if (len > slen && !strcmp(nm + len - slen, suffix)) {
				char *path = cc_printf(cc, "%s/%s", dirs[d], nm);
				int f = cc_load_file(cc, path, true);
				int nt;
				struct token *toks = f >= 0 ?
					lex_file(cc, f, &nt) : NULL;

				if (toks)
					fn(cc, toks, nt, f, arg);
			}
			free(ents[i]);
		}
		free(ents);
	}
}

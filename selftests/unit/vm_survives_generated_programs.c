/*
 * vm_survives_generated_programs.c - programs from the fuzzer's
 * structure-aware generator (selftests/fuzz/gen.c) through bt_load(),
 * bt_verify() and the VM on the test host, under the sanitizers.
 *
 *  - Every well-formed (unmutated) program must be accepted: the generator
 *    builds what a correct compiler builds, so a refusal is a verifier bug
 *    or a generator bug, printed with the verifier's message and the seed.
 *  - Every accepted program, well-formed or mutated, runs each of its
 *    probe handlers (on two CPUs) to completion or to an error.
 *  - Every program the generator's own walk finds wrong (an instruction
 *    reached with two try-block stacks, an iterator read that no ITINIT
 *    set up on every path, a probe lock set that misses a variable) is
 *    refused: the generator and bt_verify.c prove invariants I3-I5 in two
 *    different ways, so each checks the other.  Accepted ones are not run
 *    (a wrong try stack would corrupt the VM) but counted, with the first
 *    seed.
 *  - Every planted state conflict (gen.h) is found wrong by that walk and
 *    refused by the verifier with the message its kind calls for.
 *  - Most programs are accepted, or the fuzzer tests nothing.
 *
 *	vm_survives_generated_programs [-n N] [-s SEED] [-m MUTATE%] [-x CONFLICT%]
 *				       [-c CONTEXT%] [-r] [-T]
 *	vm_survives_generated_programs [-m M -x X -c C] -d SEED	(one program:
 *		its mutation, the verdict, the disassembly; SEED as bt-fuzz
 *		prints it, -m / -x / -c as bt-fuzz ran, 50 / 5 / 3 by
 *		default; a kprobe's symbol may differ from the guest's)
 *	-r	print the refusals by reason
 *	-T	run the accepted must-refuse programs too (to see the damage)
 *
 * Deterministic (a fixed run seed unless -s), a few seconds under ASan.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "test_host.h"
#include "disasm.h"
#include "../fuzz/gen.h"
#include "../fuzz/reason.h"

static const struct gen_kprobe kprobes[] = {
	{ "__x64_sys_getpid", 5, 0 },
	{ "__x64_sys_getppid", 0, 1 },
};
static const char *const tracepoints[] = { "sys_enter", "sched_switch" };

static struct gen_opts opts = {
	.mutate_pct = 50,
	.conflict_pct = 5,
	.ctx_pct = 20,
	.kprobes = kprobes,
	.nkprobes = 2,
	.tracepoints = tracepoints,
	.ntracepoints = 2,
};

struct tally {
	unsigned int generated, accepted;
};

static int run_bad;	/* -T: run accepted must-refuse programs anyway */
static unsigned int ran, run_errors, bad_rc, wf_refused, accepted, refused;
static unsigned int try_gap, iter_gap, lock_gap, cf_unseen, cf_wrong_reason;
static uint64_t first_try_gap, first_iter_gap, first_lock_gap;
static struct tally by_mut[32], by_conflict[16];
static uint8_t op_seen[BT_OP__COUNT];

/* Refusals by class (reason.h). */
struct reason_count {
	char text[96];
	unsigned int n;
};
static struct reason_count reasons[128], kinds[32];
static unsigned int nreasons, nkinds;

static void count(struct reason_count *t, unsigned int *n, unsigned int max, const char *text)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(t[i].text, text))
			break;
	if (i == *n) {
		if (*n == max)
			return;
		snprintf(t[(*n)++].text, sizeof(t[0].text), "%s", text);
	}
	t[i].n++;
}

static void note_reason(const char *msg)
{
	char cls[96];

	reason_class(msg, 0, cls, sizeof(cls));
	count(reasons, &nreasons, 128, cls);
	count(kinds, &nkinds, 32, reason_kind(cls));
}

static int cmp_reason(const void *a, const void *b)
{
	const struct reason_count *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->text, y->text);
}

static unsigned int conflict_index(const char *name)
{
	unsigned int i;

	for (i = 0; gen_conflict_names[i]; i++)
		if (!strcmp(gen_conflict_names[i], name))
			return i;
	return 15;
}

/* First seed of each kind of gap, and how many. */
static void gap(unsigned int *n, uint64_t *first, uint64_t seed)
{
	if (!(*n)++)
		*first = seed;
}

/* Run-time errors by message (numbers and all), to see what programs hit. */
static struct { char msg[64]; unsigned int n; } errs[48];

static void note_error(const char *msg)
{
	unsigned int i;

	for (i = 0; i < 48 && errs[i].n; i++)
		if (!strncmp(errs[i].msg, msg, sizeof(errs[i].msg) - 1))
			break;
	if (i == 48)
		return;
	if (!errs[i].n)
		snprintf(errs[i].msg, sizeof(errs[i].msg), "%s", msg);
	errs[i].n++;
}

/* Run every probe of a loaded program twice, alternating the CPUs. */
static void run_probes(struct th *t)
{
	uint32_t p;
	int rep;

	for (rep = 0; rep < 2; rep++)
		for (p = 0; p < t->prog.nprobes; p++) {
			int rc = th_run(t, (p + rep) % t->ncpus, p);

			if (rc == BT_RUN_ERROR) {
				run_errors++;
				note_error(bt_ctx_errmsg(t->ctx[(p + rep) % t->ncpus]));
			}
			else if (rc != BT_RUN_OK && rc != BT_RUN_ABORT)
				bad_rc++;
		}
	ran++;
}

static void note_ops(const struct bt_prog *p)
{
	uint32_t pc;

	for (pc = 0; pc < p->ncode; pc++)
		if (p->code[pc].op < BT_OP__COUNT)
			op_seen[p->code[pc].op] = 1;
}

static unsigned int mut_index(const char *name)
{
	unsigned int i;

	for (i = 0; gen_mutation_names[i]; i++)
		if (!strcmp(gen_mutation_names[i], name))
			return i + 1;
	return 0;	/* "none" */
}

static void one(uint64_t seed)
{
	struct gen_out out;
	struct th t = { 0 };
	unsigned int mi;
	int ok;

	if (gen_program(seed, &opts, &out)) {
		printf("# seed 0x%llx: the generator could not serialize\n",
		       (unsigned long long)seed);
		bad_rc++;
		return;
	}
	mi = out.conflict ? 31 : mut_index(out.mutation);	/* 31: by_conflict */
	by_mut[mi].generated++;
	ok = th_load_blob(&t, out.blob, out.size) == 0;
	if (!out.mutated && !ok) {
		if (wf_refused++ < 10)
			printf("# well-formed program refused, seed 0x%llx: %s\n",
			       (unsigned long long)seed, t.diag.msg);
	}
	if (out.conflict) {
		struct tally *ct = &by_conflict[conflict_index(out.conflict)];

		ct->generated++;
		/* the generator's walk must see what it planted */
		if (!out.try_bad && !out.iter_bad && cf_unseen++ < 5)
			printf("# seed 0x%llx: planted \"%s\", but the generator's walk finds nothing wrong\n",
			       (unsigned long long)seed, out.conflict);
		if (!ok && strstr(t.diag.msg, out.expect))
			ct->accepted++;	/* here: refused for the right reason */
		else if (!ok && cf_wrong_reason++ < 5)
			printf("# seed 0x%llx: planted \"%s\", refused for another reason: %s\n",
			       (unsigned long long)seed, out.conflict, t.diag.msg);
	}
	if (!ok) {
		refused++;
		note_reason(t.diag.msg);
		goto done;
	}
	accepted++;
	by_mut[mi].accepted++;
	if (!out.mutated)
		note_ops(&t.prog);
	if (out.try_bad)
		gap(&try_gap, &first_try_gap, seed);
	if (out.iter_bad)
		gap(&iter_gap, &first_iter_gap, seed);
	if (out.locks_bad)
		gap(&lock_gap, &first_lock_gap, seed);
	if (out.must_refuse && !run_bad)
		goto done;	/* a wrong try stack would corrupt the VM: don't run it */
	/* the test host's own cap on a probe hit, as the kernel's time limit */
	if (t.prog.limits.maxaction > 100000)
		t.prog.limits.maxaction = 100000;
	if (bt_session_size(&t.prog, 2) < (64u << 20) && bt_ctx_size(&t.prog) < (64u << 20) &&
	    th_start(&t, 2) == 0)
		run_probes(&t);
done:
	th_free(&t);
	gen_out_free(&out);
}

/* -d SEED: what the generator made of one seed. */
static int show(uint64_t seed)
{
	struct gen_out out;
	struct th t = { 0 };
	struct bt_prog prog;
	struct bt_diag d;

	if (gen_program(seed, &opts, &out))
		return 1;
	printf("seed 0x%llx: %s, mutation: %s%s%s%s%s%s%s\n", (unsigned long long)seed,
	       out.mutated ? "mutated" : "well-formed", out.mutation,
	       out.conflict ? " (" : "", out.conflict ? out.conflict : "", out.conflict ? ")" : "",
	       out.ctx ? ", probe context" : "", out.try_bad ? ", inconsistent try stacks" : "",
	       out.iter_bad ? ", an iterator read before ITINIT on some path" : "");
	if (out.locks_bad)
		printf("a probe's lock set misses a variable\n");
	if (th_load_blob(&t, out.blob, out.size))
		printf("refused: %s\n", t.diag.msg);
	else
		printf("accepted\n");
	if (bt_load(&prog, t.blob, (uint32_t)out.size, &d) == 0)
		disasm_program(stdout, &prog);
	th_free(&t);
	gen_out_free(&out);
	return 0;
}

/*
 * Seed 0x55ee319eabfd64e2 (bt-fuzz's options) deletes an instruction, which
 * leaves a TRYEND with nothing open, then flips one bit that turns that
 * TRYEND (17) into DIV (25).  The verifier rightly accepts the result, so
 * the model's "two try stacks" must not follow the program past the flip.
 */
static int flipped_verdict_cleared(void)
{
	struct gen_opts o = opts;
	struct gen_out out;
	int ok;

	o.ctx_pct = 3;
	if (gen_program(0x55ee319eabfd64e2ull, &o, &out))
		return 0;
	ok = out.mutated && !out.try_bad && !out.must_refuse;
	gen_out_free(&out);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int n = 3000, i, missing = 0, cf_gen = 0, cf_ok = 0;
	uint64_t run_seed = 0x6279746574617021ull;
	clock_t start = clock();
	char what[200];
	int c, cflag = 0, show_reasons = 0;

	while ((c = getopt(argc, argv, "n:s:m:x:c:d:rT")) != -1) {
		switch (c) {
		case 'n': n = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 's': run_seed = strtoull(optarg, NULL, 0); break;
		case 'm': opts.mutate_pct = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'x': opts.conflict_pct = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'c': opts.ctx_pct = (unsigned int)strtoul(optarg, NULL, 0); cflag = 1; break;
		case 'd':
			/* as bt-fuzz makes them (its defaults but -c 3), unless -c came first */
			if (!cflag)
				opts.ctx_pct = 3;
			return show(strtoull(optarg, NULL, 0));
		case 'r': show_reasons = 1; break;
		case 'T': run_bad = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n N] [-s SEED] [-m PCT] [-x PCT] [-c PCT] [-r] [-T] | -d SEED\n", argv[0]);
			return 2;
		}
	}
	for (i = 0; i < n; i++)
		one(gen_seed(run_seed, 0, i));

	printf("# %u programs in %.2fs: %u accepted, %u refused, %u run (%u handler runs ended in an error)\n",
	       n, (double)(clock() - start) / CLOCKS_PER_SEC, accepted, refused, ran, run_errors);
	for (i = 0; i < 31; i++)
		if (by_mut[i].generated)
			printf("#   %-28s %5u generated %5u accepted\n",
			       i ? gen_mutation_names[i - 1] : "well-formed",
			       by_mut[i].generated, by_mut[i].accepted);
	for (i = 0; gen_conflict_names[i]; i++) {
		printf("#   conflict: %-44s %4u planted %4u refused for it\n", gen_conflict_names[i],
		       by_conflict[i].generated, by_conflict[i].accepted);
		cf_gen += by_conflict[i].generated;
		cf_ok += by_conflict[i].accepted;
	}
	for (i = 0; i < 48 && errs[i].n; i++)
		if (errs[i].n * 50 >= run_errors)
			printf("#   error %5u  %s\n", errs[i].n, errs[i].msg);
	qsort(kinds, nkinds, sizeof(kinds[0]), cmp_reason);
	for (i = 0; i < nkinds; i++)
		printf("#   refused %5u  %s\n", kinds[i].n, kinds[i].text);
	qsort(reasons, nreasons, sizeof(reasons[0]), cmp_reason);
	for (i = 0; i < nreasons && show_reasons; i++)
		printf("#     %5u  %s\n", reasons[i].n, reasons[i].text);
	snprintf(what, sizeof(what), "every well-formed generated program passes bt_load and bt_verify (%u of %u)",
		 by_mut[0].accepted, by_mut[0].generated);
	CHECK(wf_refused == 0, what);
	CHECK(bad_rc == 0, "every accepted generated program's probes ran to completion or to an error");
	snprintf(what, sizeof(what), "most generated programs are accepted (%u of %u) and run (%u)",
		 accepted, n, ran);
	CHECK(accepted >= n / 2 && ran > n / 3, what);
	for (i = 0; i < BT_OP__COUNT; i++)
		if (!op_seen[i] && i != BT_OP_MATCH && i != BT_OP_EXT) {
			printf("# no well-formed program used %s\n", bt_op_info[i].name);
			missing++;
		}
	CHECK(missing == 0, "well-formed programs use every opcode but MATCH");
	if (try_gap)
		printf("# %u accepted programs reach an instruction with two try stacks, first seed 0x%llx\n",
		       try_gap, (unsigned long long)first_try_gap);
	if (iter_gap)
		printf("# %u accepted programs read an iterator not set up on every path, first seed 0x%llx\n",
		       iter_gap, (unsigned long long)first_iter_gap);
	if (lock_gap)
		printf("# %u accepted programs have a lock set that misses a variable, first seed 0x%llx\n",
		       lock_gap, (unsigned long long)first_lock_gap);
	CHECK(flipped_verdict_cleared(), "a program whose bytes were flipped carries no verdict from the model (seed 0x55ee319eabfd64e2: TRYEND flipped to DIV)");
	CHECK(try_gap == 0, "the verifier refuses every program that reaches an instruction with two try stacks");
	CHECK(iter_gap == 0, "the verifier refuses every program that reads an iterator not set up on every path");
	CHECK(lock_gap == 0, "the verifier refuses every probe whose lock set misses a variable");
	snprintf(what, sizeof(what), "the generator's own walk sees every planted state conflict (%u of %u)",
		 cf_gen - cf_unseen, cf_gen);
	CHECK(cf_gen > 0 && cf_unseen == 0, what);
	snprintf(what, sizeof(what), "the verifier refuses every planted state conflict, for that reason (%u of %u)",
		 cf_ok, cf_gen);
	CHECK(cf_ok == cf_gen, what);
	return check_done();
}

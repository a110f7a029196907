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
 *  - Mutants the verifier accepts although an instruction is reached with
 *    two try-block stacks (they corrupt the VM's try stack: not run), or a
 *    probe's lock set misses a variable its code uses, are counted and
 *    fail, with the first seed: the verifier is getting both rules.
 *    BYTETAP_FUZZ_KNOWN_GAPS=note turns those two into notes.
 *
 *	vm_survives_generated_programs [-n N] [-s SEED] [-m MUTATE%] [-c CONTEXT%]
 *	vm_survives_generated_programs [-m M -c C] -d SEED	(one program:
 *		its mutation, the verdict, the disassembly; SEED as bt-fuzz
 *		prints it, -m / -c as bt-fuzz ran, 50 / 3 by default; a
 *		kprobe's symbol may differ from the guest's)
 *	-T	run the mutants with inconsistent try stacks too
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

static const struct gen_kprobe kprobes[] = {
	{ "__x64_sys_getpid", 5, 0 },
	{ "__x64_sys_getppid", 0, 1 },
};
static const char *const tracepoints[] = { "sys_enter", "sched_switch" };

static struct gen_opts opts = {
	.mutate_pct = 50,
	.ctx_pct = 20,
	.kprobes = kprobes,
	.nkprobes = 2,
	.tracepoints = tracepoints,
	.ntracepoints = 2,
};

struct tally {
	unsigned int generated, accepted;
};

static int run_try_bad;	/* -T: run them anyway (to see the crash) */
static unsigned int ran, run_errors, bad_rc, wf_refused, try_gap, lock_gap;
static uint64_t first_try_gap, first_lock_gap;
static struct tally by_mut[32];
static uint8_t op_seen[BT_OP__COUNT];

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
	mi = mut_index(out.mutation);
	by_mut[mi].generated++;
	ok = th_load_blob(&t, out.blob, out.size) == 0;
	if (!out.mutated && !ok) {
		if (wf_refused++ < 10)
			printf("# well-formed program refused, seed 0x%llx: %s\n",
			       (unsigned long long)seed, t.diag.msg);
	}
	if (!ok)
		goto done;
	by_mut[mi].accepted++;
	if (!out.mutated)
		note_ops(&t.prog);
	if (out.locks_bad && !lock_gap++)
		first_lock_gap = seed;
	if (out.try_bad) {
		/* would corrupt the try stack: count it, don't run it */
		if (!try_gap++)
			first_try_gap = seed;
		if (!run_try_bad)
			goto done;
	}
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
	printf("seed 0x%llx: %s, mutation: %s%s%s%s\n", (unsigned long long)seed,
	       out.mutated ? "mutated" : "well-formed", out.mutation,
	       out.ctx ? ", probe context" : "", out.try_bad ? ", inconsistent try stacks" : "",
	       out.locks_bad ? ", lock set misses a variable" : "");
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

int main(int argc, char **argv)
{
	const char *gaps = getenv("BYTETAP_FUZZ_KNOWN_GAPS");
	int note_gaps = gaps && !strcmp(gaps, "note");
	unsigned int n = 3000, i, missing = 0;
	uint64_t run_seed = 0x6279746574617021ull;
	clock_t start = clock();
	char what[160];
	int c, mflag = 0, cflag = 0;

	while ((c = getopt(argc, argv, "n:s:m:c:d:T")) != -1) {
		switch (c) {
		case 'n': n = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 's': run_seed = strtoull(optarg, NULL, 0); break;
		case 'm': opts.mutate_pct = (unsigned int)strtoul(optarg, NULL, 0); mflag = 1; break;
		case 'c': opts.ctx_pct = (unsigned int)strtoul(optarg, NULL, 0); cflag = 1; break;
		case 'd':
			/* as bt-fuzz makes them, unless -m / -c came first */
			if (!mflag)
				opts.mutate_pct = 50;
			if (!cflag)
				opts.ctx_pct = 3;
			return show(strtoull(optarg, NULL, 0));
		case 'T': run_try_bad = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n N] [-s SEED] [-m PCT] [-c PCT] [-T] | -d SEED\n", argv[0]);
			return 2;
		}
	}
	for (i = 0; i < n; i++)
		one(gen_seed(run_seed, 0, i));

	printf("# %u programs in %.2fs: %u run (%u handler runs ended in an error)\n", n,
	       (double)(clock() - start) / CLOCKS_PER_SEC, ran, run_errors);
	for (i = 0; i < 32; i++)
		if (by_mut[i].generated)
			printf("#   %-28s %5u generated %5u accepted\n",
			       i ? gen_mutation_names[i - 1] : "well-formed",
			       by_mut[i].generated, by_mut[i].accepted);
	for (i = 0; i < 48 && errs[i].n; i++)
		if (errs[i].n * 50 >= run_errors)
			printf("#   error %5u  %s\n", errs[i].n, errs[i].msg);
	snprintf(what, sizeof(what), "every well-formed generated program passes bt_load and bt_verify (%u of %u)",
		 by_mut[0].accepted, by_mut[0].generated);
	CHECK(wf_refused == 0, what);
	CHECK(bad_rc == 0, "every accepted generated program's probes ran to completion or to an error");
	CHECK(by_mut[0].accepted > n / 4 && ran > n / 3, "most generated programs ran");
	for (i = 0; i < BT_OP__COUNT; i++)
		if (!op_seen[i] && i != BT_OP_MATCH && i != BT_OP_EXT) {
			printf("# no well-formed program used %s\n", bt_op_info[i].name);
			missing++;
		}
	CHECK(missing == 0, "well-formed programs use every opcode but MATCH");
	if (try_gap)
		printf("# %u accepted mutants reach an instruction with two try stacks, first seed 0x%llx\n",
		       try_gap, (unsigned long long)first_try_gap);
	if (lock_gap)
		printf("# %u accepted programs have a lock set that misses a variable, first seed 0x%llx\n",
		       lock_gap, (unsigned long long)first_lock_gap);
	if (!note_gaps) {
		CHECK(try_gap == 0, "the verifier refuses every program that reaches an instruction with two try stacks");
		CHECK(lock_gap == 0, "the verifier refuses every probe whose lock set misses a variable");
	}
	return check_done();
}

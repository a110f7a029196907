/*
 * reason.h - a refusal message as a class, for counting refusals by kind
 * (doc/fuzzing.md): the verifier's "func 'x' pc N: " prefix dropped,
 * numbers as N, quoted text as '' - "jump target N out of range".
 * Shared by the host test and the guest fuzzer so their tallies match.
 */
#ifndef BYTETAP_FUZZ_REASON_H
#define BYTETAP_FUZZ_REASON_H

#include <stddef.h>

/* err: the errno (0 on the host); other than EINVAL it leads as "[text] " */
void reason_class(const char *msg, int err, char *out, size_t cap);

/*
 * The kind of rule a class (from reason_class()) broke, one of a dozen
 * coarse kinds named after the verifier's invariants (bt_verify.h) and
 * the loader's and module's checks, e.g. "I3 try stack: two stacks at
 * one pc".  For the tallies of doc/fuzzing.md.
 */
const char *reason_kind(const char *cls);

#endif

/* A stand-in for a kernel's debuginfo: types and one function, compiled
 * with -g by selftests/cli/btf_from_debuginfo.sh. */
#include <stddef.h>
struct inode { int i_mode; unsigned long i_ino; };
struct file { int f_flags; struct inode *f_inode; char f_name[8]; };
long my_write(struct file *file, const char *buf, size_t count) { return file->f_flags + count + buf[0]; }

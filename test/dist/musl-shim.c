// The C++ runtime for running runcode-linux-x64-musl under musl's own loader on this Debian machine. Debian builds
// no libstdc++ for musl, so the test loads Debian's (built for glibc) with musl 1.2.3, which resolves libc.so.6 and
// libm.so.6 to itself and reports, as unresolved, only the glibc symbols defined here: what Alpine's gcompat does.
// The file is built as ld-linux-x86-64.so.2, the name libstdc++.so.6 lists as NEEDED, with no C library linked:
// everything it calls (strftime_l, getrandom, malloc, pthread keys, dl_iterate_phdr) is musl's, at run time.
//   cc -shared -fPIC -nostdlib -fno-stack-protector -Wl,-soname,ld-linux-x86-64.so.2 -o ld-linux-x86-64.so.2 musl-shim.c
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

// libstdc++: std::time_put, std::random_device, shared_ptr's "no threads yet" fast path (0: always atomic).
size_t __strftime_l(char *s, size_t n, const char *fmt, const struct tm *tm, locale_t loc) { return strftime_l(s, n, fmt, tm, loc); }

uint32_t arc4random(void) {
  uint32_t v;
  while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
  }
  return v;
}

char __libc_single_threaded = 0;

// thread_local destructors: run when the thread exits, newest first (at exit() they are not run, as on musl).
struct dtor {
  void (*fn)(void *);
  void *obj;
  struct dtor *next;
};
static pthread_key_t dtors;
static pthread_once_t dtors_once = PTHREAD_ONCE_INIT;
static void run_dtors(void *head) {
  for (struct dtor *d = head, *next; d; d = next) {
    next = d->next;
    d->fn(d->obj);
    free(d);
  }
}
static void make_dtors_key(void) { pthread_key_create(&dtors, run_dtors); }

int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso) {
  (void)dso;
  pthread_once(&dtors_once, make_dtors_key);
  struct dtor *d = malloc(sizeof *d);
  if (!d) return -1;
  d->fn = fn;
  d->obj = obj;
  d->next = pthread_getspecific(dtors);
  pthread_setspecific(dtors, d);
  return 0;
}

// libgcc_s: the CPU model its ifunc resolvers read (glibc exports it hidden-versioned, which musl skips; all zero
// means no special features), and glibc 2.35's _dl_find_object, the unwinder's lookup of the object holding a PC.
struct {
  unsigned vendor, type, subtype, features[1];
} __cpu_model;

int __cpu_indicator_init(void) { return 0; }

struct find {
  uintptr_t pc;
  struct dl_find_object *out;
};

static int find_object(struct dl_phdr_info *info, size_t size, void *arg) {
  (void)size;
  struct find *f = arg;
  uintptr_t lo = UINTPTR_MAX, hi = 0, eh_frame = 0;
  int holds = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD) {
      if (start < lo) lo = start;
      if (start + ph->p_memsz > hi) hi = start + ph->p_memsz;
      if (f->pc >= start && f->pc < start + ph->p_memsz) holds = 1;
    } else if (ph->p_type == PT_GNU_EH_FRAME) {
      eh_frame = start;
    }
  }
  if (!holds) return 0;
  *f->out = (struct dl_find_object){0};
  f->out->dlfo_map_start = (void *)lo;
  f->out->dlfo_map_end = (void *)hi;
  f->out->dlfo_eh_frame = (void *)eh_frame;
  return 1;
}

int _dl_find_object(void *pc, struct dl_find_object *out) {
  struct find f = {(uintptr_t)pc, out};
  return dl_iterate_phdr(find_object, &f) ? 0 : -1;
}

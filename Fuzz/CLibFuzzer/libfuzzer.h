// libFuzzer's driver for a program with its own main (the documented LLVMFuzzerRunDriver API),
// linked in by -sanitize=fuzzer; only `make fuzz` builds a caller of it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

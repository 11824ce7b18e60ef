/* test_dict_portable.c: the dictionary tests over dict.c built without SSE2 (the portable
 * child search of the frozen form), which x86-64 builds would otherwise never run. This
 * file's copy of dict.c stands in for the library's. */
#define OLAY_DICT_PORTABLE 1
#include "../../common/dict.c"
#include "test_dict.c"

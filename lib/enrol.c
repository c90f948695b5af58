/* enrol.c: not written yet. */
#include "internal.h"

/* xjlink: the command-line program.  Not written yet. */
#include "xjlink.h"

#include <stdio.h>

int main(void)
{
    printf("xjlink %s\n", xjl_version());
    return 0;
}

/* cmd_bench.c: placeholder until the benchmark lands (next commit). */
#include <stdio.h>

#include "cli.h"

int cmd_bench(cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage_error(c, "bench belum ada.", "bench is not there yet.");
}

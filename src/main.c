/* main.c - the program is a thin front end over the core library. */
#include <stdio.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_run(argc, argv, stdout, stderr);
}

# Turns a data file into a C source defining a byte array and its length:
#   cmake -DIN=data/vendors.csv -DOUT=vendors_data.c -DNAME=vendors_shipped_csv -P embed.cmake
# defines NAME[] (NUL-terminated) and NAME_len.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(base ${IN} NAME)
file(WRITE ${OUT} "/* Generated from data/${base}; do not edit. */\n#include <stddef.h>\n"
     "const unsigned char ${NAME}[] = {${bytes}0x00};\n"
     "const size_t ${NAME}_len = ${len};\n")

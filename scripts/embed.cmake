# Turns a data file into a C source defining a byte array and its length:
#   cmake -DIN=data/vendors.csv -DOUT=vendors_data.c -P embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from data/vendors.csv; do not edit. */\n#include <stddef.h>\n"
     "const unsigned char vendors_shipped_csv[] = {${bytes}0x00};\n"
     "const size_t vendors_shipped_csv_len = ${len};\n")

/* test_sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

static void hash(const void *p, size_t n, char out[65])
{
    struct sha256 s;

    sha256_init(&s);
    sha256_update(&s, p, n);
    sha256_final_hex(&s, out);
}

static void assert_hash(const char *msg, const char *want)
{
    char hex[65];

    hash(msg, strlen(msg), hex);
    assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
    (void)state;
    assert_hash("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* No update at all is the same as an empty one. */
    struct sha256 s;
    char hex[65];
    sha256_init(&s);
    sha256_final_hex(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_init(&s);
    sha256_update(&s, "", 0);
    sha256_final_hex(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    assert_hash("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_two_blocks(void **state)
{
    (void)state;
    /* 56 bytes: the padding needs a second block. */
    assert_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_hash("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                "klmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* Runs of 'a' around the block and padding boundaries (from sha256sum). */
static void test_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
    };
    char a[128];

    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char hex[65];
        hash(a, v[i].n, hex);
        assert_string_equal(hex, v[i].hex);
        /* Byte by byte gives the same. */
        struct sha256 s;
        sha256_init(&s);
        for (size_t k = 0; k < v[i].n; k++)
            sha256_update(&s, a + k, 1);
        sha256_final_hex(&s, hex);
        assert_string_equal(hex, v[i].hex);
    }
}

static void test_million_a(void **state)
{
    (void)state;
    const size_t total = 1000000;
    char *buf = malloc(total);
    struct sha256 s;
    char hex[65];
    /* Uneven chunks that straddle block boundaries in every way. */
    static const size_t chunks[] = {1, 63, 64, 65, 3, 127, 1000, 0, 7, 4096, 55, 9, 128, 33331};
    size_t done = 0, k = 0;

    assert_non_null(buf);
    memset(buf, 'a', total);
    sha256_init(&s);
    while (done < total) {
        size_t n = chunks[k++ % (sizeof(chunks) / sizeof(chunks[0]))];
        if (n > total - done)
            n = total - done;
        sha256_update(&s, buf + done, n);
        done += n;
    }
    sha256_final_hex(&s, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    hash(buf, total, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(buf);
}

/* Any split of the same bytes gives the same digest. */
static void test_splits_agree(void **state)
{
    (void)state;
    unsigned char data[300];
    char whole[65], split[65];

    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 131 + 7);
    for (size_t len = 0; len <= sizeof(data); len += 13) {
        hash(data, len, whole);
        for (size_t cut = 0; cut <= len; cut += 11) {
            struct sha256 s;
            sha256_init(&s);
            sha256_update(&s, data, cut);
            sha256_update(&s, data + cut, len - cut);
            sha256_final_hex(&s, split);
            assert_string_equal(split, whole);
        }
    }
}

static void test_hex_format(void **state)
{
    (void)state;
    char hex[65];

    memset(hex, 'Z', sizeof(hex));
    hash("abc", 3, hex);
    assert_int_equal(hex[64], '\0');
    for (int i = 0; i < 64; i++)
        assert_true((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f'));
    /* Binary input, NUL bytes included. */
    hash("\0\0\0", 3, hex);
    assert_string_equal(hex, "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c");
}

/* Where the processor has SHA instructions, both ways of hashing agree on
 * data of every length up to a few blocks and on a long run. */
static void test_plain_and_accelerated_agree(void **state)
{
    (void)state;
    static unsigned char data[5000];
    char plain[65], fast[65];
    uint32_t x = 2463534242u;

    for (size_t i = 0; i < sizeof(data); i++) { /* xorshift: bytes of every value */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    sha256_force_plain(0);
    if (!sha256_accelerated())
        skip();
    for (size_t len = 0; len <= sizeof(data); len += len < 300 ? 1 : 97) {
        sha256_force_plain(1);
        hash(data, len, plain);
        sha256_force_plain(0);
        hash(data, len, fast);
        assert_string_equal(fast, plain);
    }
}

static int plain_setup(void **state)
{
    (void)state;
    sha256_force_plain(1);
    return 0;
}

static int chosen_setup(void **state)
{
    (void)state;
    sha256_force_plain(0);
    return 0;
}

int main(void)
{
    /* The vectors run twice: with the code chosen for this processor, and
     * with the portable code. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),      cmocka_unit_test(test_abc),
        cmocka_unit_test(test_two_blocks), cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_million_a),  cmocka_unit_test(test_splits_agree),
        cmocka_unit_test(test_hex_format),
    };
    const struct CMUnitTest both[] = {
        cmocka_unit_test(test_plain_and_accelerated_agree),
    };
    int failed = cmocka_run_group_tests_name("chosen", tests, chosen_setup, NULL);
    failed += cmocka_run_group_tests_name("plain", tests, plain_setup, NULL);
    failed += cmocka_run_group_tests_name("agree", both, NULL, NULL);
    return failed;
}

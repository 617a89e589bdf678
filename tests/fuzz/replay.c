/* Replays a fuzz corpus without libFuzzer, so every `meson test` exercises the targets:
 * each file as it is, every prefix of it, and a fixed series of byte mutations. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
replay(const guint8 *data, gsize len)
{
  LLVMFuzzerTestOneInput(data, len);
  for (gsize k = 0; k < len && k < 2048; k++)
    LLVMFuzzerTestOneInput(data, k);
  g_autofree guint8 *copy = g_memdup2(data, len);
  GRand *rand = g_rand_new_with_seed((guint32)len);
  static const guint8 specials[] = {0,   '\n', '\r', '(', ')', '[', ']',
                                    ';', '<',  '>',  '"', '=', 0xff};
  for (int round = 0; round < 300 && len > 0; round++) {
    gsize at = g_rand_int_range(rand, 0, (gint32)MIN(len, (gsize)G_MAXINT32));
    copy[at] = specials[g_rand_int_range(rand, 0, G_N_ELEMENTS(specials))];
    LLVMFuzzerTestOneInput(copy, len);
  }
  g_rand_free(rand);
}

int
main(int argc, char **argv)
{
  guint files = 0;
  for (int i = 1; i < argc; i++) {
    g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
    if (dir == NULL) {
      g_printerr("replay: cannot open %s\n", argv[i]);
      return 1;
    }
    for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
      g_autofree char *path = g_build_filename(argv[i], name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents(path, &data, &len, NULL))
        continue;
      replay((const guint8 *)data, len);
      files++;
    }
  }
  g_print("replayed %u inputs\n", files);
  return files > 0 ? 0 : 1;
}

#include "check-main.h"

int
main(void)
{
  SRunner *sr = srunner_create(mt_test_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

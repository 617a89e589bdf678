#pragma once

int mt_cmd_scan(int argc, char **argv);

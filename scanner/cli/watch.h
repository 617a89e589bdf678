#pragma once

int mt_cmd_watch(int argc, char **argv);

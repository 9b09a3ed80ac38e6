#include "app/cli.hpp"

int main(int argc, char** argv) { return ledgerbot::app::run_cli(argc, argv); }

# ctest driver for one libFuzzer target: a short run seeded from a scratch copy of the checked-in
# corpus, because libFuzzer writes every new input into its first corpus directory.
# Inputs: FUZZER, SEED_CORPUS, WORK_DIR, RUNS.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus")
file(GLOB seeds "${SEED_CORPUS}/*")
if(NOT seeds)
  message(FATAL_ERROR "no seed inputs in ${SEED_CORPUS}")
endif()
file(COPY ${seeds} DESTINATION "${WORK_DIR}/corpus")

# max_total_time caps a slow machine; a crash leaves its input as ${WORK_DIR}/crash-*.
execute_process(
  COMMAND "${FUZZER}" -runs=${RUNS} -max_total_time=120 -print_final_stats=1
          "-artifact_prefix=${WORK_DIR}/" "${WORK_DIR}/corpus"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); reproducer and log under ${WORK_DIR}")
endif()

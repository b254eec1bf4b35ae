# Lint tests (docs/testing.md, docs/internals/engine.md):
#  lint.check-rules      every rule has its C file, rules/<id>.json and
#                        docs/rules/<id>.md with the required sections
#  lint.docs-examples    every ## Bad example in docs/rules/<id>.md fires
#                        <id>, every ## Good one does not
#  lint.golden.<id>      tests/lint/<id>/{bad-*,ok-*} compared byte for byte
#                        (MIGRATE_UPDATE_GOLDEN=1 rewrites the .expected)
#  lint.cli              `migrate lint` end to end: formats, exit codes,
#                        suppression, baseline, stdin, config
find_program(MG_PYTHON3 python3)
set(MG_LINT_DIR ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME lint.check-rules
         COMMAND bash ${MG_LINT_DIR}/check-rules.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(lint.check-rules PROPERTIES LABELS lint)

if(MG_PYTHON3)
  add_test(NAME lint.docs-examples
           COMMAND ${MG_PYTHON3} ${MG_LINT_DIR}/doc_examples.py
                   $<TARGET_FILE:migrate> ${CMAKE_SOURCE_DIR})
  set_tests_properties(lint.docs-examples PROPERTIES LABELS lint TIMEOUT 600)

  file(GLOB MG_LINT_CASE_DIRS LIST_DIRECTORIES true CONFIGURE_DEPENDS
       ${MG_LINT_DIR}/*)
  foreach(d ${MG_LINT_CASE_DIRS})
    if(IS_DIRECTORY ${d})
      get_filename_component(id ${d} NAME)
      add_test(NAME lint.golden.${id}
               COMMAND ${MG_PYTHON3} ${MG_LINT_DIR}/goldens.py
                       $<TARGET_FILE:migrate> ${d})
      set_tests_properties(lint.golden.${id} PROPERTIES LABELS lint)
    endif()
  endforeach()
else()
  message(WARNING "python3 not found: lint.docs-examples and lint.golden.* "
                  "are not registered")
endif()

add_test(NAME lint.cli COMMAND bash ${MG_LINT_DIR}/cli.sh)
set_tests_properties(lint.cli PROPERTIES LABELS lint
                     ENVIRONMENT "${MG_TEST_ENV}" TIMEOUT 600)

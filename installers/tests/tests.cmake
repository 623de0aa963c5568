# The packaging tests (label "packaging"), run by tools/dev/test-packages.sh after
# tools/dev/package.sh has put the packages in dist/. Each fails, never skips, when a tool or a
# package is missing.
set(tests_dir ${CMAKE_CURRENT_SOURCE_DIR}/tests)
set(FLACK_DIST_DIR "${CMAKE_SOURCE_DIR}/dist" CACHE PATH "Where package.sh leaves the packages")

add_test(NAME packaging/config-defaults
  COMMAND ${tests_dir}/config-test.sh $<TARGET_FILE:flack-server> ${CMAKE_SOURCE_DIR}/resources/flack-server.ini)
add_test(NAME packaging/changelog
  COMMAND ${tests_dir}/changelog-test.sh ${debian_src}/changelog ${PROJECT_VERSION})
add_test(NAME packaging/portability
  COMMAND ${tests_dir}/portability-test.sh ${CMAKE_SOURCE_DIR}/shared ${CMAKE_SOURCE_DIR}/admin-gui)
add_test(NAME packaging/build-options
  COMMAND ${tests_dir}/build-options-test.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/build-options-test)
add_test(NAME packaging/contents COMMAND ${tests_dir}/contents-test.sh ${FLACK_DIST_DIR})
add_test(NAME packaging/lintian COMMAND ${tests_dir}/lintian-test.sh ${FLACK_DIST_DIR} ${debian_src})
add_test(NAME packaging/rpmlint
  COMMAND ${tests_dir}/rpmlint-test.sh ${FLACK_DIST_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/rpm/rpmlintrc)
add_test(NAME packaging/install COMMAND ${tests_dir}/install-test.sh ${FLACK_DIST_DIR})
set_tests_properties(packaging/config-defaults packaging/changelog packaging/portability
  packaging/build-options packaging/contents packaging/lintian packaging/rpmlint packaging/install
  PROPERTIES LABELS packaging TIMEOUT 300)
# debootstrap and the Qt libraries' download are most of it (about 3 minutes). Its own steps
# time out first (install-test.sh), so that it always unmounts what it mounted.
set_tests_properties(packaging/install PROPERTIES TIMEOUT 1200)

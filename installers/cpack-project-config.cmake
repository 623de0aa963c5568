# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE), with CPACK_GENERATOR set to it.
if(CPACK_GENERATOR STREQUAL "DEB")
  # CPack DEB puts CPACK_PACKAGE_DESCRIPTION_SUMMARY (the project's description) in front of
  # every component's description, unless it is CPack's own default; each component's
  # description starts with its own synopsis, so that one must not be added.
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()

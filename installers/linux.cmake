# The Linux packages' files besides the binaries, installed into each program's component.
# Generated ones (man pages, PNG icons, the gzipped changelog) are made at build time.
set(FLACK_CONFIG_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/flack")
# Debian 12's place for units: its packages ship them in /lib/systemd/system (moving files
# between /lib and /usr/lib waits for the end of the /usr merge, after Debian 12).
set(FLACK_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the systemd unit goes")
set(FLACK_ICON_SIZES 32 48 64 128 256)
set(linux_dir ${CMAKE_CURRENT_SOURCE_DIR}/linux)
set(debian_src ${CMAKE_CURRENT_SOURCE_DIR}/debian)
set(gen ${CMAKE_CURRENT_BINARY_DIR}/generated)
file(MAKE_DIRECTORY ${gen})

find_program(FLACK_GZIP gzip REQUIRED)
# Man pages (help2man runs each program's --help) and PNG icons are made only for packages:
# the dev and sanitizer builds neither need them nor should run their binaries while building.
option(FLACK_PACKAGE_EXTRAS "Make the man pages and PNG icons (help2man, rsvg-convert)" OFF)
if(FLACK_PACKAGE_EXTRAS)
  find_program(FLACK_HELP2MAN help2man)
  find_program(FLACK_RSVG_CONVERT rsvg-convert)
  if(NOT FLACK_HELP2MAN OR NOT FLACK_RSVG_CONVERT)
    message(FATAL_ERROR "FLACK_PACKAGE_EXTRAS needs help2man and rsvg-convert (Debian: help2man, "
                        "librsvg2-bin); tools/dev/package.sh installs them")
  endif()
endif()

# The release date, for the AppStream metadata, is the changelog's latest entry.
file(STRINGS ${debian_src}/changelog changelog_trailer REGEX "^ -- " LIMIT_COUNT 1)
string(REGEX MATCH "([0-9][0-9]) ([A-Z][a-z][a-z]) ([0-9][0-9][0-9][0-9])" _ "${changelog_trailer}")
set(months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND months "${CMAKE_MATCH_2}" month)
math(EXPR month "${month} + 1")
if(month LESS 10)
  set(month "0${month}")
endif()
set(FLACK_RELEASE_DATE "${CMAKE_MATCH_3}-${month}-${CMAKE_MATCH_1}")

# Each package's /usr/share/doc/<package>: the copyright and the Debian changelog (gzip -n: no
# timestamp in the file, so the packages are reproducible).
add_custom_command(OUTPUT ${gen}/changelog.Debian.gz
  COMMAND ${FLACK_GZIP} -9n -c ${debian_src}/changelog > ${gen}/changelog.Debian.gz
  DEPENDS ${debian_src}/changelog VERBATIM)
set(flack_generated ${gen}/changelog.Debian.gz)
foreach(component ${flack_components})
  install(FILES ${debian_src}/copyright ${gen}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/flack-${component} COMPONENT ${component})
  if(EXISTS ${debian_src}/flack-${component}.lintian-overrides)
    install(FILES ${debian_src}/flack-${component}.lintian-overrides
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
            RENAME flack-${component} COMPONENT ${component})
  endif()
endforeach()

# Man pages from each program's --help and --version (help2man), gzipped as Debian wants them.
set(man_names
  "flack-server=chat server: web client over HTTP and chat over websockets on one port"
  "flack-admin=desktop app to watch and manage a Flack cluster"
  "flack-client=command-line client of a Flack chat server"
  "flack-bench=load generator for Flack servers and clusters")
set(program_components flack-server=server flack-admin=admin flack-client=tools flack-bench=tools)
if(FLACK_PACKAGE_EXTRAS)
  foreach(entry ${man_names})
    string(REGEX MATCH "^[^=]*" program "${entry}")
    string(REGEX REPLACE "^[^=]*=" "" description "${entry}")
    set(component "")
    if(NOT TARGET ${program})
      continue()
    endif()
    foreach(pc ${program_components})
      if(pc MATCHES "^${program}=(.*)")
        set(component ${CMAKE_MATCH_1})
      endif()
    endforeach()
    if(NOT component IN_LIST flack_components)
      continue()
    endif()
    # offscreen: flack-admin answers --help without a display anyway; this keeps it so.
    add_custom_command(OUTPUT ${gen}/${program}.1.gz
      COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
              ${FLACK_HELP2MAN} --no-info --no-discard-stderr --section=1
              "--name=${description}" --output=${gen}/${program}.1 $<TARGET_FILE:${program}>
      COMMAND ${FLACK_GZIP} -9nf ${gen}/${program}.1
      DEPENDS ${program} VERBATIM)
    list(APPEND flack_generated ${gen}/${program}.1.gz)
    install(FILES ${gen}/${program}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
            COMPONENT ${component})
  endforeach()
endif()

if(server IN_LIST flack_components)
  configure_file(${linux_dir}/flack-server.service.in ${gen}/flack-server.service @ONLY)
  install(FILES ${gen}/flack-server.service DESTINATION ${FLACK_SYSTEMD_UNIT_DIR}
          COMPONENT server)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/flack-server.ini DESTINATION ${FLACK_CONFIG_DIR} COMPONENT server)
endif()

if(admin IN_LIST flack_components)
  configure_file(${linux_dir}/org.flack.Admin.metainfo.xml.in ${gen}/org.flack.Admin.metainfo.xml
                 @ONLY)
  install(FILES ${linux_dir}/org.flack.Admin.desktop
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications COMPONENT admin)
  install(FILES ${gen}/org.flack.Admin.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo COMPONENT admin)
  install(FILES ${linux_dir}/flack-admin.svg
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps COMPONENT admin)
  if(FLACK_PACKAGE_EXTRAS)
    foreach(size ${FLACK_ICON_SIZES})
      set(png ${gen}/icons/${size}/flack-admin.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}/icons/${size}
        COMMAND ${FLACK_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${linux_dir}/flack-admin.svg
        DEPENDS ${linux_dir}/flack-admin.svg VERBATIM)
      list(APPEND flack_generated ${png})
      install(FILES ${png}
              DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps
              COMPONENT admin)
    endforeach()
  endif()
endif()

add_custom_target(flack_package_files ALL DEPENDS ${flack_generated})

# Where every piece goes, for `cmake --install` and for the .deb (packaging/debian.cmake).
# /etc and the hook's directory are absolute: the daemon and its AppArmor profile name them, whatever the prefix.
include(GNUInstallDirs)

get_filename_component(VCD_HOOK_DIR ${VCD_HOOK_PATH} DIRECTORY)
install(TARGETS virt-configdrive-hook DESTINATION ${VCD_HOOK_DIR})
install(TARGETS virt-configdrive DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_BINARY_DIR}/virt-configdrive.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_BINARY_DIR}/virt-configdrive.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME virt-configdrive)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/config.json DESTINATION /etc/virt-configdrive)
# Where the release's systemd and deb-systemd-helper look for a package's units: /lib/systemd/system on Debian 12
# and Ubuntu 22.04, /usr/lib/systemd/system once /usr is merged for good (Debian 13: lintian's aliased-location).
if(VCD_PACKAGE_RELEASE MATCHES "^(deb12|ubuntu22[.]04)$")
  set(VCD_SYSTEMD_UNIT_DIR /lib/systemd/system)
else()
  set(VCD_SYSTEMD_UNIT_DIR /usr/lib/systemd/system)
endif()
install(FILES ${CMAKE_SOURCE_DIR}/packaging/virt-configdrive-watch.service DESTINATION ${VCD_SYSTEMD_UNIT_DIR})

# The daemon runs every executable in qemu.d/ (domain operations) and daemon.d/ (its start and reload).
install(CODE "
  foreach(driver qemu daemon)
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/etc/libvirt/hooks/\${driver}.d\")
    file(CREATE_LINK \"${VCD_HOOK_PATH}\" \"\$ENV{DESTDIR}/etc/libvirt/hooks/\${driver}.d/virt-configdrive\" SYMBOLIC)
  endforeach()
")

# The .deb (`cpack -G DEB` in the build directory, or scripts/package): what install.cmake lays out, with
# Depends from dpkg-shlibdeps, config.json as a conffile, and maintainer scripts that make a running libvirt
# daemon pick the hook up (postinst), enable and start the watch service (postinst), stop it (prerm) and say what a
# purge keeps (postrm).
configure_file(${CMAKE_SOURCE_DIR}/packaging/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
                   COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/packaging/changelog
                   DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog)
add_custom_target(debian-changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright ${CMAKE_BINARY_DIR}/packaging/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME virt-configdrive)
set(CPACK_PACKAGE_VERSION ${VCD_PACKAGE_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "virt-configdrive developers <virt-configdrive@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "config drives (config-2) for VMs on plain libvirt/KVM hosts")
# CPack puts the summary first and indents each line of this; an empty line separates paragraphs.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Gives VMs on libvirt/KVM hosts the config drive that CloudStack and OpenStack
give theirs: an ISO labelled config-2 on the VM's second CD-ROM, carrying user
data, metadata, SSH keys and a password, read at boot by cloud-init and
cloudbase-init.

A libvirt qemu hook builds the drive from the domain's own XML metadata when
the VM starts, arrives by live migration or is restored, and removes it when
the VM is released. The virt-configdrive command enables it on a domain,
changes it on a running VM, shows it, disables it, builds and inspects drives
offline, and checks the host (doctor). The virt-configdrive-watch service keeps
the drives of running VMs equal to the metadata any libvirt client sets.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The hook runs under libvirtd (qemu.d/ hooks since 6.5); the CLI alone also talks to a remote daemon.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libvirt-daemon-system (>= 6.5)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_SOURCE_DIR}/packaging/prerm
                                       ${CMAKE_SOURCE_DIR}/packaging/postrm
                                       ${CMAKE_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/package)
include(CPack)

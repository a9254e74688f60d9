# Every dependency comes from Debian 12 (scripts/install-deps installs them). Test-only ones
# (doctest, OpenColorIO, libpng) are found under tests/.
find_package(PkgConfig REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(pugixml REQUIRED)
find_package(SDL2 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(LCMS2 REQUIRED IMPORTED_TARGET lcms2)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(HIDAPI REQUIRED IMPORTED_TARGET hidapi-hidraw)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# Boost.Beast (header-only, libboost-dev): the WebSocket client and the LG TV emulator's server.
find_package(Boost 1.74 REQUIRED)
# cpp-httplib (libcpp-httplib-dev): the web pattern page and `calkit serve`.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(OpenSSL REQUIRED)  # MD5 and SHA-512 (EVP) for calibration-package manifests

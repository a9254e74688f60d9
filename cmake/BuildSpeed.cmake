# Cold-build speed (make demo on a fresh 2-core machine): precompiled headers and unity builds.
# - CALKIT_PCH: the heavy third-party headers (Eigen, fmt, nlohmann/json) are parsed once into a
#   precompiled header instead of in every translation unit; the libraries and the cli share it
#   (calkit_pch, REUSE_FROM). CLI11 stays out: its namespace-scope validators would be compiled
#   into every library file, and most of its cost is that code, not parsing.
# - CALKIT_UNITY_BUILD: each library and the cli compile as a few batches of .cpp files, so that
#   CLI11's and Eigen's inline code is generated once per batch, not once per file. Off by default
#   so that editing one file rebuilds one file; the Makefile (make demo, make test, CI) turns it on.
option(CALKIT_PCH "Precompile the heavy third-party headers" ON)
option(CALKIT_UNITY_BUILD "Compile each library and the cli as a few unity batches" OFF)

# Files kept out of unity batches (each still compiles on its own). A file that defines a helper
# with the same name as another file's (anonymous namespace) goes here, or gets a distinct name.
set(CALKIT_UNITY_SKIP
  # large, edited often, gain nothing from a batch and would make every edit rebuild one
  solver/fitted_model.cpp solver/invert.cpp solver/monotone_curve.cpp
  solver/perceptual_space.cpp solver/spline_correction.cpp
  # each driver has its own protocol_error(), like i1d3_driver.cpp
  probes/jeti_driver.cpp probes/k10_driver.cpp probes/pr655_driver.cpp probes/spyderx_driver.cpp
  # its Clock (std::chrono::steady_clock) against calkit::Clock (sim/clock.hpp)
  patterns/tcp_socket.cpp)

if(CALKIT_PCH AND CCACHE_PROGRAM)
  # ccache caches compilations that use a precompiled header only with this sloppiness.
  set(CMAKE_CXX_COMPILER_LAUNCHER env CCACHE_SLOPPINESS=pch_defines,time_macros
      ${CCACHE_PROGRAM})
endif()

set(CALKIT_PCH_HEADERS
  <algorithm> <array> <cmath> <cstdint> <cstdio> <filesystem> <functional> <map> <memory>
  <optional> <sstream> <string> <string_view> <vector>
  <Eigen/Dense> <fmt/format.h> <nlohmann/json.hpp>)

if(CALKIT_PCH)
  # The libraries' shared precompiled header: same flags and definitions as every library.
  file(WRITE ${PROJECT_BINARY_DIR}/calkit_pch.cpp "// precompiled header holder\n")
  add_library(calkit_pch OBJECT ${PROJECT_BINARY_DIR}/calkit_pch.cpp)
  target_link_libraries(calkit_pch PUBLIC Eigen3::Eigen fmt::fmt nlohmann_json::nlohmann_json)
  target_compile_definitions(calkit_pch PUBLIC CALKIT_VERSION="${PROJECT_VERSION}")
  target_precompile_headers(calkit_pch PRIVATE ${CALKIT_PCH_HEADERS})
endif()

# calkit_build_speed(target): PCH and unity batches for one library or the cli.
function(calkit_build_speed target)
  get_target_property(sources ${target} SOURCES)
  list(LENGTH sources count)
  if(CALKIT_PCH)
    target_precompile_headers(${target} REUSE_FROM calkit_pch)
  endif()
  if(CALKIT_UNITY_BUILD AND count GREATER 1)
    foreach(skip ${CALKIT_UNITY_SKIP})
      list(FIND sources ${PROJECT_SOURCE_DIR}/${skip} found)
      if(found GREATER -1)
        set_source_files_properties(${PROJECT_SOURCE_DIR}/${skip} TARGET_DIRECTORY ${target}
          PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
        math(EXPR count "${count} - 1")
      endif()
    endforeach()
    # Two batches per target keep both cores of a small machine busy.
    math(EXPR batch "(${count} + 1) / 2")
    if(batch LESS 1)
      set(batch 1)
    endif()
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
  endif()
endfunction()

# convc_precompile_headers(<target> <header>...)
#
# Parses the large third-party headers once per target instead of once per file. Measured
# on the 2-core CI machine (g++ 12, -O3): Halide.h takes 3.4 s to parse and CLI/CLI.hpp
# 10.5 s, against 1.4 s for yaml-cpp; the compiler's files mostly include Halide.h and each
# CLI verb includes both, which made parsing about half of a clean build.
# CONVC_PRECOMPILE_HEADERS=OFF builds without them (every file still includes what it uses).
option(CONVC_PRECOMPILE_HEADERS "Precompile Halide.h and CLI11 per target" ON)

function(convc_precompile_headers target)
    if (CONVC_PRECOMPILE_HEADERS)
        list(TRANSFORM ARGN REPLACE "(.+)" "<\\1>" OUTPUT_VARIABLE headers)
        target_precompile_headers(${target} PRIVATE ${headers})
    endif ()
endfunction()

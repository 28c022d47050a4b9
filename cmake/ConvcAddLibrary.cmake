# convc_add_library(<name> SPEC <file.yaml> [TARGET <target>...])
#
# Runs `convc generate` at build time and defines the static library <name>: the module's
# kernels, the Halide runtime and its C++ wrapper, ready for target_link_libraries().
# The module name (the spec's top-level `name:`) names the wrapper header, <module>.h.
#
# TARGET is host, x86 (AVX-512/AVX2/SSE4.1 picked at run time), arm, cuda, a Halide target
# string, or several Halide target strings (one bundle, best first, baseline last). Without
# it: arm in an aarch64 cross build (CMAKE_SYSTEM_PROCESSOR), host otherwise. In a cross
# build convc itself runs on the build machine: set CONVC_EXECUTABLE to it.
include_guard(GLOBAL)

if (NOT DEFINED CONVC_EXECUTABLE)
    if (TARGET convc)
        set(CONVC_EXECUTABLE "$<TARGET_FILE:convc>")
    else ()
        find_program(CONVC_EXECUTABLE convc REQUIRED)
    endif ()
endif ()

function(_convc_module_name spec out_var)
    file(STRINGS "${spec}" name_lines REGEX "^name:[ \t]*[A-Za-z_][A-Za-z0-9_]*")
    list(LENGTH name_lines count)
    if (NOT count EQUAL 1)
        message(FATAL_ERROR "convc_add_library: ${spec} needs one top-level `name: <module>` line")
    endif ()
    string(REGEX REPLACE "^name:[ \t]*([A-Za-z_][A-Za-z0-9_]*).*" "\\1" module "${name_lines}")
    set(${out_var} "${module}" PARENT_SCOPE)
endfunction()

function(convc_add_library name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "SPEC;TARGET" "")
    if (NOT ARG_SPEC)
        message(FATAL_ERROR "convc_add_library(${name}): SPEC <file.yaml> is required")
    endif ()
    if (NOT ARG_TARGET)
        if (CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
            set(ARG_TARGET arm)
        else ()
            set(ARG_TARGET host)
        endif ()
    endif ()
    string(REPLACE ";" "," target "${ARG_TARGET}")
    get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
    _convc_module_name("${spec}" module)

    set(out "${CMAKE_CURRENT_BINARY_DIR}/convc/${name}")
    set(outputs "${out}/lib${module}.a" "${out}/${module}.h" "${out}/${module}.cpp")
    # A new convc regenerates the kernels: the target when convc is built alongside, else the
    # executable file itself.
    set(generator_dependency "")
    if (TARGET convc)
        set(generator_dependency convc)
    elseif (IS_ABSOLUTE "${CONVC_EXECUTABLE}")
        set(generator_dependency "${CONVC_EXECUTABLE}")
    endif ()
    add_custom_command(
        OUTPUT ${outputs}
        COMMAND "${CONVC_EXECUTABLE}" generate "${spec}" --target "${target}" --output "${out}"
        DEPENDS "${spec}" ${generator_dependency}
        COMMENT "convc: generating ${module} for ${target}"
        VERBATIM)

    add_library(${name} STATIC "${out}/${module}.cpp")
    target_include_directories(${name} PUBLIC "${out}")
    target_compile_features(${name} PUBLIC cxx_std_17)
    find_package(Threads REQUIRED)
    target_link_libraries(${name} PUBLIC "${out}/lib${module}.a" Threads::Threads ${CMAKE_DL_LIBS})
endfunction()

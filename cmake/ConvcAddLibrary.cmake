# convc_add_library(<name> SPEC <file.yaml> [TARGET <halide-target>])
#
# Runs `convc generate` at build time and defines the static library <name>: the module's
# kernels, the Halide runtime and its C++ wrapper, ready for target_link_libraries().
# The module name (the spec's top-level `name:`) names the wrapper header, <module>.h.
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
        set(ARG_TARGET host)
    endif ()
    get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
    _convc_module_name("${spec}" module)

    set(out "${CMAKE_CURRENT_BINARY_DIR}/convc/${name}")
    set(outputs "${out}/lib${module}.a" "${out}/${module}.h" "${out}/${module}.cpp" "${out}/${module}_kernels.h")
    set(generator_dependency "")
    if (TARGET convc)
        set(generator_dependency convc)
    endif ()
    add_custom_command(
        OUTPUT ${outputs}
        COMMAND "${CONVC_EXECUTABLE}" generate "${spec}" --target "${ARG_TARGET}" --output "${out}"
        DEPENDS "${spec}" ${generator_dependency}
        COMMENT "convc: generating ${module} for ${ARG_TARGET}"
        VERBATIM)

    add_library(${name} STATIC "${out}/${module}.cpp")
    target_include_directories(${name} PUBLIC "${out}")
    target_compile_features(${name} PUBLIC cxx_std_17)
    find_package(Threads REQUIRED)
    target_link_libraries(${name} PUBLIC "${out}/lib${module}.a" Threads::Threads ${CMAKE_DL_LIBS})
endfunction()

# Cross-compiling for aarch64 Linux with Debian's g++-aarch64-linux-gnu; programs run under
# qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so ctest and add_test work unchanged.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
# gcc 12's aarch64 loop vectorizer has crashed (vect_transform_reduction) on plain harness
# code; the kernels are vectorized by Halide, so host-side C++ loses nothing without it.
set(CMAKE_CXX_FLAGS_INIT "-fno-tree-vectorize")
set(CMAKE_C_FLAGS_INIT "-fno-tree-vectorize")
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

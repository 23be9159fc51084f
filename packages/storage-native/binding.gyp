{
  "targets": [
    {
      "target_name": "deepwater_storage",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/external-buffer.cc",
        "native/region.cc",
        "native/space.cc",
        "native/mapping.cc",
        "native/shm.cc",
        "native/lock.cc",
        "native/open-file.cc",
        "native/futex.cc",
        "native/clock.cc",
        "native/disk.cc",
        "native/anon-buffer.cc",
        "native/gather.cc",
        "native/heap-stats.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-O3"],
      "cflags_cc": ["-std=c++17", "-pthread", "-O2", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lrt", "-pthread"]
    }
  ]
}
